// Unit tests of the search page's pure state module (web/state.js): URL ⇄ state ⇄ API request.
//   node state.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  chipText, formatDate, hitCountText, lastPage, pageWindow, safeHref, searchRequestUrl,
  stateFromSearch, stateToUrl, suggestRequestUrl, toggleFilter, truncateBytes, unfilteredCountUrl,
} from '../../web/state.js';

test('a page URL round-trips through the state', () => {
  for (const url of ['/', '/?q=upphandling', '/?q=elbussar&type=case&type=guide&theme=Energi&sort=newest&page=3',
    '/?status=open&theme=Klimat+och+milj%C3%B6&region=Sk%C3%A5ne+l%C3%A4n&per_page=20']) {
    assert.equal(stateToUrl(stateFromSearch(url.slice(1))), url);
  }
});

test('the URL is read forgivingly: what the API would refuse is dropped', () => {
  const s = stateFromSearch('?q=x&type=nope&type=case&type=case&status=maybe&theme=&sort=best&page=0&per_page=1000&foo=1');
  assert.deepEqual(s.filters.type, ['case']);
  assert.deepEqual(s.filters.status, []);
  assert.deepEqual(s.filters.theme, []);
  assert.equal(s.sort, 'relevance');
  assert.equal(s.page, 1);
  assert.equal(s.perPage, 10);
  assert.equal(stateFromSearch('?page=99999').page, 1001, 'offset at most 10,000');
  assert.equal(stateFromSearch('?page=2.5').page, 1);
  assert.equal(new TextEncoder().encode(stateFromSearch(`?q=${'å'.repeat(800)}`).q).length, 1000);
});

test('the search request carries the state, the facets and fields the page shows', () => {
  const s = stateFromSearch('?q=upphandling&type=case&organisation=Region+Sk%C3%A5ne&sort=title&page=2');
  const p = new URLSearchParams(searchRequestUrl(s, { asYouType: true }).split('?')[1]);
  assert.equal(p.get('q'), 'upphandling');
  assert.deepEqual(p.getAll('type'), ['case']);
  assert.deepEqual(p.getAll('organisation'), ['Region Skåne']);
  assert.equal(p.get('sort'), 'title');
  assert.equal(p.get('page'), '2');
  assert.equal(p.get('per_page'), '10');
  assert.equal(p.get('as_you_type'), '1');
  assert.equal(p.get('facets'), 'type,status,theme,region,organisation,funder');
  assert.ok(p.get('fields').split(',').includes('snippet_html'));
  assert.equal(p.has('limit'), false, 'page/per_page and limit/offset cannot be combined');
  assert.equal(new URLSearchParams(searchRequestUrl(stateFromSearch('')).split('?')[1]).has('q'), false);
  assert.equal(unfilteredCountUrl(s), '/v1/search?q=upphandling&limit=0&facets=');
  assert.equal(suggestRequestUrl('innovations upp'), '/v1/suggest?q=innovations+upp&limit=8');
});

test('toggling a filter returns to page 1 and leaves the old state alone', () => {
  const s = stateFromSearch('?type=case&page=4');
  const added = toggleFilter(s, 'type', 'guide', true);
  assert.deepEqual(added.filters.type, ['case', 'guide']);
  assert.equal(added.page, 1);
  assert.deepEqual(s.filters.type, ['case']);
  assert.deepEqual(toggleFilter(added, 'type', 'case', false).filters.type, ['guide']);
});

test('Swedish text for visitors', () => {
  assert.equal(hitCountText(0), 'Inga träffar');
  assert.equal(hitCountText(1), '1 träff');
  assert.equal(hitCountText(12), '12 träffar');
  assert.equal(hitCountText(1234), '1\u00a0234 träffar');
  assert.equal(formatDate('2022-06-15'), '15 juni 2022');
  assert.equal(formatDate('2027-12-08'), '8 december 2027');
  assert.equal(formatDate(null), '');
  assert.equal(chipText('type', 'case'), 'Typ: Exempel');
  assert.equal(chipText('status', 'open'), 'Öppna utlysningar');
  assert.equal(chipText('theme', 'Energi'), 'Tema: Energi');
});

test('paging', () => {
  assert.equal(lastPage(0, 10), 1);
  assert.equal(lastPage(186, 10), 19);
  assert.equal(lastPage(1e6, 10), 1001);
  assert.deepEqual(pageWindow(1, 1), [1]);
  assert.deepEqual(pageWindow(1, 19), [1, 2, 3, null, 19]);
  assert.deepEqual(pageWindow(6, 19), [1, null, 4, 5, 6, 7, 8, null, 19]);
  assert.deepEqual(pageWindow(4, 6), [1, 2, 3, 4, 5, 6]);
});

test('only web addresses become links', () => {
  assert.equal(safeHref('https://afori.example/x'), 'https://afori.example/x');
  assert.equal(safeHref('/exempel/x'), '/exempel/x');
  for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,x', '//evil.example', null, 42]) {
    assert.equal(safeHref(bad), null, String(bad));
  }
});

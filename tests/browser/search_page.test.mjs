// End-to-end test of the search page (web/, docs/search-page.md) in headless Chromium.
//
// Builds an index of the shipped corpus with the real indexer, starts the real searchd on a
// free port with the page's web root, and drives Debian's Chromium through playwright-core
// the way a visitor would: typing, the suggestion list by keyboard, facets, chips, sorting,
// paging, shared links, the back button, "Menade du", the empty state and a phone-width
// screen. Every number and hit list the page shows is checked against searchd's own JSON for
// the equivalent request, written out by hand here (not with the page's code).
//
//   node search_page.test.mjs --indexer BIN --searchd BIN --source REPO [--out DIR]
//
// Screenshots: $AFORI_SCREENSHOT (default OUT/search-page.png) and the same name with
// "-phone" for the phone-width one. Exit status 77 (CTest: skipped) when Chromium is not
// installed, except under CI (CI set), where that is a failure.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

const CHROMIUM = process.env.AFORI_CHROMIUM ?? '/usr/bin/chromium';
const TODAY = '2026-12-01';
const WAIT_MS = 15000;

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || i + 1 >= argv.length) {
      throw new Error(`usage: search_page.test.mjs --indexer BIN --searchd BIN --source REPO [--out DIR], got ${argv[i]}`);
    }
    out[argv[i].slice(2)] = argv[i + 1];
  }
  for (const key of ['indexer', 'searchd', 'source']) {
    if (!out[key]) throw new Error(`missing --${key}`);
  }
  out.out ??= process.cwd();
  return out;
}

const args = parseArgs(process.argv.slice(2));

if (!existsSync(CHROMIUM)) {
  const message = `${CHROMIUM} not found: install Debian's chromium (scripts/install-deps.sh)`;
  if (process.env.CI) throw new Error(message);
  console.log(`# SKIP ${message}`);
  process.exit(77);
}
const { chromium } = await import('playwright-core');

const screenshot = process.env.AFORI_SCREENSHOT || path.join(args.out, 'search-page.png');
const phoneScreenshot = screenshot.replace(/(\.png)?$/i, '-phone.png');

let tmp;
let searchd;
let base;
let browser;
let desktop;   // one browser context at desktop size; its page is `page`
let page;
const problems = [];  // console errors, page errors, failed requests: there must be none

// ---- processes ---------------------------------------------------------------------------

function startSearchd(db) {
  return new Promise((resolve, reject) => {
    const child = spawn(args.searchd, [
      // cpp-httplib gives each connection a worker thread, and Chromium keeps up to six
      // idle connections per browser context: enough threads for two contexts.
      '--db', db, '--host', '127.0.0.1', '--port', '0', '--threads', '16', '--today', TODAY,
      '--web-root', path.join(args.source, 'web'), '--data-dir', args.source,
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const timer = setTimeout(() => reject(new Error(`searchd did not start: ${stderr}`)), 20000);
    child.on('exit', (code) => reject(new Error(`searchd exited with ${code}: ${stderr}`)));
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /searchd: listening on (http:\/\/[^/]+\/)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1].replace(/\/$/, '') });
      }
    });
  });
}

before(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'afori-browser-'));
  const db = path.join(tmp, 'db');
  const built = spawnSync(args.indexer, [
    'build', '--input', path.join(args.source, 'corpus/data'), '--db', db, '--data-dir', args.source,
  ], { encoding: 'utf8' });
  assert.equal(built.status, 0, `indexer failed:\n${built.stdout}${built.stderr}`);
  const started = await startSearchd(db);
  searchd = started.child;
  base = started.url;

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // Playwright starts Chromium with a new, empty profile directory of its own and removes
    // it afterwards. These machines have no internet: keep Chromium from calling home.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  desktop = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'sv-SE' });
  page = await newPage(desktop);
});

after(async () => {
  await browser?.close();
  if (searchd && searchd.exitCode === null) {
    const exited = new Promise((resolve) => searchd.once('exit', resolve));
    searchd.kill('SIGTERM');
    await exited;
  }
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function newPage(context) {
  const p = await context.newPage();
  p.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console ${msg.type()}: ${msg.text()}`);
  });
  p.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  p.on('requestfailed', (req) => {
    // Requests the page itself cancels (a newer keystroke replaced them) are expected.
    if (!/ERR_ABORTED/.test(req.failure()?.errorText ?? '')) problems.push(`request failed: ${req.url()}`);
  });
  p.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()} for ${res.url()}`);
  });
  return p;
}

// ---- the API's own answers ---------------------------------------------------------------

async function api(pathAndQuery) {
  const res = await rawGet(pathAndQuery);
  assert.equal(res.status, 200, `${pathAndQuery}: ${res.body}`);
  return JSON.parse(res.body);
}

// /v1/search for the given filters, as the page shows them: 10 a page.
function searchApi(params) {
  const p = new URLSearchParams(params);
  if (!p.has('per_page')) p.set('per_page', '10');
  return api(`/v1/search?${p}`);
}

// A GET whose path reaches the server exactly as written (fetch would normalise "..") on a
// connection of its own that is closed afterwards: searchd serves one connection per worker
// thread, and idle keep-alive connections held by the test would take them from the browser.
function rawGet(target) {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: url.hostname, port: url.port, path: target, method: 'GET', agent: false,
      headers: { Connection: 'close' },
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function countText(total) {
  if (total === 0) return 'Inga träffar';
  return `${new Intl.NumberFormat('sv-SE').format(total)} ${total === 1 ? 'träff' : 'träffar'}`;
}

// ---- reading the page --------------------------------------------------------------------

function shownIds(p) {
  return p.$$eval('#hits > li', (items) => items.map((li) => li.dataset.id));
}

// Waits until the page shows exactly the hits and total of an API answer (results update
// asynchronously); fails with what it saw instead.
async function waitForHits(p, body, what) {
  const expected = { ids: body.hits.map((h) => h.id), count: body.total };
  try {
    await p.waitForFunction(({ ids, count }) => {
      const results = document.getElementById('results');
      if (results.hasAttribute('aria-busy')) return false;
      const shown = [...document.querySelectorAll('#hits > li')].map((li) => li.dataset.id);
      const line = document.getElementById('result-count').textContent;
      const total = Number((/^([\d\s\u00a0]+) (träff|dokument)/.exec(line)?.[1] ?? '0').replace(/\D/g, ''));
      return JSON.stringify(shown) === JSON.stringify(ids) && total === count;
    }, expected, { timeout: WAIT_MS });
  } catch {
    const shown = await shownIds(p);
    const line = await p.textContent('#result-count');
    assert.fail(`${what}: expected ${JSON.stringify(expected)}, page shows ${line} ${JSON.stringify(shown)}`);
  }
}

// The rendered counts of a facet: {value: count}.
function shownFacet(p, name) {
  return p.$$eval(`#facets input[data-facet="${name}"]`, (boxes) => Object.fromEntries(boxes.map((box) => [
    box.dataset.value, Number(box.closest('label').querySelector('.facet-count').dataset.count)])));
}

// The API counts of the values the page shows (it shows the first few until "Visa alla").
function pick(counts, shown) {
  return Object.fromEntries(Object.keys(shown).map((v) => [v, counts[v] ?? 0]));
}

async function pageQuery(p) {
  return new URLSearchParams(new URL(p.url()).search);
}

async function waitForUrl(p, predicate, arg, what) {
  try {
    await p.waitForFunction(predicate, arg, { timeout: WAIT_MS });
  } catch {
    assert.fail(`${what}: URL is ${p.url()}`);
  }
}

// ---- the tests ---------------------------------------------------------------------------

test('searchd serves the page with a Content-Security-Policy and refuses traversal', async () => {
  const index = await rawGet('/');
  assert.equal(index.status, 200);
  assert.equal(index.headers['content-type'], 'text/html; charset=utf-8');
  const csp = index.headers['content-security-policy'] ?? '';
  for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'",
    "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"]) {
    assert.ok(csp.includes(directive), `CSP lacks ${directive}: ${csp}`);
  }
  assert.ok(!csp.includes('unsafe'), csp);
  assert.equal(index.headers['x-content-type-options'], 'nosniff');
  assert.match(index.body, /<html lang="sv">/);

  for (const [file, type] of [['app.js', 'text/javascript; charset=utf-8'],
    ['state.js', 'text/javascript; charset=utf-8'], ['style.css', 'text/css; charset=utf-8'],
    ['icon.svg', 'image/svg+xml']]) {
    const res = await rawGet(`/static/${file}`);
    assert.equal(res.status, 200, file);
    assert.equal(res.headers['content-type'], type, file);
    assert.equal(res.headers['x-content-type-options'], 'nosniff', file);
  }
  for (const target of ['/static/../README.md', '/static/%2e%2e/README.md',
    '/static/%252e%252e/README.md', '/static/..%2f..%2fREADME.md', '/static//etc/passwd',
    '/static/%2fetc%2fpasswd', '/static/.gitignore', '/static/missing.js']) {
    const res = await rawGet(target);
    assert.equal(res.status, 404, target);
    assert.equal(res.headers['content-type'], 'application/json; charset=utf-8', target);
    assert.equal(JSON.parse(res.body).error.code, 'not_found', target);
  }
  // A NUL byte is refused before any route looks at the path.
  const nul = await rawGet('/static/app.js%00.css');
  assert.equal(nul.status, 400);
  assert.equal(JSON.parse(nul.body).error.code, 'invalid_argument');
});

test('an empty query browses the newest documents', async () => {
  await page.goto(`${base}/`);
  const expected = await searchApi({ page: 1 });
  await waitForHits(page, expected, 'browse');
  assert.equal(await page.textContent('#results-heading'), 'Senast publicerat');
  assert.equal(await page.textContent('#result-count'), `${expected.total} dokument · sida 1 av ${Math.ceil(expected.total / 10)}`);
  const newest = await searchApi({ sort: 'newest' });
  assert.deepEqual(await shownIds(page), newest.hits.map((h) => h.id), 'empty query lists newest first');
  await page.waitForFunction((t) => document.getElementById('announcer').textContent === t,
    `${expected.total} dokument`, { timeout: WAIT_MS });
  // The facets show the counts over everything.
  assert.deepEqual(await shownFacet(page, 'type'), expected.facets.type);
});

test('typing shows suggestions and results as you type', async () => {
  const historyBefore = await page.evaluate(() => history.length);
  await page.click('#q');
  // Letter by letter, pausing longer than the page's debounce after each from the sixth on,
  // so that suggestions and results come and change while the visitor is still typing.
  const seenLists = new Set();
  const seenCounts = new Set();
  const word = 'innovationsupp';
  for (let i = 0; i < word.length; i++) {
    await page.keyboard.type(word[i]);
    if (i < 5) continue;
    await page.waitForTimeout(350);
    if (await page.isVisible('#suggestions')) seenLists.add(await page.textContent('#suggestions'));
    seenCounts.add(await page.textContent('#result-count'));
  }
  const suggested = await api('/v1/suggest?q=innovationsupp&limit=8');
  assert.ok(suggested.suggestions.length >= 2, 'the corpus has completions for innovationsupp');
  await page.waitForFunction((texts) => {
    const options = [...document.querySelectorAll('#suggestions [role="option"]')];
    return !document.getElementById('suggestions').hidden &&
      JSON.stringify(options.map((o) => o.querySelector('.suggestion-text').textContent)) === JSON.stringify(texts);
  }, suggested.suggestions.map((s) => s.text), { timeout: WAIT_MS });
  assert.equal(await page.getAttribute('#q', 'aria-expanded'), 'true');
  // The typed part is marked, from the server's escaped html.
  assert.equal(await page.innerHTML('#suggestion-0 .suggestion-text'), suggested.suggestions[0].html);
  assert.ok(seenLists.size >= 2, `the list changed while typing (${seenLists.size} states seen)`);
  assert.ok(seenCounts.size >= 2, `results changed while typing (${[...seenCounts].join(' | ')})`);

  const expected = await searchApi({ q: 'innovationsupp', as_you_type: 1 });
  assert.ok(expected.total > 0);
  await waitForHits(page, expected, 'results while typing');
  assert.equal(await page.innerHTML('#hits > li:first-child .hit-title a'), expected.hits[0].title_html);
  assert.ok((await page.$$('#hits mark')).length > 0, 'matched words are highlighted');
  assert.equal((await pageQuery(page)).get('q'), 'innovationsupp', 'the URL follows the typing');
  assert.equal(await page.evaluate(() => history.length), historyBefore + 1,
    'typing makes one history entry, not one per keystroke');
});

test('the suggestion list works with the keyboard', async () => {
  const suggested = (await api('/v1/suggest?q=innovationsupp&limit=8')).suggestions;
  const selected = () => page.$$eval('#suggestions [role="option"]',
    (options) => options.map((o) => o.getAttribute('aria-selected')).indexOf('true'));
  await page.keyboard.press('ArrowDown');
  assert.equal(await selected(), 0);
  assert.equal(await page.getAttribute('#q', 'aria-activedescendant'), 'suggestion-0');
  await page.keyboard.press('ArrowDown');
  assert.equal(await selected(), 1);
  assert.equal(await page.getAttribute('#q', 'aria-activedescendant'), 'suggestion-1');
  await page.keyboard.press('ArrowUp');
  assert.equal(await selected(), 0);
  await page.keyboard.press('ArrowUp');  // wraps to the last
  assert.equal(await selected(), suggested.length - 1);
  await page.keyboard.press('Escape');
  assert.ok(await page.isHidden('#suggestions'));
  assert.equal(await page.getAttribute('#q', 'aria-expanded'), 'false');
  assert.equal(await page.getAttribute('#q', 'aria-activedescendant'), null);
  assert.equal(await page.inputValue('#q'), 'innovationsupp', 'Escape closes the list, keeps the text');

  const historyBefore = await page.evaluate(() => history.length);
  await page.keyboard.press('ArrowDown');  // reopens on the first option
  assert.ok(await page.isVisible('#suggestions'));
  await page.keyboard.press('ArrowDown');
  assert.equal(await selected(), 1);
  await page.keyboard.press('Enter');
  const picked = suggested[1].text;
  assert.equal(await page.inputValue('#q'), picked);
  assert.ok(await page.isHidden('#suggestions'));
  await waitForUrl(page, (q) => new URLSearchParams(location.search).get('q') === q, picked, 'picked');
  const expected = await searchApi({ q: picked });
  await waitForHits(page, expected, `picked suggestion ${picked}`);
  assert.equal(await page.evaluate(() => history.length), historyBefore,
    'committing what was typed reuses the typing entry');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'q', 'focus stays in the box');
  await page.waitForFunction((t) => document.getElementById('announcer').textContent === t,
    countText(expected.total), { timeout: WAIT_MS });
});

test('facets filter disjunctively, chips remove filters, sorting and Back work', async () => {
  await page.goto(`${base}/?q=upphandling`);
  const all = await searchApi({ q: 'upphandling' });
  await waitForHits(page, all, 'upphandling');
  assert.deepEqual(await shownFacet(page, 'type'), all.facets.type);
  const themesBefore = await shownFacet(page, 'theme');
  assert.deepEqual(themesBefore, pick(all.facets.theme, themesBefore));

  // Tick "Exempel": a committed change, so a new history entry.
  const historyBefore = await page.evaluate(() => history.length);
  await page.check('#facets input[data-facet="type"][data-value="case"]');
  const cases = await searchApi({ q: 'upphandling', type: 'case' });
  assert.ok(cases.total > 0 && cases.total < all.total);
  await waitForHits(page, cases, 'type=case');
  assert.equal((await pageQuery(page)).getAll('type').join(), 'case');
  assert.equal(await page.evaluate(() => history.length), historyBefore + 1);
  // Disjunctive: the type counts ignore the type selection, so the other types stay offered
  // with the counts they would give; the other facets count within the selection.
  assert.deepEqual(await shownFacet(page, 'type'), cases.facets.type);
  assert.deepEqual(cases.facets.type, all.facets.type);
  const themesAfter = await shownFacet(page, 'theme');
  assert.deepEqual(themesAfter, pick(cases.facets.theme, themesAfter));
  assert.notDeepEqual(themesAfter, themesBefore, 'theme counts changed with the filter');
  assert.ok(await page.isChecked('#facets input[data-facet="type"][data-value="case"]'));
  assert.equal(await page.evaluate(() => document.activeElement.dataset.value), 'case',
    'focus stays on the ticked checkbox');
  const badges = await page.$$eval('#hits .badge', (b) => [...new Set(b.map((x) => x.textContent))]);
  assert.deepEqual(badges, ['Exempel']);
  assert.deepEqual(await page.$$eval('#active-filters .chip', (c) => c.map((x) => x.textContent)),
    ['Typ: Exempel×']);

  // And a theme on top.
  const theme = Object.keys(cases.facets.theme)[0];
  await page.check(`#facets input[data-facet="theme"][data-value="${theme}"]`);
  const casesTheme = await searchApi({ q: 'upphandling', type: 'case', theme });
  await waitForHits(page, casesTheme, `type=case&theme=${theme}`);
  assert.equal(await page.locator('#active-filters .chip').count(), 2);
  assert.ok(await page.isVisible('#active-filters .chip-clear'), '"Rensa alla filter" with two chips');

  // Sort by title.
  await page.selectOption('#sort', 'title');
  const byTitle = await searchApi({ q: 'upphandling', type: 'case', theme, sort: 'title' });
  await waitForHits(page, byTitle, 'sort=title');
  assert.equal((await pageQuery(page)).get('sort'), 'title');
  const titles = await page.$$eval('#hits .hit-title', (h) => h.map((x) => x.textContent));
  assert.deepEqual(titles, byTitle.hits.map((h) => h.title));

  // Remove the type chip: its checkbox unticks, results widen, focus lands on the next chip.
  await page.click('#active-filters .chip[data-facet="type"]');
  const themeOnly = await searchApi({ q: 'upphandling', theme, sort: 'title' });
  await waitForHits(page, themeOnly, 'chip removed');
  assert.equal((await pageQuery(page)).has('type'), false);
  assert.equal(await page.isChecked('#facets input[data-facet="type"][data-value="case"]'), false);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.facet), 'theme');

  // Back: the chip and the type filter return; again: the previous sort.
  await page.goBack();
  await waitForHits(page, byTitle, 'back to type=case&theme&sort=title');
  assert.ok(await page.isChecked('#facets input[data-facet="type"][data-value="case"]'));
  assert.equal(await page.inputValue('#sort'), 'title');
  await page.goBack();
  await waitForHits(page, casesTheme, 'back to relevance');
  assert.equal(await page.inputValue('#sort'), 'relevance');
  await page.goForward();
  await waitForHits(page, byTitle, 'forward');
});

test('Back after typing and then filtering returns to what was typed, then to before it', async () => {
  await page.goto(`${base}/?q=elbussar`);
  await waitForHits(page, await searchApi({ q: 'elbussar' }), 'elbussar');
  await page.fill('#q', '');
  await page.click('#q');
  await page.keyboard.type('solceller', { delay: 30 });
  const typed = await searchApi({ q: 'solceller', as_you_type: 1 });
  await waitForHits(page, typed, 'typed solceller');
  await page.keyboard.press('Tab');  // leaves the box, closing the suggestions
  await page.check('#facets input[data-facet="type"][data-value="case"]');
  await waitForHits(page, await searchApi({ q: 'solceller', type: 'case' }), 'solceller, cases');
  await page.goBack();
  await waitForHits(page, typed, 'back to solceller');
  assert.equal(await page.inputValue('#q'), 'solceller');
  assert.equal(await page.isChecked('#facets input[data-facet="type"][data-value="case"]'), false);
  await page.goBack();
  await waitForHits(page, await searchApi({ q: 'elbussar' }), 'back to elbussar');
  assert.equal(await page.inputValue('#q'), 'elbussar');
});

test('a shared URL shows the same results in a new page, and paging works', async () => {
  const shared = await newPage(desktop);
  await shared.goto(`${base}/?q=upphandling&type=case&sort=title&page=2`);
  const expected = await searchApi({ q: 'upphandling', type: 'case', sort: 'title', page: 2 });
  await waitForHits(shared, expected, 'shared URL');
  assert.equal(await shared.inputValue('#q'), 'upphandling');
  assert.equal(await shared.inputValue('#sort'), 'title');
  assert.ok(await shared.isChecked('#facets input[data-facet="type"][data-value="case"]'));
  assert.equal(await shared.textContent('#pager [aria-current="page"]'), '2');
  assert.equal(await shared.getAttribute('#hits', 'start'), '11');

  await shared.click('#pager .pager-next');
  const third = await searchApi({ q: 'upphandling', type: 'case', sort: 'title', page: 3 });
  await waitForHits(shared, third, 'next page');
  assert.equal((await pageQuery(shared)).get('page'), '3');
  assert.equal(await shared.evaluate(() => document.activeElement.id), 'results-heading',
    'paging moves focus to the top of the results');
  await shared.goBack();
  await waitForHits(shared, expected, 'back to page 2');
  await shared.close();
});

test('"Menade du" offers the corrected spelling', async () => {
  await page.goto(`${base}/?q=upphandlnig`);
  const misspelt = await searchApi({ q: 'upphandlnig' });
  assert.equal(misspelt.suggestion, 'upphandling');
  await waitForHits(page, misspelt, 'upphandlnig');
  assert.equal(await page.textContent('#did-you-mean'), 'Menade du upphandling?');
  await page.click('#did-you-mean a');
  const corrected = await searchApi({ q: 'upphandling' });
  await waitForHits(page, corrected, 'after Menade du');
  assert.equal(await page.inputValue('#q'), 'upphandling');
  assert.ok(await page.isHidden('#did-you-mean'));

  // Typed letter by letter the prefix reading finds nothing, and the page falls back to the
  // corrected query rather than showing "Inga träffar".
  await page.fill('#q', '');
  await page.click('#q');
  await page.keyboard.type('upphandlnig', { delay: 40 });
  await page.waitForFunction(() => document.getElementById('did-you-mean').textContent === 'Menade du upphandling?',
    null, { timeout: WAIT_MS });
  await waitForHits(page, misspelt, 'typed misspelling');
});

test('no hits: the empty state suggests removing filters', async () => {
  await page.goto(`${base}/?q=elbussar&type=funding`);
  const none = await searchApi({ q: 'elbussar', type: 'funding' });
  assert.equal(none.total, 0);
  await waitForHits(page, none, 'no hits');
  assert.ok(await page.isVisible('#empty'));
  assert.equal(await page.textContent('#empty h3'), 'Inga träffar för ”elbussar”');
  const unfiltered = await searchApi({ q: 'elbussar' });
  await page.waitForFunction((n) => document.querySelector('#empty .empty-filters').textContent.includes(`utan filter: ${n}`),
    countText(unfiltered.total).toLowerCase(), { timeout: WAIT_MS });
  await page.waitForFunction(() => document.getElementById('announcer').textContent === 'Inga träffar',
    null, { timeout: WAIT_MS });
  await page.click('#empty button');
  await waitForHits(page, unfiltered, 'filters removed');
  assert.equal((await pageQuery(page)).has('type'), false);
});

test('words from the URL are shown as text, never run as HTML', async () => {
  const evil = '<img src=x onerror="document.title=1">"><b>fet</b>';
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs++; d.dismiss(); });
  await page.goto(`${base}/?${new URLSearchParams({ q: evil, theme: '<i>x</i>' })}`);
  await waitForHits(page, await searchApi({ q: evil, theme: '<i>x</i>' }), 'markup in the URL');
  assert.equal(await page.textContent('#results-heading q'), evil);
  assert.equal(await page.inputValue('#q'), evil);
  assert.equal(await page.$$eval('main img, main b, main i', (found) => found.length), 0);
  assert.equal(await page.textContent('#active-filters .chip span'), 'Tema: <i>x</i>');
  assert.notEqual(await page.title(), '1');
  assert.equal(dialogs, 0);
});

test('funding hits show their deadline and whether the call is open', async () => {
  await page.goto(`${base}/?q=innovationsupphandling&type=funding`);
  const funding = await searchApi({ q: 'innovationsupphandling', type: 'funding' });
  await waitForHits(page, funding, 'funding');
  const shown = await page.$$eval('#hits > li', (items) => items.map((li) => ({
    badge: li.querySelector('.badge').textContent,
    status: li.querySelector('.call-status')?.textContent ?? null,
    deadline: li.querySelector('.deadline time')?.getAttribute('datetime') ?? null,
  })));
  assert.deepEqual(shown, funding.hits.map((h) => ({
    badge: 'Finansiering', status: { open: 'Öppen', closed: 'Stängd' }[h.status] ?? null, deadline: h.deadline,
  })));
  assert.ok(shown.some((h) => h.status === 'Öppen') && shown.some((h) => h.status === 'Stängd'),
    `on ${TODAY} both open and closed calls are among the hits`);
  await page.check('#facets input[data-facet="status"][data-value="open"]');
  const open = await searchApi({ q: 'innovationsupphandling', type: 'funding', status: 'open' });
  await waitForHits(page, open, 'status=open');
  assert.deepEqual([...new Set(await page.$$eval('#hits .call-status', (s) => s.map((x) => x.textContent)))], ['Öppen']);
  assert.equal(await page.textContent('#active-filters .chip[data-facet="status"] span'), 'Öppna utlysningar');
});

test('desktop screenshot', async () => {
  await page.goto(`${base}/?q=innovationsupphandling`);
  await waitForHits(page, await searchApi({ q: 'innovationsupphandling' }), 'screenshot');
  await page.screenshot({ path: screenshot });
  console.log(`# screenshot: ${screenshot}`);
});

test('at phone width the facets fold behind a toggle and the page fits the screen', async () => {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'sv-SE' });
  const p = await newPage(phone);
  await p.goto(`${base}/?q=upphandling`);
  await waitForHits(p, await searchApi({ q: 'upphandling' }), 'phone');
  const fits = await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  assert.ok(fits, 'no horizontal scrolling');
  assert.ok(await p.isVisible('#filter-toggle'));
  assert.ok(await p.isHidden('#facet-panel'), 'facets folded');
  const box = await p.locator('#q').boundingBox();
  assert.ok(box.width >= 200, `the search box is usable (${box.width}px wide)`);

  await p.click('#filter-toggle');
  assert.equal(await p.getAttribute('#filter-toggle', 'aria-expanded'), 'true');
  assert.ok(await p.isVisible('#facet-panel'));
  await p.check('#facets input[data-facet="type"][data-value="funding"]');
  const funding = await searchApi({ q: 'upphandling', type: 'funding' });
  await waitForHits(p, funding, 'phone type=funding');
  assert.equal(await p.textContent('#filter-toggle'), 'Filtrera (1 valt)');
  await p.click('#filter-toggle');
  assert.ok(await p.isHidden('#facet-panel'));
  assert.ok(await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
  await p.screenshot({ path: phoneScreenshot });
  console.log(`# screenshot: ${phoneScreenshot}`);
  await phone.close();
});

test('no console errors, CSP violations or failed requests', () => {
  assert.deepEqual(problems, []);
});

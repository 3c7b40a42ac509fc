// The official Meilisearch JavaScript client (the `meilisearch` package, pinned in
// package-lock.json) against searchd's Meilisearch-compatible API (docs/meilisearch-compat.md).
//
// Builds an index of the shipped corpus with the real indexer, starts the real searchd twice
// (open, and with --meili-api-key-file) and uses the client the way a site developer would.
// Expected counts are computed here from the corpus JSON files themselves, never taken from
// the server; where the answer depends on stemming (what "energi" matches), the test checks
// the server's answers against each other instead (paging against offset/limit, 'all' within
// 'last', multi-search against single searches).
//
//   node client.test.mjs --indexer BIN --searchd BIN --source REPO
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

import { Meilisearch, MeilisearchApiError } from 'meilisearch';

const TODAY = '2026-12-01';
const UID = 'kunskapsbank';
const API_KEY = 'test-key-0123456789abcdef';

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || i + 1 >= argv.length) {
      throw new Error(`usage: client.test.mjs --indexer BIN --searchd BIN --source REPO, got ${argv[i]}`);
    }
    out[argv[i].slice(2)] = argv[i + 1];
  }
  for (const key of ['indexer', 'searchd', 'source']) {
    if (!out[key]) throw new Error(`missing --${key}`);
  }
  return out;
}

const args = parseArgs(process.argv.slice(2));

// ---- the corpus, read here -----------------------------------------------------------------

const corpusDir = path.join(args.source, 'corpus/data');
const corpus = readdirSync(corpusDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => readdirSync(path.join(corpusDir, d.name))
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(path.join(corpusDir, d.name, f), 'utf8'))));

// {value: count} of a field over documents (lists count each value once per document).
function countValues(docs, field) {
  const counts = {};
  for (const doc of docs) {
    let values = doc[field];
    if (values === null || values === undefined) continue;
    if (!Array.isArray(values)) values = [values];
    for (const v of new Set(values)) counts[v] = (counts[v] ?? 0) + 1;
  }
  return counts;
}

const docsWhere = (predicate) => corpus.filter(predicate);
const hasTheme = (theme) => (doc) => (doc.themes ?? []).includes(theme);

// ---- processes -----------------------------------------------------------------------------

let tmp;
const servers = [];

function startSearchd(db, extra) {
  return new Promise((resolve, reject) => {
    const child = spawn(args.searchd, [
      '--db', db, '--host', '127.0.0.1', '--port', '0', '--today', TODAY,
      '--data-dir', args.source, '--web-root', 'none', ...extra,
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    servers.push(child);
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const timer = setTimeout(() => reject(new Error(`searchd did not start: ${stderr}`)), 20000);
    child.on('exit', (code) => reject(new Error(`searchd exited with ${code}: ${stderr}`)));
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /searchd: listening on (http:\/\/[^/]+\/)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace(/\/$/, ''));
      }
    });
  });
}

let host;        // the open server
let keyedHost;   // the one started with --meili-api-key-file
let client;
let index;

before(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'afori-meili-'));
  const db = path.join(tmp, 'db');
  const built = spawnSync(args.indexer, [
    'build', '--input', corpusDir, '--db', db, '--data-dir', args.source,
  ], { encoding: 'utf8' });
  assert.equal(built.status, 0, `indexer failed:\n${built.stdout}${built.stderr}`);
  const keyFile = path.join(tmp, 'meili.key');
  writeFileSync(keyFile, `${API_KEY}\n`, { mode: 0o600 });
  host = await startSearchd(db, []);
  keyedHost = await startSearchd(db, ['--meili-api-key-file', keyFile]);
  client = new Meilisearch({ host });
  index = client.index(UID);
});

after(async () => {
  for (const child of servers) {
    if (child.exitCode !== null) continue;
    child.removeAllListeners('exit');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// Every hit of a search, a page of 100 at a time (the server answers at most 100 a request).
async function allHits(q, params = {}) {
  const out = [];
  for (let page = 1; ; page++) {
    const res = await index.search(q, { ...params, hitsPerPage: 100, page });
    out.push(...res.hits);
    if (page >= res.totalPages) {
      assert.equal(out.length, res.totalHits, `${q}: every page together`);
      return out;
    }
  }
}

// The rejection of `promise` as a MeilisearchApiError: {status, code, message}.
async function apiError(promise) {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof MeilisearchApiError, `expected a MeilisearchApiError, got ${error}`);
    assert.equal(typeof error.cause?.message, 'string', 'the error body has a message');
    assert.equal(error.message, error.cause.message);
    assert.match(error.cause.link ?? '', /^https:\/\//, 'the error body has a link');
    assert.equal(typeof error.cause.type, 'string');
    return { status: error.response.status, code: error.cause.code, message: error.cause.message };
  }
  assert.fail('the request was expected to fail');
}

// The words of a text as the server counts them for cropping: separators like "–" are no
// words, and digit groups ("9 000") make one number.
const words = (text) => text.replace(/(\d) (?=\d{3}\b)/g, '$1').split(/\s+/)
  .filter((w) => /[\p{L}\p{N}]/u.test(w));

// ---- the tests -----------------------------------------------------------------------------

describe('the server', () => {
  test('health, version and the index', async () => {
    assert.deepEqual(await client.health(), { status: 'available' });
    assert.equal(await client.isHealthy(), true);
    const version = await client.getVersion();
    assert.equal(typeof version.pkgVersion, 'string');

    const raw = await index.getRawInfo();
    assert.equal(raw.uid, UID);
    assert.equal(raw.primaryKey, 'id');
    const indexes = await client.getIndexes();
    assert.equal(indexes.total, 1);
    assert.deepEqual(indexes.results.map((i) => i.uid), [UID]);
    assert.equal(indexes.results[0].primaryKey, 'id');
    const stats = await index.getStats();
    assert.equal(stats.numberOfDocuments, corpus.length);
    assert.equal(stats.isIndexing, false);
  });

  test('the index object carries createdAt and updatedAt, as in Meilisearch', async () => {
    // Meilisearch's index object is {uid, createdAt, updatedAt, primaryKey}; the client sets
    // index.createdAt/updatedAt from them (new Date(undefined) is an Invalid Date).
    const raw = await index.getRawInfo();
    for (const key of ['createdAt', 'updatedAt']) {
      assert.equal(typeof raw[key], 'string', `${key} in ${JSON.stringify(raw)}`);
      assert.ok(!Number.isNaN(Date.parse(raw[key])), `${key} is a date: ${raw[key]}`);
    }
    const fetched = await client.getIndex(UID);
    assert.ok(!Number.isNaN(fetched.createdAt.getTime()), 'Index.createdAt is a valid Date');
    assert.ok(!Number.isNaN(fetched.updatedAt.getTime()), 'Index.updatedAt is a valid Date');
  });
});

describe('search', () => {
  test('a query answers hits in the default shape', async () => {
    const res = await index.search('upphandling');
    assert.equal(res.query, 'upphandling');
    assert.equal(res.limit, 20);
    assert.equal(res.offset, 0);
    assert.equal(typeof res.processingTimeMs, 'number');
    assert.ok(res.estimatedTotalHits > 20, `upphandling is everywhere: ${res.estimatedTotalHits}`);
    assert.equal(res.hits.length, 20);
    assert.equal(res.facetDistribution, undefined, 'no facets unless asked');
    const ids = new Set(corpus.map((d) => d.id));
    for (const hit of res.hits) {
      assert.ok(ids.has(hit.id), hit.id);
      const doc = corpus.find((d) => d.id === hit.id);
      assert.equal(hit.title, doc.title);
      assert.deepEqual(hit.themes, doc.themes);
      assert.equal(hit._formatted, undefined, 'no _formatted unless asked');
    }
  });

  test('an empty query matches every document', async () => {
    const res = await index.search('', { limit: 0 });
    assert.equal(res.estimatedTotalHits, corpus.length);
    assert.deepEqual(res.hits, []);
    const paged = await index.search(null, { hitsPerPage: 1 });
    assert.equal(paged.totalHits, corpus.length);
  });

  test('attributesToRetrieve', async () => {
    const res = await index.search('energi', { attributesToRetrieve: ['id', 'title'], limit: 5 });
    for (const hit of res.hits) assert.deepEqual(Object.keys(hit).sort(), ['id', 'title']);
  });
});

describe('filter', () => {
  test('a string filter on a list attribute, as InstantSearch writes it', async () => {
    const expected = docsWhere(hasTheme('Cirkulär ekonomi'));
    assert.ok(expected.length > 0);
    const hits = await allHits('', { filter: '"themes"="Cirkulär ekonomi"' });
    assert.deepEqual(hits.map((h) => h.id).sort(), expected.map((d) => d.id).sort());
    const unquoted = await index.search('', { filter: "themes = 'Cirkulär ekonomi'", limit: 0 });
    assert.equal(unquoted.estimatedTotalHits, expected.length);
  });

  test('the array form: an inner array is OR, the outer one AND', async () => {
    const expected = docsWhere((d) => ['funding', 'case'].includes(d.type) && d.region === 'Nationell');
    assert.ok(expected.length > 0);
    const hits = await allHits('', { filter: [['type = funding', 'type = case'], 'region = Nationell'] });
    assert.deepEqual(hits.map((h) => h.id).sort(), expected.map((d) => d.id).sort());
  });

  test('boolean expressions, NOT, IN, comparisons and EXISTS', async () => {
    const cases = [
      ['type = funding AND NOT region = Nationell', (d) => d.type === 'funding' && d.region !== 'Nationell'],
      ['type IN [guide, case] AND themes = Energi', (d) => ['guide', 'case'].includes(d.type) && hasTheme('Energi')(d)],
      ['amount_max_sek >= 1000000 AND amount_max_sek < 5000000',
        (d) => d.amount_max_sek !== null && d.amount_max_sek >= 1e6 && d.amount_max_sek < 5e6],
      ['amount_max_sek 1000000 TO 5000000',
        (d) => d.amount_max_sek !== null && d.amount_max_sek >= 1e6 && d.amount_max_sek <= 5e6],
      ['(type = case OR type = guide) AND themes != Digitalisering',
        (d) => d.type !== 'funding' && !hasTheme('Digitalisering')(d)],
      // Meilisearch: NOT x IS NULL also matches documents without the field.
      ['NOT deadline IS NULL', () => true],
    ];
    for (const [filter, predicate] of cases) {
      const res = await index.search('', { filter, limit: 0 });
      assert.equal(res.estimatedTotalHits, docsWhere(predicate).length, filter);
    }
  });

  test('EXISTS matches the documents that have the field', async () => {
    // Only funding documents carry deadline and funder at all (guides and cases lack the keys).
    for (const field of ['deadline', 'funder', 'amount_max_sek']) {
      const expected = docsWhere((d) => field in d && d[field] !== null).length;
      assert.ok(expected > 0 && expected < corpus.length);
      const res = await index.search('', { filter: `${field} EXISTS`, limit: 0 });
      assert.equal(res.estimatedTotalHits, expected, `${field} EXISTS`);
      const not = await index.search('', { filter: `${field} NOT EXISTS`, limit: 0 });
      assert.equal(not.estimatedTotalHits, corpus.length - expected, `${field} NOT EXISTS`);
    }
  });

  test('a query and a filter together only narrow the query', async () => {
    const all = await allHits('upphandling');
    const filtered = await allHits('upphandling', { filter: 'type = case' });
    const ids = new Set(all.map((h) => h.id));
    assert.ok(filtered.length > 0 && filtered.length < all.length);
    for (const hit of filtered) {
      assert.equal(hit.type, 'case');
      assert.ok(ids.has(hit.id));
    }
    assert.equal(filtered.length, all.filter((h) => h.type === 'case').length);
  });
});

describe('facets', () => {
  test('facetDistribution counts over the whole corpus', async () => {
    const res = await index.search('', {
      facets: ['type', 'themes', 'region', 'funder', 'status', 'year'], limit: 0,
    });
    assert.deepEqual(res.facetDistribution.type, countValues(corpus, 'type'));
    assert.deepEqual(res.facetDistribution.themes, countValues(corpus, 'themes'));
    assert.deepEqual(res.facetDistribution.region, countValues(corpus, 'region'));
    assert.deepEqual(res.facetDistribution.funder, countValues(corpus, 'funder'));
    const status = countValues(corpus.filter((d) => d.deadline)
      .map((d) => ({ s: d.deadline >= TODAY ? 'open' : 'closed' })), 's');
    assert.deepEqual(res.facetDistribution.status, status);
    const years = countValues(corpus.filter((d) => d.published)
      .map((d) => ({ y: d.published.slice(0, 4) })), 'y');
    assert.deepEqual(res.facetDistribution.year, years);
    assert.deepEqual(res.facetStats, {});
  });

  test('organisations: at most 100 values, the most frequent, with their counts', async () => {
    const res = await index.search('', { facets: ['organisations'], limit: 0 });
    const expected = countValues(corpus, 'organisations');
    const shown = res.facetDistribution.organisations;
    const n = Object.keys(expected).length;
    assert.equal(Object.keys(shown).length, Math.min(n, 100));
    const least = Math.min(...Object.values(shown));
    for (const [value, count] of Object.entries(shown)) assert.equal(count, expected[value], value);
    for (const [value, count] of Object.entries(expected)) {
      if (count > least) assert.ok(value in shown, `${value} (${count}) is among the most frequent`);
    }
  });

  test('facetDistribution counts within a filter', async () => {
    const funding = docsWhere((d) => d.type === 'funding');
    const res = await index.search('', { filter: 'type = funding', facets: ['themes', 'funder', 'type'], limit: 0 });
    assert.deepEqual(res.facetDistribution.themes, countValues(funding, 'themes'));
    assert.deepEqual(res.facetDistribution.funder, countValues(funding, 'funder'));
    assert.deepEqual(res.facetDistribution.type, { funding: funding.length });
  });

  test('facetStats: min and max of amount_max_sek among matching funding documents', async () => {
    for (const [filter, predicate] of [
      ['type = funding', (d) => d.type === 'funding'],
      ['type = funding AND themes = Energi', (d) => d.type === 'funding' && hasTheme('Energi')(d)],
      ['status = open', (d) => d.deadline && d.deadline >= TODAY],
    ]) {
      const amounts = docsWhere(predicate).map((d) => d.amount_max_sek).filter((a) => typeof a === 'number');
      assert.ok(amounts.length > 1, filter);
      const res = await index.search('', { filter, facets: ['amount_max_sek'], limit: 0 });
      assert.deepEqual(res.facetStats.amount_max_sek, { min: Math.min(...amounts), max: Math.max(...amounts) }, filter);
      const distribution = res.facetDistribution.amount_max_sek;
      assert.equal(Object.values(distribution).reduce((a, b) => a + b, 0), amounts.length, filter);
    }
    const none = await index.search('', { filter: 'type = guide', facets: ['amount_max_sek'], limit: 0 });
    assert.equal(none.facetStats.amount_max_sek, undefined, 'no stats without amounts');
  });

  test('an attribute that is not a facet is refused', async () => {
    const e = await apiError(index.search('', { facets: ['body'] }));
    assert.equal(e.status, 400);
    assert.equal(e.code, 'invalid_search_facets');
  });
});

describe('highlighting and cropping', () => {
  test('attributesToHighlight with custom tags', async () => {
    const pre = '<span class="träff">';
    const post = '</span>';
    const res = await index.search('cirkulär', {
      attributesToHighlight: ['title'], highlightPreTag: pre, highlightPostTag: post, limit: 20,
    });
    assert.ok(res.hits.length > 0);
    let tagged = 0;
    for (const hit of res.hits) {
      const f = hit._formatted;
      assert.ok(f, `${hit.id} has _formatted`);
      assert.equal(f.title.split(pre).join('').split(post).join(''), hit.title,
        `${hit.id}: the tags are the only change`);
      assert.equal(f.summary, hit.summary, 'attributes not asked for are returned as they are');
      for (const m of f.title.matchAll(new RegExp(`${pre}(.*?)${post}`, 'g'))) {
        tagged++;
        assert.match(m[1], /^cirkulär/i, `${hit.id}: marked ${m[1]}`);
      }
    }
    assert.ok(tagged >= 3, `several titles have a mark (${tagged})`);
  });

  test('highlighted text is raw, not HTML-escaped', async () => {
    // Bodies write company names like "Stol & Stoff"; InstantSearch escapes on its own.
    const doc = corpus.find((d) => d.body.includes('Stol & Stoff'));
    assert.ok(doc, 'the corpus has "Stol & Stoff"');
    const res = await index.search('Stoff', {
      filter: `id = ${doc.id}`, attributesToCrop: ['body:6'], attributesToHighlight: ['body'],
      highlightPreTag: '<mark>', highlightPostTag: '</mark>',
    });
    assert.equal(res.hits.length, 1);
    const body = res.hits[0]._formatted.body;
    assert.ok(body.includes('& <mark>Stoff</mark>'), body);
    assert.ok(!body.includes('&amp;'), body);
  });

  test('attributesToCrop with cropLength and cropMarker', async () => {
    const marker = '[…]';
    const res = await index.search('energi', {
      attributesToCrop: ['summary'], cropLength: 8, cropMarker: marker,
      attributesToHighlight: ['summary'], highlightPreTag: '<em>', highlightPostTag: '</em>', limit: 20,
    });
    let withMatch = 0;
    for (const hit of res.hits) {
      const cropped = hit._formatted.summary;
      const plain = cropped.replaceAll('<em>', '').replaceAll('</em>', '');
      const inner = plain.split(marker).join('');
      assert.ok(words(inner).length <= 8, `${hit.id}: at most 8 words: ${cropped}`);
      assert.ok(hit.summary.includes(inner.trim()), `${hit.id}: a piece of the summary: ${inner}`);
      if (words(hit.summary).length > 8) assert.ok(plain.includes(marker), `${hit.id}: marked as cropped: ${cropped}`);
      if (/<em>[^<]+<\/em>/.test(cropped)) {
        withMatch++;
        assert.match(cropped, /<em>energi/i);
      }
    }
    assert.ok(withMatch >= 5, `the crop is around the match (${withMatch} of ${res.hits.length})`);
  });

  test('a crop length per attribute and the default crop marker', async () => {
    const res = await index.search('energi', { attributesToCrop: ['summary:5', 'title'], cropLength: 3, limit: 10 });
    for (const hit of res.hits) {
      const f = hit._formatted;
      assert.ok(words(f.summary.split('…').join(' ')).length <= 5, f.summary);
      assert.ok(words(f.title.split('…').join(' ')).length <= 3, f.title);
      if (words(hit.summary).length > 5) assert.ok(f.summary.includes('…'), f.summary);
      assert.ok(!f.summary.includes('<em>'), 'cropping alone does not highlight');
    }
  });
});

describe('sorting and paging', () => {
  test("sort: ['published:desc']", async () => {
    for (const q of ['', 'upphandling']) {
      const res = await index.search(q, { sort: ['published:desc'], limit: 100, attributesToRetrieve: ['id', 'published'] });
      assert.ok(res.hits.length > 20);
      const dates = res.hits.map((h) => h.published);
      assert.deepEqual(dates, [...dates].sort().reverse(), `${q}: newest first`);
    }
    const newest = corpus.map((d) => d.published).sort().reverse()[0];
    const first = await index.search('', { sort: ['published:desc'], limit: 1 });
    assert.equal(first.hits[0].published, newest);
  });

  test('an unsupported sort rule is refused', async () => {
    const e = await apiError(index.search('', { sort: ['summary:asc'] }));
    assert.equal(e.status, 400);
    assert.equal(e.code, 'invalid_search_sort');
  });

  test('hitsPerPage and page: totalHits and totalPages', async () => {
    const unpaged = await index.search('energi', { limit: 100 });
    const total = unpaged.estimatedTotalHits;
    assert.ok(total > 10 && total <= 100, `energi: ${total}`);
    const per = 7;
    const pages = Math.ceil(total / per);
    const seen = [];
    for (let page = 1; page <= pages; page++) {
      const res = await index.search('energi', { hitsPerPage: per, page });
      assert.equal(res.totalHits, total);
      assert.equal(res.totalPages, pages);
      assert.equal(res.hitsPerPage, per);
      assert.equal(res.page, page);
      assert.equal(res.estimatedTotalHits, undefined);
      assert.equal(res.hits.length, page < pages ? per : total - per * (pages - 1));
      seen.push(...res.hits.map((h) => h.id));
    }
    assert.deepEqual(seen, unpaged.hits.map((h) => h.id), 'the pages in a row are the unpaged hits');
    const beyond = await index.search('energi', { hitsPerPage: per, page: pages + 1 });
    assert.deepEqual(beyond.hits, []);
    assert.equal(beyond.totalHits, total);
  });

  test('offset and limit', async () => {
    const all = await index.search('upphandling', { limit: 30 });
    const slice = await index.search('upphandling', { offset: 3, limit: 4 });
    assert.equal(slice.offset, 3);
    assert.equal(slice.limit, 4);
    assert.equal(slice.estimatedTotalHits, all.estimatedTotalHits);
    assert.deepEqual(slice.hits.map((h) => h.id), all.hits.slice(3, 7).map((h) => h.id));
    const none = await index.search('upphandling', { limit: 0 });
    assert.deepEqual(none.hits, []);
  });

  test('showRankingScore: between 0 and 1, best first', async () => {
    const res = await index.search('cirkulär ekonomi', { showRankingScore: true, limit: 50 });
    assert.ok(res.hits.length > 5);
    const scores = res.hits.map((h) => h._rankingScore);
    for (const s of scores) assert.ok(typeof s === 'number' && s >= 0 && s <= 1, `score ${s}`);
    for (let i = 1; i < scores.length; i++) assert.ok(scores[i] <= scores[i - 1], `non-increasing at ${i}: ${scores}`);
    const plain = await index.search('cirkulär ekonomi', { limit: 1 });
    assert.equal(plain.hits[0]._rankingScore, undefined, 'only when asked');
  });
});

describe('matchingStrategy', () => {
  test("'all' answers a subset of 'last'", async () => {
    for (const q of ['energi skola upphandling', 'cirkulär möbler', 'elbussar laddning']) {
      const last = await allHits(q, { matchingStrategy: 'last' });
      const all = await allHits(q, { matchingStrategy: 'all' });
      const lastIds = new Set(last.map((h) => h.id));
      assert.ok(all.length > 0, `${q}: something has every word`);
      assert.ok(all.length < last.length, `${q}: 'all' (${all.length}) is narrower than 'last' (${last.length})`);
      for (const hit of all) assert.ok(lastIds.has(hit.id), `${q}: ${hit.id}`);
    }
  });

  test("'all' hits contain every word", async () => {
    // Words whose stems cannot come from anything else in the corpus.
    const q = 'snöröjning gps';
    const all = await allHits(q, { matchingStrategy: 'all' });
    assert.ok(all.length > 0);
    for (const hit of all) {
      const text = [hit.title, hit.summary, hit.body, ...(hit.tags ?? [])].join(' ').toLowerCase();
      assert.ok(text.includes('snöröjning') && text.includes('gps'), hit.id);
    }
    const expected = docsWhere((d) => {
      const text = [d.title, d.summary, d.body, ...(d.tags ?? [])].join(' ').toLowerCase();
      return text.includes('snöröjning') && text.includes('gps');
    });
    assert.ok(all.length <= expected.length, `${all.length} of ${expected.length}`);
  });

  test('an unknown strategy is refused', async () => {
    const e = await apiError(index.search('energi', { matchingStrategy: 'frequency-of-nothing' }));
    assert.equal(e.status, 400);
    assert.equal(e.code, 'invalid_search_matching_strategy');
  });
});

describe('multi-search and facet search', () => {
  test('multiSearch answers each query in order, with its indexUid', async () => {
    const queries = [
      { indexUid: UID, q: 'energi', limit: 3 },
      { indexUid: UID, q: 'vatten', filter: 'type = case', facets: ['themes'], hitsPerPage: 4, page: 2 },
      { indexUid: UID, q: '', filter: '"themes"="Cirkulär ekonomi"', limit: 0 },
    ];
    const { results } = await client.multiSearch({ queries });
    assert.equal(results.length, 3);
    for (let i = 0; i < queries.length; i++) {
      const { indexUid, q, ...params } = queries[i];
      assert.equal(results[i].indexUid, UID);
      const single = await index.search(q, params);
      const { processingTimeMs: _a, indexUid: _b, ...multiRest } = results[i];
      const { processingTimeMs: _c, ...singleRest } = single;
      assert.deepEqual(multiRest, singleRest, `query ${i}`);
    }
    assert.equal(results[2].estimatedTotalHits, docsWhere(hasTheme('Cirkulär ekonomi')).length);
  });

  test('multiSearch with an unknown index fails as a whole', async () => {
    const e = await apiError(client.multiSearch({ queries: [{ indexUid: UID, q: 'a' }, { indexUid: 'saknas', q: 'b' }] }));
    assert.equal(e.status, 404);
    assert.equal(e.code, 'index_not_found');
  });

  test('searchForFacetValues: values starting with the query, with counts', async () => {
    const themes = countValues(corpus, 'themes');
    const startsWith = (query) => Object.fromEntries(Object.entries(themes).filter(([value]) =>
      value.toLowerCase().split(/\s+/).some((w) => w.startsWith(query))));
    for (const facetQuery of ['klim', 'e', 'ekon', 'vatten']) {
      const res = await index.searchForFacetValues({ facetName: 'themes', facetQuery });
      assert.equal(res.facetQuery, facetQuery);
      assert.equal(typeof res.processingTimeMs, 'number');
      const got = Object.fromEntries(res.facetHits.map((h) => [h.value, h.count]));
      assert.deepEqual(got, startsWith(facetQuery), facetQuery);
    }
    const all = await index.searchForFacetValues({ facetName: 'themes' });
    assert.deepEqual(Object.fromEntries(all.facetHits.map((h) => [h.value, h.count])), themes);

    const funding = docsWhere((d) => d.type === 'funding');
    const filtered = await index.searchForFacetValues({ facetName: 'themes', facetQuery: 'klim', filter: 'type = funding' });
    assert.deepEqual(filtered.facetHits, [{ value: 'Klimat och miljö', count: countValues(funding, 'themes')['Klimat och miljö'] }]);

    const regions = await index.searchForFacetValues({ facetName: 'region', facetQuery: 'väst' });
    const expectedRegions = Object.fromEntries(Object.entries(countValues(corpus, 'region'))
      .filter(([v]) => v.toLowerCase().split(/\s+/).some((w) => w.startsWith('väst'))));
    assert.deepEqual(Object.fromEntries(regions.facetHits.map((h) => [h.value, h.count])), expectedRegions);
  });

  test('searchForFacetValues ignores the other search parameters, as instant-meilisearch sends them', async () => {
    // instant-meilisearch 0.31 posts the whole search's parameters along with facetName and
    // facetQuery; Meilisearch's facet search ignores those it does not use (its spec: "Non-listed
    // search parameters are ignored").
    const plain = await index.searchForFacetValues({ facetName: 'themes', facetQuery: 'klim', q: 'energi', filter: [['"type"="case"']] });
    assert.ok(plain.facetHits.length > 0);
    const res = await index.searchForFacetValues({
      facetName: 'themes', facetQuery: 'klim', q: 'energi', filter: [['"type"="case"']],
      attributesToHighlight: ['*'], highlightPreTag: '__ais-highlight__', highlightPostTag: '__/ais-highlight__',
      hitsPerPage: 20, page: 1, attributesToCrop: ['summary:24'], cropMarker: '…',
      attributesToRetrieve: ['id', 'title'], facets: ['themes'],
    });
    assert.deepEqual(res.facetHits, plain.facetHits);
    const scroll = await index.searchForFacetValues({ facetName: 'themes', facetQuery: 'klim', q: 'energi', limit: 21, offset: 0 });
    assert.ok(scroll.facetHits.length > 0);
  });

  test('searchForFacetValues on an attribute that is not a facet is refused', async () => {
    const e = await apiError(index.searchForFacetValues({ facetName: 'title', facetQuery: 'a' }));
    assert.equal(e.status, 400);
    assert.equal(e.code, 'invalid_facet_search_facet_name');
  });

  test('searchGet: the GET form', async () => {
    const get = await index.searchGet('energi', { filter: 'type = funding', facets: ['themes'], limit: 5, attributesToRetrieve: ['id'] });
    const post = await index.search('energi', { filter: 'type = funding', facets: ['themes'], limit: 5, attributesToRetrieve: ['id'] });
    assert.deepEqual(get.hits, post.hits);
    assert.deepEqual(get.facetDistribution, post.facetDistribution);
    assert.equal(get.estimatedTotalHits, post.estimatedTotalHits);
  });
});

describe('errors', () => {
  test('a filter on an unknown attribute is invalid_search_filter', async () => {
    const e = await apiError(index.search('', { filter: 'colour = red' }));
    assert.equal(e.status, 400);
    assert.equal(e.code, 'invalid_search_filter');
    assert.match(e.message, /colour/);
  });

  test('_geoRadius is invalid_search_filter (the documents have no _geo)', async () => {
    const e = await apiError(index.search('', { filter: '_geoRadius(1, 2, 3)' }));
    assert.equal(e.status, 400);
    assert.equal(e.code, 'invalid_search_filter');
    const inArray = await apiError(index.search('', { filter: [['_geoRadius(1,2,3)', 'type = case']] }));
    assert.equal(inArray.code, 'invalid_search_filter');
  });

  test('a malformed filter is invalid_search_filter', async () => {
    for (const filter of ['type =', 'type = case AND', '(type = case', 'type ~ case']) {
      const e = await apiError(index.search('', { filter }));
      assert.equal(e.status, 400, filter);
      assert.equal(e.code, 'invalid_search_filter', filter);
    }
  });

  test('an unknown index is index_not_found', async () => {
    const e = await apiError(client.index('finns-inte').search('energi'));
    assert.equal(e.status, 404);
    assert.equal(e.code, 'index_not_found');
    const info = await apiError(client.index('finns-inte').getRawInfo());
    assert.equal(info.code, 'index_not_found');
  });

  test('writing is refused: the API is read-only', async () => {
    const e = await apiError(index.addDocuments([{ id: 'x', title: 'x' }]));
    assert.equal(e.status, 405);
  });
});

describe('API key', () => {
  test('the right key searches', async () => {
    const keyed = new Meilisearch({ host: keyedHost, apiKey: API_KEY });
    const res = await keyed.index(UID).search('energi', { limit: 1 });
    assert.equal(res.hits.length, 1);
    const { results } = await keyed.multiSearch({ queries: [{ indexUid: UID, q: 'energi' }] });
    assert.equal(results.length, 1);
    assert.equal((await keyed.index(UID).getRawInfo()).uid, UID);
  });

  test('a wrong key is 403 invalid_api_key', async () => {
    const wrong = new Meilisearch({ host: keyedHost, apiKey: 'not-the-key-0123456789' });
    for (const call of [() => wrong.index(UID).search('energi'), () => wrong.multiSearch({ queries: [{ indexUid: UID, q: 'x' }] }),
      () => wrong.index(UID).searchForFacetValues({ facetName: 'themes' }), () => wrong.getIndexes()]) {
      const e = await apiError(call());
      assert.equal(e.status, 403);
      assert.equal(e.code, 'invalid_api_key');
    }
  });

  test('no key is 401 missing_authorization_header; /health stays open', async () => {
    const anonymous = new Meilisearch({ host: keyedHost });
    const e = await apiError(anonymous.index(UID).search('energi'));
    assert.equal(e.status, 401);
    assert.equal(e.code, 'missing_authorization_header');
    assert.deepEqual(await anonymous.health(), { status: 'available' });
  });

  test('the open server also serves a client that sends a key', async () => {
    const withKey = new Meilisearch({ host, apiKey: API_KEY });
    assert.equal((await withKey.index(UID).search('energi', { limit: 1 })).hits.length, 1);
  });
});

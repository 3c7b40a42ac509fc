// The InstantSearch example (examples/instantsearch) in headless Chromium against searchd.
//
// Builds an index of the shipped corpus plus one document of this test's own whose title
// and summary hold &, quotes and <, starts the real searchd with --cors-origin for a second
// origin, serves the built example from a small static server on that origin (so every
// search is a real cross-origin request with a preflight), and drives the page like a
// visitor: typing letter by letter, ticking a theme, paging. What the page shows is checked
// against searchd's own answers to the equivalent Meilisearch requests, written out here.
//
//   node instantsearch.test.mjs --indexer BIN --searchd BIN --source REPO [--out DIR]
//
// Needs examples/instantsearch/node_modules (npm ci there); runs its build.mjs first.
// Screenshot (a query and a ticked theme): $AFORI_SCREENSHOT (default OUT/instantsearch.png).
// Exit status 77 (CTest: skipped) when Chromium is not installed, except under CI (CI set),
// where that is a failure.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

const CHROMIUM = process.env.AFORI_CHROMIUM ?? '/usr/bin/chromium';
const TODAY = '2026-12-01';
const WAIT_MS = 15000;
const UID = 'kunskapsbank';

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || i + 1 >= argv.length) {
      throw new Error(`usage: instantsearch.test.mjs --indexer BIN --searchd BIN --source REPO [--out DIR], got ${argv[i]}`);
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

const exampleDir = path.join(args.source, 'examples/instantsearch');
const screenshot = process.env.AFORI_SCREENSHOT || path.join(args.out, 'instantsearch.png');

// A document of the test's own: characters that must reach the screen as they are.
const SPECIAL = {
  id: 'test-dorrlas-och-larm',
  type: 'guide',
  title: 'Dörrlås & larm: "smarta" lås <b>utan</b> nycklar',
  summary: 'Så upphandlar du dörrlås & passersystem där "nyckeln" är en app, och varför <script> inte hör hemma i en titel.',
  url: 'https://afori.example/vagledningar/test-dorrlas-och-larm',
  published: '2026-06-01',
  updated: null,
  themes: ['Digitalisering', 'Bygg och fastigheter'],
  organisations: ['Afori'],
  region: 'Nationell',
  tags: ['dörrlås', 'passersystem'],
  body: 'Dörrlås som öppnas med en app kräver att beställaren ställer krav på säkerhet & drift. '
    + 'Den här sidan finns bara i testets index.',
};

let tmp;
let searchd;
let searchdUrl;
let staticServer;
let pageOrigin;
let browser;
let page;
const problems = [];       // console errors and warnings, page errors, failed requests
const searchdResponses = [];  // {url, status, allowOrigin} of the page's requests to searchd

// ---- processes -----------------------------------------------------------------------------

function startSearchd(db, origin) {
  return new Promise((resolve, reject) => {
    const child = spawn(args.searchd, [
      '--db', db, '--host', '127.0.0.1', '--port', '0', '--threads', '16', '--today', TODAY,
      '--data-dir', args.source, '--web-root', 'none', '--cors-origin', origin,
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

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

// The example directory as a site would serve it: its files only, nothing above it, and
// not node_modules.
function startStaticServer(root) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let rel = decodeURIComponent(url.pathname);
    if (rel === '/') rel = '/index.html';
    const file = path.join(root, path.normalize(rel));
    const ok = (req.method === 'GET' || req.method === 'HEAD') && file.startsWith(root + path.sep) &&
      !file.includes(`${path.sep}node_modules${path.sep}`) && CONTENT_TYPES[path.extname(file)] &&
      existsSync(file) && statSync(file).isFile();
    if (!ok) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[path.extname(file)],
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

before(async () => {
  const built = spawnSync(process.execPath, [path.join(exampleDir, 'build.mjs')], { encoding: 'utf8' });
  assert.equal(built.status, 0, `examples/instantsearch/build.mjs failed (npm ci there first):\n${built.stdout}${built.stderr}`);
  assert.ok(existsSync(path.join(exampleDir, 'vendor/app.bundle.js')));

  tmp = mkdtempSync(path.join(os.tmpdir(), 'afori-instantsearch-'));
  const data = path.join(tmp, 'data');
  cpSync(path.join(args.source, 'corpus/data'), data, { recursive: true });
  writeFileSync(path.join(data, 'guides', `${SPECIAL.id}.json`), `${JSON.stringify(SPECIAL, null, 2)}\n`);
  const db = path.join(tmp, 'db');
  const indexed = spawnSync(args.indexer, ['build', '--input', data, '--db', db, '--data-dir', args.source],
    { encoding: 'utf8' });
  assert.equal(indexed.status, 0, `indexer failed:\n${indexed.stdout}${indexed.stderr}`);

  staticServer = await startStaticServer(exampleDir);
  pageOrigin = `http://127.0.0.1:${staticServer.address().port}`;
  const started = await startSearchd(db, pageOrigin);
  searchd = started.child;
  searchdUrl = started.url;
  assert.notEqual(new URL(searchdUrl).origin, pageOrigin, 'the page and searchd are different origins');

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'sv-SE' });
  page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console ${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (req) => {
    // A keystroke may cancel the previous keystroke's request.
    if (!/ERR_ABORTED/.test(req.failure()?.errorText ?? '')) problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`);
  });
  page.on('response', async (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()} for ${res.request().method()} ${res.url()}`);
    if (res.url().startsWith(searchdUrl)) {
      searchdResponses.push({ url: res.url(), method: res.request().method(), status: res.status(),
        allowOrigin: (await res.allHeaders())['access-control-allow-origin'] });
    }
  });
});

after(async () => {
  await browser?.close();
  if (searchd && searchd.exitCode === null) {
    searchd.removeAllListeners('exit');
    const exited = new Promise((resolve) => searchd.once('exit', resolve));
    searchd.kill('SIGTERM');
    await exited;
  }
  await new Promise((resolve) => (staticServer ? staticServer.close(resolve) : resolve()));
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// ---- searchd's own answers ---------------------------------------------------------------

function request(method, target, body, headers = {}) {
  const url = new URL(target, searchdUrl);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: url.hostname, port: url.port, path: url.pathname + url.search, method, agent: false,
      headers: { Connection: 'close', ...(payload ? { 'Content-Type': 'application/json' } : {}), ...headers },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

// POST /indexes/{uid}/search, 10 a page as the example asks.
async function meili(params) {
  const res = await request('POST', `/indexes/${UID}/search`, { hitsPerPage: 10, page: 1, ...params });
  assert.equal(res.status, 200, res.text);
  return JSON.parse(res.text);
}

// ---- reading the page ----------------------------------------------------------------------

const shownIds = () => page.$$eval('#hits .hit', (hits) => hits.map((h) => h.dataset.id));
const shownTotal = () => page.$eval('#stats [data-hits]', (s) => Number(s.dataset.hits)).catch(() => null);

// Waits until the page shows the hits and total of a searchd answer.
async function waitForHits(body, what) {
  const expected = { ids: body.hits.map((h) => h.id), total: body.totalHits };
  try {
    await page.waitForFunction(({ ids, total }) => {
      const shown = [...document.querySelectorAll('#hits .hit')].map((h) => h.dataset.id);
      const stat = document.querySelector('#stats [data-hits]');
      return stat && Number(stat.dataset.hits) === total && JSON.stringify(shown) === JSON.stringify(ids);
    }, expected, { timeout: WAIT_MS });
  } catch {
    assert.fail(`${what}: expected ${JSON.stringify(expected)}, page shows ${await shownTotal()} ${JSON.stringify(await shownIds())}`);
  }
}

// {value: count} of a refinement list as shown.
function shownFacet(container) {
  return page.$$eval(`${container} .ais-RefinementList-item`, (items) => Object.fromEntries(items.map((li) => [
    li.querySelector('input').value, Number(li.querySelector('.ais-RefinementList-count').textContent.replace(/\D/g, ''))])));
}

// The visible text of the page, which must never show an entity.
const visibleText = () => page.evaluate(() => document.body.innerText);
function assertNoEntities(text, what) {
  for (const entity of ['&amp;', '&quot;', '&lt;', '&gt;', '&#']) {
    assert.ok(!text.includes(entity), `${what}: the page shows "${entity}"`);
  }
}

// ---- the tests -----------------------------------------------------------------------------

test('searchd answers the page origin with CORS, and only it', async () => {
  const preflight = await request('OPTIONS', '/multi-search', undefined, {
    Origin: pageOrigin, 'Access-Control-Request-Method': 'POST',
    'Access-Control-Request-Headers': 'content-type,x-meilisearch-client',
  });
  assert.ok(preflight.status === 204 || preflight.status === 200, `preflight: ${preflight.status}`);
  assert.equal(preflight.headers['access-control-allow-origin'], pageOrigin);
  const allowed = (preflight.headers['access-control-allow-headers'] ?? '').toLowerCase();
  for (const h of ['content-type', 'x-meilisearch-client', 'authorization']) assert.ok(allowed.includes(h), allowed);
  assert.match(preflight.headers['access-control-allow-methods'] ?? '', /POST/);

  const other = await request('OPTIONS', '/multi-search', undefined, {
    Origin: 'http://127.0.0.1:1', 'Access-Control-Request-Method': 'POST',
  });
  assert.equal(other.headers['access-control-allow-origin'], undefined, 'another origin is not allowed');
});

test('the page loads, browses everything and runs under its CSP', async () => {
  await page.goto(`${pageOrigin}/?searchd=${encodeURIComponent(searchdUrl)}`);
  assert.equal(await page.title(), 'Sök i kunskapsbanken');
  assert.equal(await page.textContent('h1'), 'Sök i kunskapsbanken');
  assert.deepEqual(await page.$$eval('.filters h2', (h) => h.map((x) => x.textContent)), ['Typ', 'Tema', 'Region']);
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.match(csp, /script-src 'self'/);
  assert.ok(!csp.includes('unsafe'), csp);

  const everything = await meili({ q: '', facets: ['type', 'themes', 'region'] });
  await waitForHits(everything, 'the empty query');
  assert.equal(await page.textContent('#stats [data-hits]'), `${new Intl.NumberFormat('sv-SE').format(everything.totalHits)} träffar`);
  assert.deepEqual(await shownFacet('#facet-type'), everything.facetDistribution.type);
  assert.deepEqual(await shownFacet('#facet-themes'), everything.facetDistribution.themes);
  assert.deepEqual(await page.$$eval('#facet-type .ais-RefinementList-labelText', (l) => l.map((x) => x.textContent).sort()),
    ['Exempel', 'Finansiering', 'Vägledning']);
  assert.equal(await page.getAttribute('#searchbox input', 'aria-label'), 'Sök i kunskapsbanken');
  assert.ok(searchdResponses.some((r) => r.method === 'POST' && r.url.endsWith('/multi-search')), 'the page searched searchd');
  for (const r of searchdResponses) assert.equal(r.allowOrigin, pageOrigin, `${r.url} allows the page origin`);
});

test('typing a query letter by letter shows highlighted hits', async () => {
  await page.click('#searchbox input');
  const word = 'energi';
  for (const letter of word) await page.keyboard.type(letter, { delay: 90 });
  const expected = await meili({ q: word, facets: ['type', 'themes', 'region'] });
  assert.ok(expected.totalHits > 10, `energi: ${expected.totalHits}`);
  await waitForHits(expected, word);

  const marks = await page.$$eval('#hits mark', (m) => m.map((x) => ({ text: x.textContent, cls: x.className })));
  assert.ok(marks.length > 0, 'matched words are marked');
  for (const m of marks) {
    assert.match(m.cls, /ais-(Highlight|Snippet)-highlighted/);
    assert.match(m.text, /^energi/i, `marked ${m.text}`);
  }
  assert.ok(await page.locator('.hit-title mark.ais-Highlight-highlighted').count() > 0, 'titles are highlighted');
  // The summary is cut to 24 words around the match, as attributesToCrop summary:24 asks.
  const summaries = await page.$$eval('#hits .hit-summary', (s) => s.map((x) => x.textContent));
  for (const s of summaries) {
    const words = s.replaceAll('…', ' ').replace(/(\d) (?=\d{3}\b)/g, '$1').split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
    assert.ok(words.length <= 24, `at most 24 words: ${s}`);
  }
  assert.deepEqual(await shownFacet('#facet-type'), expected.facetDistribution.type);
  assertNoEntities(await visibleText(), word);
});

test('ticking a theme filters the hits to that theme, with searchd\'s count', async () => {
  const theme = 'Klimat och miljö';
  const before = await meili({ q: 'energi', facets: ['themes'] });
  assert.equal((await shownFacet('#facet-themes'))[theme], before.facetDistribution.themes[theme], 'the count beside the theme');

  await page.check(`#facet-themes input[value="${theme}"]`);
  const expected = await meili({ q: 'energi', filter: `"themes"="${theme}"`, facets: ['type', 'themes'] });
  assert.equal(expected.totalHits, before.facetDistribution.themes[theme], 'searchd agrees with itself');
  await waitForHits(expected, `energi, ${theme}`);
  assert.equal(await shownTotal(), expected.totalHits);
  const themes = await page.$$eval('#hits .hit', (hits) => hits.map((h) => [...h.querySelectorAll('.hit-themes li')].map((li) => li.dataset.theme)));
  assert.ok(themes.length > 0);
  for (const t of themes) assert.ok(t.includes(theme), `every hit has the theme: ${t}`);
  assert.ok(await page.isChecked(`#facet-themes input[value="${theme}"]`));
  // The other lists count within the selection; the theme list stays disjunctive.
  assert.deepEqual(await shownFacet('#facet-type'), expected.facetDistribution.type);
  assert.deepEqual(await shownFacet('#facet-themes'), before.facetDistribution.themes);
  await page.screenshot({ path: screenshot, fullPage: true });

  await page.click('#clear button');
  await waitForHits(await meili({ q: 'energi' }), 'filters cleared');
});

test('paging shows searchd\'s second page', async () => {
  await page.click('#pagination .ais-Pagination-item--nextPage a');
  const second = await meili({ q: 'energi', page: 2 });
  await waitForHits(second, 'page 2');
  assert.equal(await page.textContent('#pagination .ais-Pagination-item--selected'), '2');
});

test('the region list searches region names (facet-search)', async () => {
  // instant-meilisearch sends the search's own parameters along (highlight tags, paging,
  // attributesToRetrieve, ...); Meilisearch ignores those in a facet search.
  const box = '#facet-region input[type="search"]';
  assert.equal(await page.getAttribute(box, 'aria-label'), 'Sök region');
  await page.click(box);
  for (const letter of 'väst') await page.keyboard.type(letter, { delay: 60 });
  const res = await request('POST', `/indexes/${UID}/facet-search`, { facetName: 'region', facetQuery: 'väst', q: 'energi' });
  assert.equal(res.status, 200, res.text);
  const expected = Object.fromEntries(JSON.parse(res.text).facetHits.map((h) => [h.value, h.count]));
  assert.ok(Object.keys(expected).length >= 2, JSON.stringify(expected));
  for (const value of Object.keys(expected)) assert.match(value, /^Väst/, value);
  try {
    await page.waitForFunction((want) => {
      const items = [...document.querySelectorAll('#facet-region .ais-RefinementList-item')];
      const shown = Object.fromEntries(items.map((li) => [li.querySelector('input').value,
        Number(li.querySelector('.ais-RefinementList-count').textContent.replace(/\D/g, ''))]));
      return JSON.stringify(Object.entries(shown).sort()) === JSON.stringify(Object.entries(want).sort());
    }, expected, { timeout: WAIT_MS });
  } catch {
    assert.fail(`region search: expected ${JSON.stringify(expected)}, shows ${JSON.stringify(await shownFacet('#facet-region'))}`);
  } finally {
    await page.fill(box, '');
  }
});

test('&, quotes and < in a document render as they are', async () => {
  await page.fill('#searchbox input', '');
  await page.click('#searchbox input');
  for (const letter of 'dörrlås') await page.keyboard.type(letter, { delay: 60 });
  const expected = await meili({ q: 'dörrlås' });
  assert.equal(expected.hits[0]?.id, SPECIAL.id);
  await waitForHits(expected, 'dörrlås');
  const hit = page.locator(`#hits .hit[data-id="${SPECIAL.id}"]`);
  assert.equal(await hit.locator('.hit-title').textContent(), SPECIAL.title);
  assert.equal(await hit.locator('.hit-title mark').first().textContent(), 'Dörrlås');
  const summary = await hit.locator('.hit-summary').textContent();
  assert.ok(summary.includes('dörrlås & passersystem där "nyckeln" är en app'), summary);
  assert.ok(summary.includes('<script>'), summary);
  assert.equal(await hit.locator('.hit-title b, .hit-summary script').count(), 0, 'no markup from the document');
  assertNoEntities(await visibleText(), 'dörrlås');
});

test('an empty result says so in Swedish', async () => {
  await page.fill('#searchbox input', 'xyzzyqwerty');
  await page.waitForSelector('#hits .empty', { timeout: WAIT_MS });
  assert.match(await page.textContent('#hits .empty'), /^Inga träffar för/);
  assert.equal(await page.textContent('#stats [data-hits]'), 'Inga träffar');
});

test('no console errors, no failed requests', () => {
  assert.deepEqual(problems, []);
});

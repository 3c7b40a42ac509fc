// The search page's state and its two spellings: the page URL (what a visitor shares) and
// the /v1/search request (docs/api.md). Pure functions, no DOM: tests/browser/state.test.mjs
// runs them under plain node.

// The facets the page offers, in panel order. `labels` maps API values to what a visitor
// reads; `offered` limits the values shown (others appear only while selected).
export const FACETS = [
  { name: 'type', label: 'Typ',
    labels: { guide: 'Vägledning', case: 'Exempel', funding: 'Finansiering' } },
  { name: 'status', label: 'Utlysningar',
    labels: { open: 'Öppna utlysningar', closed: 'Stängda utlysningar' }, offered: ['open'],
    chipValueOnly: true },
  { name: 'theme', label: 'Tema' },
  { name: 'region', label: 'Region' },
  { name: 'organisation', label: 'Organisation' },
  { name: 'funder', label: 'Finansiär' },
];

export const FACET_NAMES = FACETS.map((f) => f.name);

export const SORTS = ['relevance', 'newest', 'deadline', 'title'];

export const DEFAULT_PER_PAGE = 10;
const MAX_OFFSET = 10000;   // the API's limit on (page - 1) × per_page
const MAX_Q_BYTES = 1000;   // the API's limit on q
export const MAX_SUGGEST_BYTES = 100;

// Hit fields the page shows (the API's defaults plus who published or funds it).
export const HIT_FIELDS = ['type', 'title', 'title_html', 'url', 'summary', 'snippet_html',
  'published', 'deadline', 'status', 'organisations', 'funder'];

const CLOSED_VALUES = { type: ['guide', 'case', 'funding'], status: ['open', 'closed'] };

export function emptyState() {
  const filters = {};
  for (const name of FACET_NAMES) filters[name] = [];
  return { q: '', filters, sort: 'relevance', page: 1, perPage: DEFAULT_PER_PAGE };
}

export function cloneState(state) {
  const filters = {};
  for (const name of FACET_NAMES) filters[name] = [...state.filters[name]];
  return { ...state, filters };
}

export function byteLength(text) {
  return new TextEncoder().encode(text).length;
}

// The longest prefix of `text` that fits in `max` UTF-8 bytes, cut between characters.
export function truncateBytes(text, max) {
  if (byteLength(text) <= max) return text;
  let out = '';
  for (const ch of text) {
    if (byteLength(out + ch) > max) break;
    out += ch;
  }
  return out;
}

function wholeNumber(text, min, max) {
  if (text === null || !/^[0-9]{1,6}$/.test(text)) return null;
  const n = Number(text);
  return n >= min && n <= max ? n : null;
}

export function maxPage(perPage) {
  return Math.floor(MAX_OFFSET / perPage) + 1;
}

// The state a page URL's query string describes. Anything the API would refuse (unknown
// parameters, unknown type/status values, numbers out of range) is dropped, so that a
// hand-edited or old link still shows something sensible.
export function stateFromSearch(search) {
  const params = new URLSearchParams(search);
  const state = emptyState();
  state.q = truncateBytes(params.get('q') ?? '', MAX_Q_BYTES);
  for (const name of FACET_NAMES) {
    const seen = new Set();
    for (const value of params.getAll(name)) {
      if (value === '' || seen.has(value)) continue;
      if (CLOSED_VALUES[name] && !CLOSED_VALUES[name].includes(value)) continue;
      seen.add(value);
      state.filters[name].push(value);
    }
  }
  const sort = params.get('sort');
  if (SORTS.includes(sort)) state.sort = sort;
  state.perPage = wholeNumber(params.get('per_page'), 1, 100) ?? DEFAULT_PER_PAGE;
  state.page = Math.min(wholeNumber(params.get('page'), 1, 1e6) ?? 1, maxPage(state.perPage));
  return state;
}

function commonParams(state) {
  const params = new URLSearchParams();
  if (state.q.trim() !== '') params.set('q', state.q);
  for (const name of FACET_NAMES) {
    for (const value of state.filters[name]) params.append(name, value);
  }
  if (state.sort !== 'relevance') params.set('sort', state.sort);
  return params;
}

// The page URL of a state: "/" plus only what differs from the defaults.
export function stateToUrl(state) {
  const params = commonParams(state);
  if (state.page > 1) params.set('page', String(state.page));
  if (state.perPage !== DEFAULT_PER_PAGE) params.set('per_page', String(state.perPage));
  const query = params.toString();
  return query ? `/?${query}` : '/';
}

// The /v1/search request for a state. `asYouType`: the last word may be unfinished.
export function searchRequestUrl(state, { asYouType = false } = {}) {
  const params = commonParams(state);
  params.set('page', String(state.page));
  params.set('per_page', String(state.perPage));
  params.set('facets', FACET_NAMES.join(','));
  params.set('fields', HIT_FIELDS.join(','));
  if (asYouType) params.set('as_you_type', '1');
  return `/v1/search?${params.toString()}`;
}

// How many documents the same words find without any filter (for the empty state).
export function unfilteredCountUrl(state) {
  const params = new URLSearchParams();
  if (state.q.trim() !== '') params.set('q', state.q);
  params.set('limit', '0');
  params.set('facets', '');
  return `/v1/search?${params.toString()}`;
}

export function suggestRequestUrl(text) {
  return `/v1/suggest?${new URLSearchParams({ q: text, limit: '8' }).toString()}`;
}

export function activeFilterCount(state) {
  return FACET_NAMES.reduce((n, name) => n + state.filters[name].length, 0);
}

export function facetLabel(name) {
  return FACETS.find((f) => f.name === name)?.label ?? name;
}

export function valueLabel(name, value) {
  return FACETS.find((f) => f.name === name)?.labels?.[value] ?? value;
}

// The text of an active filter's chip: "Typ: Exempel", or "Öppna utlysningar" alone.
export function chipText(name, value) {
  const facet = FACETS.find((f) => f.name === name);
  return facet?.chipValueOnly ? valueLabel(name, value) : `${facetLabel(name)}: ${valueLabel(name, value)}`;
}

// Returns a new state with `value` added to or removed from facet `name`, back on page 1.
export function toggleFilter(state, name, value, on) {
  const next = cloneState(state);
  const values = next.filters[name].filter((v) => v !== value);
  if (on) values.push(value);
  next.filters[name] = values;
  next.page = 1;
  return next;
}

export function lastPage(total, perPage) {
  return Math.max(1, Math.min(Math.ceil(total / perPage), maxPage(perPage)));
}

// The page numbers to link, with null for a gap: 1 … 4 5 [6] 7 8 … 19.
export function pageWindow(current, last) {
  const pages = new Set([1, last]);
  for (let p = current - 2; p <= current + 2; p++) if (p >= 1 && p <= last) pages.add(p);
  const sorted = [...pages].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i < sorted.length; i++) {
    if (i > 0 && sorted[i] - sorted[i - 1] > 1) out.push(null);
    out.push(sorted[i]);
  }
  return out;
}

const MONTHS = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti',
  'september', 'oktober', 'november', 'december'];

// "2022-06-15" → "15 juni 2022"; anything else is returned as it is.
export function formatDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? '');
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return iso ?? '';
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}

export function formatCount(n) {
  return new Intl.NumberFormat('sv-SE').format(n);
}

// "Inga träffar", "1 träff", "12 träffar".
export function hitCountText(total) {
  if (total === 0) return 'Inga träffar';
  return `${formatCount(total)} ${total === 1 ? 'träff' : 'träffar'}`;
}

// Only web addresses become links; a document's url is never trusted to be one.
export function safeHref(url) {
  if (typeof url !== 'string') return null;
  if (/^https?:\/\//i.test(url)) return url;
  if (url.startsWith('/') && !url.startsWith('//')) return url;
  return null;
}

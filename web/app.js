// The Afori search page (docs/search-page.md): a combobox with suggestions, results as you
// type, disjunctive facets, sorting, paging, and the whole state in the URL.
//
// Safety rule: text from documents or the URL is only ever set with textContent or as an
// attribute value. The one exception is HTML the server escaped itself and marked up with
// <mark>: a hit's title_html and snippet_html and a suggestion's html (docs/api.md).
import {
  FACETS, MAX_SUGGEST_BYTES, activeFilterCount, byteLength, chipText, cloneState,
  formatCount, formatDate, hitCountText, lastPage, pageWindow, safeHref, searchRequestUrl,
  stateFromSearch, stateToUrl, suggestRequestUrl, toggleFilter, unfilteredCountUrl, valueLabel,
} from './state.js';

const DEBOUNCE_MS = 150;       // between the last keystroke and the requests it causes
const ANNOUNCE_MS = 700;       // results must rest this long while typing before being read out
const FACET_VALUES_SHOWN = 6;  // per facet before "Visa alla"

const $ = (id) => document.getElementById(id);
const form = $('search-form');
const input = $('q');
const listbox = $('suggestions');
const sortSelect = $('sort');
const facetsBox = $('facets');
const facetPanel = $('facet-panel');
const filterToggle = $('filter-toggle');
const chipsBox = $('active-filters');
const didYouMean = $('did-you-mean');
const announcer = $('announcer');
const errorBox = $('error');
const hitsList = $('hits');
const emptyBox = $('empty');
const pager = $('pager');
const heading = $('results-heading');
const countLine = $('result-count');
const resultsSection = $('results');

let state = stateFromSearch(location.search);
const expandedFacets = new Set();

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('data-')) node.setAttribute(key, value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

// Server-escaped HTML (see the safety rule above) into `node`.
function setServerHtml(node, html) {
  node.innerHTML = typeof html === 'string' ? html : '';
}

async function getJson(url, signal) {
  const res = await fetch(url, { signal, headers: { Accept: 'application/json' } });
  let body = null;
  try {
    body = await res.json();
  } catch {
    // handled below
  }
  if (!res.ok || body === null) {
    const error = new Error(body?.error?.message ?? `HTTP ${res.status}`);
    error.status = res.status;
    throw error;
  }
  return body;
}

// ---- history: the URL carries the whole state --------------------------------------------

// Modes:
//   'typing'  while typing: the first update makes a new entry (marked typing), later ones
//             replace it, so Back returns to the search from before the typing began;
//   'query'   new words committed (Enter, a picked suggestion, "Menade du"): they take over
//             the typing entry if there is one, else get a new entry;
//   'push'    a filter, the sort or the page changed: a new entry (a typing entry before it
//             is kept, as the committed search it now is);
//   'replace' correct the current entry.
function recordHistory(mode) {
  const url = stateToUrl(state);
  const current = location.pathname + location.search;
  const typingEntry = history.state?.typing === true;
  const keepsFlag = mode === 'typing' || mode === 'replace';
  if (url === current || mode === 'replace') {
    history.replaceState({ typing: keepsFlag && typingEntry }, '', url);
  } else if (typingEntry && (mode === 'typing' || mode === 'query')) {
    history.replaceState({ typing: mode === 'typing' }, '', url);
  } else {
    if (typingEntry) history.replaceState({ typing: false }, '', current);
    history.pushState({ typing: mode === 'typing' }, '', url);
  }
}

window.addEventListener('popstate', () => {
  state = stateFromSearch(location.search);
  closeSuggestions();
  clearTimeout(typingTimer);
  input.value = state.q;
  renderControls();
  runSearch({ asYouType: history.state?.typing === true });
});

// ---- searching ---------------------------------------------------------------------------

let searchSeq = 0;
let searchAbort = null;
let announceTimer = 0;

async function runSearch({ asYouType = false, focusResults = false } = {}) {
  const seq = ++searchSeq;
  searchAbort?.abort();
  searchAbort = new AbortController();
  const { signal } = searchAbort;
  const snapshot = cloneState(state);
  resultsSection.setAttribute('aria-busy', 'true');
  try {
    let body = await getJson(searchRequestUrl(snapshot, { asYouType }), signal);
    // Reading the last word as a prefix cannot correct a typo ("upphandlnig"): when that
    // finds nothing, ask again as a finished query, which corrects it and suggests.
    if (asYouType && body.total === 0 && snapshot.q.trim() !== '') {
      body = await getJson(searchRequestUrl(snapshot), signal);
    }
    if (seq !== searchSeq) return;
    const last = lastPage(body.total, snapshot.perPage);
    if (body.hits.length === 0 && body.total > 0 && snapshot.page > last) {
      state.page = last;  // a shared link to a page that no longer exists
      recordHistory('replace');
      runSearch({ asYouType, focusResults });
      return;
    }
    errorBox.hidden = true;
    renderResults(body, snapshot);
    announce(body, snapshot, asYouType);
    if (focusResults) heading.focus();
  } catch (error) {
    if (error.name === 'AbortError' || seq !== searchSeq) return;
    showError(error);
  } finally {
    if (seq === searchSeq) resultsSection.removeAttribute('aria-busy');
  }
}

function showError(error) {
  hitsList.replaceChildren();
  emptyBox.hidden = true;
  pager.hidden = true;
  didYouMean.hidden = true;
  heading.textContent = 'Sökningen kunde inte göras';
  countLine.textContent = '';
  errorBox.replaceChildren(
    error.status === 400
      ? 'Sökningen kunde inte tolkas. Ändra sökorden eller '
      : 'Sökmotorn svarar inte just nu. Försök igen om en stund eller ',
    el('a', { href: '/', text: 'börja om' }), '.');
  errorBox.hidden = false;
}

// The live region is read out by screen readers: while typing only once results rest.
function announce(body, snapshot, asYouType) {
  clearTimeout(announceTimer);
  const text = snapshot.q.trim() === '' && body.total > 0
    ? `${formatCount(body.total)} dokument`
    : hitCountText(body.total);
  // Emptied first, so that the same count after a new search is read out again.
  announcer.textContent = '';
  announceTimer = setTimeout(() => { announcer.textContent = text; }, asYouType ? ANNOUNCE_MS : 100);
}

// ---- rendering ---------------------------------------------------------------------------

function renderControls() {
  if (input.value !== state.q && document.activeElement !== input) input.value = state.q;
  sortSelect.value = state.sort;
  renderChips();
  const n = activeFilterCount(state);
  filterToggle.textContent = n === 0 ? 'Filtrera' : `Filtrera (${n} ${n === 1 ? 'valt' : 'valda'})`;
  document.title = state.q.trim() ? `${state.q.trim()} – Sök – Afori` : 'Sök – Afori';
}

function renderResults(body, snapshot) {
  const query = snapshot.q.trim();
  if (query === '') {
    heading.textContent = activeFilterCount(snapshot) > 0 ? 'Filtrerade dokument' : 'Senast publicerat';
    countLine.textContent = body.total === 0 ? 'Inga dokument' : `${formatCount(body.total)} dokument`;
  } else {
    heading.replaceChildren('Sökresultat för ', el('q', { text: query }));
    countLine.textContent = hitCountText(body.total);
  }
  if (body.total > 0) {
    const last = lastPage(body.total, snapshot.perPage);
    if (last > 1) countLine.append(` · sida ${snapshot.page} av ${last}`);
  }
  renderDidYouMean(body.suggestion, snapshot);
  hitsList.replaceChildren(...body.hits.map((hit, i) => renderHit(hit, i, query)));
  hitsList.start = (snapshot.page - 1) * snapshot.perPage + 1;
  renderEmpty(body, snapshot);
  renderPager(body.total, snapshot);
  renderFacets(body.facets, snapshot);
}

function renderDidYouMean(suggestion, snapshot) {
  if (typeof suggestion !== 'string' || suggestion === '' || suggestion === snapshot.q.trim()) {
    didYouMean.hidden = true;
    didYouMean.replaceChildren();
    return;
  }
  didYouMean.replaceChildren('Menade du ', queryLink(snapshot, suggestion, 'did-you-mean-link'), '?');
  didYouMean.hidden = false;
}

const TYPE_CLASS = { guide: 'guide', case: 'case', funding: 'funding' };

function renderHit(hit, index, query) {
  const titleId = `hit-${index}-title`;
  const href = safeHref(hit.url);
  const titleLink = el(href ? 'a' : 'span', { href, class: 'hit-link' });
  setServerHtml(titleLink, hit.title_html ?? '');
  if (titleLink.textContent === '') titleLink.textContent = hit.title ?? hit.id;

  const badges = el('p', { class: 'hit-badges' },
    el('span', { class: `badge badge-${TYPE_CLASS[hit.type] ?? 'other'}`, text: valueLabel('type', hit.type) }));
  if (hit.status === 'open' || hit.status === 'closed') {
    badges.append(el('span', {
      class: `call-status call-${hit.status}`,
      text: hit.status === 'open' ? 'Öppen' : 'Stängd',
    }));
  }

  const text = el('p', { class: 'hit-text' });
  if (query !== '' && hit.snippet_html) setServerHtml(text, hit.snippet_html);
  else text.textContent = hit.summary ?? '';

  const meta = el('p', { class: 'hit-meta' });
  const addMeta = (...parts) => {
    if (meta.childNodes.length > 0) meta.append(el('span', { class: 'sep', 'aria-hidden': 'true', text: ' · ' }));
    meta.append(...parts);
  };
  if (hit.deadline) {
    addMeta(el('span', { class: 'deadline' }, 'Sista ansökningsdag ',
      el('time', { datetime: hit.deadline, text: formatDate(hit.deadline) })));
  }
  if (hit.published) {
    addMeta(el('span', {}, 'Publicerad ', el('time', { datetime: hit.published, text: formatDate(hit.published) })));
  }
  if (hit.type === 'funding' && hit.funder) addMeta(el('span', { text: `Finansiär: ${hit.funder}` }));
  else if (Array.isArray(hit.organisations) && hit.organisations.length > 0) {
    addMeta(el('span', { text: hit.organisations.join(', ') }));
  }

  return el('li', { class: 'hit', 'data-id': hit.id, 'data-type': hit.type },
    el('article', { 'aria-labelledby': titleId },
      badges,
      el('h3', { id: titleId, class: 'hit-title' }, titleLink),
      text,
      meta.childNodes.length > 0 ? meta : null));
}

function renderEmpty(body, snapshot) {
  if (body.total > 0) {
    emptyBox.hidden = true;
    emptyBox.replaceChildren();
    return;
  }
  const query = snapshot.q.trim();
  const filters = activeFilterCount(snapshot);
  const parts = [el('h3', { text: query ? `Inga träffar för ”${query}”` : 'Inga dokument matchar filtren' })];
  if (filters > 0) {
    const removeAll = el('button', { type: 'button', class: 'link-button', text: 'Ta bort alla filter' });
    removeAll.addEventListener('click', () => clearFilters());
    const line = el('p', { class: 'empty-filters' },
      filters === 1 ? 'Ett filter är valt. ' : `${filters} filter är valda. `, removeAll);
    parts.push(line);
    // How much the same words find without filters, so the visitor knows it is worth it.
    getJson(unfilteredCountUrl(snapshot)).then((all) => {
      if (all.total > 0 && line.isConnected) {
        line.append(` (utan filter: ${hitCountText(all.total).toLowerCase()})`);
      }
    }).catch(() => {});
  }
  if (typeof body.suggestion === 'string' && body.suggestion !== '') {
    parts.push(el('p', {}, 'Sök i stället på ', queryLink(snapshot, body.suggestion, 'did-you-mean-link'), '.'));
  }
  const browse = el('a', { href: '/', text: 'Visa det senast publicerade' });
  parts.push(el('ul', { class: 'tips' },
    el('li', { text: 'Kontrollera stavningen eller prova ett annat ord för samma sak.' }),
    el('li', { text: 'Använd färre eller mer allmänna ord, t.ex. ”upphandling” i stället för en hel mening.' }),
    el('li', {}, browse, '.')));
  emptyBox.replaceChildren(...parts);
  emptyBox.hidden = false;
}

function renderPager(total, snapshot) {
  const last = lastPage(total, snapshot.perPage);
  if (total === 0 || last <= 1) {
    pager.hidden = true;
    pager.replaceChildren();
    return;
  }
  const pageLink = (page, text, extra = {}) => {
    const target = cloneState(snapshot);
    target.page = page;
    const link = el('a', { href: stateToUrl(target), ...extra, text });
    link.addEventListener('click', (event) => {
      if (!isPlainClick(event)) return;
      event.preventDefault();
      commit(target, { focusResults: true });
    });
    return link;
  };
  const items = [];
  if (snapshot.page > 1) items.push(pageLink(snapshot.page - 1, 'Föregående', { class: 'pager-prev', rel: 'prev' }));
  for (const page of pageWindow(snapshot.page, last)) {
    if (page === null) items.push(el('span', { class: 'pager-gap', 'aria-hidden': 'true', text: '…' }));
    else if (page === snapshot.page) {
      items.push(el('span', { class: 'pager-current', 'aria-current': 'page', 'aria-label': `Sida ${page}`, text: String(page) }));
    } else items.push(pageLink(page, String(page), { 'aria-label': `Sida ${page}` }));
  }
  if (snapshot.page < last) items.push(pageLink(snapshot.page + 1, 'Nästa', { class: 'pager-next', rel: 'next' }));
  pager.replaceChildren(el('ul', {}, ...items.map((item) => el('li', {}, item))));
  pager.hidden = false;
}

function renderFacets(facets, snapshot) {
  // Rebuilding the panel must not lose the visitor's place in it.
  const focusedKey = document.activeElement?.closest?.('#facets') ? document.activeElement.dataset.key : null;
  const groups = [];
  for (const facet of FACETS) {
    const counts = facets?.[facet.name] ?? {};
    const selected = snapshot.filters[facet.name];
    let values = Object.keys(counts);
    if (facet.offered) values = values.filter((v) => facet.offered.includes(v));
    for (const v of selected) if (!values.includes(v)) values.push(v);
    if (values.length === 0) continue;
    const expanded = expandedFacets.has(facet.name);
    const shown = expanded ? values
      : values.filter((v, i) => i < FACET_VALUES_SHOWN || selected.includes(v));
    const list = el('ul', { class: 'facet-values' });
    for (const value of shown) {
      const count = counts[value] ?? 0;
      const box = el('input', {
        type: 'checkbox', 'data-facet': facet.name, 'data-value': value,
        'data-key': `value:${facet.name}:${value}`,
      });
      box.checked = selected.includes(value);
      box.addEventListener('change', () => commit(toggleFilter(liveState(), facet.name, value, box.checked)));
      list.append(el('li', {}, el('label', { class: count === 0 ? 'facet-value is-zero' : 'facet-value' },
        box,
        el('span', { class: 'facet-label', text: valueLabel(facet.name, value) }),
        el('span', { class: 'facet-count', 'data-count': String(count) },
          el('span', { class: 'visually-hidden', text: ', ' }),
          formatCount(count),
          el('span', { class: 'visually-hidden', text: count === 1 ? ' träff' : ' träffar' })))));
    }
    const group = el('fieldset', { class: 'facet', 'data-facet': facet.name },
      el('legend', { text: facet.label }), list);
    if (values.length > shown.length || expanded) {
      const more = el('button', {
        type: 'button', class: 'link-button facet-more', 'aria-expanded': String(expanded),
        'data-key': `more:${facet.name}`,
        text: expanded ? 'Visa färre' : `Visa alla ${values.length}`,
      });
      more.addEventListener('click', () => {
        if (expanded) expandedFacets.delete(facet.name);
        else expandedFacets.add(facet.name);
        renderFacets(facets, snapshot);
      });
      group.append(more);
    }
    groups.push(group);
  }
  if (groups.length === 0) groups.push(el('p', { class: 'facet-none', text: 'Inga filter för den här sökningen.' }));
  facetsBox.replaceChildren(...groups);
  if (focusedKey) facetsBox.querySelector(`[data-key="${CSS.escape(focusedKey)}"]`)?.focus();
}

function renderChips() {
  const chips = [];
  for (const facet of FACETS) {
    for (const value of state.filters[facet.name]) {
      const text = chipText(facet.name, value);
      const chip = el('button', {
        type: 'button', class: 'chip', 'aria-label': `Ta bort filtret ${text}`,
        'data-facet': facet.name, 'data-value': value,
      }, el('span', { text }), el('span', { class: 'chip-x', 'aria-hidden': 'true', text: '×' }));
      chip.addEventListener('click', () => {
        const index = [...chipsBox.querySelectorAll('.chip')].indexOf(chip);
        commit(toggleFilter(liveState(), facet.name, value, false));
        const rest = chipsBox.querySelectorAll('.chip');
        (rest[Math.min(index, rest.length - 1)] ?? input).focus();
      });
      chips.push(chip);
    }
  }
  if (chips.length > 1) {
    const clear = el('button', { type: 'button', class: 'link-button chip-clear', text: 'Rensa alla filter' });
    clear.addEventListener('click', () => { clearFilters(); input.focus(); });
    chips.push(clear);
  }
  chipsBox.replaceChildren(...chips);
  chipsBox.hidden = chips.length === 0;
}

function clearFilters() {
  const next = liveState();
  for (const facet of FACETS) next.filters[facet.name] = [];
  next.page = 1;
  commit(next);
}

function isPlainClick(event) {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}

// The state with the words as they stand in the box, even if the debounce has not caught up.
function liveState() {
  const live = cloneState(state);
  live.q = input.value;
  return live;
}

// A committed change of state: history, the controls at once, the results when they come.
function commit(next, { focusResults = false, newQuery = false } = {}) {
  clearTimeout(typingTimer);
  cancelSuggestions();
  state = next;
  if (input.value !== state.q) input.value = state.q;
  recordHistory(newQuery ? 'query' : 'push');
  renderControls();
  runSearch({ focusResults });
}

// A link that searches for `text` instead, keeping the filters.
function queryLink(snapshot, text, className) {
  const target = cloneState(snapshot);
  target.q = text;
  target.page = 1;
  const link = el('a', { href: stateToUrl(target), class: className, text });
  link.addEventListener('click', (event) => {
    if (!isPlainClick(event)) return;
    event.preventDefault();
    commit(target, { newQuery: true });
  });
  return link;
}

// ---- the combobox: suggestions while typing -----------------------------------------------

let typingTimer = 0;
let suggestSeq = 0;
let suggestAbort = null;
let suggestions = [];
let activeIndex = -1;

function cancelSuggestions() {
  suggestSeq++;
  suggestAbort?.abort();
  closeSuggestions();
}

function closeSuggestions() {
  listbox.hidden = true;
  input.setAttribute('aria-expanded', 'false');
  input.removeAttribute('aria-activedescendant');
  activeIndex = -1;
}

function openSuggestions() {
  if (suggestions.length === 0 || document.activeElement !== input) return;
  listbox.hidden = false;
  input.setAttribute('aria-expanded', 'true');
}

async function fetchSuggestions(text) {
  const seq = ++suggestSeq;
  suggestAbort?.abort();
  if (text.trim() === '' || byteLength(text) > MAX_SUGGEST_BYTES) {
    suggestions = [];
    renderSuggestions();
    return;
  }
  suggestAbort = new AbortController();
  try {
    const body = await getJson(suggestRequestUrl(text), suggestAbort.signal);
    if (seq !== suggestSeq || input.value !== text) return;
    suggestions = Array.isArray(body.suggestions) ? body.suggestions : [];
    renderSuggestions();
  } catch {
    // Suggestions are a help, not the search: without them the box still works.
  }
}

function renderSuggestions() {
  activeIndex = -1;
  input.removeAttribute('aria-activedescendant');
  listbox.replaceChildren(...suggestions.map((s, i) => {
    const text = el('span', { class: 'suggestion-text' });
    setServerHtml(text, s.html);
    const option = el('li', {
      id: `suggestion-${i}`, role: 'option', 'aria-selected': 'false',
      class: `suggestion suggestion-${s.kind === 'title' ? 'title' : 'term'}`,
    }, text, s.kind === 'title' ? el('span', { class: 'suggestion-kind', text: 'Dokument' }) : null);
    option.addEventListener('mousedown', (event) => event.preventDefault());  // keep focus
    option.addEventListener('click', () => pickSuggestion(i));
    return option;
  }));
  if (suggestions.length === 0) closeSuggestions();
  else openSuggestions();
}

function setActive(index) {
  const options = listbox.querySelectorAll('[role="option"]');
  options.forEach((option, i) => option.setAttribute('aria-selected', String(i === index)));
  activeIndex = index;
  if (index < 0) {
    input.removeAttribute('aria-activedescendant');
    return;
  }
  input.setAttribute('aria-activedescendant', options[index].id);
  options[index].scrollIntoView({ block: 'nearest' });
}

function pickSuggestion(index) {
  const picked = suggestions[index];
  if (!picked) return;
  const next = cloneState(state);
  next.q = picked.text;
  next.page = 1;
  input.value = picked.text;
  commit(next, { newQuery: true });
}

input.addEventListener('input', (event) => {
  if (event.isComposing) return;
  clearTimeout(typingTimer);
  typingTimer = setTimeout(() => {
    const next = cloneState(state);
    next.q = input.value;
    next.page = 1;
    state = next;
    recordHistory('typing');
    renderControls();
    runSearch({ asYouType: input.value.trim() !== '' });
    fetchSuggestions(input.value);
  }, DEBOUNCE_MS);
});

input.addEventListener('keydown', (event) => {
  const open = !listbox.hidden;
  const n = suggestions.length;
  switch (event.key) {
    case 'ArrowDown':
      if (n === 0) return;
      event.preventDefault();
      if (!open) { openSuggestions(); setActive(0); return; }
      setActive(activeIndex + 1 >= n ? 0 : activeIndex + 1);
      return;
    case 'ArrowUp':
      if (n === 0) return;
      event.preventDefault();
      if (!open) { openSuggestions(); setActive(n - 1); return; }
      setActive(activeIndex <= 0 ? n - 1 : activeIndex - 1);
      return;
    case 'Enter':
      if (open && activeIndex >= 0) {
        event.preventDefault();
        pickSuggestion(activeIndex);
      }
      return;  // otherwise the form's submit commits what was typed
    case 'Escape':
      if (open) {
        event.preventDefault();
        closeSuggestions();
      }
      return;
    case 'Tab':
      closeSuggestions();
      return;
    default:
  }
});

input.addEventListener('blur', () => closeSuggestions());

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const next = liveState();
  next.page = 1;
  commit(next, { newQuery: true });
});

sortSelect.addEventListener('change', () => {
  const next = liveState();
  next.sort = sortSelect.value;
  next.page = 1;
  commit(next);
});

filterToggle.addEventListener('click', () => {
  const open = filterToggle.getAttribute('aria-expanded') !== 'true';
  filterToggle.setAttribute('aria-expanded', String(open));
  facetPanel.classList.toggle('is-open', open);
});

// ---- start: show what the URL asks for --------------------------------------------------

input.value = state.q;
history.replaceState({ typing: false }, '', location.pathname + location.search);
renderControls();
runSearch();

// An InstantSearch.js search page on searchd's Meilisearch-compatible API
// (docs/meilisearch-compat.md), through instant-meilisearch. See README.md.
//
// build.mjs bundles this module with its dependencies into vendor/app.bundle.js, which
// index.html loads: the page needs no CDN and runs under a strict Content-Security-Policy.
//
// Where searchd is: the `searchd` query parameter (index.html?searchd=http://127.0.0.1:8080),
// else <meta name="searchd-url">. The index uid comes from <meta name="searchd-index"> and an
// optional search key from <meta name="searchd-key"> (searchd --meili-api-key-file). Whatever
// key a page carries is public: give the page a key that only searches.
import instantsearch from 'instantsearch.js';
import {
  clearRefinements, configure, hits, pagination, refinementList, searchBox, stats,
} from 'instantsearch.js/es/widgets';
import { instantMeiliSearch } from '@meilisearch/instant-meilisearch';

function meta(name) {
  return document.querySelector(`meta[name="${name}"]`)?.content.trim() || '';
}

const params = new URLSearchParams(window.location.search);
const host = params.get('searchd') || meta('searchd-url');
const indexUid = meta('searchd-index') || 'kunskapsbank';
const apiKey = meta('searchd-key');

// The document types as the page names them.
const TYPE_LABELS = { guide: 'Vägledning', case: 'Exempel', funding: 'Finansiering' };
const dateFormat = new Intl.DateTimeFormat('sv-SE', { dateStyle: 'long' });
const numberFormat = new Intl.NumberFormat('sv-SE');

function formatDate(iso) {
  if (!iso) return '';
  const date = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}

const { searchClient } = instantMeiliSearch(host, apiKey, {
  // page/hitsPerPage: searchd answers exact totals, which the pagination widget needs.
  finitePagination: true,
  meiliSearchParams: {
    // Only what the hit template shows; highlight the title and the summary and cut the
    // summary to 24 words around the best match.
    attributesToRetrieve: ['id', 'type', 'title', 'summary', 'url', 'published', 'themes', 'region'],
    attributesToHighlight: ['title', 'summary'],
    attributesToCrop: ['summary:24'],
    cropMarker: '…',
  },
});

const search = instantsearch({
  indexName: indexUid,
  searchClient,
  future: { preserveSharedStateOnUnmount: true },
});

const showMoreText = ({ isShowingMore }) => (isShowingMore ? 'Visa färre' : 'Visa fler');

search.addWidgets([
  configure({ hitsPerPage: 10 }),
  searchBox({
    container: '#searchbox',
    placeholder: 'Sök på till exempel innovationsupphandling, energi eller LOU',
    submitTitle: 'Sök',
    resetTitle: 'Töm sökrutan',
    showLoadingIndicator: true,
  }),
  stats({
    container: '#stats',
    templates: {
      text: ({ nbHits, processingTimeMS }, { html }) => html`<span data-hits=${nbHits}>${
        nbHits === 0 ? 'Inga träffar' : `${numberFormat.format(nbHits)} ${nbHits === 1 ? 'träff' : 'träffar'}`
      }</span> <span class="stats-time">(${processingTimeMS} ms)</span>`,
    },
  }),
  refinementList({
    container: '#facet-type',
    attribute: 'type',
    sortBy: ['count:desc', 'name:asc'],
    // The list shows `highlighted` (the label with the marks of a facet search).
    transformItems: (items) => items.map((item) => {
      const label = TYPE_LABELS[item.value] ?? item.label;
      return { ...item, label, highlighted: label };
    }),
  }),
  refinementList({
    container: '#facet-themes',
    attribute: 'themes',
    sortBy: ['count:desc', 'name:asc'],
    limit: 20,
  }),
  refinementList({
    container: '#facet-region',
    attribute: 'region',
    sortBy: ['count:desc', 'name:asc'],
    limit: 6,
    showMore: true,
    showMoreLimit: 30,
    // A box that searches the region names (POST /indexes/{uid}/facet-search).
    searchable: true,
    searchablePlaceholder: 'Sök region',
    templates: { showMoreText, searchableNoResults: () => 'Ingen region matchar' },
  }),
  clearRefinements({
    container: '#clear',
    templates: { resetLabel: () => 'Rensa filter' },
  }),
  hits({
    container: '#hits',
    templates: {
      // `components.Highlight` and `components.Snippet` render the server's marks as <mark>
      // and everything else as text: the document's own characters are never parsed as HTML.
      item: (hit, { html, components }) => html`
        <article class="hit" data-id=${hit.id}>
          <h3 class="hit-title"><a href=${hit.url}>${components.Highlight({ hit, attribute: 'title' })}</a></h3>
          <p class="hit-meta">
            <span class="hit-type">${TYPE_LABELS[hit.type] ?? hit.type}</span>
            ${hit.published ? html` · <time datetime=${hit.published}>${formatDate(hit.published)}</time>` : ''}
            ${hit.region ? html` · <span class="hit-region">${hit.region}</span>` : ''}
          </p>
          <p class="hit-summary">${components.Snippet({ hit, attribute: 'summary' })}</p>
          <ul class="hit-themes" aria-label="Teman">
            ${(hit.themes ?? []).map((theme) => html`<li data-theme=${theme}>${theme}</li>`)}
          </ul>
        </article>`,
      empty: (results, { html }) => html`<p class="empty">Inga träffar för <q>${results.query}</q>. Pröva andra ord eller färre filter.</p>`,
    },
  }),
  pagination({
    container: '#pagination',
    padding: 2,
    // Templates are functions: string templates are compiled with `new Function`, which the
    // page's CSP (no 'unsafe-eval') refuses.
    templates: { first: () => '«', previous: () => '‹', next: () => '›', last: () => '»' },
  }),
]);

search.on('error', ({ error }) => {
  const box = document.getElementById('error');
  box.textContent = 'Sökningen är inte tillgänglig just nu. Försök igen om en stund.';
  box.hidden = false;
  console.warn('search failed:', error);
});
search.on('render', () => {
  if (search.status === 'idle') document.getElementById('error').hidden = true;
  // InstantSearch names its search boxes "Search"; give them the page's language.
  document.querySelector('#searchbox input')?.setAttribute('aria-label', 'Sök i kunskapsbanken');
  document.querySelector('#facet-region input[type="search"]')?.setAttribute('aria-label', 'Sök region');
});

if (!host) {
  const box = document.getElementById('error');
  box.textContent = 'Ingen sökserver angiven: sätt <meta name="searchd-url"> eller ?searchd=.';
  box.hidden = false;
} else {
  search.start();
}

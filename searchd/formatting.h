// Formatting: attribute values with the query's matches wrapped in caller-chosen tags, and
// cropped to a number of words around the best passage (Meilisearch's `_formatted`).
//
// Unlike searchd/highlight.h, which makes HTML for our own page (every character escaped,
// <mark> tags, a window counted in characters), this is for clients that do their own
// escaping: the InstantSearch widgets escape hit text and then turn their own placeholder
// tags into markup, so escaping here would show "&amp;" on the page. The text is therefore
// returned as written, with only the tags added; the JSON serialiser takes care of the rest.
// Words are matched exactly as the highlighter matches them (MatchTerms: stems, compound
// parts, prefixes), so both agree on what a match is.
//
// Thread safety: pure functions; MatchTerms and the Analyzer are only read.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "searchd/highlight.h"
#include "stemming/analysis.h"

namespace afori::searchd {

struct FormatStyle {
  std::string pre_tag = "<em>";
  std::string post_tag = "</em>";
  std::string crop_marker = "\xE2\x80\xA6";  // "…"
};

// `text` with each matched word (a hyphenated word as a whole) between the tags.
std::string HighlightWords(std::string_view text, const MatchTerms& terms,
                           const stemming::Analyzer& analyzer, const FormatStyle& style);

// At most `words` words of `text`: the window holding the most distinct matched query terms
// (ties: the earliest), widened evenly on both sides to `words` words, or the first `words`
// words without a match. The crop marker stands where text was cut; whitespace inside the
// window is kept as written, punctuation directly after the last word is kept. Text of
// `words` words or fewer comes back whole; `words` 0 gives "". With `highlight`, matches in
// the window are tagged as by HighlightWords.
std::string CropWords(std::string_view text, std::size_t words, const MatchTerms& terms,
                      const stemming::Analyzer& analyzer, const FormatStyle& style,
                      bool highlight);

}  // namespace afori::searchd

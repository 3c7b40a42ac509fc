// Highlighting: a hit's title and a passage of its body as HTML, with the words the query
// matched wrapped in <mark>…</mark>.
//
// Xapian's MSet::snippet stems with one Xapian::Stem and knows nothing of our compound parts,
// so it misses "innovationsupphandling" for the query "upphandling", and it re-tokenizes text
// its own way. Here a word is marked when its index terms meet the query's: it is tokenized
// by stemming::Tokenize and analysed by the same Analyzer as at indexing, and compared with
// the terms of the final Xapian query (its stems, compound-part stems, title stems and words
// as written) and the query's prefix patterns. Marks use the token byte ranges
// into the original text, so case and decomposed letters are shown as written. Document text
// never reaches the output as markup: every character is escaped, and invalid UTF-8 and
// control characters become U+FFFD.
//
// Cost matters (every hit shown, up to 100 a request, bodies of some KB): a text is tokenized
// once and each token is analysed only as far as needed (its word, then its stem, and its
// compound parts only when a query stem could be one of them).
//
// Thread safety: the functions are pure apart from MatchTerms' memo of token keys and the
// WordCache it may be given, so a MatchTerms belongs to one search on one thread (build one
// per search), and its WordCache to that thread while the search runs. The Analyzer is only
// read.
#pragma once

#include <bitset>
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <xapian.h>

#include "common/string_hash.h"
#include "stemming/analysis.h"
#include "stemming/tokenizer.h"

namespace afori::searchd {

// What a query matches, as the highlighter needs it: built once per search.
class MatchTerms {
 public:
  // From the terms of `query` (the final query; the excluded side of AND_NOT is skipped, since
  // a shown document never matched it): "Z"+stem (schema::kPrefixStem), "XP"+stem
  // (schema::kPrefixCompoundPart) and "S"+stem (schema::kPrefixTitle) as stems, unprefixed
  // terms as words as written; other prefixed terms (filters, ids) are ignored. `prefixes`
  // are the unfinished last word and prefix* patterns (stemming::BuiltQuery::prefixes); they
  // are composed and lowercased here, empty ones dropped. Walking the query copies its
  // subqueries, whose reference counts are not atomic: `query` must be this thread's own.
  // `words`, when given, is this thread's memo of word analyses kept across searches
  // (searchd/word_cache_pool.h): a word's stem and compound parts do not depend on the query,
  // so a body word decompounded for one search is not decompounded again for the next.
  MatchTerms(const Xapian::Query& query, std::vector<std::string> prefixes,
             stemming::WordCache* words = nullptr);

  // True when the analysed token matches: its stem or one of its parts' stems is one of the
  // query's stems, or its word is one of the query's words, or it starts with a prefix.
  bool Matches(const stemming::AnalyzedToken& token) const;

  // The same test on a bare token, analysing it with `analyzer` the way Analyzer::Analyze
  // would (stop words have no stem, a hyphenated whole is not split) but only as far as the
  // answer needs: most words are rejected without stemming or decompounding (see
  // match_terms.cc). Returns which query term matched, in [0, key_count()), or -1 for none:
  // tokens with the same key matched the same term ("upphandlingar", "upphandling").
  // Answers are remembered per word: a search shows up to 100 bodies of a Zipf-distributed
  // vocabulary, and decompounding a word is the expensive part (docs/performance.md).
  int MatchKey(const stemming::Token& token, const stemming::Analyzer& analyzer) const;

  std::size_t key_count() const { return stems_.size() + words_.size() + prefixes_.size(); }
  bool empty() const { return key_count() == 0; }

 private:
  int ComputeMatchKey(const stemming::Token& token, const stemming::Analyzer& analyzer) const;
  int FindStem(std::string_view stem) const;
  int FindWord(std::string_view word) const;
  int FindPrefix(std::string_view word) const;
  bool MayHaveStem(std::string_view word) const;
  bool MayHavePartStem(std::string_view word) const;

  std::vector<std::string> stems_;     // sorted, unique: keys [0, stems_.size())
  std::vector<std::string> words_;     // sorted, unique: the next keys
  std::vector<std::string> prefixes_;  // unique, in order given: the last keys
  std::bitset<256> stem_first_bytes_;  // first bytes of stems_
  // Each stem without its last two code points (see match_terms.cc); sorted, unique.
  std::vector<std::string> stem_cores_;
  bool short_stem_ = false;  // some stem has at most two code points: its core is empty

  // MatchKey's answers by word, one map for tokens that may be split and one for hyphenated
  // wholes (which never are): the Analyzer is the same for the whole search.
  mutable StringMap<int> memo_[2];
  stemming::WordCache* word_cache_ = nullptr;  // not owned; may be null
};

// The whole text as HTML: every character escaped (& < > " '; invalid UTF-8 and control
// characters other than tab, newline, form feed and carriage return as U+FFFD), matched
// words wrapped in <mark>…</mark>, whitespace kept as written. A hyphenated word is marked
// once as a whole when the whole or any of its parts matches. For title_html.
std::string HighlightHtml(std::string_view text, const MatchTerms& terms,
                          const stemming::Analyzer& analyzer);

// About `max_chars` code points of `text` around its best passage, escaped and marked like
// HighlightHtml: the window with the most distinct matched query terms (ties: the earliest),
// with context on both sides (from the text's start when the window fits there), cut at word
// boundaries, "…" where text was cut at the start or the end. Without a match, the start of
// the text. Whitespace runs (newlines included) become one space. The visible text (marks,
// ellipses and escaping aside) is at most `max_chars` code points; a single word longer than
// that is cut inside.
std::string SnippetHtml(std::string_view text, const MatchTerms& terms,
                        const stemming::Analyzer& analyzer, std::size_t max_chars = 200);

}  // namespace afori::searchd

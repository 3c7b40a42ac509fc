// Query building: what a visitor types, as a Xapian query over the index of common/schema.h.
//
// The text is read with a small, forgiving syntax: words, "exact phrases", -exclusion (or
// NOT word), prefix* and title:word. AND and OR are accepted and ignored, because every
// query already ranks documents with all its words first (searchd/ranking.h); nothing a
// visitor types is a syntax error.
//
// Each word is analysed by the shared Analyzer (tokens, stem, stop words, compound parts) and
// becomes one ranking unit that matches, best first:
//   1.0   the stem ("upphandlingar" -> Z upphandl);
//   0.9   indexed words that differ only in å/ä/ö/é ("halsa" -> "hälsa"), and synonyms;
//   0.8   the word as a part of indexed compounds (XP), and the query compound's own parts
//         all present ("marknadsdialog" -> marknad AND dialog);
//   0.7   corrections within the allowed typos, when the word is not in the index.
// A typed alternative of a synonym group (corpus/synonyms.txt) also matches its other
// alternatives, a multi-word one as a phrase. Stop words are dropped unless nothing else is
// left. A suggestion ("Menade du …") is the text with misspelled words replaced.
//
// Thread safety: pure functions; the database must be the calling thread's own.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "stemming/analysis.h"
#include "stemming/synonyms.h"
#include "stemming/vocabulary.h"

namespace afori::stemming {

struct QueryOptions {
  bool fold_diacritics = true;      // match words typed without å/ä/ö
  bool typo_tolerance = true;       // correct words the index does not hold
  bool synonyms = true;             // expand with the synonym table
  bool decompound = true;           // compound parts on both sides
  bool last_word_is_prefix = false; // search-as-you-type: the last word may be unfinished
  // Match only documents with every ranking unit (OP_AND instead of OP_OR). Each unit still
  // matches its alternatives (variants, parts, corrections, synonyms).
  bool require_all_words = false;
};

// What the index offers for one query word (for explain and /v1/analyze).
struct WordExpansion {
  std::string word;
  std::string stem;
  bool stop_word = false;
  std::vector<std::string> diacritic_variants;
  std::vector<std::string> corrections;
  std::vector<std::string> compound_parts;
  std::vector<std::string> synonyms;  // other alternatives, words joined by spaces
};

struct BuiltQuery {
  Xapian::Query query;  // empty when the text holds nothing searchable
  bool only_exclusions = false;  // "-word" alone: everything except the excluded
  // One query per ranking unit of `query` (for explaining scores).
  std::vector<Xapian::Query> units;
  // Extra weight for documents with the words next to each other (a phrase, 0.5 of a word)
  // or near (0.25); empty for fewer than two words. Combine with OP_AND_MAYBE: it must not
  // change what matches.
  Xapian::Query proximity;
  // The unfinished last word (as_you_type) and prefix* patterns, lowercase, for highlighting.
  std::vector<std::string> prefixes;
  std::optional<std::string> suggestion;
  std::vector<WordExpansion> words;
};

// What query building may look up. Any pointer may be null: then that help is skipped
// (no database: no typo or diacritic matching, since they draw on the index vocabulary).
struct QueryContext {
  const Analyzer* analyzer = nullptr;  // required
  const Xapian::Database* db = nullptr;
  const Vocabulary* vocabulary = nullptr;
  const SynonymTable* synonyms = nullptr;
};

// A query matching every document. Use it instead of Xapian::Query::MatchAll (and
// Xapian::Query() instead of MatchNothing): those are single shared objects whose reference
// counts are not atomic, so copying them from several threads corrupts them.
Xapian::Query MatchAllQuery();

BuiltQuery BuildQuery(std::string_view text, const QueryContext& context,
                      const QueryOptions& options);

}  // namespace afori::stemming

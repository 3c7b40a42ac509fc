// Vocabulary: the words an index holds, for queries that forgive typos and missing å/ä/ö.
//
// Every word of the indexed text is stored as written (lowercased, unprefixed; see
// common/schema.h). A Vocabulary reads them once per index revision and answers: is this word
// in the index, which indexed words differ from it only in diacritics ("halsa" -> "hälsa"),
// and which are within the allowed number of typos (stemming/fuzzy.h). Query building asks
// it about every word the visitor types, so lookups are in memory.
//
// searchd builds one per index version off the request path (searchd/index_refresher.h).
//
// Thread safety: a Vocabulary is immutable.
#pragma once

#include <cstdint>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <xapian.h>

#include "stemming/fuzzy.h"

namespace afori::stemming {

class Vocabulary {
 public:
  explicit Vocabulary(std::vector<FuzzyLexicon::Entry> words);

  // The unprefixed terms of `db` with their document frequencies. Null if `stop` is
  // requested before all are read (checked for every term: a shutting-down searchd need not
  // wait for a million of them).
  static std::shared_ptr<const Vocabulary> FromDatabase(const Xapian::Database& db,
                                                        std::stop_token stop = {});

  // Number of documents holding the word as written (0: not in the index).
  std::uint32_t Frequency(std::string_view word) const { return lexicon_.Frequency(word); }

  // Indexed words other than `word` that are equal to it once diacritics are removed, most
  // frequent first.
  std::vector<std::string> DiacriticVariants(std::string_view word) const;

  // Indexed words within AllowedTypos(length of word) edits (distance > 0), the closest
  // first and, among equally close ones, the most frequent; at most `limit`.
  std::vector<FuzzyLexicon::Match> Corrections(std::string_view word, std::size_t limit) const;

  std::size_t size() const { return lexicon_.size(); }

 private:
  FuzzyLexicon lexicon_;
  // Folded form -> indexed words with diacritics that fold to it.
  std::unordered_map<std::string, std::vector<std::string>> by_folded_;
};

}  // namespace afori::stemming

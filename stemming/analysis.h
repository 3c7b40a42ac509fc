// Analyzer: the Swedish text analysis shared by the indexer and searchd.
//
// Indexing and querying must analyse text identically (same stemmer, same stop words, same
// stemming strategy), or a query term can never meet its indexed form. Both sides therefore
// get their Xapian::TermGenerator and Xapian::QueryParser configured here and nowhere else.
//
// Current choices: Xapian's Snowball "swedish" stemmer; STEM_SOME (words are indexed both as
// written, with positions for phrases, and stemmed under the "Z" prefix); a Swedish stop list
// applied to stemmed terms only (STOP_STEMMED), so phrases with stop words still match.
//
// Thread safety: an Analyzer is immutable after construction and may be shared by threads.
// The TermGenerator/QueryParser objects it configures are not thread-safe; keep one per
// thread. Each Configure call gives its target a stemmer of its own.
#pragma once

#include <string>
#include <string_view>

#include <xapian.h>

namespace afori::stemming {

class Analyzer {
 public:
  Analyzer();
  Analyzer(const Analyzer&) = delete;
  Analyzer& operator=(const Analyzer&) = delete;

  // Configures stemmer, stop words and strategy for indexing. The Analyzer must outlive tg.
  void ConfigureIndexer(Xapian::TermGenerator& tg) const;

  // Configures stemmer, stop words and strategy for query parsing. The Analyzer must
  // outlive qp.
  void ConfigureQueryParser(Xapian::QueryParser& qp) const;

  // A fresh stemmer (Xapian::Stem objects must not be shared between threads).
  Xapian::Stem MakeStemmer() const;

  // Lowercases query words so that capitalised words are stemmed too (QueryParser's
  // STEM_SOME leaves "Upphandlingar" unstemmed otherwise). Standalone boolean operators
  // (AND, OR, NOT, XOR) keep their case so that they still work as operators.
  std::string NormalizeQuery(std::string_view query) const;

  // True for a word on the Swedish stop list (expects lowercase).
  bool IsStopWord(const std::string& word) const;

 private:
  Xapian::SimpleStopper stopper_;
};

}  // namespace afori::stemming

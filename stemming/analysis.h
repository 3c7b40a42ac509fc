// Analyzer: the Swedish text analysis shared by the indexer and searchd.
//
// Indexing and querying must analyse text identically, or a query term can never meet its
// indexed form. Both sides therefore tokenize, stem, drop stop words and split compounds
// here and nowhere else:
//   - tokens come from stemming/tokenizer.h (composed, lowercased, hyphenated words as the
//     whole and the parts);
//   - stems from the Snowball 3 Swedish algorithm (stemming/swedish_stemmer.h), or, for
//     comparison runs only, Xapian's older built-in "swedish" stemmer;
//   - stop words are Snowball's Swedish list: their stems are not indexed (the words are);
//   - compounds are split by stemming/decompounder.h and indexed under their parts too.
// What the query side adds on top (typos, missing diacritics, synonyms) depends on the
// index's vocabulary and on an editable file, and lives in stemming/query.h.
//
// The term layout written here is described in common/schema.h.
//
// Thread safety: an Analyzer is immutable after Load() and may be shared by threads.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <xapian.h>

#include "common/status.h"
#include "stemming/decompounder.h"
#include "stemming/tokenizer.h"

namespace afori::stemming {

enum class StemmerKind {
  kSnowball3,     // the current Snowball Swedish algorithm (the default)
  kXapianLegacy,  // Xapian 1.4's built-in "swedish" (older algorithm), for comparisons
};

struct AnalysisConfig {
  StemmerKind stemmer = StemmerKind::kSnowball3;
  bool decompound = true;
  // Word lists the decompounder accepts as compound parts (one word a line).
  std::vector<std::string> lexicon_paths;
  // Lexicon words that must never be split ("kvarter" is not kvar + ter).
  std::string never_split_path;
};

// Debian's Swedish word list (package wswedish) plus the project's lexicon files in
// `data_dir`/stemming/lexicon; `data_dir` is the project root (AFORI_DATA_DIR in builds).
AnalysisConfig DefaultAnalysisConfig(const std::string& data_dir);

// True for a word on Snowball's Swedish stop list (expects lowercase).
bool IsSwedishStopWord(std::string_view word);

// One token as the analysis sees it.
struct AnalyzedToken {
  Token token;
  bool stop_word = false;
  std::string stem;                  // empty for stop words
  std::vector<CompoundPart> parts;   // empty unless the word is a compound
  std::vector<std::string> part_stems;
};

class Analyzer;

// A memo of what the analysis makes of single words (stop-word flag, stem, the stems of its
// compound parts), for one indexing thread: text follows Zipf's law, so most words of a
// document have been analysed before, and the decompounder and the stemmer are the costly
// part of indexing. The analysis of a word depends on the word alone, so a cached answer is
// exactly what Analyzer would compute again. At most `max_words` words are kept (later ones
// are analysed each time); it must only be used with the one Analyzer it was first used with.
// searchd keeps one per concurrent request for the highlighter (searchd/word_cache_pool.h).
//
// Thread safety: none; give each thread its own.
class WordCache {
 public:
  explicit WordCache(std::size_t max_words = 1 << 20) : max_words_(max_words) {}

  std::size_t size() const { return words_.size(); }

  // One word's analysis, as Analyzer::AnalyzeWord returns it.
  struct Word {
    bool analysed = false;  // stop_word and stem are set
    bool stop_word = false;
    bool split = false;     // part_stems is set (not done for a hyphenated whole)
    std::string stem;       // empty for stop words
    std::vector<std::string> part_stems;  // the stems of SplitCompound(word)'s parts
  };

 private:
  friend class Analyzer;
  std::size_t max_words_;
  const Analyzer* analyzer_ = nullptr;
  std::unordered_map<std::string, Word> words_;
};

class Analyzer {
 public:
  static Result<std::unique_ptr<Analyzer>> Load(const AnalysisConfig& config);

  Analyzer(const Analyzer&) = delete;
  Analyzer& operator=(const Analyzer&) = delete;

  // Tokens with stems, stop-word flags and compound parts.
  std::vector<AnalyzedToken> Analyze(std::string_view text) const;

  // Adds the terms of `text` to `doc` (see common/schema.h): each word as written, its stem
  // under "Z" at position `*position` + token position with `wdf` per occurrence, the stem
  // under `stem_prefix` too when it is not empty (title: search), and compound parts under
  // "XP". Advances `*position` past the text plus a gap, so phrases never span fields.
  // Terms over Xapian's 245-byte limit (words of about 240 letters) are left out.
  // With a WordCache, words seen before are not analysed again (same terms).
  void IndexText(std::string_view text, Xapian::termcount wdf, std::string_view stem_prefix,
                 Xapian::termpos* position, Xapian::Document* doc,
                 WordCache* cache = nullptr) const;

  // Stem of one lowercase, composed word.
  std::string Stem(std::string_view word) const;

  // True for a word on Snowball's Swedish stop list (expects lowercase).
  bool IsStopWord(std::string_view word) const;

  // Compound parts of one lowercase word, or empty (also when decompounding is off).
  std::vector<CompoundPart> SplitCompound(std::string_view word) const;

  // The analysis of one token's word as Analyze() makes it (stop-word flag, stem, and unless
  // the token is a hyphenated whole, its parts' stems): from `cache` when it has the word
  // (adding it when there is room), else computed into `scratch`. `cache` may be null. The
  // reference is valid while the cache lives, or until `scratch` is used again.
  const WordCache::Word& AnalyzeWord(const Token& token, WordCache* cache,
                                     WordCache::Word* scratch) const;

  // Stem() as a function object, e.g. the key that synonyms are matched by. The Analyzer
  // must outlive it.
  std::function<std::string(const std::string&)> StemFunction() const {
    return [this](const std::string& word) { return Stem(word); };
  }

  // A Xapian::Stem running Stem() (Xapian::Stem objects must not be shared by threads).
  Xapian::Stem MakeStemmer() const;

  // Names the analysis choices and a checksum of the lexicon, so that an index written by
  // another analysis can be detected (stored under schema::kAnalysisKey).
  const std::string& Fingerprint() const { return fingerprint_; }

  const AnalysisConfig& config() const { return config_; }

  // The Swedish stop list (Snowball's), for documentation and tests.
  static std::vector<std::string_view> StopWords();

 private:
  Analyzer(AnalysisConfig config, std::unique_ptr<Decompounder> decompounder);

  void Fill(const Token& token, WordCache::Word* word) const;

  AnalysisConfig config_;
  std::unique_ptr<Decompounder> decompounder_;  // null when decompounding is off
  std::string fingerprint_;
};

}  // namespace afori::stemming

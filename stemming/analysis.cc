#include "stemming/analysis.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <fstream>
#include <iterator>

#include "common/schema.h"
#include "stemming/swedish_stemmer.h"

namespace afori::stemming {
namespace {

// Snowball's Swedish stop list (snowball/swedish/stop.txt; the conformance test in
// tests/stemming/analysis_test.cc checks that this is the same set), sorted for binary search.
constexpr std::array<std::string_view, 114> kStopWords = {
    "alla",   "allt",   "att",    "av",     "blev",   "bli",    "blir",   "blivit", "de",
    "dem",    "den",    "denna",  "deras",  "dess",   "dessa",  "det",    "detta",  "dig",
    "din",    "dina",   "ditt",   "du",     "där",    "då",     "efter",  "ej",     "eller",
    "en",     "er",     "era",    "ert",    "ett",    "från",   "för",    "ha",     "hade",
    "han",    "hans",   "har",    "henne",  "hennes", "hon",    "honom",  "hur",    "här",
    "i",      "icke",   "ingen",  "inom",   "inte",   "jag",    "ju",     "kan",    "kunde",
    "man",    "med",    "mellan", "men",    "mig",    "min",    "mina",   "mitt",   "mot",
    "mycket", "ni",     "nu",     "när",    "någon",  "något",  "några",  "och",    "om",
    "oss",    "på",     "samma",  "sedan",  "sig",    "sin",    "sina",   "sitt",   "själv",
    "skulle", "som",    "så",     "sådan",  "sådana", "sådant", "till",   "under",  "upp",
    "ut",     "utan",   "vad",    "var",    "vara",   "varför", "varit",  "varje",  "vars",
    "vart",   "vem",    "vi",     "vid",    "vilka",  "vilkas", "vilken", "vilket", "vår",
    "våra",   "vårt",   "än",     "är",     "åt",     "över",
};

// Positions between fields: larger than any phrase window, so no phrase spans two fields.
constexpr Xapian::termpos kFieldGap = 100;

// FNV-1a over the lexicon files: cheap, and enough to notice a changed word list.
std::uint64_t HashFiles(const std::vector<std::string>& paths) {
  std::uint64_t h = 1469598103934665603ULL;
  for (const std::string& path : paths) {
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (unsigned char c : bytes) {
      h ^= c;
      h *= 1099511628211ULL;
    }
  }
  return h;
}

}  // namespace

AnalysisConfig DefaultAnalysisConfig(const std::string& data_dir) {
  AnalysisConfig config;
  config.lexicon_paths = {"/usr/share/dict/swedish",
                          data_dir + "/stemming/lexicon/domain_words.txt"};
  config.never_split_path = data_dir + "/stemming/lexicon/never_split.txt";
  return config;
}

Result<std::unique_ptr<Analyzer>> Analyzer::Load(const AnalysisConfig& config) {
  std::unique_ptr<Decompounder> decompounder;
  if (config.decompound) {
    Result<Decompounder> loaded = Decompounder::Load(config.lexicon_paths, config.never_split_path);
    if (!loaded.ok()) return loaded.status();
    decompounder = std::make_unique<Decompounder>(std::move(*loaded));
  }
  return std::unique_ptr<Analyzer>(new Analyzer(config, std::move(decompounder)));
}

Analyzer::Analyzer(AnalysisConfig config, std::unique_ptr<Decompounder> decompounder)
    : config_(std::move(config)), decompounder_(std::move(decompounder)) {
  fingerprint_ = config_.stemmer == StemmerKind::kSnowball3 ? "stemmer=snowball3" : "stemmer=xapian";
  if (decompounder_) {
    std::vector<std::string> files = config_.lexicon_paths;
    files.push_back(config_.never_split_path);
    fingerprint_ += ";decompound=" + std::to_string(decompounder_->lexicon_size()) + ":" +
                    std::to_string(HashFiles(files));
  } else {
    fingerprint_ += ";decompound=off";
  }
}

std::vector<std::string_view> Analyzer::StopWords() {
  return {kStopWords.begin(), kStopWords.end()};
}

bool IsSwedishStopWord(std::string_view word) {
  return std::binary_search(kStopWords.begin(), kStopWords.end(), word);
}

bool Analyzer::IsStopWord(std::string_view word) const { return IsSwedishStopWord(word); }

std::string Analyzer::Stem(std::string_view word) const {
  if (config_.stemmer == StemmerKind::kSnowball3) return StemSwedish(word);
  return Xapian::Stem("swedish")(std::string(word));
}

Xapian::Stem Analyzer::MakeStemmer() const {
  if (config_.stemmer == StemmerKind::kSnowball3) return MakeSwedishStem();
  return Xapian::Stem("swedish");
}

std::vector<CompoundPart> Analyzer::SplitCompound(std::string_view word) const {
  if (!decompounder_) return {};
  return decompounder_->Split(word);
}

std::vector<AnalyzedToken> Analyzer::Analyze(std::string_view text) const {
  std::vector<AnalyzedToken> out;
  for (Token& token : Tokenize(text)) {
    AnalyzedToken a;
    a.stop_word = IsStopWord(token.text);
    if (!a.stop_word) a.stem = Stem(token.text);
    // A hyphenated whole is already indexed under its parts ("LOU-upphandling").
    if (!a.stop_word && token.kind != TokenKind::kCompoundWhole) {
      a.parts = SplitCompound(token.text);
      for (const CompoundPart& part : a.parts) a.part_stems.push_back(Stem(part.text));
    }
    a.token = std::move(token);
    out.push_back(std::move(a));
  }
  return out;
}

void Analyzer::Fill(const Token& token, WordCache::Word* word) const {
  // As Analyze(): stop words have no stem, and a hyphenated whole is not split (it is
  // already indexed under its parts, "LOU-upphandling").
  if (!word->analysed) {
    word->analysed = true;
    word->stop_word = IsStopWord(token.text);
    if (!word->stop_word) word->stem = Stem(token.text);
  }
  if (word->stop_word || word->split || token.kind == TokenKind::kCompoundWhole) return;
  word->split = true;
  for (const CompoundPart& part : SplitCompound(token.text)) {
    word->part_stems.push_back(Stem(part.text));
  }
}

const WordCache::Word& Analyzer::AnalyzeWord(const Token& token, WordCache* cache,
                                             WordCache::Word* scratch) const {
  if (cache) {
    if (cache->analyzer_ == nullptr) cache->analyzer_ = this;
    if (cache->analyzer_ == this) {
      auto it = cache->words_.find(token.text);
      if (it == cache->words_.end() && cache->words_.size() < cache->max_words_) {
        it = cache->words_.emplace(token.text, WordCache::Word{}).first;
      }
      if (it != cache->words_.end()) {
        Fill(token, &it->second);  // no work when done before (a word first met as a
        return it->second;         // hyphenated whole gets its part stems now)
      }
    }
  }
  *scratch = WordCache::Word{};
  Fill(token, scratch);
  return *scratch;
}

void Analyzer::IndexText(std::string_view text, Xapian::termcount wdf,
                         std::string_view stem_prefix, Xapian::termpos* position,
                         Xapian::Document* doc, WordCache* cache) const {
  // Xapian's glass backend refuses terms longer than 245 bytes (prefix included), and one
  // such term fails the whole database write: a longer word (a hash, a run of letters) is
  // not indexed under the terms it would exceed the limit with.
  constexpr std::size_t kMaxTermBytes = 245;
  const auto fits = [](const std::string& t) { return t.size() <= kMaxTermBytes; };
  Xapian::termpos last = 0;
  std::string term;
  WordCache::Word scratch;
  for (const Token& token : Tokenize(text)) {
    const Xapian::termpos pos = *position + token.position;
    last = std::max(last, pos);
    if (fits(token.text)) doc->add_term(token.text, wdf);
    const WordCache::Word& a = AnalyzeWord(token, cache, &scratch);
    if (a.stop_word) continue;
    term.assign(schema::kPrefixStem).append(a.stem);
    if (fits(term)) doc->add_posting(term, pos, wdf);
    if (!stem_prefix.empty() && fits(term.assign(stem_prefix).append(a.stem))) {
      doc->add_term(term, wdf);
    }
    if (token.kind == TokenKind::kCompoundWhole) continue;
    for (const std::string& part_stem : a.part_stems) {
      if (fits(term.assign(schema::kPrefixCompoundPart).append(part_stem))) {
        doc->add_term(term, wdf);
      }
    }
  }
  *position = std::max(*position, last) + kFieldGap;
}

}  // namespace afori::stemming

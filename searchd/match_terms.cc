// MatchTerms (declared in searchd/highlight.h): which words of a text the query matched.
//
// Highlighting tests every word of every body shown, so most of the work is saying "no"
// cheaply. Two facts about the analysis let a word be rejected without stemming or
// decompounding it:
//   - a Snowball stem is a prefix of its word (the algorithm only shortens endings:
//     "upphandlingar" -> "upphandling", "löst" -> "lös"), so only a word starting with a
//     query stem can have that stem;
//   - a compound part's text is its letters in the word plus at most two restored ones (a
//     dropped vowel, a lost double consonant: "flick" -> "flicka", "sim" -> "simma"), so a
//     part whose stem is S leaves S without its last two code points in the word.
// tests/searchd/highlight_test.cc checks both on the shipped corpus, and that the shortcuts
// agree with the full analysis.
#include "searchd/highlight.h"

#include <algorithm>
#include <utility>

#include "common/schema.h"

namespace afori::searchd {
namespace {

bool IsAsciiUpper(char c) { return c >= 'A' && c <= 'Z'; }

void SortUnique(std::vector<std::string>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

// `stem` without its last two code points (empty when it has no more).
std::string_view Core(std::string_view stem) {
  std::size_t end = stem.size();
  for (int drop = 0; drop < 2 && end > 0; ++drop) {
    do --end;
    while (end > 0 && (static_cast<unsigned char>(stem[end]) & 0xC0) == 0x80);
  }
  return stem.substr(0, end);
}

}  // namespace

MatchTerms::MatchTerms(const Xapian::Query& query, std::vector<std::string> prefixes,
                       stemming::WordCache* words)
    : word_cache_(words) {
  auto add_term = [this](std::string_view t) {
    // A stem follows its prefix in lowercase; "XPUBLISHER:x" would be another prefix.
    auto stem_after = [t](std::string_view prefix) {
      return t.size() > prefix.size() && t.starts_with(prefix) && !IsAsciiUpper(t[prefix.size()]);
    };
    if (stem_after(schema::kPrefixCompoundPart)) {
      stems_.emplace_back(t.substr(schema::kPrefixCompoundPart.size()));
    } else if (stem_after(schema::kPrefixStem)) {
      stems_.emplace_back(t.substr(schema::kPrefixStem.size()));
    } else if (stem_after(schema::kPrefixTitle)) {
      stems_.emplace_back(t.substr(schema::kPrefixTitle.size()));
    } else if (!t.empty() && !IsAsciiUpper(t[0])) {
      words_.emplace_back(t);  // unprefixed: a word as written (indexed lowercase)
    }
  };
  auto collect = [&](const Xapian::Query& q, auto& self) -> void {
    const std::size_t n = q.get_num_subqueries();
    if (n == 0) {
      for (auto it = q.get_unique_terms_begin(); it != q.get_unique_terms_end(); ++it) {
        add_term(*it);
      }
      return;
    }
    // A shown document matched none of what AND_NOT excludes.
    const std::size_t kept = q.get_type() == Xapian::Query::OP_AND_NOT ? 1 : n;
    for (std::size_t i = 0; i < kept; ++i) self(q.get_subquery(i), self);
  };
  collect(query, collect);
  SortUnique(&stems_);
  SortUnique(&words_);
  for (const std::string& p : prefixes) {
    std::string lower = stemming::Lowercase(stemming::ComposeLatin(p));
    if (!lower.empty() && std::find(prefixes_.begin(), prefixes_.end(), lower) == prefixes_.end()) {
      prefixes_.push_back(std::move(lower));
    }
  }
  for (const std::string& stem : stems_) {
    stem_first_bytes_.set(static_cast<unsigned char>(stem[0]));
    const std::string_view core = Core(stem);
    if (core.empty()) {
      short_stem_ = true;
    } else {
      stem_cores_.emplace_back(core);
    }
  }
  SortUnique(&stem_cores_);
}

int MatchTerms::FindStem(std::string_view stem) const {
  auto it = std::lower_bound(stems_.begin(), stems_.end(), stem,
                             [](const std::string& a, std::string_view b) { return a < b; });
  return it != stems_.end() && *it == stem ? static_cast<int>(it - stems_.begin()) : -1;
}

int MatchTerms::FindWord(std::string_view word) const {
  auto it = std::lower_bound(words_.begin(), words_.end(), word,
                             [](const std::string& a, std::string_view b) { return a < b; });
  if (it == words_.end() || *it != word) return -1;
  return static_cast<int>(stems_.size() + static_cast<std::size_t>(it - words_.begin()));
}

int MatchTerms::FindPrefix(std::string_view word) const {
  for (std::size_t i = 0; i < prefixes_.size(); ++i) {
    if (word.starts_with(prefixes_[i])) return static_cast<int>(stems_.size() + words_.size() + i);
  }
  return -1;
}

bool MatchTerms::MayHaveStem(std::string_view word) const {
  if (word.empty() || !stem_first_bytes_.test(static_cast<unsigned char>(word[0]))) return false;
  // The stems starting with word[0] are contiguous in sorted order.
  auto it = std::lower_bound(stems_.begin(), stems_.end(), word.substr(0, 1),
                             [](const std::string& a, std::string_view b) { return a < b; });
  for (; it != stems_.end() && (*it)[0] == word[0]; ++it) {
    if (word.starts_with(*it)) return true;
  }
  return false;
}

bool MatchTerms::MayHavePartStem(std::string_view word) const {
  if (short_stem_) return !stems_.empty();
  return std::any_of(stem_cores_.begin(), stem_cores_.end(), [word](const std::string& core) {
    return word.find(core) != std::string_view::npos;
  });
}

bool MatchTerms::Matches(const stemming::AnalyzedToken& token) const {
  if (FindWord(token.token.text) >= 0 || FindPrefix(token.token.text) >= 0) return true;
  if (!token.stem.empty() && FindStem(token.stem) >= 0) return true;
  return std::any_of(token.part_stems.begin(), token.part_stems.end(),
                     [&](const std::string& s) { return FindStem(s) >= 0; });
}

int MatchTerms::MatchKey(const stemming::Token& token, const stemming::Analyzer& analyzer) const {
  const std::string& word = token.text;
  auto& memo = memo_[token.kind == stemming::TokenKind::kCompoundWhole ? 1 : 0];
  if (auto it = memo.find(std::string_view(word)); it != memo.end()) return it->second;
  const int key = ComputeMatchKey(token, analyzer);
  memo.emplace(word, key);
  return key;
}

int MatchTerms::ComputeMatchKey(const stemming::Token& token,
                                const stemming::Analyzer& analyzer) const {
  const std::string& word = token.text;
  if (int key = FindWord(word); key >= 0) return key;
  if (int key = FindPrefix(word); key >= 0) return key;
  const bool stem_possible = MayHaveStem(word);
  // A hyphenated whole is not split (Analyzer::Analyze): its parts are tokens of their own.
  const bool part_possible =
      token.kind != stemming::TokenKind::kCompoundWhole && MayHavePartStem(word);
  if ((!stem_possible && !part_possible) || analyzer.IsStopWord(word)) return -1;
  if (word_cache_ != nullptr) {
    // The whole analysis once per word and thread: later searches find it in the cache.
    stemming::WordCache::Word scratch;
    const stemming::WordCache::Word& a = analyzer.AnalyzeWord(token, word_cache_, &scratch);
    if (stem_possible) {
      if (int key = FindStem(a.stem); key >= 0) return key;
    }
    if (part_possible) {
      for (const std::string& part_stem : a.part_stems) {
        if (int key = FindStem(part_stem); key >= 0) return key;
      }
    }
    return -1;
  }
  if (stem_possible) {
    if (int key = FindStem(analyzer.Stem(word)); key >= 0) return key;
  }
  if (part_possible) {
    for (const stemming::CompoundPart& part : analyzer.SplitCompound(word)) {
      if (int key = FindStem(analyzer.Stem(part.text)); key >= 0) return key;
    }
  }
  return -1;
}

}  // namespace afori::searchd

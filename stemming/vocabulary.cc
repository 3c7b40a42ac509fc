#include "stemming/vocabulary.h"

#include <algorithm>

#include "stemming/tokenizer.h"

namespace afori::stemming {

Vocabulary::Vocabulary(std::vector<FuzzyLexicon::Entry> words) {
  for (const FuzzyLexicon::Entry& e : words) {
    if (HasDiacritics(e.word)) by_folded_[FoldDiacritics(e.word)].push_back(e.word);
  }
  lexicon_ = FuzzyLexicon(std::move(words));
  for (auto& [folded, variants] : by_folded_) {
    std::sort(variants.begin(), variants.end(), [&](const std::string& a, const std::string& b) {
      const auto fa = lexicon_.Frequency(a), fb = lexicon_.Frequency(b);
      return fa != fb ? fa > fb : a < b;
    });
  }
}

std::shared_ptr<const Vocabulary> Vocabulary::FromDatabase(const Xapian::Database& db,
                                                           std::stop_token stop) {
  std::vector<FuzzyLexicon::Entry> words;
  // Terms sort bytewise: prefixed terms start with 'A'..'Z', so skip that range in one step.
  Xapian::TermIterator it = db.allterms_begin();
  const Xapian::TermIterator end = db.allterms_end();
  while (it != end) {
    if (stop.stop_requested()) return nullptr;
    const std::string term = *it;
    const unsigned char first = static_cast<unsigned char>(term[0]);
    if (first >= 'A' && first <= 'Z') {
      it.skip_to("[");
      continue;
    }
    words.push_back({term, static_cast<std::uint32_t>(it.get_termfreq())});
    ++it;
  }
  return std::make_shared<const Vocabulary>(std::move(words));
}

std::vector<std::string> Vocabulary::DiacriticVariants(std::string_view word) const {
  std::vector<std::string> out;
  const std::string folded = FoldDiacritics(word);
  if (folded != word && lexicon_.Frequency(folded) > 0) out.push_back(folded);
  if (auto it = by_folded_.find(folded); it != by_folded_.end()) {
    for (const std::string& v : it->second) {
      if (v != word) out.push_back(v);
    }
  }
  return out;
}

std::vector<FuzzyLexicon::Match> Vocabulary::Corrections(std::string_view word,
                                                         std::size_t limit) const {
  const unsigned typos = AllowedTypos(CodePointCount(word));
  if (typos == 0) return {};
  std::vector<FuzzyLexicon::Match> matches = lexicon_.Find(word, typos, limit + 1);
  std::erase_if(matches, [](const FuzzyLexicon::Match& m) { return m.distance == 0; });
  if (matches.size() > limit) matches.resize(limit);
  return matches;
}

}  // namespace afori::stemming

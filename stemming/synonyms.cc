#include "stemming/synonyms.h"

#include <fstream>
#include <iterator>

#include "stemming/tokenizer.h"

namespace afori::stemming {
namespace {

SynonymTable::Phrase Words(std::string_view text) {
  SynonymTable::Phrase words;
  // A hyphenated alternative ("e-tjänst") is matched as its whole, which is how a query that
  // writes it is read too.
  for (Token& t : Tokenize(text)) {
    if (t.kind != TokenKind::kCompoundPart) words.push_back(std::move(t.text));
  }
  return words;
}

}  // namespace

Result<SynonymTable> SynonymTable::Load(const std::string& path, const KeyFunction& key) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot read synonyms file " + path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return Parse(text, path, key);
}

Result<SynonymTable> SynonymTable::Parse(std::string_view text, const std::string& name,
                                         const KeyFunction& key) {
  SynonymTable table;
  table.key_ = key;
  std::size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (const std::size_t hash = line.find('#'); hash != std::string_view::npos) {
      line = line.substr(0, hash);
    }
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    Group group;
    while (true) {
      const std::size_t bar = line.find('|');
      Phrase words = Words(line.substr(0, bar));
      if (words.empty()) {
        return Status::InvalidArgument(name + ":" + std::to_string(line_no) +
                                       ": empty alternative in synonym group");
      }
      group.alternatives.push_back(std::move(words));
      if (bar == std::string_view::npos) break;
      line = line.substr(bar + 1);
    }
    if (group.alternatives.size() < 2) {
      return Status::InvalidArgument(name + ":" + std::to_string(line_no) +
                                     ": a synonym group needs at least two alternatives "
                                     "separated by '|'");
    }
    const std::size_t g = table.groups_.size();
    std::vector<Phrase> keys;
    for (std::size_t a = 0; a < group.alternatives.size(); ++a) {
      Phrase k;
      for (const std::string& word : group.alternatives[a]) k.push_back(table.Key(word));
      table.by_first_word_.emplace(k.front(), std::make_pair(g, a));
      keys.push_back(std::move(k));
    }
    table.keys_.push_back(std::move(keys));
    table.groups_.push_back(std::move(group));
  }
  return table;
}

SynonymTable::Match SynonymTable::LongestMatch(const std::vector<std::string>& words,
                                               std::size_t start) const {
  Match best;
  if (start >= words.size()) return best;
  auto [it, end] = by_first_word_.equal_range(words[start]);
  for (; it != end; ++it) {
    const Phrase& phrase = keys_[it->second.first][it->second.second];
    if (phrase.size() <= best.length || start + phrase.size() > words.size()) continue;
    bool same = true;
    for (std::size_t i = 1; i < phrase.size() && same; ++i) same = words[start + i] == phrase[i];
    if (same) best = Match{it->second.first, it->second.second, phrase.size()};
  }
  return best;
}

}  // namespace afori::stemming

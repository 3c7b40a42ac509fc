// SynonymTable: query-time synonyms and abbreviations from an editable file.
//
// Editors keep groups of equivalent expressions in corpus/synonyms.txt ("lou | lagen om
// offentlig upphandling"). A query that contains one alternative of a group also searches
// the others. The table is applied only when a query is built, so a changed file takes
// effect without reindexing (searchd's SynonymSource reloads it when it changes).
//
// File format: UTF-8, one group a line, alternatives separated by '|', each alternative one
// or more words; '#' starts a comment; blank lines are ignored. Words are tokenized exactly
// like document text (stemming/tokenizer.h), so case and decomposed letters do not matter.
// A line with fewer than two alternatives is an error that names the file and line.
//
// Thread safety: immutable after construction; share freely.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"

namespace afori::stemming {

class SynonymTable {
 public:
  using Phrase = std::vector<std::string>;  // tokens of one alternative
  struct Group {
    std::vector<Phrase> alternatives;
  };
  struct Match {
    std::size_t group = 0;        // index into groups()
    std::size_t alternative = 0;  // which alternative the query wrote
    std::size_t length = 0;       // number of query words it covers
  };

  SynonymTable() = default;
  static Result<SynonymTable> Load(const std::string& path);
  // Parses file contents; `name` is used in error messages ("name:line: reason").
  static Result<SynonymTable> Parse(std::string_view text, const std::string& name);

  // The longest alternative that `words` starts with, if any (length 0 otherwise).
  Match LongestMatch(const std::vector<std::string>& words, std::size_t start) const;

  const std::vector<Group>& groups() const { return groups_; }
  bool empty() const { return groups_.empty(); }

 private:
  std::vector<Group> groups_;
  // First token of every alternative -> (group, alternative) candidates.
  std::unordered_multimap<std::string, std::pair<std::size_t, std::size_t>> by_first_word_;
};

}  // namespace afori::stemming

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
// Alternatives are matched on the stems of their words (given by the caller's stemmer), so
// "direktupphandlingarna" triggers a group written "direktupphandling | ...".
//
// Thread safety: immutable after construction; share freely.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"

namespace afori::stemming {

class SynonymTable {
 public:
  using Phrase = std::vector<std::string>;  // tokens of one alternative
  // Maps a token to what it is matched by (the Analyzer's stem); null: the token itself.
  using KeyFunction = std::function<std::string(const std::string&)>;
  struct Group {
    std::vector<Phrase> alternatives;
  };
  struct Match {
    std::size_t group = 0;        // index into groups()
    std::size_t alternative = 0;  // which alternative the query wrote
    std::size_t length = 0;       // number of query words it covers
  };

  SynonymTable() = default;
  static Result<SynonymTable> Load(const std::string& path, const KeyFunction& key);
  // Parses file contents; `name` is used in error messages ("name:line: reason").
  static Result<SynonymTable> Parse(std::string_view text, const std::string& name,
                                    const KeyFunction& key);

  // The longest alternative whose keys `keys` holds from `start` on, if any (length 0
  // otherwise). `keys` are the query's words mapped by Key().
  Match LongestMatch(const std::vector<std::string>& keys, std::size_t start) const;

  std::string Key(const std::string& word) const { return key_ ? key_(word) : word; }

  const std::vector<Group>& groups() const { return groups_; }
  bool empty() const { return groups_.empty(); }

 private:
  KeyFunction key_;
  std::vector<Group> groups_;
  std::vector<std::vector<Phrase>> keys_;  // keys_[group][alternative]
  // First token of every alternative -> (group, alternative) candidates.
  std::unordered_multimap<std::string, std::pair<std::size_t, std::size_t>> by_first_word_;
};

}  // namespace afori::stemming

// Decompounder: splits Swedish compounds into their parts, so that a document writing
// "innovationsupphandlingar" is also found by "upphandling", and a query for
// "marknadsdialog" also matches "dialog" next to "marknad".
//
// Swedish writes compounds as one word. A compound is a chain of modifiers followed by a head
// (the last part, which carries the inflection): innovation+s+upphandlingar, flick(a)+skola,
// gat(a)+u+kök, kollektiv+trafik+upphandling. Parts are looked up in a lexicon (Debian's
// wswedish list plus the project's stemming/lexicon/domain_words.txt, never_split.txt for
// words that must stay whole); the rules, and why they are what they are, are written down in
// decompounder.cc above Segment(); decompounder_morphology.cc holds the inflection and
// derivation tests they use, decompounder_internal.h their word tables.
//
// Input: one word, lowercase and NFC-composed, without hyphens (the tokenizer splits those).
// Cost: a lookup walks a sorted array as a trie, with no allocation unless the word splits;
// about a million corpus words a second on one core, and 0.1 s to load the lexicon.
//
// Thread safety: a Decompounder is immutable after construction; Split() keeps its working
// state on the stack and caches nothing, so one instance may be shared by any number of
// threads for reading.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace afori::stemming {

struct CompoundPart {
  std::string text;  // the dictionary form: linking letter removed, dropped vowel restored
  // Byte range of the part as written in the word, without its linking letter ("flick" in
  // "flickskola" is [0, 5) with text "flicka"). Two parts may share one letter when a double
  // consonant lost a letter at the seam ("natt" [0, 4) and "tåg" [3, 7) in "nattåg").
  std::size_t begin = 0;
  std::size_t end = 0;

  bool operator==(const CompoundPart&) const = default;
};

// The lexicon files the project ships with: wswedish, then stemming/lexicon/domain_words.txt.
std::vector<std::string> DefaultLexiconPaths(const std::string& source_dir);
// stemming/lexicon/never_split.txt under source_dir.
std::string DefaultNeverSplitPath(const std::string& source_dir);

class Decompounder {
 public:
  // Builds from word lists (one word a line, '#' starts a comment, blank lines ignored; UTF-8,
  // or ISO-8859-1 as Debian ships wswedish, detected per line). An unreadable file is an
  // IoError naming it. An empty never_split_path means no never-split list.
  static Result<Decompounder> Load(const std::vector<std::string>& lexicon_paths,
                                   const std::string& never_split_path);

  // Words must be UTF-8. Entries that are not all lowercase letters (wswedish's proper nouns
  // and hyphenated entries) are dropped. The never_split words are lexicon words that are
  // always kept whole, also inflected or derived ("sparrisen").
  Decompounder(std::vector<std::string> lexicon_words, std::vector<std::string> never_split_words);

  // Parts of `word` in order when it is a compound, else empty (a word that is not a compound,
  // or must stay whole).
  std::vector<CompoundPart> Split(std::string_view word) const;

  // Number of distinct lexicon words: never-split words included, and the regular
  // derivations the lexicon lacks (-ering nouns of -era verbs, -het nouns of -lig/-bar words).
  std::size_t lexicon_size() const { return entries_.size(); }

 private:
  struct Entry {
    std::uint32_t offset;  // into arena_
    std::uint8_t size;     // bytes
    std::uint8_t flags;    // decompounder_internal::Flag
  };
  // A run [lo, hi) of entries_ sharing a prefix: one node of the implicit trie.
  struct Range {
    std::uint32_t lo = 0;
    std::uint32_t hi = 0;
  };
  // What a word is in the lexicon: as written, or as an inflection of word[0, stem_bytes) plus
  // `vowel` (when not '\0'; 'S': with the e of -el/-er restored); never_split if either is a
  // never-split word.
  struct Lemma {
    bool in_lexicon = false;
    bool never_split = false;
    std::size_t stem_bytes = 0;
    char vowel = '\0';
  };
  struct Segmentation;

  std::string_view Text(const Entry& e) const;
  Range Narrow(Range r, std::size_t depth, char c) const;
  const Entry* ExactAt(Range r, std::size_t depth) const;
  const Entry* Find(std::string_view word) const;
  const Entry* Inflected(Range r, std::string_view stem, std::string_view rest, char& vowel) const;
  Lemma FindLemma(std::string_view word) const;
  bool IsDerivation(std::string_view word, bool lexical, std::size_t head) const;
  bool TakesLinkingS(std::string_view modifier, Range r) const;
  bool InflectsLike(std::string_view word, std::string_view head) const;
  bool Segment(std::string_view word, bool lexical, Segmentation& seg) const;

  std::string arena_;                     // all words, back to back
  std::vector<Entry> entries_;            // sorted by text, unique
  std::array<Range, 256> by_first_byte_;  // the trie's first level
};

}  // namespace afori::stemming

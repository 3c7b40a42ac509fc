// Typo tolerance: find the vocabulary words within a small edit distance of a query word.
//
// FuzzyLexicon is immutable after construction and keeps no mutable caches, so one instance
// may be shared by any number of threads for reading without locking; every Find call keeps
// its working state on its own stack and heap.
//
// Distances are Damerau distances in the optimal-string-alignment sense (insertion,
// deletion, substitution and transposition of two adjacent characters each cost 1; no
// substring is edited twice), counted in Unicode code points, so "å" vs "a" is one edit even
// though "å" takes two bytes in UTF-8. Words are compared exactly as given: callers fold
// case (and anything else) before building the lexicon and before querying. Bytes that are
// not valid UTF-8 count as one character each, and two different byte strings never compare
// equal, so garbage input gives a well-defined answer instead of undefined behaviour.
//
// The lexicon is a trie traversed with one dynamic-programming row per node (the comment on
// Find in fuzzy.cc explains the pruning); bench/fuzzy_bench.cc measures speed and memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace afori::stemming {

// Edit distance between two UTF-8 words in code points (optimal string alignment).
unsigned EditDistance(std::string_view a, std::string_view b);

// Number of code points in a UTF-8 word (each invalid byte counts as one).
std::size_t CodePointCount(std::string_view word);

// Typos allowed for a query word of this many code points: 0 below 5, 1 for 5..8, 2 for 9+.
// Short words get none because one edit turns them into too many unrelated words.
unsigned AllowedTypos(std::size_t code_points);

class FuzzyLexicon {
 public:
  struct Entry {
    std::string word;
    std::uint32_t frequency;
  };
  struct Match {
    std::string word;
    unsigned distance;
    std::uint32_t frequency;
    bool operator==(const Match&) const = default;
  };

  FuzzyLexicon() = default;
  // Duplicate words are merged and their frequencies summed (saturating at UINT32_MAX).
  // Throws std::length_error beyond 2^32 - 2 trie nodes or bytes of text.
  explicit FuzzyLexicon(std::vector<Entry> entries);

  // Words within max_distance of `word` (the word itself included at distance 0 if present),
  // best first: distance ascending, then frequency descending, then word ascending; at most
  // `limit`.
  std::vector<Match> Find(std::string_view word, unsigned max_distance, std::size_t limit) const;

  bool Contains(std::string_view word) const;
  std::uint32_t Frequency(std::string_view word) const;  // 0 if absent
  std::size_t size() const { return frequencies_.size(); }
  std::size_t MemoryBytes() const;  // approximate, for the performance docs

 private:
  static constexpr std::uint32_t kNoWord = UINT32_MAX;

  // 12 bytes. A node's children are the contiguous, code-point-sorted range
  // [first_child, next node's first_child): nodes are laid out breadth first, so the
  // children's start offsets increase with the node index and the end needs no field of its
  // own (a sentinel node closes the last range).
  struct Node {
    char32_t code_point;
    std::uint32_t first_child;
    std::uint32_t word;  // index into word_offsets_/frequencies_, or kNoWord
  };

  // The node spelling `word`, or kNoWord.
  std::uint32_t FindNode(std::string_view word) const;
  std::string_view WordAt(std::uint32_t index) const;

  std::vector<Node> nodes_;  // nodes_[0] is the root (the empty word); last is the sentinel
  // All words' UTF-8 concatenated in one buffer rather than one std::string each: about 10
  // bytes per word instead of 32 plus a heap block.
  std::string text_;
  std::vector<std::uint32_t> word_offsets_;  // size() + 1 offsets into text_
  std::vector<std::uint32_t> frequencies_;
  std::uint32_t max_length_ = 0;  // longest word in code points, bounds the trie depth
};

}  // namespace afori::stemming

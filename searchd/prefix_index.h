// PrefixIndex: sorted string keys naming ranked items, for completing what is being typed.
//
// The suggest endpoint (searchd/suggest.h) asks "which are the best few items whose key
// starts with this prefix?" on every keystroke. A sorted vector answers the range with two
// binary searches, but a short prefix ("e") has a range of thousands of keys, and walking it
// to find the best would make the cost grow with the index. So Finish() computes, once, the
// answer for every prefix whose range is longer than kWalkLimit; such prefixes are few (per
// prefix length, at most keys / kWalkLimit of them), and every other range is short enough
// to walk. Keys are byte strings (callers fold case and diacritics before adding them).
//
// Thread safety: Add and Finish are for the single builder; afterwards the index is
// immutable and any number of threads may call the const members.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace afori::searchd {

class PrefixIndex {
 public:
  // How many items Best returns at most.
  static constexpr std::size_t kBest = 8;
  // Ranges up to this many entries are walked by Best; longer ones were answered by Finish.
  // Walking 48 entries takes well under a microsecond.
  static constexpr std::size_t kWalkLimit = 48;

  struct Entry {
    std::uint32_t key_offset, key_size;  // the key's bytes in the arena
    std::uint32_t item, rank;            // lower rank is better
  };

  // An item may have several keys (a title has one per word); it is found by any of them.
  void Add(std::string_view key, std::uint32_t item, std::uint32_t rank);
  // Sorts, keeps the best-ranked entry of each (key, item), and precomputes the long ranges.
  // Call once, after the last Add and before any lookup.
  void Finish();

  std::string_view Key(const Entry& e) const { return {arena_.data() + e.key_offset, e.key_size}; }
  const std::vector<Entry>& entries() const { return entries_; }

  // [first, last) in entries() of the keys starting with `prefix`.
  std::pair<std::size_t, std::size_t> Range(std::string_view prefix) const;

  // The entries of up to kBest distinct items with a key starting with `prefix`, each
  // item's best-ranked entry, best first (ties: the lower item number).
  std::vector<const Entry*> Best(std::string_view prefix) const;

  std::size_t MemoryBytes() const;

 private:
  struct Precomputed {
    std::uint32_t first, last;  // the range it answers
    std::uint32_t top_begin, top_count;  // in tops_
  };
  void SelectBest(std::size_t first, std::size_t last, std::vector<std::uint32_t>* out) const;
  void Precompute(std::size_t first, std::size_t last, std::size_t depth, bool same_as_parent);

  std::string arena_;
  std::vector<Entry> entries_;  // sorted by key
  // Keyed by range rather than by prefix: prefixes with the same range ("upph", "upphandl")
  // share one answer, and no prefix strings need storing.
  std::vector<Precomputed> precomputed_;  // sorted by (first, last)
  std::vector<std::uint32_t> tops_;       // entry numbers
};

}  // namespace afori::searchd

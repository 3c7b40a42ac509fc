#include "searchd/prefix_index.h"

#include <algorithm>
#include <tuple>

namespace afori::searchd {
namespace {

template <typename T>
std::size_t HeapBytes(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}

}  // namespace

void PrefixIndex::Add(std::string_view key, std::uint32_t item, std::uint32_t rank) {
  entries_.push_back({static_cast<std::uint32_t>(arena_.size()),
                      static_cast<std::uint32_t>(key.size()), item, rank});
  arena_.append(key);
}

void PrefixIndex::Finish() {
  std::sort(entries_.begin(), entries_.end(), [this](const Entry& a, const Entry& b) {
    return std::forward_as_tuple(Key(a), a.item, a.rank) <
           std::forward_as_tuple(Key(b), b.item, b.rank);
  });
  // One entry per (key, item), the best-ranked: "matsvinn" three times in one title is one
  // match, and repeated entries would only lengthen the walks.
  entries_.erase(std::unique(entries_.begin(), entries_.end(),
                             [this](const Entry& a, const Entry& b) {
                               return a.item == b.item && Key(a) == Key(b);
                             }),
                 entries_.end());
  entries_.shrink_to_fit();
  // Rewritten in sorted order with equal keys stored once: lookups then read neighbouring
  // memory, and a word shared by many titles ("i", "för") costs its bytes once.
  std::string arena;
  for (Entry& e : entries_) {
    const std::string_view key = Key(e);
    const bool repeat = arena.size() >= key.size() &&
                        std::string_view(arena).substr(arena.size() - key.size()) == key;
    const std::size_t offset = repeat ? arena.size() - key.size() : arena.size();
    if (!repeat) arena.append(key);
    e.key_offset = static_cast<std::uint32_t>(offset);
  }
  arena.shrink_to_fit();
  arena_ = std::move(arena);
  Precompute(0, entries_.size(), 0, false);
  std::sort(precomputed_.begin(), precomputed_.end(),
            [](const Precomputed& a, const Precomputed& b) {
    return std::tie(a.first, a.last) < std::tie(b.first, b.last);
  });
  precomputed_.shrink_to_fit();
  tops_.shrink_to_fit();
}

// Every prefix whose range is longer than kWalkLimit, found by splitting ranges on their next
// byte: each prefix a visitor can type and that leads to a long range is one of these
// (every shorter prefix of it has a range at least as long). A range shared by a longer
// prefix (all keys go on with the same byte) is stored once.
void PrefixIndex::Precompute(std::size_t first, std::size_t last, std::size_t depth,
                             bool same_as_parent) {
  if (last - first <= kWalkLimit) return;
  if (!same_as_parent) {
    std::vector<std::uint32_t> best;
    SelectBest(first, last, &best);
    precomputed_.push_back({static_cast<std::uint32_t>(first), static_cast<std::uint32_t>(last),
                            static_cast<std::uint32_t>(tops_.size()),
                            static_cast<std::uint32_t>(best.size())});
    tops_.insert(tops_.end(), best.begin(), best.end());
  }
  std::size_t i = first;
  while (i < last && Key(entries_[i]).size() == depth) ++i;  // the prefix itself sorts first
  while (i < last) {
    const char next = Key(entries_[i])[depth];
    std::size_t j = i + 1;
    while (j < last && Key(entries_[j])[depth] == next) ++j;
    Precompute(i, j, depth + 1, i == first && j == last);
    i = j;
  }
}

void PrefixIndex::SelectBest(std::size_t first, std::size_t last,
                             std::vector<std::uint32_t>* out) const {
  out->clear();
  out->reserve(kBest + 1);
  const auto better = [this](std::uint32_t a, std::uint32_t b) {
    return std::tie(entries_[a].rank, entries_[a].item) <
           std::tie(entries_[b].rank, entries_[b].item);
  };
  const auto insert = [&](std::uint32_t i) {
    out->insert(std::upper_bound(out->begin(), out->end(), i, better), i);
  };
  for (std::size_t n = first; n < last; ++n) {
    const auto i = static_cast<std::uint32_t>(n);
    // Not better than the worst kept: even if its item is kept, that entry is better.
    if (out->size() == kBest && !better(i, out->back())) continue;
    const auto same = std::find_if(out->begin(), out->end(), [&](std::uint32_t o) {
      return entries_[o].item == entries_[i].item;
    });
    if (same != out->end()) {
      if (!better(i, *same)) continue;
      out->erase(same);
    } else if (out->size() == kBest) {
      out->pop_back();
    }
    insert(i);
  }
}

std::pair<std::size_t, std::size_t> PrefixIndex::Range(std::string_view prefix) const {
  const auto lo =
      std::lower_bound(entries_.begin(), entries_.end(), prefix,
                       [this](const Entry& e, std::string_view p) { return Key(e) < p; });
  const auto hi = std::partition_point(
      lo, entries_.end(), [&](const Entry& e) { return Key(e).starts_with(prefix); });
  return {static_cast<std::size_t>(lo - entries_.begin()),
          static_cast<std::size_t>(hi - entries_.begin())};
}

std::vector<const PrefixIndex::Entry*> PrefixIndex::Best(std::string_view prefix) const {
  const auto [first, last] = Range(prefix);
  std::vector<std::uint32_t> picks;
  const Precomputed* stored = nullptr;
  if (last - first > kWalkLimit) {
    const auto it = std::lower_bound(
        precomputed_.begin(), precomputed_.end(), std::pair(first, last),
        [](const Precomputed& p, std::pair<std::size_t, std::size_t> r) {
          return std::pair<std::size_t, std::size_t>(p.first, p.last) < r;
        });
    if (it != precomputed_.end() && it->first == first && it->last == last) stored = &*it;
  }
  std::vector<const Entry*> out;
  out.reserve(kBest);
  if (stored) {
    for (std::uint32_t k = 0; k < stored->top_count; ++k) {
      out.push_back(&entries_[tops_[stored->top_begin + k]]);
    }
    return out;
  }
  // A long range always has a stored answer; the bound only guards against a bug there.
  SelectBest(first, std::min(last, first + 16 * kWalkLimit), &picks);
  for (std::uint32_t i : picks) out.push_back(&entries_[i]);
  return out;
}

std::size_t PrefixIndex::MemoryBytes() const {
  return arena_.capacity() + HeapBytes(entries_) + HeapBytes(precomputed_) + HeapBytes(tops_);
}

}  // namespace afori::searchd

#include "stemming/fuzzy.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <utility>

namespace afori::stemming {
namespace {

// Calls f(code_point) for each character of `s`. A byte that does not start a valid,
// shortest-form UTF-8 sequence becomes the lone surrogate 0xDC00 + byte: valid UTF-8 never
// decodes to a surrogate, so decoding stays injective (distinct byte strings never become
// equal words) and every byte of garbage counts as one character.
template <typename F>
void ForEachCodePoint(std::string_view s, F&& f) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto lead = static_cast<unsigned char>(s[i]);
    if (lead < 0x80) {
      f(static_cast<char32_t>(lead));
      ++i;
      continue;
    }
    std::size_t length = 0;
    char32_t cp = 0;
    char32_t smallest = 0;  // below this the sequence is an overlong encoding
    if ((lead & 0xE0) == 0xC0) {
      length = 2, cp = lead & 0x1F, smallest = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3, cp = lead & 0x0F, smallest = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4, cp = lead & 0x07, smallest = 0x10000;
    }
    bool valid = length != 0 && i + length <= s.size();
    for (std::size_t k = 1; valid && k < length; ++k) {
      const auto next = static_cast<unsigned char>(s[i + k]);
      valid = (next & 0xC0) == 0x80;
      cp = (cp << 6) | (next & 0x3F);
    }
    valid = valid && cp >= smallest && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
    if (valid) {
      f(cp);
      i += length;
    } else {
      f(static_cast<char32_t>(0xDC00 + lead));
      ++i;
    }
  }
}

std::u32string Decode(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  ForEachCodePoint(s, [&out](char32_t cp) { out.push_back(cp); });
  return out;
}

unsigned Osa(const std::u32string& a, const std::u32string& b) {
  const std::size_t n = b.size();
  // Three rolling rows: the transposition case looks two rows back.
  std::vector<unsigned> before(n + 1), previous(n + 1), current(n + 1);
  std::iota(previous.begin(), previous.end(), 0u);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = static_cast<unsigned>(i);
    for (std::size_t j = 1; j <= n; ++j) {
      const unsigned substitution = previous[j - 1] + (a[i - 1] != b[j - 1] ? 1 : 0);
      unsigned best = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        best = std::min(best, before[j - 2] + 1);
      }
      current[j] = best;
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[n];
}

std::uint32_t Checked(std::size_t value) {
  if (value >= UINT32_MAX - 1) throw std::length_error("FuzzyLexicon: too large");
  return static_cast<std::uint32_t>(value);
}

}  // namespace

unsigned EditDistance(std::string_view a, std::string_view b) { return Osa(Decode(a), Decode(b)); }

std::size_t CodePointCount(std::string_view word) {
  std::size_t count = 0;
  ForEachCodePoint(word, [&count](char32_t) { ++count; });
  return count;
}

unsigned AllowedTypos(std::size_t code_points) {
  if (code_points < 5) return 0;
  if (code_points < 9) return 1;
  return 2;
}

FuzzyLexicon::FuzzyLexicon(std::vector<Entry> entries) {
  std::vector<std::u32string> decoded;
  decoded.reserve(entries.size());
  for (const Entry& entry : entries) decoded.push_back(Decode(entry.word));
  std::vector<std::uint32_t> order(Checked(entries.size()));
  std::iota(order.begin(), order.end(), 0u);
  // Code-point order makes equal prefixes adjacent, which the breadth-first build relies on.
  std::sort(order.begin(), order.end(),
            [&decoded](std::uint32_t x, std::uint32_t y) { return decoded[x] < decoded[y]; });

  std::vector<std::uint32_t> unique;  // entry index of each distinct word, in sorted order
  for (std::uint32_t index : order) {
    if (!unique.empty() && decoded[unique.back()] == decoded[index]) {
      std::uint32_t& sum = frequencies_.back();
      sum =
          entries[index].frequency > UINT32_MAX - sum ? UINT32_MAX : sum + entries[index].frequency;
      continue;
    }
    unique.push_back(index);
    frequencies_.push_back(entries[index].frequency);
    word_offsets_.push_back(Checked(text_.size()));
    text_ += entries[index].word;
    max_length_ = std::max(max_length_, Checked(decoded[index].size()));
  }
  word_offsets_.push_back(Checked(text_.size()));
  entries.clear();
  entries.shrink_to_fit();

  // Breadth first, so that each node's children are appended in one contiguous run and the
  // runs follow node order (see Node). Each node owns the range of sorted words it prefixes.
  struct Range {
    std::uint32_t lo, hi, depth;
  };
  auto letter = [&](std::uint32_t word, std::uint32_t depth) {
    return decoded[unique[word]][depth];
  };
  std::vector<Range> ranges{{0, static_cast<std::uint32_t>(unique.size()), 0}};
  nodes_.push_back({0, 0, kNoWord});
  for (std::size_t node = 0; node < nodes_.size(); ++node) {
    auto [lo, hi, depth] = ranges[node];
    nodes_[node].first_child = Checked(nodes_.size());
    // The word ending here, if any, sorts before its extensions.
    if (lo < hi && decoded[unique[lo]].size() == depth) nodes_[node].word = lo++;
    while (lo < hi) {
      const char32_t cp = letter(lo, depth);
      std::uint32_t end = lo + 1;
      while (end < hi && letter(end, depth) == cp) ++end;
      nodes_.push_back({cp, 0, kNoWord});
      ranges.push_back({lo, end, depth + 1});
      lo = end;
    }
  }
  nodes_.push_back({0, Checked(nodes_.size()), kNoWord});  // sentinel closing the last range
  nodes_.shrink_to_fit();
}

std::string_view FuzzyLexicon::WordAt(std::uint32_t index) const {
  return std::string_view(text_).substr(word_offsets_[index],
                                        word_offsets_[index + 1] - word_offsets_[index]);
}

std::uint32_t FuzzyLexicon::FindNode(std::string_view word) const {
  if (nodes_.empty()) return kNoWord;
  std::uint32_t node = 0;
  bool found = true;
  ForEachCodePoint(word, [&](char32_t cp) {
    if (!found) return;
    const auto first = nodes_.begin() + nodes_[node].first_child;
    const auto last = nodes_.begin() + nodes_[node + 1].first_child;
    const auto child = std::lower_bound(
        first, last, cp, [](const Node& n, char32_t value) { return n.code_point < value; });
    found = child != last && child->code_point == cp;
    if (found) node = static_cast<std::uint32_t>(child - nodes_.begin());
  });
  return found ? node : kNoWord;
}

bool FuzzyLexicon::Contains(std::string_view word) const {
  const std::uint32_t node = FindNode(word);
  return node != kNoWord && nodes_[node].word != kNoWord;
}

std::uint32_t FuzzyLexicon::Frequency(std::string_view word) const {
  const std::uint32_t node = FindNode(word);
  if (node == kNoWord || nodes_[node].word == kNoWord) return 0;
  return frequencies_[nodes_[node].word];
}

std::size_t FuzzyLexicon::MemoryBytes() const {
  return sizeof(*this) + nodes_.capacity() * sizeof(Node) + text_.capacity() +
         (word_offsets_.capacity() + frequencies_.capacity()) * sizeof(std::uint32_t);
}

// Depth-first walk of the trie computing, per node at depth d, row[j] = distance between the
// node's d-letter prefix and the query's first j letters. Two facts keep it cheap:
//  - A cell is at least |d - j|, so only the band |d - j| <= k can be within reach; cells
//    outside it (and any value above k) are stored as k + 1, "too far".
//  - Row minima never decrease with depth: every cell comes from a cell of the row above
//    plus a cost of 0 or more, and a transposition from two rows up is never cheaper than
//    the substitution-or-match path through the row above (row[d][j-1] <= row[d-1][j-2] + 1).
//    So once a whole row exceeds k, no word below the node can match and the subtree is cut.
std::vector<FuzzyLexicon::Match> FuzzyLexicon::Find(std::string_view word, unsigned max_distance,
                                                    std::size_t limit) const {
  std::vector<Match> out;
  if (limit == 0 || nodes_.empty()) return out;
  if (max_distance == 0) {  // the common case for short words: one exact look-up
    const std::uint32_t node = FindNode(word);
    if (node != kNoWord && nodes_[node].word != kNoWord) {
      const std::uint32_t index = nodes_[node].word;
      out.push_back({std::string(WordAt(index)), 0, frequencies_[index]});
    }
    return out;
  }

  const std::u32string query = Decode(word);
  const std::size_t m = query.size();
  // No distance exceeds the longer word's length; clamping keeps k + 1 from overflowing.
  const std::size_t k = std::min<std::size_t>(max_distance, m + max_length_);
  if (m > max_length_ + k) return out;
  const unsigned far = static_cast<unsigned>(k + 1);
  const std::size_t width = m + 1;
  const std::size_t max_depth = std::min<std::size_t>(max_length_, m + k);
  std::vector<unsigned> rows((max_depth + 1) * width);
  std::vector<char32_t> path(max_depth + 1);  // path[d]: the letter of the node at depth d
  std::vector<std::pair<unsigned, std::uint32_t>> hits;  // (distance, word index)

  // Fills the band of row `depth` and reports whether any cell in it is within reach.
  auto fill_row = [&](std::size_t depth) {
    unsigned* row = &rows[depth * width];
    const unsigned* above = depth > 0 ? row - width : nullptr;
    const unsigned* above2 = depth > 1 ? row - 2 * width : nullptr;
    const std::size_t lo = depth > k ? depth - k : 0;
    const std::size_t hi = std::min(m, depth + k);
    if (lo > hi) return false;
    // Sentinels just outside the band, read by this row and the next two.
    if (lo > 0) row[lo - 1] = far;
    if (hi < m) row[hi + 1] = far;
    unsigned best = far;
    for (std::size_t j = lo; j <= hi; ++j) {
      unsigned cell;
      if (j == 0) {
        cell = static_cast<unsigned>(std::min(depth, k + 1));
      } else if (depth == 0) {
        cell = static_cast<unsigned>(j);
      } else {
        const char32_t letter = path[depth];
        cell = std::min(
            {above[j] + 1, row[j - 1] + 1, above[j - 1] + (letter != query[j - 1] ? 1 : 0)});
        if (above2 != nullptr && j > 1 && letter == query[j - 2] &&
            path[depth - 1] == query[j - 1]) {
          cell = std::min(cell, above2[j - 2] + 1);
        }
        cell = std::min(cell, far);
      }
      row[j] = cell;
      best = std::min(best, cell);
    }
    return best < far;
  };
  auto visit = [&](std::uint32_t node, std::size_t depth) {
    path[depth] = nodes_[node].code_point;
    if (!fill_row(depth)) return false;
    // The last cell was only written if it lies in the band; outside it the word is too far.
    if (nodes_[node].word != kNoWord && (depth > m ? depth - m : m - depth) <= k) {
      const unsigned distance = rows[depth * width + m];
      if (distance <= k) hits.emplace_back(distance, nodes_[node].word);
    }
    return depth < max_depth;
  };

  // Explicit stack rather than recursion: depth is bounded by the longest word, which the
  // caller does not control. Rows for depths below a popped node still belong to its
  // ancestors, because everything visited since then lies deeper in sibling subtrees.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> stack;  // (node, depth)
  auto push_children = [&](std::uint32_t node, std::uint32_t depth) {
    for (std::uint32_t c = nodes_[node].first_child; c < nodes_[node + 1].first_child; ++c) {
      stack.emplace_back(c, depth + 1);
    }
  };
  if (visit(0, 0)) push_children(0, 0);
  while (!stack.empty()) {
    const auto [node, depth] = stack.back();
    stack.pop_back();
    if (visit(node, depth)) push_children(node, depth);
  }

  auto better = [this](const std::pair<unsigned, std::uint32_t>& x,
                       const std::pair<unsigned, std::uint32_t>& y) {
    if (x.first != y.first) return x.first < y.first;
    if (frequencies_[x.second] != frequencies_[y.second]) {
      return frequencies_[x.second] > frequencies_[y.second];
    }
    return WordAt(x.second) < WordAt(y.second);
  };
  const std::size_t keep = std::min(limit, hits.size());
  std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(keep), hits.end(),
                    better);
  out.reserve(keep);
  for (std::size_t i = 0; i < keep; ++i) {
    out.push_back(
        {std::string(WordAt(hits[i].second)), hits[i].first, frequencies_[hits[i].second]});
  }
  return out;
}

}  // namespace afori::stemming

#include "searchd/formatting.h"

#include <algorithm>
#include <vector>

#include "stemming/tokenizer.h"

namespace afori::searchd {
namespace {

// A word as shown: one token, or a hyphenated whole with its parts (which lie inside it).
struct Word {
  std::size_t begin, end;  // bytes of the text
  int key = -1;            // MatchTerms::MatchKey of its first matching token, -1: none
};

std::vector<Word> MatchWords(std::string_view text, const MatchTerms& terms,
                             const stemming::Analyzer& analyzer) {
  const std::vector<stemming::Token> tokens = stemming::Tokenize(text);
  std::vector<Word> words;
  words.reserve(tokens.size());
  for (const stemming::Token& t : tokens) {
    const bool inside = !words.empty() && t.begin < words.back().end;
    if (!inside) words.push_back({t.begin, t.end});
    Word& w = words.back();
    w.end = std::max(w.end, t.end);
    if (w.key < 0 && !terms.empty()) w.key = terms.MatchKey(t, analyzer);
  }
  return words;
}

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// text[from, to) with the matched words among words[first, last) tagged (or not).
void AppendTagged(std::string_view text, const std::vector<Word>& words, std::size_t first,
                  std::size_t last, std::size_t from, std::size_t to, const FormatStyle& style,
                  bool highlight, std::string* out) {
  std::size_t pos = from;
  if (highlight) {
    for (std::size_t i = first; i < last; ++i) {
      const Word& w = words[i];
      if (w.key < 0 || w.begin < pos || w.end > to) continue;
      out->append(text.substr(pos, w.begin - pos));
      out->append(style.pre_tag);
      out->append(text.substr(w.begin, w.end - w.begin));
      out->append(style.post_tag);
      pos = w.end;
    }
  }
  out->append(text.substr(pos, to - pos));
}

// The first word of the `size`-word window to show: the earliest window with the most
// distinct keys, moved so that its matches sit in the middle.
std::size_t WindowStart(const std::vector<Word>& words, std::size_t size, std::size_t key_count) {
  const std::size_t n = words.size();
  std::vector<unsigned> seen(key_count, 0);
  std::size_t distinct = 0, best = 0, best_start = 0;
  auto add = [&](std::size_t i, int delta) {
    if (words[i].key < 0) return;
    unsigned& c = seen[static_cast<std::size_t>(words[i].key)];
    if (delta > 0) {
      distinct += c++ == 0;
    } else {
      distinct -= --c == 0;
    }
  };
  for (std::size_t i = 0; i < size; ++i) add(i, +1);
  best = distinct;
  for (std::size_t start = 1; start + size <= n; ++start) {
    add(start - 1, -1);
    add(start + size - 1, +1);
    if (distinct > best) best = distinct, best_start = start;
  }
  if (best == 0) return 0;
  std::size_t first = best_start, last = best_start + size - 1;
  while (words[first].key < 0) ++first;
  while (words[last].key < 0) --last;
  const std::size_t slack = size - (last - first + 1);
  const std::size_t start = first >= slack / 2 ? first - slack / 2 : 0;
  return std::min(start, n - size);
}

}  // namespace

std::string HighlightWords(std::string_view text, const MatchTerms& terms,
                           const stemming::Analyzer& analyzer, const FormatStyle& style) {
  if (terms.empty()) return std::string(text);
  const std::vector<Word> words = MatchWords(text, terms, analyzer);
  std::string out;
  out.reserve(text.size() + 32);
  AppendTagged(text, words, 0, words.size(), 0, text.size(), style, true, &out);
  return out;
}

std::string CropWords(std::string_view text, std::size_t size, const MatchTerms& terms,
                      const stemming::Analyzer& analyzer, const FormatStyle& style,
                      bool highlight) {
  if (size == 0) return {};
  const std::vector<Word> words = MatchWords(text, terms, analyzer);
  std::string out;
  if (words.size() <= size) {
    AppendTagged(text, words, 0, words.size(), 0, text.size(), style, highlight, &out);
    return out;
  }
  const std::size_t start = WindowStart(words, size, terms.key_count());
  const std::size_t last = start + size;  // one past the last word shown
  // From the text's start when nothing was cut there (leading punctuation, no blanks).
  std::size_t from = words[start].begin;
  if (start == 0) {
    from = 0;
    while (from < words[0].begin && IsAsciiSpace(text[from])) ++from;
  }
  // Punctuation right after the last word ("slut.") belongs to it; a blank ends it.
  std::size_t to = words[last - 1].end;
  const std::size_t limit = last < words.size() ? words[last].begin : text.size();
  while (to < limit && !IsAsciiSpace(text[to])) ++to;
  if (start > 0) out.append(style.crop_marker);
  AppendTagged(text, words, start, last, from, to, style, highlight, &out);
  if (last < words.size()) out.append(style.crop_marker);
  return out;
}

}  // namespace afori::searchd

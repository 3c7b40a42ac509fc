#include "searchd/highlight.h"

#include <algorithm>
#include <utility>

namespace afori::searchd {
namespace {

using stemming::Token;
using stemming::TokenKind;

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";     // U+2026
constexpr std::string_view kMarkOpen = "<mark>";
constexpr std::string_view kMarkClose = "</mark>";

using Byte = unsigned char;

// One UTF-8 sequence: its length and whether it is well-formed. An ill-formed one is a
// "maximal subpart" (the Unicode standard's recommended practice: one U+FFFD for each), so a
// truncated character is one replacement, not one per byte.
struct Sequence {
  std::size_t length;
  bool valid;
};

Sequence NextSequence(const Byte* p, std::size_t avail) {
  const Byte b = p[0];
  if (b < 0x80) return {1, true};
  std::size_t trail = 0;
  Byte lo = 0x80, hi = 0xBF;  // range of the first trail byte (Unicode table 3-7)
  if (b >= 0xC2 && b <= 0xDF) {
    trail = 1;
  } else if (b == 0xE0) {
    trail = 2, lo = 0xA0;
  } else if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) {
    trail = 2;
  } else if (b == 0xED) {
    trail = 2, hi = 0x9F;  // no surrogates
  } else if (b == 0xF0) {
    trail = 3, lo = 0x90;
  } else if (b >= 0xF1 && b <= 0xF3) {
    trail = 3;
  } else if (b == 0xF4) {
    trail = 3, hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return {1, false};
  }
  for (std::size_t k = 1; k <= trail; ++k) {
    if (k >= avail || p[k] < lo || p[k] > hi) return {k, false};
    lo = 0x80, hi = 0xBF;
  }
  return {trail + 1, true};
}

bool IsAsciiSpace(Byte b) {
  return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == '\v';
}

// Line breaks outside ASCII (NEL, LINE and PARAGRAPH SEPARATOR) collapse like newlines. No-break
// and thin spaces do not: they were written to keep "10 000" or "t. ex." together.
bool IsWideSpace(const Byte* p, std::size_t length) {
  if (length == 2) return p[0] == 0xC2 && p[1] == 0x85;
  return length == 3 && p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9);
}

// Length of the whitespace character at text[i], or 0 when there is none.
std::size_t SpaceAt(std::string_view text, std::size_t i) {
  const Byte* p = reinterpret_cast<const Byte*>(text.data()) + i;
  if (IsAsciiSpace(p[0])) return 1;
  if (p[0] < 0x80) return 0;
  const Sequence seq = NextSequence(p, text.size() - i);
  return seq.valid && IsWideSpace(p, seq.length) ? seq.length : 0;
}

// ASCII that goes out as it is: printable, no markup character, not a space.
constexpr bool IsPlainAscii(Byte b) {
  return b > ' ' && b < 0x7F && b != '&' && b != '<' && b != '>' && b != '"' && b != '\'';
}

// Appends text[from, to) as HTML text; `collapse` turns whitespace runs into one space.
// Control characters (C0 and C1) are parse errors in HTML text and never meant as text: they
// become U+FFFD like invalid UTF-8, except tab, newline, form feed and carriage return (and
// the line breaks that `collapse` turns into a space).
void AppendEscaped(std::string_view text, std::size_t from, std::size_t to, bool collapse,
                   std::string* out) {
  const Byte* s = reinterpret_cast<const Byte*>(text.data());
  bool in_space = false;
  std::size_t i = from;
  while (i < to) {
    std::size_t run = i;
    while (run < to && IsPlainAscii(s[run])) ++run;
    if (run > i) {
      out->append(text.data() + i, run - i);
      in_space = false;
      i = run;
      continue;
    }
    const Byte b = s[i];
    if (b < 0x80) {
      ++i;
      const bool space = IsAsciiSpace(b);
      if (collapse && space) {
        if (!in_space) out->push_back(' ');
        in_space = true;
        continue;
      }
      in_space = false;
      switch (b) {
        case '&': out->append("&amp;"); break;
        case '<': out->append("&lt;"); break;
        case '>': out->append("&gt;"); break;
        case '"': out->append("&quot;"); break;
        case '\'': out->append("&#39;"); break;
        default:
          if (b == ' ' || (space && b != '\v')) {
            out->push_back(static_cast<char>(b));
          } else {
            out->append(kReplacement);
          }
      }
      continue;
    }
    const Sequence seq = NextSequence(s + i, to - i);
    if (collapse && seq.valid && IsWideSpace(s + i, seq.length)) {
      if (!in_space) out->push_back(' ');
      in_space = true;
    } else if (!seq.valid || (b == 0xC2 && s[i + 1] < 0xA0)) {  // U+0080..U+009F
      out->append(kReplacement);
      in_space = false;
    } else {
      out->append(text.data() + i, seq.length);
      in_space = false;
    }
    i += seq.length;
  }
}

// Counts code points of text as shown in a snippet: a whitespace run counts as one.
class Cursor {
 public:
  Cursor(std::string_view text, std::size_t pos) : text_(text), pos_(pos) {}

  std::size_t pos() const { return pos_; }
  std::size_t count() const { return count_; }
  // Just after the last non-space character passed (trailing whitespace trimmed).
  std::size_t visible_end() const { return visible_end_; }

  // Moves to byte `to`, which must be on a character boundary.
  void AdvanceTo(std::size_t to) {
    while (pos_ < to) Step();
  }

  // Moves on while fewer than `n` code points were counted and text is left before `to`.
  void AdvanceCount(std::size_t n, std::size_t to) {
    while (count_ < n && pos_ < to) Step();
  }

 private:
  void Step() {
    const Byte* p = reinterpret_cast<const Byte*>(text_.data()) + pos_;
    const Sequence seq = *p < 0x80 ? Sequence{1, true} : NextSequence(p, text_.size() - pos_);
    const bool space = *p < 0x80 ? IsAsciiSpace(*p) : seq.valid && IsWideSpace(p, seq.length);
    pos_ += seq.length;
    if (space) {
      if (!in_space_) ++count_;
      in_space_ = true;
    } else {
      ++count_;
      in_space_ = false;
      visible_end_ = pos_;
    }
  }

  std::string_view text_;
  std::size_t pos_;
  std::size_t count_ = 0;
  std::size_t visible_end_ = pos_;
  bool in_space_ = false;
};

// Code points (as shown) of text[from, to), counting no further than `cap`.
std::size_t CountUpTo(std::string_view text, std::size_t from, std::size_t to, std::size_t cap) {
  Cursor c(text, from);
  c.AdvanceCount(cap, to);
  return c.count();
}

// End of text without trailing whitespace, not before `begin`. The wide spaces are matched
// by their bytes: neither E2 nor C2 can be a trail byte, so these are whole characters.
std::size_t TrimEnd(std::string_view text, std::size_t begin) {
  const Byte* s = reinterpret_cast<const Byte*>(text.data());
  std::size_t end = text.size();
  while (end > begin) {
    if (IsAsciiSpace(s[end - 1])) {
      --end;
    } else if (end - begin >= 2 && s[end - 2] == 0xC2 && s[end - 1] == 0x85) {
      end -= 2;
    } else if (end - begin >= 3 && s[end - 3] == 0xE2 && s[end - 2] == 0x80 &&
               (s[end - 1] == 0xA8 || s[end - 1] == 0xA9)) {
      end -= 3;
    } else {
      break;
    }
  }
  return end;
}

// A word as the highlighter marks it: one token, or a hyphenated whole with its parts.
struct Group {
  std::size_t begin, end;              // bytes of the text
  std::size_t first_token, end_token;  // its tokens
  int key = -1;                        // MatchTerms::MatchKey of the first matching token
  std::size_t cp_begin = 0, cp_end = 0;
};

std::vector<Group> GroupTokens(const std::vector<Token>& tokens) {
  std::vector<Group> groups;
  groups.reserve(tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    // The parts of a hyphenated word lie inside its whole; merging any overlap keeps marks
    // from nesting whatever the tokenizer does.
    if (!groups.empty() && t.begin < groups.back().end) {
      groups.back().end = std::max(groups.back().end, t.end);
      groups.back().end_token = i + 1;
      continue;
    }
    groups.push_back({t.begin, t.end, i, i + 1});
  }
  return groups;
}

void MatchGroups(const std::vector<Token>& tokens, const MatchTerms& terms,
                 const stemming::Analyzer& analyzer, std::vector<Group>* groups) {
  if (terms.empty()) return;
  for (Group& g : *groups) {
    for (std::size_t i = g.first_token; i < g.end_token && g.key < 0; ++i) {
      g.key = terms.MatchKey(tokens[i], analyzer);
    }
  }
}

// text[from, to) escaped, with the matched groups among `groups` (from index `g`) marked.
void AppendMarked(std::string_view text, const std::vector<Group>& groups, std::size_t g,
                  std::size_t from, std::size_t to, bool collapse, std::string* out) {
  std::size_t pos = from;
  for (; g < groups.size() && groups[g].begin < to; ++g) {
    if (groups[g].key < 0 || groups[g].begin < pos) continue;
    const std::size_t end = std::min(groups[g].end, to);
    AppendEscaped(text, pos, groups[g].begin, collapse, out);
    out->append(kMarkOpen);
    AppendEscaped(text, groups[g].begin, end, collapse, out);
    out->append(kMarkClose);
    pos = end;
  }
  AppendEscaped(text, pos, to, collapse, out);
}

// Index of the first of the matched groups in the window with the most distinct keys, and
// one past its last; a window spans at most `max_chars` code points unless one group alone
// is longer.
std::pair<std::size_t, std::size_t> BestWindow(const std::vector<Group>& groups,
                                               const std::vector<std::size_t>& matched,
                                               std::size_t key_count, std::size_t max_chars) {
  std::vector<unsigned> seen(key_count, 0);
  std::size_t distinct = 0, best = 0;
  std::pair<std::size_t, std::size_t> window{0, 1};
  auto add = [&](std::size_t m) { distinct += seen[groups[matched[m]].key]++ == 0; };
  std::size_t j = 0;
  for (std::size_t i = 0; i < matched.size(); ++i) {
    if (j == i) add(j++);
    const std::size_t from = groups[matched[i]].cp_begin;
    while (j < matched.size() && groups[matched[j]].cp_end - from <= max_chars) add(j++);
    if (distinct > best) best = distinct, window = {i, j};
    distinct -= --seen[groups[matched[i]].key] == 0;
  }
  return window;
}

// Where a snippet without the whole text may end: after the last word that ends within
// `limit` code points (so no word is cut), else (one long word) right at the limit.
std::size_t SnippetEnd(std::string_view text, const std::vector<Group>& groups,
                       std::size_t first_group, std::size_t start, std::size_t start_cp,
                       std::size_t max_chars, std::size_t content_end) {
  const std::size_t limit = start_cp + max_chars;
  auto it = std::upper_bound(groups.begin() + static_cast<std::ptrdiff_t>(first_group),
                             groups.end(), limit,
                             [](std::size_t cp, const Group& g) { return cp < g.cp_end; });
  if (it != groups.begin() + static_cast<std::ptrdiff_t>(first_group)) return std::prev(it)->end;
  Cursor c(text, start);
  c.AdvanceCount(max_chars, content_end);
  return c.visible_end();
}

}  // namespace

std::string HighlightHtml(std::string_view text, const MatchTerms& terms,
                          const stemming::Analyzer& analyzer) {
  std::string out;
  out.reserve(text.size() + text.size() / 8 + 16);
  if (terms.empty()) {
    AppendEscaped(text, 0, text.size(), false, &out);
    return out;
  }
  const std::vector<Token> tokens = stemming::Tokenize(text);
  std::vector<Group> groups = GroupTokens(tokens);
  MatchGroups(tokens, terms, analyzer, &groups);
  AppendMarked(text, groups, 0, 0, text.size(), false, &out);
  return out;
}

std::string SnippetHtml(std::string_view text, const MatchTerms& terms,
                        const stemming::Analyzer& analyzer, std::size_t max_chars) {
  std::size_t content_begin = 0;
  while (content_begin < text.size()) {
    const std::size_t n = SpaceAt(text, content_begin);
    if (n == 0) break;
    content_begin += n;
  }
  if (content_begin == text.size() || max_chars == 0) return {};
  const std::size_t content_end = TrimEnd(text, content_begin);

  // Without terms only the start is shown: tokenize no further than that, and on to the next
  // space so that the last word there is whole.
  std::size_t tokenize_end = content_end;
  if (terms.empty()) {
    Cursor c(text, content_begin);
    c.AdvanceCount(max_chars + 1, content_end);
    tokenize_end = c.pos();
    while (tokenize_end < content_end && SpaceAt(text, tokenize_end) == 0) ++tokenize_end;
  }
  const std::vector<Token> tokens = stemming::Tokenize(text.substr(0, tokenize_end));
  std::vector<Group> groups = GroupTokens(tokens);
  MatchGroups(tokens, terms, analyzer, &groups);
  std::vector<std::size_t> matched;
  {
    Cursor c(text, content_begin);
    for (std::size_t i = 0; i < groups.size(); ++i) {
      c.AdvanceTo(groups[i].begin);
      groups[i].cp_begin = c.count();
      c.AdvanceTo(groups[i].end);
      groups[i].cp_end = c.count();
      if (groups[i].key >= 0) matched.push_back(i);
    }
  }

  // Start: at the text's start when the best window fits there (a snippet reads best from the
  // beginning), else at a word before the window, leaving about half of the room for context
  // before it (more when the text ends soon after).
  std::size_t first_group = 0, start = content_begin, start_cp = 0;
  if (!matched.empty()) {
    const auto [wi, wj] = BestWindow(groups, matched, terms.key_count(), max_chars);
    const Group& first = groups[matched[wi]];
    const Group& last = groups[matched[wj - 1]];
    if (last.cp_end > max_chars) {
      std::size_t from = matched[wi];
      const std::size_t span = last.cp_end - first.cp_begin;
      if (span < max_chars) {
        const std::size_t room = max_chars - span;
        const std::size_t after = CountUpTo(text, last.end, content_end, room);
        const std::size_t before = std::max(room / 2, room - after);
        from = static_cast<std::size_t>(
            std::lower_bound(groups.begin(), groups.end(), first.cp_begin - before,
                             [](const Group& g, std::size_t cp) { return g.cp_begin < cp; }) -
            groups.begin());
      }
      first_group = from, start = groups[from].begin, start_cp = groups[from].cp_begin;
    }
  }
  const bool rest_fits = CountUpTo(text, start, content_end, max_chars + 1) <= max_chars;
  const std::size_t end = rest_fits ? content_end
                                    : SnippetEnd(text, groups, first_group, start, start_cp,
                                                 max_chars, content_end);
  std::string out;
  out.reserve(end - start + 128);
  if (start > content_begin) out.append(kEllipsis);
  AppendMarked(text, groups, first_group, start, end, true, &out);
  if (end < content_end) out.append(kEllipsis);
  return out;
}

}  // namespace afori::searchd

#include "stemming/tokenizer.h"

#include <array>
#include <cstdint>

#include <xapian.h>

namespace afori::stemming {
namespace {

namespace U = Xapian::Unicode;

constexpr unsigned kReplacement = 0xFFFD;
constexpr unsigned kEnd = ~0u;  // code point reported past the end of the input

struct Decoded { unsigned cp, len; };  // len: bytes consumed, at least 1

// A decoder of our own rather than Xapian::Utf8Iterator: the iterator hands invalid bytes on
// as Latin-1 code points, so a stray 0xE4 would become a plausible but invented "ä". Here an
// invalid sequence becomes one U+FFFD per maximal invalid subpart (Unicode's recommendation),
// and overlong forms, surrogates and values above U+10FFFF are invalid.
inline Decoded Decode(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return {b0, 1};
  unsigned need, cp;
  unsigned char lo = 0x80, hi = 0xBF;  // the range allowed for the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 1, cp = b0 & 0x1Fu;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 2, cp = b0 & 0x0Fu;
    if (b0 == 0xE0) lo = 0xA0;        // overlong
    else if (b0 == 0xED) hi = 0x9F;   // surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 3, cp = b0 & 0x07u;
    if (b0 == 0xF0) lo = 0x90;        // overlong
    else if (b0 == 0xF4) hi = 0x8F;   // above U+10FFFF
  } else {
    return {kReplacement, 1};
  }
  unsigned len = 1;
  for (unsigned k = 0; k < need; ++k, ++len) {
    if (i + len >= s.size()) return {kReplacement, len};
    const auto b = static_cast<unsigned char>(s[i + len]);
    if (b < lo || b > hi) return {kReplacement, len};
    lo = 0x80, hi = 0xBF;
    cp = (cp << 6) | (b & 0x3Fu);
  }
  return {cp, len};
}

inline void Append(std::string& out, unsigned cp) {
  if (cp < 0x80) out.push_back(static_cast<char>(cp));
  else U::append_utf8(out, cp);
}

inline unsigned ToLower(unsigned cp) {
  if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
  return U::tolower(cp);
}

inline bool IsCombiningMark(unsigned cp) { return cp >= 0x300 && cp <= 0x36F; }

// The precomposed letters of Latin-1 Supplement and Latin Extended-A, grouped by the mark that
// composes them. All of their canonical decompositions are one ASCII letter plus one mark.
struct MarkGroup {
  unsigned mark;
  std::string_view bases;
  std::u16string_view composed;  // composed[k] = bases[k] + mark
};
constexpr MarkGroup kMarkGroups[] = {
    {0x0300, "AEIOUaeiou", u"ÀÈÌÒÙàèìòù"},
    {0x0301, "AEIOUYCLNRSZaeiouyclnrsz", u"ÁÉÍÓÚÝĆĹŃŔŚŹáéíóúýćĺńŕśź"},
    {0x0302, "AEIOUCGHJSWYaeioucghjswy", u"ÂÊÎÔÛĈĜĤĴŜŴŶâêîôûĉĝĥĵŝŵŷ"},
    {0x0303, "ANOIUanoiu", u"ÃÑÕĨŨãñõĩũ"},
    {0x0304, "AEIOUaeiou", u"ĀĒĪŌŪāēīōū"},
    {0x0306, "AEGIOUaegiou", u"ĂĔĞĬŎŬăĕğĭŏŭ"},
    {0x0307, "CEGIZcegz", u"ĊĖĠİŻċėġż"},  // lowercase i + dot above has no precomposed form
    {0x0308, "AEIOUYaeiouy", u"ÄËÏÖÜŸäëïöüÿ"},
    {0x030A, "AUau", u"ÅŮåů"},
    {0x030B, "OUou", u"ŐŰőű"},
    {0x030C, "CDELNRSTZcdelnrstz", u"ČĎĚĽŇŘŠŤŽčďěľňřšťž"},
    {0x0327, "CGKLNRSTcgklnrst", u"ÇĢĶĻŅŖŞŢçģķļņŗşţ"},
    {0x0328, "AEIUaeiu", u"ĄĘĮŲąęįų"},
};

constexpr bool GroupsWellFormed() {
  for (const MarkGroup& g : kMarkGroups) {
    if (g.bases.size() != g.composed.size()) return false;
  }
  return true;
}
static_assert(GroupsWellFormed(), "every base letter needs exactly one composed letter");

// The composed letter for base + mark, or 0 when there is none in our range.
unsigned ComposePair(unsigned base, unsigned mark) {
  if (base >= 0x80 || !IsCombiningMark(mark)) return 0;
  if (mark == 0x340 || mark == 0x341) mark -= 0x40;  // tone marks are canonically U+0300/1
  for (const MarkGroup& g : kMarkGroups) {
    if (g.mark != mark) continue;
    const std::size_t k = g.bases.find(static_cast<char>(base));
    return k == std::string_view::npos ? 0 : g.composed[k];
  }
  return 0;
}

// Canonical singletons NFC replaces; the angstrom sign turns up in Swedish text ("Ångström").
inline unsigned ReplaceSingleton(unsigned cp) {
  if (cp == 0x212B) return 0xC5;
  if (cp == 0x212A) return 'K';
  return cp;
}

// Appends s composed (and lowercased if asked). A base letter looks ahead one code point for
// a mark; the mark's lead byte (0xCC/0xCD) is checked first, so plain text pays one compare.
template <bool kLowercase>
void AppendComposed(std::string& out, std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const Decoded d = Decode(s, i);
    i += d.len;
    unsigned cp = ReplaceSingleton(d.cp);
    if (cp < 0x80 && i + 1 < s.size() && (s[i] == '\xCC' || s[i] == '\xCD')) {
      const Decoded mark = Decode(s, i);
      if (const unsigned composed = ComposePair(cp, mark.cp)) {
        cp = composed;
        i += mark.len;
      }
    }
    Append(out, kLowercase ? ToLower(cp) : cp);
  }
}

// Folding, derived from the composition groups (every composed letter folds to its base)
// plus the letters without a canonical decomposition.
constexpr unsigned kFoldFirst = 0xC0, kFoldLast = 0x17F;
struct Fold { char text[3]; };  // empty: the letter is not folded
struct FoldExtra { char16_t letter; const char* folded; };
constexpr FoldExtra kFoldExtras[] = {
    {u'Æ', "AE"}, {u'æ', "ae"}, {u'Ð', "D"},  {u'ð', "d"},  {u'Ø', "O"},  {u'ø', "o"},
    {u'Þ', "TH"}, {u'þ', "th"}, {u'ß', "ss"}, {u'Đ', "D"},  {u'đ', "d"},  {u'Ħ', "H"},
    {u'ħ', "h"},  {u'ı', "i"},  {u'Ĳ', "IJ"}, {u'ĳ', "ij"}, {u'Ŀ', "L"},  {u'ŀ', "l"},
    {u'Ł', "L"},  {u'ł', "l"},  {u'ŉ', "n"},  {u'Ŋ', "N"},  {u'ŋ', "n"},  {u'Œ', "OE"},
    {u'œ', "oe"}, {u'Ŧ', "T"},  {u'ŧ', "t"},  {u'ſ', "s"},
};
constexpr auto kFoldTable = [] {
  std::array<Fold, kFoldLast - kFoldFirst + 1> table{};
  for (const MarkGroup& g : kMarkGroups) {
    for (std::size_t k = 0; k < g.bases.size(); ++k) {
      table[g.composed[k] - kFoldFirst].text[0] = g.bases[k];
    }
  }
  for (const FoldExtra& e : kFoldExtras) {
    table[e.letter - kFoldFirst].text[0] = e.folded[0];
    table[e.letter - kFoldFirst].text[1] = e.folded[1];
  }
  return table;
}();

inline const char* FoldOf(unsigned cp) {
  if (cp < kFoldFirst || cp > kFoldLast) return nullptr;
  const char* text = kFoldTable[cp - kFoldFirst].text;
  return *text ? text : nullptr;
}

// What Tokenize needs to know about a code point; kOther is everything that separates words.
enum class Kind : std::uint8_t {
  kOther, kUpper, kLower, kLetter, kMark, kDigit, kNumber, kConnector
};

Kind ClassifyNonAscii(unsigned cp) {
  if (IsCombiningMark(cp)) return Kind::kMark;
  switch (U::get_category(cp)) {  // the categories U::is_wordchar accepts
    case U::UPPERCASE_LETTER: return Kind::kUpper;
    case U::LOWERCASE_LETTER: return Kind::kLower;
    case U::TITLECASE_LETTER:
    case U::MODIFIER_LETTER:
    case U::OTHER_LETTER: return Kind::kLetter;
    case U::NON_SPACING_MARK:
    case U::ENCLOSING_MARK:
    case U::COMBINING_SPACING_MARK: return Kind::kMark;
    case U::DECIMAL_DIGIT_NUMBER: return Kind::kDigit;
    case U::LETTER_NUMBER:
    case U::OTHER_NUMBER: return Kind::kNumber;
    case U::CONNECTOR_PUNCTUATION: return Kind::kConnector;
    default: return Kind::kOther;
  }
}

inline Kind Classify(unsigned cp) {
  if (cp >= 0x80) return ClassifyNonAscii(cp);
  if (cp >= 'a' && cp <= 'z') return Kind::kLower;
  if (cp >= 'A' && cp <= 'Z') return Kind::kUpper;
  if (cp >= '0' && cp <= '9') return Kind::kDigit;
  return cp == '_' ? Kind::kConnector : Kind::kOther;
}

inline bool IsLetter(Kind k) {
  return k == Kind::kUpper || k == Kind::kLower || k == Kind::kLetter;
}
inline bool IsAlnum(Kind k) { return IsLetter(k) || k == Kind::kDigit || k == Kind::kNumber; }
inline bool IsHyphen(unsigned cp) { return cp == '-' || cp == 0x2010 || cp == 0x2011; }
inline bool IsApostrophe(unsigned cp) { return cp == '\'' || cp == 0x2019; }
// Space, NBSP, thin space, narrow NBSP: what Swedish typography puts between digit groups.
inline bool IsGroupSpace(unsigned cp) {
  return cp == ' ' || cp == 0xA0 || cp == 0x2009 || cp == 0x202F;
}
inline bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

class Scanner {
 public:
  explicit Scanner(std::string_view text) : s_(text) { tokens_.reserve(text.size() / 6); }

  std::vector<Token> Run() {
    std::size_t i = 0;
    while (i < s_.size()) {
      const Char c = At(i);
      if (c.kind == Kind::kOther) {
        i += c.len;
      } else {
        i = (IsLetter(c.kind) && ScanAbbreviation(i)) ? parts_.back().end : ScanUnit(i);
        EmitUnit();
      }
    }
    return std::move(tokens_);
  }

 private:
  struct Char { unsigned cp, len; Kind kind; };
  // One part of a unit; a unit with more than one part is a hyphenated word.
  struct Part {
    std::size_t begin = 0, end = 0;          // bytes in the input
    std::size_t raw_begin = 0, raw_end = 0;  // bytes in raw_
    unsigned upper = 0, lower = 0;
  };

  Char At(std::size_t i) const {
    if (i >= s_.size()) return {kEnd, 0, Kind::kOther};
    const Decoded d = Decode(s_, i);
    return {d.cp, d.len, Classify(d.cp)};
  }

  void Count(Kind k, Part& part) {
    if (k == Kind::kUpper) ++part.upper;
    if (k == Kind::kLower) ++part.lower;
    if (IsAlnum(k)) ++alnum_;
  }

  // Dotted abbreviations ("t.ex.", "E.U."): letter segments of at most 3 letters joined by
  // single dots, two or more of them and at least one a single letter; the limits keep domain
  // names ("afori.se") and missing spaces after a full stop ("bra.Nu") apart. The longest
  // acceptable prefix wins, so "t.ex.Stockholm" gives "tex" and "stockholm".
  bool ScanAbbreviation(std::size_t start) {
    raw_.clear();
    alnum_ = 0;
    Part part{start, start, 0, 0};
    Part best;
    bool have_best = false;
    unsigned segments = 0;
    bool single = false;
    std::size_t i = start;
    while (true) {
      unsigned letters = 0;
      const std::size_t segment_begin = i;
      Char c = At(i);
      for (; IsLetter(c.kind) || c.kind == Kind::kMark; c = At(i)) {
        if (IsLetter(c.kind) && ++letters > 3) break;
        Count(c.kind, part);
        i += c.len;
      }
      raw_.append(s_.substr(segment_begin, i - segment_begin));
      if (letters == 0 || letters > 3 || c.kind != Kind::kOther) break;
      ++segments;
      single = single || letters == 1;
      const bool dot = c.cp == '.';
      if (dot) ++i;
      if (segments >= 2 && single) {
        part.end = i;
        part.raw_end = raw_.size();
        best = part;
        have_best = true;
      }
      if (!dot || !IsLetter(At(i).kind)) break;
    }
    if (!have_best) return false;
    raw_.resize(best.raw_end);
    parts_.assign(1, best);
    return true;
  }

  // True when exactly three ASCII digits start at i and end a word.
  bool GroupAt(std::size_t i) const {
    return i + 3 <= s_.size() && IsAsciiDigit(s_[i]) && IsAsciiDigit(s_[i + 1]) &&
           IsAsciiDigit(s_[i + 2]) && At(i + 3).kind == Kind::kOther;
  }

  // Length of a colon inflection suffix (":s", ":en", ":arna") starting at the colon at i.
  std::size_t ColonSuffixAt(std::size_t i) const {
    std::size_t k = i + 1;
    unsigned letters = 0;
    for (Char c = At(k); c.kind == Kind::kLower; c = At(k)) {
      if (++letters > 4) return 0;
      k += c.len;
    }
    return letters > 0 && At(k).kind == Kind::kOther ? k - i : 0;
  }

  // A word, number or hyphenated word starting at a word character; returns its end.
  std::size_t ScanUnit(std::size_t start) {
    raw_.clear();
    parts_.clear();
    alnum_ = 0;
    Part part{start, start, 0, 0};
    // Swedish writes "10 000 kr"; joining the groups lets "10000", "10 000" and its NBSP form
    // meet, where "10" + "000" would never match a query for "10000". The cost is joining two
    // numbers that merely stand side by side ("kapitel 5 100 deltagare"), which the rules
    // keep rare: the lead is a bare ASCII number of 1-3 digits not starting with 0 (no years,
    // phone or postal numbers), each group exactly 3 digits ending a word, one space between.
    bool plain_number = true, grouped = false;
    Kind last = Kind::kOther;
    std::size_t i = start;
    while (true) {
      const std::size_t run_begin = i;
      for (Char c = At(i); c.kind != Kind::kOther; c = At(i)) {
        Count(c.kind, part);
        plain_number = plain_number && c.cp >= '0' && c.cp <= '9';
        last = c.kind;
        i += c.len;
      }
      raw_.append(s_.substr(run_begin, i - run_begin));
      part.end = i;
      const Char joiner = At(i);
      const Char next = At(i + joiner.len);
      if (joiner.cp == ':' && (last == Kind::kUpper || last == Kind::kDigit)) {
        if (const std::size_t suffix = ColonSuffixAt(i)) part.end = i + suffix;
        break;
      }
      if (next.kind == Kind::kOther) break;  // every joiner needs a word character after it
      if (IsHyphen(joiner.cp)) {
        part.raw_end = raw_.size();
        parts_.push_back(part);
        i += joiner.len;
        part = Part{i, i, raw_.size(), 0};
        plain_number = false;
      } else if ((joiner.cp == ',' || joiner.cp == '.') && last == Kind::kDigit &&
                 next.kind == Kind::kDigit) {
        raw_.push_back(static_cast<char>(joiner.cp));
        i += 1;
        plain_number = false;
      } else if (IsApostrophe(joiner.cp) || joiner.cp == 0xAD) {  // dropped, no split
        i += joiner.len;
        plain_number = false;
      } else if (IsGroupSpace(joiner.cp) && plain_number &&
                 (grouped || (raw_.size() <= 3 && raw_[0] != '0')) && GroupAt(i + joiner.len)) {
        i += joiner.len;
        grouped = true;
      } else {
        break;
      }
    }
    part.raw_end = raw_.size();
    parts_.push_back(part);
    return part.end;
  }

  void EmitUnit() {
    if (alnum_ == 0) return;  // connector punctuation only ("____")
    auto make = [this](const Part& p, TokenKind kind, unsigned position) {
      Token t{{}, kind, position, p.begin, p.end, p.upper >= 2 && p.lower == 0};
      t.text.reserve(p.raw_end - p.raw_begin);
      AppendComposed<true>(t.text,
                           std::string_view(raw_).substr(p.raw_begin, p.raw_end - p.raw_begin));
      return t;
    };
    if (parts_.size() == 1) {
      tokens_.push_back(make(parts_.front(), TokenKind::kWord, position_++));
      return;
    }
    const std::size_t whole = tokens_.size();
    tokens_.push_back(Token{{}, TokenKind::kCompoundWhole, position_, parts_.front().begin,
                            parts_.back().end, false});
    unsigned upper = 0, lower = 0;
    for (const Part& p : parts_) {
      tokens_.push_back(make(p, TokenKind::kCompoundPart, position_++));
      tokens_[whole].text += tokens_.back().text;
      upper += p.upper;
      lower += p.lower;
    }
    tokens_[whole].all_caps = upper >= 2 && lower == 0;
  }

  std::string_view s_;
  std::vector<Token> tokens_;
  std::vector<Part> parts_;  // of the unit being scanned
  std::string raw_;          // its word characters as written, joiners dropped
  unsigned alnum_ = 0;       // its letters and digits
  unsigned position_ = 0;
};

}  // namespace

std::string ComposeLatin(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  AppendComposed<false>(out, utf8);
  return out;
}

std::string Lowercase(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    const Decoded d = Decode(utf8, i);
    i += d.len;
    Append(out, ToLower(d.cp));
  }
  return out;
}

std::string FoldDiacritics(std::string_view lower_utf8) {
  std::string out;
  out.reserve(lower_utf8.size());
  for (std::size_t i = 0; i < lower_utf8.size();) {
    const Decoded d = Decode(lower_utf8, i);
    i += d.len;
    if (IsCombiningMark(d.cp)) continue;
    if (const char* folded = FoldOf(d.cp)) out += folded;
    else Append(out, d.cp);
  }
  return out;
}

bool HasDiacritics(std::string_view lower_utf8) {
  for (std::size_t i = 0; i < lower_utf8.size();) {
    const Decoded d = Decode(lower_utf8, i);
    i += d.len;
    if (IsCombiningMark(d.cp) || FoldOf(d.cp)) return true;
  }
  return false;
}

// CodePointCount is defined in fuzzy.cc, which declared it first (see tokenizer.h).

bool IsWordChar(unsigned code_point) { return Classify(code_point) != Kind::kOther; }

std::vector<Token> Tokenize(std::string_view text) { return Scanner(text).Run(); }

bool IsValidUtf8(std::string_view s) {
  for (std::size_t i = 0, len; i < s.size(); i += len) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    len = c < 0x80 ? 1 : c < 0xC2 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF5 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    // The second byte's range is narrower after E0, ED, F0 and F4 (Unicode table 3-7): no
    // overlong forms, no surrogates, nothing above U+10FFFF.
    const unsigned char second = static_cast<unsigned char>(len > 1 ? s[i + 1] : 0);
    const unsigned char lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
    const unsigned char hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
    if (len > 1 && (second < lo || second > hi)) return false;
    for (std::size_t k = 2; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
  }
  return true;
}

std::string Latin1ToUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (unsigned char c : s) {
    if (c >= 0x80) out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(c < 0x80 ? c : 0x80 | (c & 0x3F));
  }
  return out;
}

}  // namespace afori::stemming

#include "stemming/collation.h"

#include <cstdint>

#include <xapian.h>

#include "stemming/tokenizer.h"

namespace afori::stemming {
namespace {

namespace U = Xapian::Unicode;

// Key layout: primary weights, 0x00, secondary weights, 0x00, tertiary weights, 0x00, the
// composed text. Every weight starts with a byte above 0x00 and its first byte fixes its
// length, so a text that is a prefix of another at some level compares lower there, and no
// weight can be mistaken for the start of the next level.
constexpr char kLevelSeparator = '\x00';

// Primary lead bytes. Their numeric order is the alphabet; the gaps are not significant.
constexpr unsigned char kAsciiDigit = 0x10;   // + digit value, one byte
constexpr unsigned char kOtherNumber = 0x1A;  // + 3 bytes of code point ("²", "½", "٣")
constexpr unsigned char kLetterA = 0x20;      // a..z: 0x20..0x39, one byte
constexpr unsigned char kLetterY = kLetterA + ('y' - 'a');
constexpr unsigned char kLetterAring = 0x3A;  // å
constexpr unsigned char kLetterAuml = 0x3B;   // ä
constexpr unsigned char kLetterOuml = 0x3C;   // ö
constexpr unsigned char kOtherLetter = 0x40;  // + 3 bytes of lowercase code point

// Secondary: an unaccented letter weighs one byte, an accented one a marker plus its lowercase
// code point, so that accents order among themselves deterministically.
constexpr unsigned char kPlain = 0x01;
constexpr unsigned char kAccented = 0x02;  // + 2 bytes of code point (all below U+0370)

// Tertiary: lowercase first, as Swedish dictionaries list "energi" before "Energi".
constexpr unsigned char kLower = 0x01;
constexpr unsigned char kUpper = 0x02;

struct Levels {
  std::string primary, secondary, tertiary;

  // One collation element: a primary weight with its accent (0 = none) and case.
  void Add(std::string_view primary_weight, unsigned accent, bool upper) {
    primary += primary_weight;
    if (accent == 0) {
      secondary.push_back(static_cast<char>(kPlain));
    } else {
      secondary.push_back(static_cast<char>(kAccented));
      secondary.push_back(static_cast<char>((accent >> 8) & 0xFF));
      secondary.push_back(static_cast<char>(accent & 0xFF));
    }
    tertiary.push_back(static_cast<char>(upper ? kUpper : kLower));
  }

  void AddByte(unsigned char weight, unsigned accent, bool upper) {
    const char byte = static_cast<char>(weight);
    Add(std::string_view(&byte, 1), accent, upper);
  }

  void AddWide(unsigned char lead, unsigned cp, bool upper) {
    const char bytes[4] = {static_cast<char>(lead), static_cast<char>((cp >> 16) & 0xFF),
                           static_cast<char>((cp >> 8) & 0xFF), static_cast<char>(cp & 0xFF)};
    Add(std::string_view(bytes, 4), 0, upper);
  }

  // A combining mark that did not compose with its base (a second mark, or a base without a
  // precomposed form) still tells texts apart, but only as an accent: it has no letter of its
  // own to file under.
  void AddStrayMark(unsigned cp) {
    secondary.push_back(static_cast<char>(kAccented));
    secondary.push_back(static_cast<char>((cp >> 8) & 0xFF));
    secondary.push_back(static_cast<char>(cp & 0xFF));
  }
};

// The Swedish alphabet's own letters and the foreign letters Swedish files under them. These
// must be decided before accent folding, which would turn å, ä and ö into a and o.
bool AddSwedishLetter(unsigned lower, bool upper, Levels& levels) {
  switch (lower) {
    case 0xE5: levels.AddByte(kLetterAring, 0, upper); return true;      // å
    case 0xE4: levels.AddByte(kLetterAuml, 0, upper); return true;       // ä
    case 0xE6: levels.AddByte(kLetterAuml, lower, upper); return true;   // æ
    case 0xF6: levels.AddByte(kLetterOuml, 0, upper); return true;       // ö
    case 0xF8:                                                           // ø
    case 0x151:                                                          // ő
    case 0x153: levels.AddByte(kLetterOuml, lower, upper); return true;  // œ
    case 0xFC:                                                           // ü
    case 0x171: levels.AddByte(kLetterY, lower, upper); return true;     // ű
    default: return false;
  }
}

// Other accented Latin letters file under the letters FoldDiacritics gives ("é" -> "e",
// "ß" -> "ss"): one fold table for search and sorting, so the two cannot disagree about what
// a letter's base is. The accent goes on the first element of an expansion only.
bool AddFoldedLetter(unsigned lower, bool upper, Levels& levels) {
  if (lower < 0xC0 || lower > 0x17F) return false;
  std::string letter;
  U::append_utf8(letter, lower);
  const std::string folded = FoldDiacritics(letter);
  if (folded.empty() || folded == letter) return false;
  for (char c : folded) {
    if (c < 'a' || c > 'z') return false;
  }
  unsigned accent = lower;
  for (char c : folded) {
    levels.AddByte(static_cast<unsigned char>(kLetterA + (c - 'a')), accent, upper);
    accent = 0;
  }
  return true;
}

bool IsNumber(unsigned cp) {
  switch (U::get_category(cp)) {
    case U::DECIMAL_DIGIT_NUMBER:
    case U::LETTER_NUMBER:
    case U::OTHER_NUMBER: return true;
    default: return false;
  }
}

bool IsMark(unsigned cp) {
  switch (U::get_category(cp)) {
    case U::NON_SPACING_MARK:
    case U::ENCLOSING_MARK:
    case U::COMBINING_SPACING_MARK: return true;
    default: return false;
  }
}

void AddCodePoint(unsigned cp, Levels& levels) {
  if (cp < 0x80) {
    if (cp >= '0' && cp <= '9') {
      levels.AddByte(static_cast<unsigned char>(kAsciiDigit + (cp - '0')), 0, false);
    } else if (cp >= 'a' && cp <= 'z') {
      levels.AddByte(static_cast<unsigned char>(kLetterA + (cp - 'a')), 0, false);
    } else if (cp >= 'A' && cp <= 'Z') {
      levels.AddByte(static_cast<unsigned char>(kLetterA + (cp - 'A')), 0, true);
    }
    return;  // ASCII spaces, punctuation and symbols (and '_') are ignorable
  }
  if (IsMark(cp)) {
    levels.AddStrayMark(cp);
    return;
  }
  // Connector punctuation ("_"-like) counts as a word character for Tokenize but, like any
  // punctuation, carries no letter.
  if (!IsWordChar(cp) || U::get_category(cp) == U::CONNECTOR_PUNCTUATION) return;
  const auto lower = static_cast<unsigned>(U::tolower(cp));
  const bool upper = lower != cp;
  if (lower < 0x80) {  // "İ" lowercases to ASCII "i"
    if (lower >= 'a' && lower <= 'z') {
      levels.AddByte(static_cast<unsigned char>(kLetterA + (lower - 'a')), 0, upper);
    }
    return;
  }
  if (AddSwedishLetter(lower, upper, levels)) return;
  if (AddFoldedLetter(lower, upper, levels)) return;
  levels.AddWide(IsNumber(lower) ? kOtherNumber : kOtherLetter, lower, upper);
}

}  // namespace

std::string SwedishSortKey(std::string_view text) {
  // ComposeLatin also replaces invalid UTF-8, so the iterator below only sees valid text.
  const std::string composed = ComposeLatin(text);
  Levels levels;
  for (Xapian::Utf8Iterator it(composed); it != Xapian::Utf8Iterator(); ++it) {
    AddCodePoint(*it, levels);
  }
  std::string key;
  key.reserve(levels.primary.size() + levels.secondary.size() + levels.tertiary.size() +
              composed.size() + 3);
  key += levels.primary;
  key += kLevelSeparator;
  key += levels.secondary;
  key += kLevelSeparator;
  key += levels.tertiary;
  key += kLevelSeparator;
  key += composed;
  return key;
}

}  // namespace afori::stemming

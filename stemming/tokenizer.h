// Tokenizer: Unicode normalisation and word splitting for Swedish text.
//
// The indexer and searchd both split text with Tokenize, so a word in a document and the same
// word in a query always become the same token; two tokenizers would drift apart one edge case
// at a time (a hyphen, a decomposed "ä", a thousands separator) and each drift silently loses
// matches. Normalisation is deliberately narrow and ICU-free: composition of the Latin letters
// Swedish text meets, simple Unicode lowercasing (Xapian's tables) and accent folding.
//
// Every function here is pure: no global state, no locale, safe to call from any thread.
// Input is UTF-8; invalid bytes never reach an output string (they become U+FFFD, which
// Tokenize treats as a separator).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace afori::stemming {

// Canonical composition for the Latin letters Swedish text meets: a base letter followed by a
// combining mark (U+0300..U+036F) becomes the precomposed letter where one exists in Latin-1
// Supplement or Latin Extended-A (a + U+0308 -> ä, A + U+030A -> Å, e + U+0301 -> é). Only the
// mark directly after the base composes; a second mark stays as it is. Two canonical singletons
// that Swedish text does meet are replaced as NFC would: the angstrom sign U+212B -> Å and the
// kelvin sign U+212A -> K. Other text is unchanged; invalid UTF-8 becomes U+FFFD (one per
// maximal invalid subsequence, as the Unicode standard recommends).
std::string ComposeLatin(std::string_view utf8);

// Simple (one-to-one) Unicode lowercase of composed text: Å -> å, É -> é, Ü -> ü.
std::string Lowercase(std::string_view utf8);

// Removes diacritics so that queries typed without å/ä/ö still match: å ä à á -> a,
// ö ø ó -> o, é è ê ë -> e, ü -> u, ñ -> n, ç -> c, ý ÿ -> y, æ -> ae, œ -> oe, ß -> ss,
// ł -> l, đ ð -> d, þ -> th. Covers Latin-1 Supplement and Latin Extended-A; stray combining
// marks (U+0300..U+036F) are dropped. Meant for lowercase input, but capitals fold as well
// (Å -> A) rather than slipping through.
std::string FoldDiacritics(std::string_view lower_utf8);

// True when the text holds a letter or mark that FoldDiacritics folds (lets callers skip a
// folded duplicate); invalid UTF-8, which FoldDiacritics would also replace, does not count.
bool HasDiacritics(std::string_view lower_utf8);

// Debian's word lists (wswedish) are ISO-8859-1: readers of them convert lines that are not
// valid UTF-8 with these.
bool IsValidUtf8(std::string_view bytes);
std::string Latin1ToUtf8(std::string_view latin1);

// Code points in the text; each invalid byte counts as one. The same function as in
// stemming/fuzzy.h (one definition, in fuzzy.cc), declared here too so that callers of this
// module need not include the fuzzy matcher.
std::size_t CodePointCount(std::string_view utf8);

// Word characters for Tokenize: Xapian::Unicode::is_wordchar (letters, marks, numbers,
// connector punctuation) plus the combining marks U+0300..U+036F.
bool IsWordChar(unsigned code_point);

enum class TokenKind {
  kWord,           // a plain word or number
  kCompoundWhole,  // a hyphenated word as a whole, hyphens removed: "e-tjänst" -> "etjänst"
  kCompoundPart,   // one part of a hyphenated word: "e", "tjänst"
};

struct Token {
  std::string text;  // composed + lowercased
  TokenKind kind;
  // Consecutive for consecutive words. The parts of a hyphenated word take consecutive
  // positions and the whole shares the first part's, so phrases over parts still work.
  unsigned position;
  // Byte range in the input, for highlighting; a whole covers the whole hyphenated word.
  std::size_t begin, end;
  bool all_caps;  // at least 2 letters, all capitals, as written ("LOU", "EU", "ÅÄÖ")
};

// Splits text into tokens; see tokenizer.cc for the reasoning behind each rule.
//  - Words are maximal runs of IsWordChar characters.
//  - A hyphen (U+002D, U+2010, U+2011) between two word characters joins a hyphenated word:
//    "e-tjänst" yields the whole "etjänst" (kCompoundWhole) followed by "e" and "tjänst"
//    (kCompoundPart). Dashes (en dash U+2013, em dash, minus) never join: Swedish uses the
//    en dash for ranges ("2019–2020") and as a spaced dash, neither of which is one word.
//  - A decimal comma or point between digits stays in the token: "2,5", "1.5", "14.30".
//  - Thousands groups: a number of 1-3 digits not starting with 0, followed by groups of
//    exactly 3 digits each after a single space, NBSP, thin space or narrow NBSP, is one
//    token without the spaces: "10 000" -> "10000", "1 500 000,50" -> "1500000,50".
//    "2023 200" (4-digit lead, a year), "08 123 45 67" (leading 0, a phone number) and
//    "123 45" (postal code) do not join.
//  - An apostrophe (U+0027, U+2019) between word characters neither splits nor stays:
//    "Europa's" -> "europas", which is also the Swedish genitive the stemmer knows.
//  - A soft hyphen (U+00AD) between word characters is invisible: it neither splits nor stays.
//  - Swedish inflects abbreviations and numbers after a colon ("EU:s", "FKU:n", "30:e"): a
//    colon after a capital or digit followed by 1-4 lowercase letters and a word end is
//    absorbed, the token is the abbreviation ("eu") and its range covers "EU:s".
//  - Dotted abbreviations become one token without dots: "E.U." -> "eu", "t.ex." -> "tex",
//    "fr.o.m." -> "from". Required: two or more letter segments of at most 3 letters each,
//    at least one of a single letter, separated by single dots (so "afori.se" stays apart).
//  - Runs of connector punctuation alone ("_____" lines in forms) are not tokens.
// Empty or whitespace-only text yields no tokens. Each token is composed and lowercased, so
// decomposed "a\u0308" and precomposed "ä" give the same text.
std::vector<Token> Tokenize(std::string_view text);

}  // namespace afori::stemming

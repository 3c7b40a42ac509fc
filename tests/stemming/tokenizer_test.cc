#include "stemming/tokenizer.h"

#include <gtest/gtest.h>

#include <xapian.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace afori::stemming {
namespace {

using namespace std::string_view_literals;

// Tokens as "text/kind+position", kind w(ord), c(ompound whole), p(art); "!" marks all_caps.
std::string Render(const std::vector<Token>& tokens) {
  std::string out;
  for (const Token& t : tokens) {
    if (!out.empty()) out += ' ';
    out += t.text + '/';
    out += t.kind == TokenKind::kWord ? 'w' : t.kind == TokenKind::kCompoundWhole ? 'c' : 'p';
    out += std::to_string(t.position);
    if (t.all_caps) out += '!';
  }
  return out;
}

// The input bytes each token's range covers, joined by "|".
std::string Surfaces(std::string_view input, const std::vector<Token>& tokens) {
  std::string out;
  for (const Token& t : tokens) {
    if (!out.empty()) out += '|';
    out += input.substr(t.begin, t.end - t.begin);
  }
  return out;
}

struct StringCase {
  const char* name;
  std::string_view input;
  std::string_view expected;
};
std::string CaseName(const ::testing::TestParamInfo<StringCase>& info) { return info.param.name; }

class TokenizerComposeTest : public ::testing::TestWithParam<StringCase> {};
TEST_P(TokenizerComposeTest, ComposesLatinLetters) {
  EXPECT_EQ(ComposeLatin(GetParam().input), GetParam().expected);
}
INSTANTIATE_TEST_SUITE_P(
    Table, TokenizerComposeTest,
    ::testing::Values(
        StringCase{"a_diaeresis", "ma\u0308rkning", "märkning"},
        StringCase{"capital_ring", "A\u030Arsta", "Årsta"},
        StringCase{"capital_diaeresis", "A\u0308LVDALEN O\u0308REBRO", "ÄLVDALEN ÖREBRO"},
        StringCase{"acute", "e\u0301", "é"}, StringCase{"u_diaeresis", "u\u0308", "ü"},
        StringCase{"tilde", "n\u0303", "ñ"}, StringCase{"cedilla", "c\u0327", "ç"},
        StringCase{"caron", "s\u030C Z\u030C", "š Ž"}, StringCase{"ogonek", "e\u0328", "ę"},
        StringCase{"double_acute", "o\u030B", "ő"},
        StringCase{"y_diaeresis", "Y\u0308y\u0308", "Ÿÿ"},
        StringCase{"acute_tone_mark", "e\u0341", "é"},  // U+0341 is canonically U+0301
        StringCase{"angstrom_sign", "\u212Bngstr\u00F6m", "Ångström"},
        StringCase{"second_mark_stays", "a\u0308\u0301", "ä\u0301"},
        StringCase{"no_precomposed_form", "x\u0308 i\u0307", "x\u0308 i\u0307"},
        StringCase{"mark_without_base", "\u0308a", "\u0308a"},
        StringCase{"precomposed_unchanged", "räksmörgås", "räksmörgås"},
        StringCase{"other_scripts_unchanged", "日本 Ελλάδα 😀", "日本 Ελλάδα 😀"},
        StringCase{"latin1_byte", "k\xE4rlek", "k\uFFFDrlek"},
        StringCase{"truncated_sequence", "\xE2\x82" "A", "\uFFFDA"},
        StringCase{"truncated_at_end", "a\xCC", "a\uFFFD"},
        StringCase{"overlong", "\xC0\xAF", "\uFFFD\uFFFD"},
        StringCase{"surrogate", "\xED\xA0\x80", "\uFFFD\uFFFD\uFFFD"},
        StringCase{"above_max", "\xF4\x90\x80\x80", "\uFFFD\uFFFD\uFFFD\uFFFD"},
        StringCase{"nul_kept", "a\0b"sv, "a\0b"sv}),
    CaseName);

class TokenizerLowercaseTest : public ::testing::TestWithParam<StringCase> {};
TEST_P(TokenizerLowercaseTest, Lowercases) {
  EXPECT_EQ(Lowercase(GetParam().input), GetParam().expected);
}
INSTANTIATE_TEST_SUITE_P(
    Table, TokenizerLowercaseTest,
    ::testing::Values(StringCase{"swedish", "ÅÄÖÉÜ", "åäöéü"},
                      StringCase{"mixed", "Upphandling LOU", "upphandling lou"},
                      StringCase{"latin_extended", "ŸŁŒ", "ÿłœ"},
                      StringCase{"greek", "ΑΘΗΝΑ", "αθηνα"},
                      StringCase{"already_lower", "åäö 123", "åäö 123"},
                      StringCase{"invalid", "\xC5", "\uFFFD"}),
    CaseName);

class TokenizerFoldTest : public ::testing::TestWithParam<StringCase> {};
TEST_P(TokenizerFoldTest, FoldsDiacritics) {
  const std::string folded = FoldDiacritics(GetParam().input);
  EXPECT_EQ(folded, GetParam().expected);
  EXPECT_EQ(HasDiacritics(GetParam().input), folded != GetParam().input);
}
INSTANTIATE_TEST_SUITE_P(
    Table, TokenizerFoldTest,
    ::testing::Values(StringCase{"swedish", "räksmörgås", "raksmorgas"},
                      StringCase{"a_family", "åäàáâã", "aaaaaa"},
                      StringCase{"o_family", "öøóòôõ", "oooooo"},
                      StringCase{"e_family", "éèêë", "eeee"},
                      StringCase{"u_i_family", "üúùû íìîï", "uuuu iiii"},
                      StringCase{"n_c_y", "ñ ç ýÿ", "n c yy"},
                      StringCase{"ligatures", "æ œ ß", "ae oe ss"},
                      StringCase{"extended_a", "łódź šč ğ ı đ þ", "lodz sc g i d th"},
                      StringCase{"decomposed_mark_dropped", "a\u0308", "a"},
                      StringCase{"capitals_fold_too", "ÅÄÖ", "AAO"},
                      StringCase{"plain", "upphandling 2027", "upphandling 2027"},
                      StringCase{"not_letters", "× ÷ ¼", "× ÷ ¼"},
                      StringCase{"other_scripts", "日本 αβ", "日本 αβ"}),
    CaseName);

TEST(TokenizerFoldTableTest, EveryFoldedLetterIsPlainAndHasDiacriticsAgrees) {
  for (unsigned cp = 0x20; cp < 0x400; ++cp) {
    std::string s;
    Xapian::Unicode::append_utf8(s, cp);
    const std::string folded = FoldDiacritics(s);
    EXPECT_EQ(HasDiacritics(s), folded != s) << "U+" << std::hex << cp;
    if (folded != s) {
      for (char c : folded) EXPECT_TRUE(c >= 0x20 && c < 0x7F) << "U+" << std::hex << cp;
    }
  }
  EXPECT_FALSE(HasDiacritics(""));
  EXPECT_EQ(FoldDiacritics(""), "");
}

TEST(TokenizerCodePointCountTest, CountsCodePoints) {
  EXPECT_EQ(CodePointCount(""), 0u);
  EXPECT_EQ(CodePointCount("lou"), 3u);
  EXPECT_EQ(CodePointCount("åäö"), 3u);
  EXPECT_EQ(CodePointCount("a\u0308"), 2u);  // not composed: base and mark
  EXPECT_EQ(CodePointCount("😀"), 1u);
  EXPECT_EQ(CodePointCount("k\xE4rlek"), 6u);
}

TEST(TokenizerWordCharTest, MatchesXapianPlusCombiningMarks) {
  for (unsigned cp = 0; cp <= 0x110000; ++cp) {
    const bool expected = Xapian::Unicode::is_wordchar(cp) || (cp >= 0x300 && cp <= 0x36F);
    ASSERT_EQ(IsWordChar(cp), expected) << "U+" << std::hex << cp;
  }
}

struct TokenCase {
  const char* name;
  std::string_view input;
  const char* tokens;    // Render()
  const char* surfaces;  // Surfaces(), or nullptr when not checked
};

class TokenizeTest : public ::testing::TestWithParam<TokenCase> {};
TEST_P(TokenizeTest, Splits) {
  const std::vector<Token> tokens = Tokenize(GetParam().input);
  EXPECT_EQ(Render(tokens), GetParam().tokens);
  if (GetParam().surfaces != nullptr) {
    EXPECT_EQ(Surfaces(GetParam().input, tokens), GetParam().surfaces);
  }
}
std::string TokenCaseName(const ::testing::TestParamInfo<TokenCase>& info) {
  return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(
    Basics, TokenizeTest,
    ::testing::Values(
        TokenCase{"empty", "", "", ""},
        TokenCase{"whitespace_only", " \t\r\n\u00A0\u2009 ", "", ""},
        TokenCase{"punctuation_only", "... -- – — !? ( ) «»", "", ""},
        TokenCase{"plain_words", "Upphandling av innovation", "upphandling/w0 av/w1 innovation/w2",
                  "Upphandling|av|innovation"},
        TokenCase{"decomposed_a", "ma\u0308rkning", "märkning/w0", "ma\u0308rkning"},
        TokenCase{"decomposed_capitals", "A\u030Arsredovisning O\u0308STERSUND A\u0308",
                  "årsredovisning/w0 östersund/w1! ä/w2", nullptr},
        TokenCase{"lowercases_swedish", "ÅÄÖ Éclair ÜBER", "åäö/w0! éclair/w1 über/w2!", nullptr},
        TokenCase{"punctuation_and_quotes",
                  "”Innovation”, sa hon. «Bra!» (se bilaga) \"citat\" 'ord' [1] {x} <b>",
                  "innovation/w0 sa/w1 hon/w2 bra/w3 se/w4 bilaga/w5 citat/w6 ord/w7 1/w8 x/w9 "
                  "b/w10",
                  nullptr},
        TokenCase{"connector_runs_dropped", "Namn: ______ a_b __x", "namn/w0 a_b/w1 __x/w2",
                  nullptr},
        TokenCase{"nul_separates", "abc\0def\0"sv, "abc/w0 def/w1", "abc|def"},
        TokenCase{"other_scripts", "日本語 Ελλάδα", "日本語/w0 ελλάδα/w1", nullptr},
        TokenCase{"soft_hyphen_invisible", "upp\u00ADhandling", "upphandling/w0",
                  "upp\u00ADhandling"}),
    TokenCaseName);

INSTANTIATE_TEST_SUITE_P(
    Hyphens, TokenizeTest,
    ::testing::Values(
        TokenCase{"e_tjanst", "e-tjänst", "etjänst/c0 e/p0 tjänst/p1", "e-tjänst|e|tjänst"},
        TokenCase{"lou_upphandling", "LOU-upphandling",
                  "louupphandling/c0 lou/p0! upphandling/p1", nullptr},
        TokenCase{"covid", "Covid-19 och COVID-19",
                  "covid19/c0 covid/p0 19/p1 och/w2 covid19/c3! covid/p3! 19/p4", nullptr},
        TokenCase{"three_parts", "Sverige-Norge-Finland samarbetar",
                  "sverigenorgefinland/c0 sverige/p0 norge/p1 finland/p2 samarbetar/w3",
                  "Sverige-Norge-Finland|Sverige|Norge|Finland|samarbetar"},
        TokenCase{"unicode_hyphens", "e\u2010tjänst e\u2011faktura",
                  "etjänst/c0 e/p0 tjänst/p1 efaktura/c2 e/p2 faktura/p3", nullptr},
        TokenCase{"spaced_en_dash", "Stockholm – Göteborg", "stockholm/w0 göteborg/w1", nullptr},
        TokenCase{"unspaced_dashes", "2019–2020 ja—nej 5−3",
                  "2019/w0 2020/w1 ja/w2 nej/w3 5/w4 3/w5", nullptr},
        TokenCase{"loose_hyphens", "-e- a--b e- - x", "e/w0 a/w1 b/w2 e/w3 x/w4", nullptr},
        TokenCase{"decomposed_part", "O\u0308-tjänst", "ötjänst/c0 ö/p0 tjänst/p1",
                  "O\u0308-tjänst|O\u0308|tjänst"}),
    TokenCaseName);

INSTANTIATE_TEST_SUITE_P(
    Numbers, TokenizeTest,
    ::testing::Values(
        TokenCase{"years", "År 2027 och 42 st", "år/w0 2027/w1 och/w2 42/w3 st/w4", nullptr},
        TokenCase{"decimals", "2,5 procent 1.5 kl. 14.30",
                  "2,5/w0 procent/w1 1.5/w2 kl/w3 14.30/w4", "2,5|procent|1.5|kl|14.30"},
        TokenCase{"decimal_in_compound", "3,5-procentig", "3,5procentig/c0 3,5/p0 procentig/p1",
                  nullptr},
        TokenCase{"not_decimals", "2, 5 och 5. ,5 a,b", "2/w0 5/w1 och/w2 5/w3 5/w4 a/w5 b/w6",
                  nullptr},
        TokenCase{"thousands", "10 000 kr", "10000/w0 kr/w1", "10 000|kr"},
        TokenCase{"millions", "1 500 000 invånare", "1500000/w0 invånare/w1", "1 500 000|invånare"},
        TokenCase{"group_spaces", "10\u00A0000 20\u2009000 30\u202F000",
                  "10000/w0 20000/w1 30000/w2", nullptr},
        TokenCase{"grouped_decimal", "1 500 000,50 kr", "1500000,50/w0 kr/w1", nullptr},
        TokenCase{"four_digit_year_not_lead", "Under 2023 200 ansökningar",
                  "under/w0 2023/w1 200/w2 ansökningar/w3", nullptr},
        TokenCase{"phone_number", "08 123 45 67", "08/w0 123/w1 45/w2 67/w3", nullptr},
        TokenCase{"postal_code", "123 45 Stockholm", "123/w0 45/w1 stockholm/w2", nullptr},
        TokenCase{"not_groups", "10  000 10 0000 10 000kr 10\t000 10 00",
                  "10/w0 000/w1 10/w2 0000/w3 10/w4 000kr/w5 10/w6 000/w7 10/w8 00/w9", nullptr},
        TokenCase{"group_then_hyphen", "10 000-kronorsgräns",
                  "10000kronorsgräns/c0 10000/p0 kronorsgräns/p1", nullptr},
        TokenCase{"range_of_amounts", "från 1 150 till 68 ton",
                  "från/w0 1150/w1 till/w2 68/w3 ton/w4", nullptr},
        TokenCase{"time_with_colon", "kl 10:30", "kl/w0 10/w1 30/w2", nullptr}),
    TokenCaseName);

INSTANTIATE_TEST_SUITE_P(
    Abbreviations, TokenizeTest,
    ::testing::Values(
        TokenCase{"all_caps_flag", "LOU EU A Ab AB IoT Å ÅÄ 4G SKR2",
                  "lou/w0! eu/w1! a/w2 ab/w3 ab/w4! iot/w5 å/w6 åä/w7! 4g/w8 skr2/w9!", nullptr},
        TokenCase{"dotted", "t.ex. E.U. U.S.A. fr.o.m. bl.a. m.m. o.s.v.",
                  "tex/w0 eu/w1! usa/w2! from/w3 bla/w4 mm/w5 osv/w6",
                  "t.ex.|E.U.|U.S.A.|fr.o.m.|bl.a.|m.m.|o.s.v."},
        TokenCase{"dotted_without_final_dot", "e.Kr i.e", "ekr/w0 ie/w1", "e.Kr|i.e"},
        TokenCase{"not_dotted", "afori.se bra.Nu fil.pdf A. Andersson a.1",
                  "afori/w0 se/w1 bra/w2 nu/w3 fil/w4 pdf/w5 a/w6 andersson/w7 a/w8 1/w9", nullptr},
        TokenCase{"longest_prefix", "t.ex.Stockholm", "tex/w0 stockholm/w1", "t.ex.|Stockholm"},
        TokenCase{"apostrophes", "Europa's och Europa’s, Lars' 'citat'",
                  "europas/w0 och/w1 europas/w2 lars/w3 citat/w4",
                  "Europa's|och|Europa’s|Lars|citat"},
        TokenCase{"colon_inflection", "EU:s regler, FKU:n och 30:e gången",
                  "eu/w0! regler/w1 fku/w2! och/w3 30/w4 gången/w5",
                  "EU:s|regler|FKU:n|och|30:e|gången"},
        TokenCase{"not_colon_inflection", "Obs:a EU:stödet EU: s EU:S",
                  "obs/w0 a/w1 eu/w2! stödet/w3 eu/w4! s/w5 eu/w6! s/w7", nullptr}),
    TokenCaseName);

INSTANTIATE_TEST_SUITE_P(
    InvalidUtf8, TokenizeTest,
    ::testing::Values(TokenCase{"latin1_letter_separates", "k\xE4rlek", "k/w0 rlek/w1", "k|rlek"},
                      TokenCase{"garbage_only", "\xFF\xFE\x80\xC0", "", ""},
                      TokenCase{"truncated_at_end", "ok\xC3", "ok/w0", "ok"},
                      TokenCase{"truncated_mark", "a\xCC", "a/w0", "a"}),
    TokenCaseName);

struct EquivalentCase {
  const char* name;
  std::string_view composed;
  std::string_view decomposed;
};
class TokenizerEquivalenceTest : public ::testing::TestWithParam<EquivalentCase> {};
TEST_P(TokenizerEquivalenceTest, DecomposedAndPrecomposedGiveEqualTokens) {
  const std::vector<Token> a = Tokenize(GetParam().composed);
  const std::vector<Token> b = Tokenize(GetParam().decomposed);
  EXPECT_EQ(Render(a), Render(b));
  EXPECT_FALSE(a.empty());
}
INSTANTIATE_TEST_SUITE_P(
    Table, TokenizerEquivalenceTest,
    ::testing::Values(
        EquivalentCase{"lower", "märkning för åtgärd",
                       "ma\u0308rkning fo\u0308r a\u030Atga\u0308rd"},
        EquivalentCase{"capitals", "ÅÄÖ Åsa", "A\u030AA\u0308O\u0308 A\u030Asa"},
        EquivalentCase{"accents", "café señor", "cafe\u0301 sen\u0303or"},
        EquivalentCase{"hyphenated", "Ö-tjänst", "O\u0308-tja\u0308nst"}),
    [](const ::testing::TestParamInfo<EquivalentCase>& info) { return info.param.name; });

TEST(TokenizerTest, ReportsExactByteRanges) {
  const std::vector<Token> tokens = Tokenize("Se e-tjänst, 10 000 kr.");
  ASSERT_EQ(tokens.size(), 6u);
  EXPECT_EQ(tokens[0].begin, 0u);
  EXPECT_EQ(tokens[0].end, 2u);
  EXPECT_EQ(tokens[1].kind, TokenKind::kCompoundWhole);
  EXPECT_EQ(tokens[1].begin, 3u);
  EXPECT_EQ(tokens[1].end, 12u);  // "tjänst" is 7 bytes
  EXPECT_EQ(tokens[2].begin, 3u);
  EXPECT_EQ(tokens[2].end, 4u);
  EXPECT_EQ(tokens[3].begin, 5u);
  EXPECT_EQ(tokens[3].end, 12u);
  EXPECT_EQ(tokens[4].text, "10000");
  EXPECT_EQ(tokens[4].begin, 14u);
  EXPECT_EQ(tokens[4].end, 20u);
  EXPECT_EQ(tokens[5].begin, 21u);
  EXPECT_EQ(tokens[5].end, 23u);
}

TEST(TokenizerTest, LongInput) {
  const std::string sentence = "Upphandlingen av e-tjänster kostade 10 000 kr, t.ex. i Årsta. ";
  std::string text;
  constexpr int kRepeats = 20000;  // about 1.3 MB
  for (int i = 0; i < kRepeats; ++i) text += sentence;
  const std::vector<Token> tokens = Tokenize(text);
  // upphandlingen av etjänster e tjänster kostade 10000 kr tex i årsta: 11 tokens, 10 positions
  ASSERT_EQ(tokens.size(), 11u * kRepeats);
  EXPECT_EQ(tokens.back().text, "årsta");
  EXPECT_EQ(tokens.back().position, 10u * kRepeats - 1);
  EXPECT_EQ(tokens.back().end, text.size() - 2);

  const std::string word(1 << 20, 'a');
  const std::vector<Token> one = Tokenize(word);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].text.size(), word.size());

  std::string chain = "a";
  for (int i = 0; i < 50000; ++i) chain += "-b";
  const std::vector<Token> parts = Tokenize(chain);
  ASSERT_EQ(parts.size(), 50002u);
  EXPECT_EQ(parts[0].kind, TokenKind::kCompoundWhole);
  EXPECT_EQ(parts[0].text.size(), 50001u);
  EXPECT_EQ(parts.back().position, 50000u);
}

// Random bytes (a fixed seed, biased towards the bytes the rules look at) must never crash
// and must give well-formed tokens.
TEST(TokenizerTest, ArbitraryBytesGiveWellFormedTokens) {
  constexpr std::string_view kAlphabet = "aZ9 .,-:'_\xC3\xA4\xCC\x88\xE2\x80\x91\xC2\xA0\xFF\0"sv;
  std::uint32_t state = 12345;
  std::string text;
  for (int i = 0; i < 200000; ++i) {
    state = state * 1664525u + 1013904223u;
    const bool any_byte = (state >> 24) % 4 == 0;
    text += any_byte ? static_cast<char>(state >> 16) : kAlphabet[(state >> 8) % kAlphabet.size()];
  }
  unsigned last_position = 0;
  for (const Token& t : Tokenize(text)) {
    ASSERT_FALSE(t.text.empty());
    ASSERT_LT(t.begin, t.end);
    ASSERT_LE(t.end, text.size());
    ASSERT_GE(t.position, last_position);
    ASSERT_EQ(ComposeLatin(t.text), t.text);  // valid UTF-8, already composed
    ASSERT_EQ(Lowercase(t.text), t.text);
    last_position = t.position;
  }
}

}  // namespace
}  // namespace afori::stemming

namespace afori::stemming {
namespace {

TEST(IsValidUtf8Test, FollowsTheUnicodeTable) {
  struct Case {
    std::string bytes;
    bool valid;
  };
  const std::vector<Case> cases = {
      {"", true},
      {"abc", true},
      {"\xc3\xa5\xc3\xa4\xc3\xb6", true},     // åäö
      {"\xe2\x80\xa6", true},                 // …
      {"\xf0\x9f\x98\x80", true},             // an emoji (4 bytes)
      {"\xf4\x8f\xbf\xbf", true},             // U+10FFFF
      {"\xff", false},
      {"\xc3", false},                        // truncated
      {"\xc0\xaf", false},                    // overlong '/'
      {"\xe0\x80\xaf", false},                // overlong, 3 bytes
      {"\xed\xa0\x80", false},                // a surrogate
      {"\xf0\x80\x80\xaf", false},            // overlong, 4 bytes
      {"\xf4\x90\x80\x80", false},            // above U+10FFFF
      {"\xe2\x28\xa1", false},                // bad continuation
      {"\xe5", false},                        // Latin-1 å, as in Debian's word lists
  };
  for (const Case& c : cases) EXPECT_EQ(IsValidUtf8(c.bytes), c.valid) << ::testing::PrintToString(c.bytes);
}

}  // namespace
}  // namespace afori::stemming

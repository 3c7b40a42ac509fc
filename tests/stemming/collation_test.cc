#include "stemming/collation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "stemming/tokenizer.h"

namespace afori::stemming {
namespace {

bool Before(std::string_view a, std::string_view b) {
  return SwedishSortKey(a) < SwedishSortKey(b);
}

std::vector<std::string> SortedSwedish(std::vector<std::string> texts) {
  std::sort(texts.begin(), texts.end(), [](const std::string& a, const std::string& b) {
    return Before(a, b);
  });
  return texts;
}

TEST(SwedishSortKeyTest, TitlesSortAsInASwedishIndex) {
  const std::vector<std::string> expected = {
      "",
      "10 tips för dialog",
      "2030-målen",
      "Avfall",
      "avtal",
      "Avtal",
      "Avtalsuppföljning",
      "cafe",
      "Cafe",
      "café",
      "Café",
      "Elkraft",
      "Émile",
      "Energi",
      "Ubåt",
      "Vatten",
      "Vägledning",
      "Webb",
      "Über",
      "Yrke",
      "Zon",
      "Ål",
      "Åtgärd",
      "Æble",
      "Ägarstyrning",
      "Äpple",
      "Örebro",
      "Ørsted",
      "Östersund",
  };
  std::vector<std::string> shuffled = expected;
  std::mt19937 rng(20240615);
  for (int round = 0; round < 5; ++round) {
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    EXPECT_EQ(SortedSwedish(shuffled), expected);
  }
}

struct OrderCase {
  const char* name;
  std::string_view lower, higher;
};
std::string OrderName(const ::testing::TestParamInfo<OrderCase>& info) { return info.param.name; }
void PrintTo(const OrderCase& c, std::ostream* os) {
  *os << '"' << c.lower << "\" < \"" << c.higher << '"';
}

class SwedishOrderTest : public ::testing::TestWithParam<OrderCase> {};
TEST_P(SwedishOrderTest, OrdersThePair) {
  EXPECT_TRUE(Before(GetParam().lower, GetParam().higher));
  EXPECT_FALSE(Before(GetParam().higher, GetParam().lower));
}
INSTANTIATE_TEST_SUITE_P(
    Table, SwedishOrderTest,
    ::testing::Values(
        OrderCase{"z_before_aring", "zon", "ål"}, OrderCase{"aring_before_auml", "ål", "äl"},
        OrderCase{"auml_before_ouml", "äl", "öl"}, OrderCase{"a_before_aring", "ar", "år"},
        OrderCase{"o_before_ouml", "om", "öm"}, OrderCase{"v_before_w", "vz", "wa"},
        OrderCase{"digit_before_letter", "9", "a"}, OrderCase{"digits_by_digit", "10", "2"},
        OrderCase{"empty_first", "", " "}, OrderCase{"empty_before_digit", "", "0"},
        OrderCase{"prefix_first", "avtal", "avtalet"},
        OrderCase{"case_ignored_primary", "ENERGI", "energibesparing"},
        OrderCase{"lowercase_first", "energi", "Energi"},
        OrderCase{"accent_after_case", "Energi", "énergi"},
        OrderCase{"capital_accent_last", "énergi", "Énergi"},
        OrderCase{"auml_before_ae", "ä", "æ"}, OrderCase{"ouml_before_oslash", "ö", "ø"},
        OrderCase{"y_before_uuml", "y", "ü"}, OrderCase{"ss_before_sharp_s", "ss", "ß"},
        OrderCase{"space_before_letter", "ab c", "abc"},
        OrderCase{"hyphen_before_letter", "e-handel", "ehandel"},
        OrderCase{"stray_mark_is_an_accent", "q", "q\u0301"},
        OrderCase{"stray_mark_not_primary", "q\u0301", "qa"},
        OrderCase{"latin_before_greek", "ö", "α"}, OrderCase{"digit_before_superscript", "9", "²"},
        OrderCase{"superscript_before_letter", "²", "a"}),
    OrderName);

// Texts that file under the same letters: only a later level tells them apart, so a following
// letter decides their order in both directions.
class SwedishPrimaryEqualTest : public ::testing::TestWithParam<OrderCase> {};
TEST_P(SwedishPrimaryEqualTest, FilesUnderTheSameLetters) {
  const std::string a(GetParam().lower), b(GetParam().higher);
  EXPECT_TRUE(Before(a + "a", b + "b"));
  EXPECT_TRUE(Before(b + "a", a + "b"));
  EXPECT_NE(SwedishSortKey(a), SwedishSortKey(b));
}
INSTANTIATE_TEST_SUITE_P(
    Table, SwedishPrimaryEqualTest,
    ::testing::Values(
        OrderCase{"ae_as_auml", "ä", "æ"}, OrderCase{"oslash_as_ouml", "ö", "ø"},
        OrderCase{"oe_ligature_as_ouml", "ö", "œ"}, OrderCase{"uuml_as_y", "y", "ü"},
        OrderCase{"e_acute", "e", "é"}, OrderCase{"e_grave", "e", "è"},
        OrderCase{"e_circumflex", "e", "ê"}, OrderCase{"e_diaeresis", "e", "ë"},
        OrderCase{"a_acute", "a", "á"}, OrderCase{"a_grave", "a", "à"},
        OrderCase{"a_circumflex", "a", "â"}, OrderCase{"c_cedilla", "c", "ç"},
        OrderCase{"n_tilde", "n", "ñ"}, OrderCase{"capital", "å", "Å"},
        OrderCase{"sharp_s", "ss", "ß"}, OrderCase{"thorn", "th", "þ"},
        OrderCase{"space", "abc", "ab c"}, OrderCase{"punctuation", "eus", "EU:s"},
        OrderCase{"capital_dotted_i", "i", "İ"}),
    OrderName);

TEST(SwedishSortKeyTest, DecomposedEqualsComposed) {
  EXPECT_EQ(SwedishSortKey("A\u030Arsta"), SwedishSortKey("Årsta"));
  EXPECT_EQ(SwedishSortKey("ma\u0308rkning"), SwedishSortKey("märkning"));
  EXPECT_EQ(SwedishSortKey("O\u0308rebro"), SwedishSortKey("Örebro"));
  EXPECT_EQ(SwedishSortKey("E\u0301mile"), SwedishSortKey("Émile"));
  EXPECT_EQ(SwedishSortKey("\u212Bngstr\u00F6m"), SwedishSortKey("Ångström"));
  EXPECT_TRUE(Before("a\u030A", "a\u0308"));  // å before ä, however they are written
  EXPECT_TRUE(Before("zzz", "a\u030A"));
}

TEST(SwedishSortKeyTest, EmptyTextHasTheSmallestKey) {
  const std::string empty = SwedishSortKey("");
  EXPECT_EQ(empty, SwedishSortKey(std::string_view()));
  for (std::string_view text : {" ", "-", "0", "a", "A", "å", "\xFF"}) {
    EXPECT_LT(empty, SwedishSortKey(text)) << text;
  }
}

TEST(SwedishSortKeyTest, InvalidUtf8IsIgnorableLikePunctuation) {
  EXPECT_TRUE(Before("ab", "a\xFF" "b"));
  EXPECT_TRUE(Before("a\xFF" "b", "ac"));
}

// Random texts from fragments whose letters are known: wherever the letters differ, the keys
// must order the texts as the Swedish alphabet does; where they agree, the keys must still
// differ unless the texts are the same after composition, and be equal when they are.
struct Fragment {
  std::string_view text;
  std::string_view letters;  // what it files under, in kAlphabet's letters
};
constexpr std::string_view kAlphabet = "0123456789abcdefghijklmnopqrstuvwxyz{|}";  // {|} = åäö
constexpr Fragment kFragments[] = {
    {"a", "a"},   {"A", "a"},   {"å", "{"},        {"a\u030A", "{"}, {"Å", "{"},   {"ä", "|"},
    {"æ", "|"},   {"Ä", "|"},   {"ö", "}"},        {"ø", "}"},       {"Ø", "}"},   {"o", "o"},
    {"e", "e"},   {"é", "e"},   {"E\u0301", "e"},  {"è", "e"},       {"y", "y"},   {"ü", "y"},
    {"Ü", "y"},   {"v", "v"},   {"w", "w"},        {"z", "z"},       {"ß", "ss"},  {"ss", "ss"},
    {"s", "s"},   {"1", "1"},   {"9", "9"},        {" ", ""},        {"-", ""},    {"\xFF", ""},
};

TEST(SwedishSortKeyTest, KeyOrderIsTheAlphabetAndTotal) {
  std::mt19937 rng(614002);
  std::uniform_int_distribution<std::size_t> pick(0, std::size(kFragments) - 1);
  std::uniform_int_distribution<int> length(0, 4);
  struct Sample { std::string text, letters, key; };
  std::vector<Sample> samples;
  for (int i = 0; i < 600; ++i) {
    Sample s;
    for (int n = length(rng); n > 0; --n) {
      const Fragment& f = kFragments[pick(rng)];
      s.text += f.text;
      s.letters += f.letters;
    }
    s.key = SwedishSortKey(s.text);
    samples.push_back(std::move(s));
  }
  const auto alphabet_less = [](const std::string& a, const std::string& b) {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                        [](char x, char y) {
                                          return kAlphabet.find(x) < kAlphabet.find(y);
                                        });
  };
  for (const Sample& a : samples) {
    for (const Sample& b : samples) {
      const bool same_text = ComposeLatin(a.text) == ComposeLatin(b.text);
      ASSERT_EQ(a.key == b.key, same_text) << a.text << " | " << b.text;
      if (a.letters != b.letters) {
        ASSERT_EQ(a.key < b.key, alphabet_less(a.letters, b.letters)) << a.text << " | " << b.text;
      }
    }
  }
}

}  // namespace
}  // namespace afori::stemming

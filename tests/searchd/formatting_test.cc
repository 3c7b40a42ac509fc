#include "searchd/formatting.h"

#include <gtest/gtest.h>

#include "stemming/query.h"
#include "tests/test_support.h"

namespace afori::searchd {
namespace {

const stemming::Analyzer& Analyzer() { return testing::SharedAnalyzer(); }

MatchTerms Terms(std::string_view query) {
  const stemming::BuiltQuery built =
      stemming::BuildQuery(query, {&Analyzer(), nullptr, nullptr, nullptr}, {});
  return MatchTerms(built.query, built.prefixes);
}

FormatStyle Brackets() {
  FormatStyle style;
  style.pre_tag = "[";
  style.post_tag = "]";
  style.crop_marker = "...";
  return style;
}

struct HighlightCase {
  const char* query;
  const char* text;
  const char* expected;
};

class HighlightWordsTest : public ::testing::TestWithParam<HighlightCase> {};

TEST_P(HighlightWordsTest, TagsMatchesAndKeepsTheTextAsWritten) {
  const HighlightCase& c = GetParam();
  EXPECT_EQ(HighlightWords(c.text, Terms(c.query), Analyzer(), Brackets()), c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Table, HighlightWordsTest,
    ::testing::Values(
        // Inflections and compounds match as in the search itself.
        HighlightCase{"upphandling", "Upphandlingar och innovationsupphandling",
                      "[Upphandlingar] och [innovationsupphandling]"},
        // No escaping: clients such as InstantSearch escape the text themselves.
        HighlightCase{"energi", "Sol & vind: \"energi\" <nu>", "Sol & vind: \"[energi]\" <nu>"},
        // A hyphenated word is tagged once, as a whole.
        HighlightCase{"tjänst", "En e-tjänst för alla", "En [e-tjänst] för alla"},
        HighlightCase{"cykel", "Inget här matchar", "Inget här matchar"},
        HighlightCase{"", "Ingen fråga alls", "Ingen fråga alls"}),
    [](const auto& info) { return testing::ParamName(info.index, info.param.query); });

struct CropCase {
  const char* query;
  const char* text;
  std::size_t words;
  bool highlight;
  const char* expected;
};

class CropWordsTest : public ::testing::TestWithParam<CropCase> {};

TEST_P(CropWordsTest, CutsAroundTheBestPassage) {
  const CropCase& c = GetParam();
  EXPECT_EQ(CropWords(c.text, c.words, Terms(c.query), Analyzer(), Brackets(), c.highlight),
            c.expected);
}

constexpr const char* kText =
    "Kommunen ville minska matsvinnet i skolorna. Därför gjordes en marknadsdialog med "
    "leverantörer av digitala vågar, och sedan en innovationsupphandling av ett system.";

INSTANTIATE_TEST_SUITE_P(
    Table, CropWordsTest,
    ::testing::Values(
        // Short enough: whole, no markers.
        CropCase{"matsvinn", "Mindre matsvinn i skolan", 10, true, "Mindre [matsvinn] i skolan"},
        // No match: the first words, marker at the end only; punctuation after the last word
        // stays with it.
        CropCase{"cykel", kText, 6, false, "Kommunen ville minska matsvinnet i skolorna...."},
        // The match in the middle of the window, markers on both sides.
        CropCase{"marknadsdialog", kText, 5, true,
                 "...gjordes en [marknadsdialog] med leverantörer..."},
        CropCase{"marknadsdialog", kText, 5, false,
                 "...gjordes en marknadsdialog med leverantörer..."},
        // The window with the most distinct query words wins over an earlier single match.
        CropCase{"system upphandling", kText, 6, true,
                 "...sedan en [innovationsupphandling] av ett [system]."},
        // At the very start: no leading marker.
        CropCase{"kommunen", kText, 4, true, "[Kommunen] ville minska matsvinnet..."},
        CropCase{"kommunen", kText, 0, true, ""}),
    [](const auto& info) {
      return testing::ParamName(info.index, std::string(info.param.query) + "_" +
                                                std::to_string(info.param.words));
    });

TEST(CropWordsTest, KeepsUtf8IntactAndCountsWordsNotBytes) {
  const std::string text = "Åtgärder för ökad återvinning av rivningsmaterial på byggen i Umeå";
  const std::string cropped = CropWords(text, 3, Terms("återvinning"), Analyzer(), Brackets(), true);
  EXPECT_EQ(cropped, "...ökad [återvinning] av...");
}

}  // namespace
}  // namespace afori::searchd

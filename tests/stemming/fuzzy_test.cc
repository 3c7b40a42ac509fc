#include "stemming/fuzzy.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace afori::stemming {
namespace {

using Match = FuzzyLexicon::Match;

struct DistanceCase {
  const char* a;
  const char* b;
  unsigned distance;
};

class EditDistanceTest : public ::testing::TestWithParam<DistanceCase> {};

// Symmetric by definition, so every case is checked both ways round.
TEST_P(EditDistanceTest, CountsCodePointEdits) {
  EXPECT_EQ(EditDistance(GetParam().a, GetParam().b), GetParam().distance);
  EXPECT_EQ(EditDistance(GetParam().b, GetParam().a), GetParam().distance);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, EditDistanceTest,
    ::testing::Values(DistanceCase{"", "", 0}, DistanceCase{"", "abc", 3},
                      DistanceCase{"kommun", "kommun", 0},
                      DistanceCase{"kommun", "kmomun", 1},            // transposition
                      DistanceCase{"upphandlnig", "upphandling", 1},  // transposition
                      DistanceCase{"abcdef", "badcfe", 3},            // three transpositions
                      DistanceCase{"ca", "abc", 3},  // OSA: no edit inside a transposed pair
                      DistanceCase{"kitten", "sitting", 3},
                      DistanceCase{"å", "a", 1},  // two bytes, one character
                      DistanceCase{"ö", "", 1}, DistanceCase{"åäö", "aao", 3},
                      DistanceCase{"leverantör", "leverantor", 1},
                      DistanceCase{"är", "rä", 1},  // multibyte transposition
                      DistanceCase{"välfärd", "valfard", 2},
                      DistanceCase{"marknadsdialg", "marknadsdialog", 1},
                      DistanceCase{"\xff", "", 1},            // invalid byte: one character
                      DistanceCase{"\xc3", "\xc3\xa5", 1},    // truncated "å" is not "å"
                      DistanceCase{"\xed\xa0\x80", "", 3}));  // encoded surrogate: 3 bytes

struct CountCase {
  const char* word;
  std::size_t code_points;
};

class CodePointCountTest : public ::testing::TestWithParam<CountCase> {};

TEST_P(CodePointCountTest, CountsCharacters) {
  EXPECT_EQ(CodePointCount(GetParam().word), GetParam().code_points);
}

INSTANTIATE_TEST_SUITE_P(Cases, CodePointCountTest,
                         ::testing::Values(CountCase{"", 0}, CountCase{"lou", 3},
                                           CountCase{"åäö", 3}, CountCase{"hållbarhet", 10},
                                           CountCase{"\xe2\x82\xac", 1},      // euro sign
                                           CountCase{"\xf0\x9f\x98\x80", 1},  // emoji
                                           CountCase{"\xc0\xaf", 2}));        // overlong

struct TyposCase {
  std::size_t code_points;
  unsigned typos;
};

class AllowedTyposTest : public ::testing::TestWithParam<TyposCase> {};

TEST_P(AllowedTyposTest, FollowsWordLength) {
  EXPECT_EQ(AllowedTypos(GetParam().code_points), GetParam().typos);
}

INSTANTIATE_TEST_SUITE_P(Thresholds, AllowedTyposTest,
                         ::testing::Values(TyposCase{0, 0}, TyposCase{4, 0}, TyposCase{5, 1},
                                           TyposCase{8, 1}, TyposCase{9, 2}, TyposCase{30, 2}));

FuzzyLexicon SwedishLexicon() {
  return FuzzyLexicon({{"upphandling", 900},
                       {"upphandlingar", 300},
                       {"upphandlingen", 400},
                       {"innovationsupphandling", 150},
                       {"marknadsdialog", 120},
                       {"marknadsdialogen", 40},
                       {"leverantör", 250},
                       {"leverantörer", 200},
                       {"kommun", 500},
                       {"kommuner", 300},
                       {"krav", 600},
                       {"kraven", 220},
                       {"kravet", 180},
                       {"kravets", 15},
                       {"avtal", 350},
                       {"avtalet", 160},
                       {"anbud", 280},
                       {"utvärdering", 140},
                       {"hållbarhet", 90},
                       {"miljö", 170},
                       {"miljön", 60},
                       {"välfärdsteknik", 45},
                       {"elbuss", 30},
                       {"elbussar", 25},
                       {"lou", 400},
                       {"lov", 20}});
}

struct FindCase {
  const char* query;
  std::vector<Match> expected;  // with the query's AllowedTypos and a limit of 10
};

class FindTest : public ::testing::TestWithParam<FindCase> {};

TEST_P(FindTest, FindsTheIntendedWords) {
  const FuzzyLexicon lexicon = SwedishLexicon();
  const std::string query = GetParam().query;
  EXPECT_EQ(lexicon.Find(query, AllowedTypos(CodePointCount(query)), 10), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Swedish, FindTest,
    ::testing::Values(
        FindCase{"upphandlnig", {{"upphandling", 1, 900}}},
        FindCase{"marknadsdialg", {{"marknadsdialog", 1, 120}}},
        FindCase{"upphandling",
                 {{"upphandling", 0, 900}, {"upphandlingen", 2, 400}, {"upphandlingar", 2, 300}}},
        FindCase{"valfärdstekink", {{"välfärdsteknik", 2, 45}}},  // 14 letters, 2 typos
        FindCase{"utvardring", {{"utvärdering", 2, 140}}},        // 10 letters, 2 typos
        FindCase{"leverantor", {{"leverantör", 1, 250}}},
        FindCase{"kravet", {{"kravet", 0, 180}, {"kraven", 1, 220}, {"kravets", 1, 15}}},
        FindCase{"miljö", {{"miljö", 0, 170}, {"miljön", 1, 60}}},
        FindCase{"krav", {{"krav", 0, 600}}},
        FindCase{"kräv", {}},  // 4 letters: no typo allowed although "krav" is one edit away
        FindCase{"lpu", {}}, FindCase{"", {}}));

TEST(FuzzyLexiconTest, TwoTyposAreBeyondDistanceOne) {
  EXPECT_TRUE(SwedishLexicon().Find("utvardring", 1, 10).empty());
}

TEST(FuzzyLexiconTest, OrdersByDistanceThenFrequencyThenWord) {
  const FuzzyLexicon lexicon({{"abcd", 5}, {"abce", 5}, {"abcf", 7}, {"abcx", 1}, {"abx", 9}});
  const std::vector<Match> expected = {
      {"abcx", 0, 1}, {"abx", 1, 9}, {"abcf", 1, 7}, {"abcd", 1, 5}, {"abce", 1, 5}};
  EXPECT_EQ(lexicon.Find("abcx", 1, 10), expected);
}

TEST(FuzzyLexiconTest, RespectsTheLimit) {
  const FuzzyLexicon lexicon = SwedishLexicon();
  const std::vector<Match> expected = {{"kravet", 0, 180}, {"kraven", 1, 220}};
  EXPECT_EQ(lexicon.Find("kravet", 1, 2), expected);
  EXPECT_TRUE(lexicon.Find("kravet", 1, 0).empty());
  EXPECT_EQ(lexicon.Find("kravet", 0, 1).size(), 1u);
}

TEST(FuzzyLexiconTest, MergesDuplicatesBySummingFrequencies) {
  const std::uint32_t max = std::numeric_limits<std::uint32_t>::max();
  const FuzzyLexicon lexicon(
      {{"kommun", 2}, {"avtal", 1}, {"kommun", 3}, {"lou", max}, {"lou", 4}});
  EXPECT_EQ(lexicon.size(), 3u);
  EXPECT_EQ(lexicon.Frequency("kommun"), 5u);
  EXPECT_EQ(lexicon.Frequency("lou"), max);  // saturates instead of wrapping
  EXPECT_EQ(lexicon.Find("kommun", 1, 10), std::vector<Match>({{"kommun", 0, 5}}));
}

TEST(FuzzyLexiconTest, ContainsWholeWordsOnly) {
  const FuzzyLexicon lexicon = SwedishLexicon();
  EXPECT_TRUE(lexicon.Contains("leverantör"));
  EXPECT_FALSE(lexicon.Contains("leverant"));  // a prefix in the trie, not a word
  EXPECT_FALSE(lexicon.Contains("leverantor"));
  EXPECT_FALSE(lexicon.Contains(""));
  EXPECT_EQ(lexicon.Frequency("leverantörer"), 200u);
  EXPECT_EQ(lexicon.Frequency("leverant"), 0u);
  EXPECT_EQ(lexicon.size(), 26u);
  EXPECT_GT(lexicon.MemoryBytes(), 0u);
}

TEST(FuzzyLexiconTest, EmptyLexiconAndEmptyWord) {
  const FuzzyLexicon empty;
  EXPECT_EQ(empty.size(), 0u);
  EXPECT_TRUE(empty.Find("kommun", 2, 10).empty());
  EXPECT_FALSE(empty.Contains("kommun"));
  EXPECT_TRUE(FuzzyLexicon(std::vector<FuzzyLexicon::Entry>()).Find("kommun", 2, 10).empty());

  const FuzzyLexicon with_empty({{"", 1}, {"å", 2}, {"åb", 3}});
  EXPECT_TRUE(with_empty.Contains(""));
  const std::vector<Match> expected = {{"", 0, 1}, {"å", 1, 2}};
  EXPECT_EQ(with_empty.Find("", 1, 10), expected);
}

TEST(FuzzyLexiconTest, HugeDistanceReturnsEverything) {
  const FuzzyLexicon lexicon = SwedishLexicon();
  EXPECT_EQ(lexicon.Find("x", std::numeric_limits<unsigned>::max(), 1000).size(), lexicon.size());
}

// Find must agree exactly with a brute-force EditDistance scan. A small alphabet (with
// multibyte letters and an invalid byte) makes near neighbours plentiful.
class FindMatchesBruteForceTest : public ::testing::TestWithParam<unsigned> {};

TEST_P(FindMatchesBruteForceTest, SameWordsDistancesAndOrder) {
  const unsigned max_distance = GetParam();
  const std::vector<std::string> alphabet = {"a", "b", "c", "e", "å", "ä", "ö", "\xff"};
  std::mt19937 rng(20261125 + max_distance);
  auto pick = [&rng](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  };
  auto random_word = [&] {
    std::string word;
    for (std::size_t n = pick(9); n > 0; --n) word += alphabet[pick(alphabet.size())];
    return word;
  };
  std::vector<FuzzyLexicon::Entry> entries;
  for (int i = 0; i < 3000; ++i) {
    entries.push_back({random_word(), static_cast<std::uint32_t>(pick(20))});
  }
  const FuzzyLexicon lexicon(entries);

  for (int q = 0; q < 200; ++q) {
    // Half the queries are vocabulary words with up to three random edits.
    std::string query = q % 2 ? random_word() : entries[pick(entries.size())].word;
    for (std::size_t edits = pick(4); q % 2 == 0 && edits > 0; --edits) {
      const std::size_t at = query.empty() ? 0 : pick(query.size());
      query.insert(at, alphabet[pick(alphabet.size())]);  // byte-level edits: fine, any bytes
      if (pick(2) && query.size() > 1) query.erase(pick(query.size()), 1);
    }
    std::set<std::string> seen;
    std::vector<Match> expected;
    for (const FuzzyLexicon::Entry& entry : entries) {
      const unsigned distance = EditDistance(query, entry.word);
      if (distance <= max_distance && seen.insert(entry.word).second) {
        expected.push_back({entry.word, distance, lexicon.Frequency(entry.word)});
      }
    }
    std::sort(expected.begin(), expected.end(), [](const Match& x, const Match& y) {
      if (x.distance != y.distance) return x.distance < y.distance;
      if (x.frequency != y.frequency) return x.frequency > y.frequency;
      return x.word < y.word;
    });
    ASSERT_EQ(lexicon.Find(query, max_distance, expected.size() + 5), expected)
        << "query '" << query << "', distance " << max_distance;
  }
}

INSTANTIATE_TEST_SUITE_P(Distances, FindMatchesBruteForceTest, ::testing::Values(0u, 1u, 2u));

}  // namespace
}  // namespace afori::stemming

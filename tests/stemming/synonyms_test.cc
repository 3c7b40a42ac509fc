#include "stemming/synonyms.h"

#include <gtest/gtest.h>

#include "tests/test_support.h"

namespace afori::stemming {
namespace {

TEST(SynonymTableTest, ParsesGroupsCommentsAndBlankLines) {
  auto table = SynonymTable::Parse(
      "# abbreviations\n"
      "\n"
      "LOU | Lagen om offentlig upphandling   # the main act\n"
      "fku|förkommersiell upphandling|PCP\r\n",
      "synonyms.txt", nullptr);
  ASSERT_TRUE(table.ok()) << table.status().message();
  ASSERT_EQ(table->groups().size(), 2u);
  const auto& lou = table->groups()[0].alternatives;
  ASSERT_EQ(lou.size(), 2u);
  EXPECT_EQ(lou[0], (SynonymTable::Phrase{"lou"}));
  EXPECT_EQ(lou[1], (SynonymTable::Phrase{"lagen", "om", "offentlig", "upphandling"}));
  EXPECT_EQ(table->groups()[1].alternatives[2], (SynonymTable::Phrase{"pcp"}));
}

TEST(SynonymTableTest, LongestMatchWins) {
  auto table = SynonymTable::Parse(
      "upphandling | inköp\n"
      "offentlig upphandling | offentliga inköp\n",
      "t", nullptr);
  ASSERT_TRUE(table.ok());
  const std::vector<std::string> words = {"om", "offentlig", "upphandling", "nu"};
  EXPECT_EQ(table->LongestMatch(words, 0).length, 0u);
  SynonymTable::Match m = table->LongestMatch(words, 1);
  EXPECT_EQ(m.length, 2u);
  EXPECT_EQ(m.group, 1u);
  EXPECT_EQ(m.alternative, 0u);
  m = table->LongestMatch(words, 2);
  EXPECT_EQ(m.length, 1u);
  EXPECT_EQ(m.group, 0u);
  EXPECT_EQ(table->LongestMatch(words, 9).length, 0u);
}

TEST(SynonymTableTest, DecomposedLettersAndCaseMatch) {
  auto table = SynonymTable::Parse("IOP | ide\xCC\x81\x62uret offentligt partnerskap\n", "t", nullptr);
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table->groups()[0].alternatives[1][0], "idéburet");
}

struct BadLine {
  const char* text;
  const char* message;  // expected in the error
};

class SynonymErrorTest : public ::testing::TestWithParam<BadLine> {};

TEST_P(SynonymErrorTest, NamesFileAndLine) {
  auto table = SynonymTable::Parse(GetParam().text, "corpus/synonyms.txt", nullptr);
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(table.status().message().find(GetParam().message), std::string::npos)
      << table.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    Table, SynonymErrorTest,
    ::testing::Values(BadLine{"lou\n", "corpus/synonyms.txt:1: a synonym group needs"},
                      BadLine{"a | b\n\nlou |\n", "corpus/synonyms.txt:3: empty alternative"},
                      BadLine{"| lou\n", ":1: empty alternative"},
                      BadLine{"a | b\n# x\nc | -- | d\n", ":3: empty alternative"}));

TEST(SynonymTableTest, MissingFileIsAnIoError) {
  auto table = SynonymTable::Load("/nonexistent/synonyms.txt", nullptr);
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().code(), ErrorCode::kIoError);
  EXPECT_NE(table.status().message().find("/nonexistent/synonyms.txt"), std::string::npos);
}

TEST(SynonymTableTest, ShippedFileParses) {
  auto table = SynonymTable::Load(AFORI_SOURCE_DIR "/corpus/synonyms.txt", testing::SharedAnalyzer().StemFunction());
  ASSERT_TRUE(table.ok()) << table.status().message();
  EXPECT_GE(table->groups().size(), 20u);
  const std::vector<std::string> lou = {"lou"};
  EXPECT_GT(table->LongestMatch(lou, 0).length, 0u);
}

TEST(SynonymTableTest, MatchesOnKeysSoInflectedWordsTriggerTheGroup) {
  const auto stem = testing::SharedAnalyzer().StemFunction();
  auto table = SynonymTable::Parse("direktupphandling | direktköp\n", "t", stem);
  ASSERT_TRUE(table.ok());
  const std::vector<std::string> inflected = {stem("direktupphandlingarna")};
  const SynonymTable::Match m = table->LongestMatch(inflected, 0);
  EXPECT_EQ(m.length, 1u);
  EXPECT_EQ(m.alternative, 0u);
  // The alternatives themselves stay as written, for expansion.
  EXPECT_EQ(table->groups()[0].alternatives[0][0], "direktupphandling");
  auto raw = SynonymTable::Parse("direktupphandling | direktköp\n", "t", nullptr);
  EXPECT_EQ(raw->LongestMatch({"direktupphandlingarna"}, 0).length, 0u);
}

}  // namespace
}  // namespace afori::stemming

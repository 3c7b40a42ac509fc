#include "stemming/vocabulary.h"

#include <gtest/gtest.h>

#include <stop_token>

#include "tests/test_support.h"

namespace afori::stemming {
namespace {

// A real database whose documents hold `texts`, analysed as the indexer does.
void Write(const std::string& path, const std::vector<std::string>& texts, bool create) {
  Xapian::WritableDatabase db(path, create ? Xapian::DB_CREATE : Xapian::DB_OPEN);
  for (const std::string& text : texts) {
    Xapian::Document doc;
    Xapian::termpos pos = 1;
    testing::SharedAnalyzer().IndexText(text, 1, "S", &pos, &doc);
    doc.add_boolean_term("Qid-" + std::to_string(db.get_lastdocid() + 1));
    db.add_document(doc);
  }
  db.commit();
}

TEST(VocabularyTest, HoldsWordsAsWrittenWithDocumentFrequencies) {
  testing::TempDir dir;
  Write(dir.Join("db"), {"Hälsa och vård", "hälsa i skolan", "Återvinning"}, true);
  Xapian::Database db(dir.Join("db"));
  auto vocabulary = Vocabulary::FromDatabase(db);
  EXPECT_EQ(vocabulary->Frequency("hälsa"), 2u);
  EXPECT_EQ(vocabulary->Frequency("återvinning"), 1u);
  EXPECT_EQ(vocabulary->Frequency("och"), 1u);  // stop words are indexed as written
  // Prefixed terms (stems, title stems, ids) are not words.
  EXPECT_EQ(vocabulary->Frequency("Zhäls"), 0u);
  EXPECT_EQ(vocabulary->Frequency("Qid-1"), 0u);
  for (const char* word : {"hälsa", "och", "vård", "i", "skolan", "återvinning"}) {
    EXPECT_GT(vocabulary->Frequency(word), 0u) << word;
  }
  EXPECT_EQ(vocabulary->size(), 6u);
}

TEST(VocabularyTest, ABuildAskedToStopReturnsNothing) {
  testing::TempDir dir;
  Write(dir.Join("db"), {"Hälsa och vård"}, true);
  Xapian::Database db(dir.Join("db"));
  std::stop_source stop;
  EXPECT_NE(Vocabulary::FromDatabase(db, stop.get_token()), nullptr);
  stop.request_stop();
  EXPECT_EQ(Vocabulary::FromDatabase(db, stop.get_token()), nullptr);
}

TEST(VocabularyTest, DiacriticVariantsBothWays) {
  Vocabulary v({{"hälsa", 5}, {"halsa", 1}, {"hålsa", 2}, {"återvinning", 3}, {"vård", 1}});
  EXPECT_EQ(v.DiacriticVariants("halsa"), (std::vector<std::string>{"hälsa", "hålsa"}));
  EXPECT_EQ(v.DiacriticVariants("hälsa"), (std::vector<std::string>{"halsa", "hålsa"}));
  EXPECT_EQ(v.DiacriticVariants("atervinning"), std::vector<std::string>{"återvinning"});
  EXPECT_TRUE(v.DiacriticVariants("vard").size() == 1);
  EXPECT_TRUE(v.DiacriticVariants("skola").empty());
}

TEST(VocabularyTest, CorrectionsFollowTheTypoBudget) {
  Vocabulary v({{"upphandling", 9}, {"upphandlingar", 4}, {"krav", 7}, {"avtal", 3}});
  const auto fixes = v.Corrections("upphandlnig", 3);  // 11 letters: 2 typos allowed
  ASSERT_FALSE(fixes.empty());
  EXPECT_EQ(fixes.front().word, "upphandling");
  EXPECT_EQ(fixes.front().distance, 1u);
  EXPECT_TRUE(v.Corrections("krva", 3).empty());        // 4 letters: none
  EXPECT_EQ(v.Corrections("avtla", 3).size(), 1u);      // 5 letters: one
  EXPECT_TRUE(v.Corrections("upphandling", 3).size() == 1);  // itself excluded
  EXPECT_EQ(v.Corrections("upphandling", 3).front().word, "upphandlingar");
}

}  // namespace
}  // namespace afori::stemming

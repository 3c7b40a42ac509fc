#include "stemming/analysis.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace afori::stemming {
namespace {

std::set<std::string> IndexedTerms(const Analyzer& analyzer, const std::string& text) {
  Xapian::TermGenerator tg;
  analyzer.ConfigureIndexer(tg);
  Xapian::Document doc;
  tg.set_document(doc);
  tg.index_text(text);
  return {doc.termlist_begin(), doc.termlist_end()};
}

std::set<std::string> QueryTerms(const Analyzer& analyzer, const std::string& text) {
  Xapian::QueryParser qp;
  analyzer.ConfigureQueryParser(qp);
  Xapian::Query q = qp.parse_query(analyzer.NormalizeQuery(text));
  return {q.get_unique_terms_begin(), q.get_unique_terms_end()};
}

struct SameStemCase {
  const char* indexed;  // a word as a document writes it
  const char* queried;  // the word as a visitor types it
};

class SameStemTest : public ::testing::TestWithParam<SameStemCase> {};

// What the visitor types must produce a term that the document was indexed under.
TEST_P(SameStemTest, QueryTermMeetsIndexedTerm) {
  Analyzer analyzer;
  const std::set<std::string> indexed = IndexedTerms(analyzer, GetParam().indexed);
  const std::set<std::string> queried = QueryTerms(analyzer, GetParam().queried);
  ASSERT_FALSE(queried.empty());
  for (const std::string& term : queried) {
    EXPECT_TRUE(indexed.count(term)) << "query term " << term << " not indexed for '"
                                     << GetParam().indexed << "'";
  }
}

INSTANTIATE_TEST_SUITE_P(
    Inflections, SameStemTest,
    ::testing::Values(SameStemCase{"upphandling", "upphandlingar"},
                      SameStemCase{"upphandlingarna", "upphandling"},
                      SameStemCase{"upphandlingen", "Upphandlingar"},  // capitalised query
                      SameStemCase{"leverantörerna", "leverantör"},
                      SameStemCase{"kommunerna", "KOMMUN"},
                      SameStemCase{"elbussar", "elbuss"},
                      SameStemCase{"skolmåltider", "Skolmåltid"},
                      SameStemCase{"ÅTERBRUK", "återbruk"},
                      SameStemCase{"LOU", "lou"}));

TEST(AnalysisTest, IndexesWordsAsWrittenWithPositionsAndStemmedWithZPrefix) {
  Analyzer analyzer;
  const std::set<std::string> terms = IndexedTerms(analyzer, "Upphandlingarna i Älvstad");
  EXPECT_TRUE(terms.count("upphandlingarna"));
  EXPECT_TRUE(terms.count("Zupphandling"));
  EXPECT_TRUE(terms.count("älvstad"));
  // Stop words are kept as written (for phrases) but never stemmed into the index.
  EXPECT_TRUE(terms.count("i"));
  EXPECT_FALSE(terms.count("Zi"));
}

TEST(AnalysisTest, StopWordsAreDroppedFromQueries) {
  Analyzer analyzer;
  EXPECT_EQ(QueryTerms(analyzer, "upphandling och avtal"),
            (std::set<std::string>{"Zupphandling", "Zavtal"}));
}

TEST(AnalysisTest, StopList) {
  Analyzer analyzer;
  for (const char* w : {"och", "att", "det", "som", "på", "är", "för", "med", "över"}) {
    EXPECT_TRUE(analyzer.IsStopWord(w)) << w;
  }
  for (const char* w : {"upphandling", "lou", "avtal", "innovation", "kommun"}) {
    EXPECT_FALSE(analyzer.IsStopWord(w)) << w;
  }
}

struct NormalizeCase {
  const char* input;
  const char* expected;
};

class NormalizeQueryTest : public ::testing::TestWithParam<NormalizeCase> {};

TEST_P(NormalizeQueryTest, LowercasesWordsButNotOperators) {
  Analyzer analyzer;
  EXPECT_EQ(analyzer.NormalizeQuery(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Table, NormalizeQueryTest,
    ::testing::Values(NormalizeCase{"Upphandling", "upphandling"},
                      NormalizeCase{"ÅTERBRUK ÄR ÖKAT", "återbruk är ökat"},
                      NormalizeCase{"LOU OR LUF", "lou OR luf"},
                      NormalizeCase{"buss NOT diesel", "buss NOT diesel"},
                      NormalizeCase{"Or Not", "or not"},
                      NormalizeCase{"\"Tidig Dialog\"  -Pris", "\"tidig dialog\"  -pris"},
                      NormalizeCase{"", ""}));

}  // namespace
}  // namespace afori::stemming

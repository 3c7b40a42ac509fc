#include "searchd/search.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/test_support.h"

namespace afori::searchd {
namespace {

using afori::testing::TempDir;

class SearchTest : public ::testing::Test {
 protected:
  void SetUp() override { db_ = Xapian::Database(testing::BuildFixtureIndex(dir_, analyzer_)); }

  // The analysis with the fixture index's vocabulary, as searchd gives it.
  SearchContext Context() {
    if (!vocabulary_) vocabulary_ = stemming::Vocabulary::FromDatabase(db_);
    SearchContext context;
    context.analyzer = &analyzer_;
    context.vocabulary = vocabulary_.get();
    return context;
  }

  SearchResponse Run(SearchRequest request) {
    Result<SearchResponse> r = Search(db_, Context(), request);
    if (!r.ok()) throw std::runtime_error(r.status().message());
    return std::move(r).value();
  }
  SearchResponse Run(const std::string& q) {
    SearchRequest request;
    request.query = q;
    request.limit = kMaxLimit;
    return Run(request);
  }
  static std::vector<std::string> Ids(const SearchResponse& r) {
    std::vector<std::string> ids;
    for (const SearchHit& h : r.hits) ids.push_back(h.id);
    return ids;
  }
  static bool Contains(const SearchResponse& r, const std::string& id) {
    auto ids = Ids(r);
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  }

  TempDir dir_;
  const stemming::Analyzer& analyzer_ = testing::SharedAnalyzer();
  Xapian::Database db_;
  std::shared_ptr<const stemming::Vocabulary> vocabulary_;
};

TEST_F(SearchTest, InflectedQueryFindsBaseFormAndBack) {
  // "elbussar" is only written in the plural; "skolmåltider" only in the plural too.
  EXPECT_EQ(Ids(Run("elbuss")), std::vector<std::string>{"exempel-elbussar"});
  EXPECT_EQ(Ids(Run("Skolmåltid")), std::vector<std::string>{"exempel-skolmat"});
  // "upphandlingar" is written in the LOU guide; a singular query finds it, and the plural
  // query finds documents that only say "upphandling"/"upphandlingen".
  EXPECT_TRUE(Contains(Run("upphandling"), "vagledning-lou-i-korthet"));
  EXPECT_TRUE(Contains(Run("upphandlingar"), "exempel-elbussar"));
}

TEST_F(SearchTest, DocumentsWithAllWordsRankFirst) {
  // The matsvinn guide repeats "matsvinn" everywhere, the school-meal case has both words once.
  SearchResponse r = Run("skolmåltider matsvinn");
  ASSERT_GE(r.hits.size(), 2u);
  EXPECT_EQ(r.hits[0].id, "exempel-skolmat");
  EXPECT_EQ(r.hits[1].id, "vagledning-matsvinn-i-storkok");
  EXPECT_GT(r.hits[0].score, r.hits[1].score);
}

TEST_F(SearchTest, AWordThatMatchesNothingDoesNotHideTheRest) {
  EXPECT_EQ(Ids(Run("elbussar qwxyzzy")), std::vector<std::string>{"exempel-elbussar"});
}

TEST_F(SearchTest, TitleMatchOutranksBodyMatch) {
  // "sensorer" is in the title of the case and only in the body of a funding call.
  SearchResponse r = Run("sensorer");
  ASSERT_EQ(r.hits.size(), 2u);
  EXPECT_EQ(r.hits[0].id, "exempel-sensorer-hemtjanst");
  EXPECT_EQ(r.hits[1].id, "finans-omsorg");
}

TEST_F(SearchTest, SyntaxErrorsFallBackToWords) {
  for (const char* q : {"\"elbussar", "elbussar AND", "(elbussar", "elbussar OR OR"}) {
    EXPECT_TRUE(Contains(Run(q), "exempel-elbussar")) << q;
  }
  EXPECT_TRUE(Run("elbussar -funktionskrav").hits.empty());
  EXPECT_TRUE(Contains(Run("\"tyst och fossilfri\""), "exempel-elbussar"));
  EXPECT_FALSE(Contains(Run("\"fossilfri och tyst\""), "exempel-elbussar"));
}

TEST_F(SearchTest, StopWordOnlyQueryStillSearches) {
  EXPECT_GT(Run("och").total, 0u);
  EXPECT_EQ(Run("!!! ???").total, 0u);
}

TEST_F(SearchTest, SnippetsAreEscapedAndHighlighted) {
  SearchResponse r = Run("räckvidd");
  ASSERT_EQ(r.hits.size(), 1u);
  EXPECT_NE(r.hits[0].snippet_html.find("<mark>räckvidd</mark>"), std::string::npos)
      << r.hits[0].snippet_html;
  EXPECT_EQ(r.hits[0].title, "Elbussar i Älvstad");
  EXPECT_EQ(r.hits[0].title_html, "Elbussar i Älvstad");
  EXPECT_EQ(r.hits[0].type, "case");
  EXPECT_EQ(r.hits[0].stored["published"], "2022-06-15");
  EXPECT_EQ(r.hits[0].stored["url"], "https://afori.example/exempel/exempel-elbussar");
  EXPECT_EQ(Run("elbussar").hits.at(0).title_html, "<mark>Elbussar</mark> i Älvstad");
}

TEST_F(SearchTest, EmptyQueryListsEverythingNewestFirst) {
  SearchResponse r = Run("");
  EXPECT_EQ(r.total, db_.get_doccount());
  ASSERT_EQ(r.hits.size(), db_.get_doccount());
  for (std::size_t i = 1; i + 1 < r.hits.size(); ++i) {
    EXPECT_GE(r.hits[i - 1].stored["published"], r.hits[i].stored["published"]);
  }
  EXPECT_EQ(r.hits.front().id, "finans-omsorg");      // 2026-11-01
  EXPECT_EQ(r.hits.back().id, "finans-utan-datum");  // no date: last
}

TEST_F(SearchTest, FiltersOrWithinAFacetAndAndAcross) {
  SearchRequest request;
  request.limit = kMaxLimit;
  request.filters = {{"type", {"case", "funding"}}};
  EXPECT_EQ(Run(request).total, 7u);
  request.filters.push_back({"region", {"Skåne län"}});
  SearchResponse both = Run(request);
  std::vector<std::string> ids = Ids(both);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"exempel-sensorer-hemtjanst", "exempel-skolmat",
                                           "finans-omsorg"}));
  request.query = "sensorer";
  EXPECT_EQ(Run(request).total, 2u);
  request.filters.push_back({"theme", {"Energi"}});
  EXPECT_EQ(Run(request).total, 0u);
}

TEST_F(SearchTest, UnknownFilterValueMatchesNothingUnlessTheFacetIsClosed) {
  SearchRequest request;
  request.filters = {{"theme", {"Rymdfart"}}};
  EXPECT_EQ(Run(request).total, 0u);
  // type, status, amount and year have a fixed set of values: anything else is an error.
  request.filters = {{"type", {"blog"}}};
  Result<SearchResponse> r = Search(db_, Context(), request);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("'type' must be guide, case or funding"), std::string::npos);
}

TEST_F(SearchTest, PagingWalksTheSameOrderWithoutGapsOrRepeats) {
  SearchRequest all;
  all.limit = kMaxLimit;
  const std::vector<std::string> expected = Ids(Run(all));
  std::vector<std::string> paged;
  for (std::size_t offset = 0; offset < expected.size(); offset += 3) {
    SearchRequest page;
    page.limit = 3;
    page.offset = offset;
    SearchResponse r = Run(page);
    EXPECT_EQ(r.total, expected.size());
    for (const std::string& id : Ids(r)) paged.push_back(id);
  }
  EXPECT_EQ(paged, expected);
  SearchRequest beyond;
  beyond.offset = 500;
  EXPECT_TRUE(Run(beyond).hits.empty());
  EXPECT_EQ(Run(beyond).total, expected.size());
}

TEST_F(SearchTest, LimitZeroStillCountsFacets) {
  SearchRequest request;
  request.limit = 0;
  SearchResponse r = Run(request);
  EXPECT_TRUE(r.hits.empty());
  EXPECT_EQ(r.total, db_.get_doccount());
  ASSERT_FALSE(r.facets.empty());
  EXPECT_EQ(r.facets[0].name, "type");
}

TEST_F(SearchTest, RequestValidationNamesTheParameter) {
  SearchRequest request;
  request.limit = kMaxLimit + 1;
  Result<SearchResponse> r = Search(db_, Context(), request);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("'limit'"), std::string::npos);
  request.limit = 10;
  request.offset = kMaxOffset + 1;
  EXPECT_NE(Search(db_, Context(), request).status().message().find("'offset'"), std::string::npos);
  request.offset = 0;
  request.facets = std::vector<std::string>{"colour"};
  EXPECT_NE(Search(db_, Context(), request).status().message().find("colour"), std::string::npos);
}

TEST_F(SearchTest, GetDocumentReturnsStoredJsonOrNotFound) {
  Result<std::string> doc = GetDocumentJson(db_, "vagledning-fku");
  ASSERT_TRUE(doc.ok());
  EXPECT_NE(doc->find("internal_note"), std::string::npos);
  EXPECT_EQ(GetDocumentJson(db_, "finns-inte").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(GetDocumentJson(db_, "Fel Id").status().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace afori::searchd

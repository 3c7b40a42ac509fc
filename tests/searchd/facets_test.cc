// Facet counts must equal counts computed by brute force from the documents themselves.
#include "searchd/facets.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "searchd/search.h"
#include "tests/test_support.h"

namespace afori::searchd {
namespace {

using afori::testing::TempDir;
using Counts = std::map<std::string, std::map<std::string, std::uint64_t>>;

constexpr const char* kToday = "2026-12-01";

std::vector<std::string> Values(const corpus::Document& d, std::string_view facet) {
  if (facet == "type") return {std::string(corpus::DocTypeName(d.type))};
  if (facet == "theme") return d.themes;
  if (facet == "organisation") return d.organisations;
  if (facet == "region") return d.region ? std::vector<std::string>{*d.region} : std::vector<std::string>{};
  if (facet == "funder") return d.funder ? std::vector<std::string>{*d.funder} : std::vector<std::string>{};
  if (facet == "year" && d.published) return {d.published->substr(0, 4)};
  if (facet == "status" && d.deadline) return {*d.deadline >= kToday ? "open" : "closed"};
  if (facet == "amount" && d.amount_max_sek) {
    const std::int64_t a = *d.amount_max_sek;
    return {a < 1000000 ? "0-1000000" : a < 5000000 ? "1000000-5000000"
                                      : a < 20000000 ? "5000000-20000000" : "20000000-"};
  }
  return {};
}

bool MatchesFacet(const corpus::Document& d, const FacetFilter& f) {
  for (const std::string& v : Values(d, f.facet)) {
    if (std::find(f.values.begin(), f.values.end(), v) != f.values.end()) return true;
  }
  return false;
}

// Every filter but the one on `except` holds (so "" means all of them).
bool Matches(const corpus::Document& d, const std::vector<FacetFilter>& filters,
             std::string_view except = {}) {
  for (const FacetFilter& f : filters) {
    if (f.facet != except && !MatchesFacet(d, f)) return false;
  }
  return true;
}

// Disjunctive counts by brute force: a facet's counts over the documents matching every
// filter except that facet's own.
Counts BruteForce(const std::vector<corpus::LoadedDocument>& docs,
                  const std::vector<FacetFilter>& filters, std::uint64_t* total) {
  Counts counts;
  *total = 0;
  for (const schema::FacetField& f : schema::kFacets) counts[std::string(f.name)];
  for (const auto& loaded : docs) {
    if (Matches(loaded.document, filters)) ++*total;
    for (const schema::FacetField& f : schema::kFacets) {
      if (!Matches(loaded.document, filters, f.name)) continue;
      for (const std::string& v : Values(loaded.document, f.name)) ++counts[std::string(f.name)][v];
    }
  }
  return counts;
}

Counts FromResponse(const SearchResponse& r) {
  Counts counts;
  for (const FacetCounts& fc : r.facets) {
    auto& m = counts[fc.name];
    for (const FacetValueCount& v : fc.values) m[v.value] = v.count;
  }
  return counts;
}

// The property a multi-select filter UI relies on, on the shipped corpus: for random filter
// combinations, totals and every facet's counts equal brute force over the documents.
TEST(FacetCountsTest, DisjunctiveCountsEqualBruteForceOnTheShippedCorpus) {
  TempDir dir;
  const stemming::Analyzer& analyzer = testing::SharedAnalyzer();
  SearchContext context;
  context.analyzer = &analyzer;
  const auto docs = corpus::LoadDocuments({AFORI_SOURCE_DIR "/corpus/data"}).documents;
  ASSERT_TRUE(indexer::BuildDatabase(dir.Join("db"), docs, analyzer).ok());
  Xapian::Database db(dir.Join("db"));

  // Every value that occurs, per facet, to draw filters from.
  std::map<std::string, std::vector<std::string>> universe;
  for (const auto& loaded : docs) {
    for (const schema::FacetField& f : schema::kFacets) {
      for (const std::string& v : Values(loaded.document, f.name)) {
        auto& list = universe[std::string(f.name)];
        if (std::find(list.begin(), list.end(), v) == list.end()) list.push_back(v);
      }
    }
  }
  ASSERT_EQ(universe.size(), schema::kFacets.size());
  // Counted from the value slots, and from the in-memory columns searchd uses.
  const auto columns = FacetColumns::FromDatabase(db);
  for (const FacetColumns* with : {static_cast<const FacetColumns*>(nullptr), columns.get()}) {
    SCOPED_TRACE(with ? "with facet columns" : "from value slots");
    context.facet_columns = with;
    std::mt19937 rng(20261201);
    int nonzero = 0;
    for (int round = 0; round < 300; ++round) {
      std::vector<FacetFilter> filters;
      for (const schema::FacetField& f : schema::kFacets) {
        if (rng() % 3 != 0) continue;
        const auto& values = universe[std::string(f.name)];
        FacetFilter filter{std::string(f.name), {}};
        const std::size_t n = 1 + rng() % 3;
        for (std::size_t i = 0; i < n; ++i) filter.values.push_back(values[rng() % values.size()]);
        filters.push_back(filter);
      }
      SearchRequest request;
      request.filters = filters;
      request.limit = 1;
      request.today = kToday;
      Result<SearchResponse> r = Search(db, context, request);
      ASSERT_TRUE(r.ok()) << r.status().message();
      std::uint64_t total = 0;
      Counts expected = BruteForce(docs, filters, &total);
      EXPECT_EQ(r->total, total) << "round " << round;
      EXPECT_EQ(FromResponse(*r), expected) << "round " << round;
      nonzero += total > 0;
    }
    EXPECT_GT(nonzero, 50);  // the combinations are not all empty
  }
}

TEST(FacetCountsTest, CountsAreSortedByCountThenValueAndOnlyRequestedFacets) {
  TempDir dir;
  const stemming::Analyzer& analyzer = testing::SharedAnalyzer();
  SearchContext context;
  context.analyzer = &analyzer;
  Xapian::Database db(testing::BuildFixtureIndex(dir, analyzer));
  SearchRequest request;
  request.facets = std::vector<std::string>{"theme", "type"};
  Result<SearchResponse> r = Search(db, context, request);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->facets.size(), 2u);
  EXPECT_EQ(r->facets[0].name, "theme");
  EXPECT_EQ(r->facets[1].name, "type");
  const auto& themes = r->facets[0].values;
  EXPECT_EQ(themes.front().value, "Finansiering");  // fixture corpus
  EXPECT_EQ(themes.front().count, 5u);
  for (std::size_t i = 1; i < themes.size(); ++i) {
    EXPECT_TRUE(themes[i - 1].count > themes[i].count ||
                (themes[i - 1].count == themes[i].count && themes[i - 1].value < themes[i].value));
  }
}

TEST(FacetCounterTest, CountsEachValueOfAMultiValuedSlotOnce) {
  FacetCounter counter({*schema::FindFacet("theme")}, "20261201", nullptr);
  Xapian::Document a, b, empty;
  a.add_value(schema::FindFacet("theme")->slot, std::string("X") + schema::kFacetValueSeparator + "Y");
  b.add_value(schema::FindFacet("theme")->slot, "Y");
  counter(a, 0);
  counter(b, 0);
  counter(empty, 0);
  auto counts = counter.Counts();
  ASSERT_EQ(counts.size(), 1u);
  ASSERT_EQ(counts[0].values.size(), 2u);
  EXPECT_EQ(counts[0].values[0].value, "Y");
  EXPECT_EQ(counts[0].values[0].count, 2u);
  EXPECT_EQ(counts[0].values[1].value, "X");
  EXPECT_EQ(counts[0].values[1].count, 1u);
}

TEST(FacetCounterTest, StatusComesFromTheDeadlineAgainstToday) {
  FacetCounter counter({*schema::FindFacet("status")}, "20261201", nullptr);
  Xapian::Document past, today, future, none;
  past.add_value(schema::kSlotDeadline, "20261130");
  today.add_value(schema::kSlotDeadline, "20261201");  // still open on its last day
  future.add_value(schema::kSlotDeadline, "20270315");
  for (const Xapian::Document* d : {&past, &today, &future, &none}) counter(*d, 0);
  const auto counts = counter.Counts();
  ASSERT_EQ(counts[0].values.size(), 2u);
  EXPECT_EQ(counts[0].values[0].value, "open");
  EXPECT_EQ(counts[0].values[0].count, 2u);
  EXPECT_EQ(counts[0].values[1].value, "closed");
  EXPECT_EQ(counts[0].values[1].count, 1u);
}

}  // namespace
}  // namespace afori::searchd

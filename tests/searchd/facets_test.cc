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

std::vector<std::string> Values(const corpus::Document& d, std::string_view facet) {
  if (facet == "type") return {std::string(corpus::DocTypeName(d.type))};
  if (facet == "theme") return d.themes;
  if (facet == "organisation") return d.organisations;
  if (facet == "region") return d.region ? std::vector<std::string>{*d.region} : std::vector<std::string>{};
  if (facet == "funder") return d.funder ? std::vector<std::string>{*d.funder} : std::vector<std::string>{};
  return {};
}

bool Matches(const corpus::Document& d, const std::vector<FacetFilter>& filters) {
  for (const FacetFilter& f : filters) {
    bool any = false;
    for (const std::string& v : Values(d, f.facet)) {
      any = any || std::find(f.values.begin(), f.values.end(), v) != f.values.end();
    }
    if (!any) return false;
  }
  return true;
}

Counts BruteForce(const std::vector<corpus::LoadedDocument>& docs,
                  const std::vector<FacetFilter>& filters, std::uint64_t* total) {
  Counts counts;
  *total = 0;
  for (const auto& loaded : docs) {
    if (!Matches(loaded.document, filters)) continue;
    ++*total;
    for (const schema::FacetField& f : schema::kFacets) {
      counts[std::string(f.name)];  // every facet present, even when empty
      for (const std::string& v : Values(loaded.document, f.name)) ++counts[std::string(f.name)][v];
    }
  }
  if (*total == 0) {
    for (const schema::FacetField& f : schema::kFacets) counts[std::string(f.name)];
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

TEST(FacetCountsTest, EqualBruteForceForRandomFilterCombinations) {
  TempDir dir;
  const stemming::Analyzer& analyzer = testing::SharedAnalyzer();
  SearchContext context;
  context.analyzer = &analyzer;
  Xapian::Database db(testing::BuildFixtureIndex(dir, analyzer));
  const auto docs = testing::LoadFixtureCorpus().documents;

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
  std::mt19937 rng(20261125);
  for (int round = 0; round < 200; ++round) {
    std::vector<FacetFilter> filters;
    for (const schema::FacetField& f : schema::kFacets) {
      if (rng() % 3 != 0) continue;
      const auto& values = universe[std::string(f.name)];
      FacetFilter filter{std::string(f.name), {}};
      const std::size_t n = 1 + rng() % 2;
      for (std::size_t i = 0; i < n; ++i) filter.values.push_back(values[rng() % values.size()]);
      filters.push_back(filter);
    }
    SearchRequest request;
    request.filters = filters;
    request.limit = 1;
    Result<SearchResponse> r = Search(db, context, request);
    ASSERT_TRUE(r.ok());
    std::uint64_t total = 0;
    Counts expected = BruteForce(docs, filters, &total);
    EXPECT_EQ(r->total, total) << "round " << round;
    EXPECT_EQ(FromResponse(*r), expected) << "round " << round;
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
  EXPECT_EQ(themes.front().value, "Finansiering");
  EXPECT_EQ(themes.front().count, 5u);
  for (std::size_t i = 1; i < themes.size(); ++i) {
    EXPECT_TRUE(themes[i - 1].count > themes[i].count ||
                (themes[i - 1].count == themes[i].count && themes[i - 1].value < themes[i].value));
  }
}

TEST(FacetCounterTest, CountsEachValueOfAMultiValuedSlotOnce) {
  FacetCounter counter({*schema::FindFacet("theme")});
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

}  // namespace
}  // namespace afori::searchd

#include "searchd/meili_request.h"

#include <gtest/gtest.h>

namespace afori::searchd {
namespace {

using nlohmann::json;

MeiliSearch Parsed(const json& body) {
  MeiliSearch s;
  std::optional<MeiliError> e = ParseMeiliSearch(body, false, &s);
  EXPECT_FALSE(e) << body << ": " << (e ? e->message : "");
  return s;
}

std::string ErrorCode(const json& body, bool multi = false) {
  MeiliSearch s;
  std::optional<MeiliError> e = ParseMeiliSearch(body, multi, &s);
  return e ? e->code : "none";
}

TEST(MeiliRequestTest, DefaultsAreMeilisearchs) {
  const MeiliSearch s = Parsed(json::object());
  EXPECT_EQ(s.request.query, "");
  EXPECT_EQ(s.request.limit, 20u);
  EXPECT_EQ(s.request.offset, 0u);
  EXPECT_FALSE(s.paged);
  EXPECT_FALSE(s.request.formatting);
  EXPECT_FALSE(s.request.filter_expression);
  EXPECT_FALSE(s.request.require_all_words);  // matchingStrategy "last"
  // Facets are counted only when asked for.
  ASSERT_TRUE(s.request.facets);
  EXPECT_TRUE(s.request.facets->empty());
}

TEST(MeiliRequestTest, TheLastWordIsAPrefixUnlessASpaceEndsTheQuery) {
  EXPECT_TRUE(Parsed({{"q", "innovationsupph"}}).request.as_you_type);
  EXPECT_FALSE(Parsed({{"q", "innovationsupphandling "}}).request.as_you_type);
  EXPECT_FALSE(Parsed({{"q", ""}}).request.as_you_type);
}

TEST(MeiliRequestTest, PagesBecomeOffsetsAndLimitsAreCapped) {
  MeiliSearch s = Parsed({{"page", 3}, {"hitsPerPage", 7}});
  EXPECT_TRUE(s.paged);
  EXPECT_EQ(s.request.offset, 14u);
  EXPECT_EQ(s.request.limit, 7u);
  s = Parsed({{"page", 0}});
  EXPECT_EQ(s.request.limit, 0u);  // page 0 holds nothing, totals still count
  s = Parsed({{"limit", 1000}, {"offset", 5}});
  EXPECT_EQ(s.limit, 1000u);  // echoed as asked
  EXPECT_EQ(s.request.limit, kMaxLimit);
  s = Parsed({{"offset", 50000}});
  EXPECT_EQ(s.request.limit, 0u);
}

TEST(MeiliRequestTest, FacetNamesMapToTheCoresFacets) {
  MeiliSearch s = Parsed({{"facets", {"themes", "organisations", "amount_max_sek"}}});
  EXPECT_EQ(*s.request.facets, (std::vector<std::string>{"theme", "organisation"}));
  EXPECT_TRUE(s.request.amount_stats);
  s = Parsed({{"facets", {"*"}}});
  EXPECT_EQ(s.facets, MeiliFacetAttributes());
  EXPECT_EQ(s.request.facets->size(), MeiliFacetAttributes().size() - 1);
}

TEST(MeiliRequestTest, CropAndHighlightOptions) {
  const MeiliSearch s = Parsed({{"attributesToCrop", {"body:30", "summary"}},
                                {"cropLength", 12},
                                {"attributesToHighlight", {"title"}},
                                {"highlightPreTag", "<b>"},
                                {"cropMarker", "..."}});
  ASSERT_TRUE(s.request.formatting);
  const HitFormatting& f = *s.request.formatting;
  ASSERT_EQ(f.crop.size(), 2u);
  EXPECT_EQ(f.crop[0].attribute, "body");
  EXPECT_EQ(f.crop[0].words, 30u);
  EXPECT_EQ(f.crop[1].attribute, "summary");
  EXPECT_EQ(f.crop[1].words, 12u);
  EXPECT_EQ(f.highlight, std::vector<std::string>{"title"});
  EXPECT_EQ(f.style.pre_tag, "<b>");
  EXPECT_EQ(f.style.post_tag, "</em>");
  EXPECT_EQ(f.style.crop_marker, "...");
}

TEST(MeiliRequestTest, SortRules) {
  EXPECT_EQ(Parsed({{"sort", {"published:desc"}}}).request.sort, SortOrder::kNewest);
  EXPECT_EQ(Parsed({{"sort", {"deadline:asc"}}}).request.sort, SortOrder::kDeadline);
  EXPECT_EQ(Parsed({{"sort", {"title:asc"}}}).request.sort, SortOrder::kTitle);
  EXPECT_EQ(Parsed({{"sort", json::array()}}).request.sort, SortOrder::kRelevance);
  EXPECT_EQ(ErrorCode({{"sort", {"published:asc"}}}), "invalid_search_sort");
  EXPECT_EQ(ErrorCode({{"sort", {"published:desc", "title:asc"}}}), "invalid_search_sort");
}

TEST(MeiliRequestTest, EveryProblemHasItsCode) {
  EXPECT_EQ(ErrorCode(json::array()), "bad_request");
  EXPECT_EQ(ErrorCode({{"q", 5}}), "invalid_search_q");
  EXPECT_EQ(ErrorCode({{"offset", -1}}), "invalid_search_offset");
  EXPECT_EQ(ErrorCode({{"attributesToRetrieve", "id"}}), "invalid_search_attributes_to_retrieve");
  EXPECT_EQ(ErrorCode({{"attributesToCrop", {"body:many"}}}), "invalid_search_attributes_to_crop");
  EXPECT_EQ(ErrorCode({{"cropLength", 1.5}}), "invalid_search_crop_length");
  EXPECT_EQ(ErrorCode({{"showRankingScore", "yes"}}), "invalid_search_show_ranking_score");
  EXPECT_EQ(ErrorCode({{"filter", {{"a = 1", {"b = 2"}}}}}), "invalid_search_filter");
  EXPECT_EQ(ErrorCode({{"vector", {1, 2}}}), "bad_request");
  EXPECT_EQ(ErrorCode({{"indexUid", "kunskapsbank"}}), "bad_request");  // only in multi-search
  EXPECT_EQ(ErrorCode({{"q", "a"}}, /*multi=*/true), "missing_index_uid");
  EXPECT_EQ(ErrorCode({{"indexUid", "kunskapsbank"}}, /*multi=*/true), "none");
}

TEST(MeiliRequestTest, GetParametersAreTheBodysStrings) {
  MeiliSearch s;
  ASSERT_FALSE(ParseMeiliSearchParams({{"q", "energi"},
                                       {"limit", "5"},
                                       {"facets", "type, themes"},
                                       {"showRankingScore", "true"},
                                       {"filter", "type = funding"}},
                                      &s));
  EXPECT_EQ(s.request.query, "energi");
  EXPECT_EQ(s.request.limit, 5u);
  EXPECT_EQ(*s.request.facets, (std::vector<std::string>{"type", "theme"}));
  EXPECT_TRUE(s.show_ranking_score);
  EXPECT_TRUE(s.request.filter_expression);
  std::optional<MeiliError> e = ParseMeiliSearchParams({{"limit", "x"}}, &s);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, "invalid_search_limit");
}

TEST(MeiliRequestTest, ErrorsHaveMeilisearchsShape) {
  const json j = MeiliErrorJson({400, "invalid_search_filter", "filter: oops"});
  EXPECT_EQ(j, json({{"message", "filter: oops"},
                     {"code", "invalid_search_filter"},
                     {"type", "invalid_request"},
                     {"link", "https://docs.meilisearch.com/errors#invalid_search_filter"}}));
  EXPECT_EQ(MeiliErrorFromStatus(Status::InvalidArgument("filter: x")).code, "invalid_search_filter");
  EXPECT_EQ(MeiliErrorFromStatus(Status::Unavailable("busy")).http_status, 503);
}

}  // namespace
}  // namespace afori::searchd

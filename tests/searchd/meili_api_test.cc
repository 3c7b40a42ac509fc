// The Meilisearch-compatible routes (searchd/meili_api.h) over real HTTP on the shipped
// corpus: the answers' shapes, that they are the same search as /v1/search, counts checked
// against the corpus itself, Meilisearch-shaped errors, CORS for its clients, and API keys.
#include "searchd/meili_api.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "searchd/http_api.h"
#include "tests/test_support.h"

namespace afori::searchd {
namespace {

using nlohmann::json;

constexpr const char* kToday = "2026-12-01";
constexpr const char* kKey = "meili-test-key-0123456789";

// One searchd HttpServer on a free loopback port.
struct Server {
  Server(DatabasePool& pool, HttpOptions options)
      : http(pool, testing::SharedAnalyzer(), nullptr, std::move(options)) {
    port = *http.Bind("127.0.0.1", 0);
    thread = std::thread([this] { http.Run(); });
  }
  ~Server() {
    http.Stop();
    thread.join();
  }
  HttpServer http;
  int port = 0;
  std::thread thread;
};

class MeiliApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    const auto loaded = corpus::LoadDocuments({AFORI_SOURCE_DIR "/corpus/data"}).documents;
    for (const auto& d : loaded) docs_.push_back(d.document);
    ASSERT_TRUE(indexer::BuildDatabase(dir_->Join("db"), loaded, testing::SharedAnalyzer()).ok());
    pool_ = DatabasePool::Open(dir_->Join("db"), 4).value().release();
    HttpOptions options;
    options.threads = 4;
    options.today = kToday;
    options.cors_origins = {"https://sajt.example"};
    open_ = new Server(*pool_, options);
    options.meili.api_key = kKey;
    keyed_ = new Server(*pool_, options);
  }
  static void TearDownTestSuite() {
    delete keyed_;
    delete open_;
    delete pool_;
    delete dir_;
  }

  static httplib::Client Client(const Server& server = *open_) {
    httplib::Client client("127.0.0.1", server.port);
    client.set_connection_timeout(5);
    client.set_read_timeout(10);
    return client;
  }

  static json Post(const std::string& path, const json& body, int status = 200) {
    auto res = Client().Post(path, body.dump(), "application/json");
    EXPECT_TRUE(res) << path;
    if (!res) return json();
    EXPECT_EQ(res->status, status) << path << " " << body.dump() << "\n" << res->body;
    return json::parse(res->body, nullptr, false);
  }
  static json Search(const json& body, int status = 200) {
    return Post("/indexes/kunskapsbank/search", body, status);
  }
  static json Get(const std::string& path, int status = 200) {
    auto res = Client().Get(path);
    EXPECT_TRUE(res) << path;
    if (!res) return json();
    EXPECT_EQ(res->status, status) << path << "\n" << res->body;
    return json::parse(res->body, nullptr, false);
  }

  // A Meilisearch error: {message, code, type, link} and nothing else.
  static void ExpectError(const json& body, const std::string& code, const std::string& part) {
    ASSERT_TRUE(body.is_object()) << body;
    EXPECT_EQ(body.size(), 4u) << body;
    EXPECT_EQ(body.value("code", ""), code) << body;
    EXPECT_TRUE(body["type"].is_string()) << body;
    EXPECT_EQ(body.value("link", ""), "https://docs.meilisearch.com/errors#" + code);
    EXPECT_NE(body.value("message", "").find(part), std::string::npos) << body;
  }

  static bool Has(const std::vector<std::string>& list, const std::string& v) {
    return std::find(list.begin(), list.end(), v) != list.end();
  }

  static inline testing::TempDir* dir_ = nullptr;
  static inline DatabasePool* pool_ = nullptr;
  static inline Server* open_ = nullptr;
  static inline Server* keyed_ = nullptr;
  static inline std::vector<corpus::Document> docs_;
};

TEST_F(MeiliApiTest, SearchIsTheSameSearchAsV1) {
  const json meili = Search({{"q", "innovationsupphandling"}, {"limit", 5}});
  auto res = Client().Get("/v1/search?q=innovationsupphandling&limit=5");
  ASSERT_TRUE(res);
  const json v1 = json::parse(res->body);
  EXPECT_EQ(meili["estimatedTotalHits"], v1["total"]);
  EXPECT_EQ(meili["limit"], 5);
  EXPECT_EQ(meili["offset"], 0);
  EXPECT_EQ(meili["query"], "innovationsupphandling");
  EXPECT_TRUE(meili["processingTimeMs"].is_number_integer());
  ASSERT_EQ(meili["hits"].size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(meili["hits"][i]["id"], v1["hits"][i]["id"]) << i;
    // The whole stored document, as Meilisearch returns it.
    EXPECT_TRUE(meili["hits"][i].contains("body"));
    EXPECT_FALSE(meili["hits"][i].contains("_formatted"));
  }
  EXPECT_FALSE(meili.contains("facetDistribution"));
}

TEST_F(MeiliApiTest, AnUnfinishedLastWordMatchesAsAPrefix) {
  const json typing = Search({{"q", "innovationsupph"}, {"attributesToHighlight", {"title"}}});
  const json finished = Search({{"q", "innovationsupph "}});  // a space: a whole word
  EXPECT_GT(typing["estimatedTotalHits"].get<int>(), 0);
  EXPECT_EQ(finished["estimatedTotalHits"], 0);
  EXPECT_NE(typing["hits"][0]["_formatted"]["title"].get<std::string>().find("<em>"), std::string::npos);
}

TEST_F(MeiliApiTest, GetTakesTheSameParametersAsPost) {
  const json post = Search({{"q", "energi"}, {"filter", "type = funding"}, {"limit", 3},
                            {"attributesToRetrieve", {"id", "title"}}, {"facets", {"themes"}}});
  const json get = Get("/indexes/kunskapsbank/search?q=energi&filter=type%20%3D%20funding&limit=3"
                       "&attributesToRetrieve=id,title&facets=themes");
  EXPECT_EQ(get["hits"], post["hits"]);
  EXPECT_EQ(get["facetDistribution"], post["facetDistribution"]);
  for (const json& hit : get["hits"]) EXPECT_EQ(hit.size(), 2u) << hit;
}

TEST_F(MeiliApiTest, FiltersAndFacetCountsMatchTheCorpus) {
  // As InstantSearch sends a ticked refinement: quoted attribute and value, inner OR.
  const json body = Search({{"q", ""},
                            {"filter", json::array({json::array({"\"themes\"=\"Energi\"",
                                                                 "\"themes\"=\"Cirkulär ekonomi\""}),
                                                    "type != guide"})},
                            {"facets", {"type", "themes", "amount_max_sek"}},
                            {"hitsPerPage", 5}});
  std::map<std::string, std::uint64_t> types;
  std::uint64_t total = 0;
  std::int64_t min = -1, max = -1;
  for (const corpus::Document& d : docs_) {
    if (!(Has(d.themes, "Energi") || Has(d.themes, "Cirkulär ekonomi"))) continue;
    if (d.type == corpus::DocType::kGuide) continue;
    ++total;
    ++types[std::string(corpus::DocTypeName(d.type))];
    if (d.amount_max_sek) {
      min = min < 0 ? *d.amount_max_sek : std::min(min, *d.amount_max_sek);
      max = std::max(max, *d.amount_max_sek);
    }
  }
  ASSERT_GT(total, 5u);
  EXPECT_EQ(body["totalHits"], total);
  EXPECT_EQ(body["totalPages"], (total + 4) / 5);
  EXPECT_EQ(body["hitsPerPage"], 5);
  EXPECT_EQ(body["page"], 1);
  EXPECT_FALSE(body.contains("estimatedTotalHits"));
  EXPECT_EQ(body["hits"].size(), 5u);
  json expected_types = json::object();
  for (const auto& [t, n] : types) expected_types[t] = n;
  EXPECT_EQ(body["facetDistribution"]["type"], expected_types);
  EXPECT_FALSE(body["facetDistribution"]["type"].contains("guide"));
  ASSERT_GT(max, 0);
  EXPECT_EQ(body["facetStats"]["amount_max_sek"], json({{"min", min}, {"max", max}}));
}

TEST_F(MeiliApiTest, FormattedIsRawTextWithTheClientsTags) {
  const json body = Search({{"q", "schakt"},
                            {"filter", "type = case"},
                            {"attributesToHighlight", {"title"}},
                            {"attributesToCrop", {"body:6"}},
                            {"highlightPreTag", "__ais-highlight__"},
                            {"highlightPostTag", "__/ais-highlight__"},
                            {"cropMarker", "[…]"}});
  ASSERT_FALSE(body["hits"].empty()) << body;
  bool saw_ampersand = false;
  for (const json& hit : body["hits"]) {
    const json& f = hit["_formatted"];
    EXPECT_EQ(f["id"], hit["id"]);
    // Not highlighted, not cropped: as stored.
    EXPECT_EQ(f["themes"], hit["themes"]);
    const std::string cropped = f["body"];
    // "Schakt & Transport": the ampersand comes through as written, never as &amp;.
    EXPECT_EQ(cropped.find("&amp;"), std::string::npos) << cropped;
    saw_ampersand |= cropped.find(" & ") != std::string::npos;
    EXPECT_NE(cropped.find("[…]"), std::string::npos) << cropped;
    EXPECT_EQ(cropped.find("<em>"), std::string::npos) << cropped;  // crop alone: no tags
    std::string words = cropped;
    std::erase(words, '\n');
    EXPECT_LE(std::count(words.begin(), words.end(), ' '), 6) << cropped;
  }
  EXPECT_TRUE(saw_ampersand);
  const json highlighted = Search({{"q", "energi"}, {"attributesToHighlight", {"*"}}, {"limit", 3}});
  for (const json& hit : highlighted["hits"]) {
    const std::string all = hit["_formatted"].dump();
    EXPECT_NE(all.find("<em>"), std::string::npos) << all;
    EXPECT_EQ(hit["_formatted"].size(), hit.size() - 1) << "every attribute but _formatted";
  }
}

TEST_F(MeiliApiTest, SortPagingScoresAndMatchingStrategy) {
  const json newest = Search({{"q", ""}, {"sort", {"published:desc"}}, {"limit", 20},
                              {"attributesToRetrieve", {"published"}}});
  for (std::size_t i = 1; i < newest["hits"].size(); ++i) {
    EXPECT_GE(newest["hits"][i - 1].value("published", ""), newest["hits"][i].value("published", ""));
  }
  const json first = Search({{"q", "upphandling"}, {"offset", 0}, {"limit", 4}});
  const json second = Search({{"q", "upphandling"}, {"offset", 2}, {"limit", 2}});
  EXPECT_EQ(second["hits"][0]["id"], first["hits"][2]["id"]);
  EXPECT_EQ(second["hits"][1]["id"], first["hits"][3]["id"]);

  const json scored = Search({{"q", "cirkulär ekonomi möbler"}, {"showRankingScore", true}});
  double previous = 1.0;
  for (const json& hit : scored["hits"]) {
    const double s = hit["_rankingScore"];
    EXPECT_GT(s, 0.0);
    EXPECT_LE(s, previous);
    previous = s;
  }
  const json last = Search({{"q", "matsvinn skolor"}, {"limit", 100}, {"attributesToRetrieve", {"id"}}});
  const json all = Search({{"q", "matsvinn skolor"}, {"limit", 100}, {"matchingStrategy", "all"},
                           {"attributesToRetrieve", {"id"}}});
  EXPECT_LT(all["estimatedTotalHits"].get<int>(), last["estimatedTotalHits"].get<int>());
  EXPECT_GT(all["estimatedTotalHits"].get<int>(), 0);
  // "all" finds the best of "last": documents with every word rank first there too.
  for (std::size_t i = 0; i < all["hits"].size(); ++i) EXPECT_EQ(all["hits"][i], last["hits"][i]);
}

TEST_F(MeiliApiTest, MultiSearchAnswersEachQueryInOrder) {
  const json body = Post("/multi-search",
                         {{"queries", {{{"indexUid", "kunskapsbank"}, {"q", "energi"}, {"limit", 1}},
                                       {{"indexUid", "kunskapsbank"}, {"q", ""},
                                        {"facets", {"type"}}, {"limit", 0}}}}});
  ASSERT_EQ(body["results"].size(), 2u);
  EXPECT_EQ(body["results"][0]["indexUid"], "kunskapsbank");
  EXPECT_EQ(body["results"][0]["query"], "energi");
  EXPECT_EQ(body["results"][1]["estimatedTotalHits"], docs_.size());
  EXPECT_TRUE(body["results"][1]["hits"].empty());
  std::uint64_t sum = 0;
  for (const auto& [type, n] : body["results"][1]["facetDistribution"]["type"].items()) sum += n.get<std::uint64_t>();
  EXPECT_EQ(sum, docs_.size());
  const json error = Post("/multi-search",
                          {{"queries", {{{"indexUid", "kunskapsbank"}, {"q", "a"}},
                                        {{"indexUid", "kunskapsbank"}, {"filter", "färg = röd"}}}}},
                          400);
  ExpectError(error, "invalid_search_filter", "Inside `.queries[1]`: filter: `färg` is not a filterable");
  ExpectError(Post("/multi-search", {{"queries", {{{"indexUid", "annat"}}}}}, 404),
              "index_not_found", "Index `annat` not found.");
}

TEST_F(MeiliApiTest, FacetSearchCountsMatchingValues) {
  const json body = Post("/indexes/kunskapsbank/facet-search",
                         {{"facetName", "themes"}, {"facetQuery", "ener"}, {"filter", "type = funding"}});
  std::uint64_t energy = 0;
  for (const corpus::Document& d : docs_) {
    energy += d.type == corpus::DocType::kFunding && Has(d.themes, "Energi");
  }
  ASSERT_GT(energy, 0u);
  EXPECT_EQ(body["facetQuery"], "ener");
  EXPECT_EQ(body["facetHits"], json::array({{{"value", "Energi"}, {"count", energy}}}));
  // instant-meilisearch sends its search context along: accepted, and it changes nothing.
  const json with_context = Post("/indexes/kunskapsbank/facet-search",
                                 {{"facetName", "themes"}, {"facetQuery", "ener"},
                                  {"filter", "type = funding"}, {"hitsPerPage", 20}, {"page", 1},
                                  {"attributesToHighlight", {"*"}},
                                  {"highlightPreTag", "__ais-highlight__"}});
  EXPECT_EQ(with_context["facetHits"], body["facetHits"]);
  ExpectError(Post("/indexes/kunskapsbank/facet-search",
                   {{"facetName", "themes"}, {"hitsPerPage", "many"}}, 400),
              "invalid_search_hits_per_page", "");
  ExpectError(Post("/indexes/kunskapsbank/facet-search", {{"facetName", "themes"}, {"vector", 1}}, 400),
              "bad_request", "Unknown field `vector`");
  ExpectError(Post("/indexes/kunskapsbank/facet-search", {{"facetName", "title"}}, 400),
              "invalid_facet_search_facet_name", "`title`");
}

TEST_F(MeiliApiTest, BadRequestsGetMeilisearchErrors) {
  ExpectError(Search({{"filter", "type = "}}, 400), "invalid_search_filter", "filter: ");
  ExpectError(Search({{"filter", "_geoRadius(59.3, 18.1, 500)"}}, 400), "invalid_search_filter",
              "_geoRadius is not supported");
  ExpectError(Search({{"q", "a"}, {"distinct", "type"}}, 400), "bad_request", "Unknown field `distinct`");
  ExpectError(Search({{"limit", "ten"}}, 400), "invalid_search_limit", "`.limit`");
  ExpectError(Search({{"hitsPerPage", -1}}, 400), "invalid_search_hits_per_page", "");
  ExpectError(Search({{"sort", {"title:desc"}}}, 400), "invalid_search_sort", "`title:desc`");
  ExpectError(Search({{"facets", {"body"}}}, 400), "invalid_search_facets", "`body`");
  ExpectError(Search({{"matchingStrategy", "frequency"}}, 400), "invalid_search_matching_strategy",
              "`frequency`");
  ExpectError(Search({{"q", std::string(2000, 'a')}}, 400), "invalid_search_q", "longer than");
  ExpectError(Post("/indexes/annat/search", {{"q", "a"}}, 404), "index_not_found", "`annat`");
  auto res = Client().Post("/indexes/kunskapsbank/search", "{\"q\": ", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  ExpectError(json::parse(res->body), "bad_request", "not valid JSON");
  res = Client().Post("/indexes/kunskapsbank/search", "q=a", "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 415);
  // Read-only: writes are refused, not half-done.
  res = Client().Post("/indexes/kunskapsbank/documents", "[{\"id\": \"x\"}]", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 405);
  ExpectError(json::parse(res->body), "read_only", "admin API");
  res = Client().Delete("/indexes/kunskapsbank");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 405);
  EXPECT_EQ(Get("/indexes/kunskapsbank/stats")["numberOfDocuments"], docs_.size());
}

TEST_F(MeiliApiTest, DescribesItself) {
  EXPECT_EQ(Get("/health"), json({{"status", "available"}}));
  EXPECT_TRUE(Get("/version")["pkgVersion"].is_string());
  const json index = Get("/indexes/kunskapsbank");
  EXPECT_EQ(index["uid"], "kunskapsbank");
  EXPECT_EQ(index["primaryKey"], "id");
  // Built by BuildDatabase just now: an RFC 3339 time of today, updatedAt not before it.
  const std::string created = index["createdAt"], updated = index["updatedAt"];
  EXPECT_EQ(created.size(), 20u) << created;
  EXPECT_EQ(created[10], 'T');
  EXPECT_EQ(created.back(), 'Z');
  EXPECT_GE(updated, created);
  EXPECT_EQ(Get("/indexes")["results"][0]["uid"], "kunskapsbank");
  ExpectError(Get("/indexes/annat", 404), "index_not_found", "`annat`");
}

TEST_F(MeiliApiTest, BrowsersMayCallItFromAllowedOrigins) {
  httplib::Headers headers = {{"Origin", "https://sajt.example"},
                              {"Access-Control-Request-Method", "POST"},
                              {"Access-Control-Request-Headers",
                               "authorization, content-type, x-meilisearch-client"}};
  auto res = Client().Options("/indexes/kunskapsbank/search", headers);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 204);
  EXPECT_EQ(res->get_header_value("Access-Control-Allow-Origin"), "https://sajt.example");
  const std::string allowed = res->get_header_value("Access-Control-Allow-Headers");
  for (const char* h : {"Authorization", "Content-Type", "X-Meilisearch-Client"}) {
    EXPECT_NE(allowed.find(h), std::string::npos) << h << " in " << allowed;
  }
  EXPECT_NE(res->get_header_value("Access-Control-Allow-Methods").find("POST"), std::string::npos);
  res = Client().Post("/indexes/kunskapsbank/search", {{"Origin", "https://sajt.example"}},
                      "{\"q\": \"energi\"}", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->get_header_value("Access-Control-Allow-Origin"), "https://sajt.example");
}

TEST_F(MeiliApiTest, AConfiguredKeyIsRequired) {
  httplib::Client client = Client(*keyed_);
  auto res = client.Post("/indexes/kunskapsbank/search", "{}", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  ExpectError(json::parse(res->body), "missing_authorization_header", "Authorization");
  res = client.Post("/indexes/kunskapsbank/search", {{"Authorization", "Bearer fel-nyckel-0123456789"}},
                    "{}", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  ExpectError(json::parse(res->body), "invalid_api_key", "invalid");
  res = client.Post("/indexes/kunskapsbank/search", {{"Authorization", std::string("Bearer ") + kKey}},
                    "{\"q\": \"energi\"}", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  res = client.Get("/health");  // load balancers probe without a key
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  // The key guards only the Meilisearch routes; /v1 stays as it was.
  res = client.Get("/v1/search?q=energi");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
}

}  // namespace
}  // namespace afori::searchd

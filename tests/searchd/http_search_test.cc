// The /v1 search API as site search boxes and facet consumers use it, over real HTTP on the
// shipped corpus: sorting, paging, facets (disjunctive), ranges, highlighting, fields, explain,
// suggest, /v1/facets, POST, CORS, ETags, and every response checked against the OpenAPI file.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "searchd/boosts.h"
#include "searchd/http_api.h"
#include "tests/openapi_check.h"
#include "tests/test_support.h"

namespace afori::searchd {
namespace {

using nlohmann::json;

constexpr const char* kToday = "2026-12-01";

class HttpSearchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    const auto docs = corpus::LoadDocuments({AFORI_SOURCE_DIR "/corpus/data"}).documents;
    ASSERT_TRUE(indexer::BuildDatabase(dir_->Join("db"), docs, testing::SharedAnalyzer()).ok());
    auto pool = DatabasePool::Open(dir_->Join("db"), 4);
    ASSERT_TRUE(pool.ok()) << pool.status().message();
    pool_ = std::move(pool).value().release();
    HttpOptions options;
    options.threads = 4;
    options.cors_origins = {"https://afori.example"};
    options.today = kToday;
    server_ = new HttpServer(*pool_, testing::SharedAnalyzer(), nullptr, options);
    Result<int> port = server_->Bind("127.0.0.1", 0);
    ASSERT_TRUE(port.ok());
    port_ = *port;
    thread_ = new std::thread([] { server_->Run(); });
    openapi_ = new testing::OpenApiCheck(
        testing::OpenApiCheck::Load(AFORI_SOURCE_DIR "/docs/openapi.json"));
  }
  static void TearDownTestSuite() {
    server_->Stop();
    thread_->join();
    delete openapi_;
    delete thread_;
    delete server_;
    delete pool_;
    delete dir_;
  }

  static httplib::Client Client() {
    httplib::Client client("127.0.0.1", port_);
    client.set_connection_timeout(5);
    client.set_read_timeout(10);
    return client;
  }

  // GET `path` (on route `route` of the OpenAPI file), expecting `status`; the body is checked
  // against the OpenAPI schema of that response.
  static json Get(const std::string& path, int status = 200, const std::string& route = "") {
    auto res = Client().Get(path);
    EXPECT_TRUE(res) << path;
    if (!res) return json();
    EXPECT_EQ(res->status, status) << path << "\n" << res->body;
    json body = json::parse(res->body, nullptr, false);
    const std::string template_path = route.empty() ? path.substr(0, path.find('?')) : route;
    for (const std::string& v : openapi_->CheckResponse("get", template_path, status, body)) {
      ADD_FAILURE() << path << ": " << v;
    }
    return body;
  }
  static json Post(const std::string& body, int status = 200) {
    auto res = Client().Post("/v1/search", body, "application/json");
    EXPECT_TRUE(res);
    if (!res) return json();
    EXPECT_EQ(res->status, status) << body << "\n" << res->body;
    json parsed = json::parse(res->body, nullptr, false);
    for (const std::string& v : openapi_->CheckResponse("post", "/v1/search", status, parsed)) {
      ADD_FAILURE() << body << ": " << v;
    }
    return parsed;
  }
  static std::vector<std::string> Ids(const json& body) {
    std::vector<std::string> ids;
    for (const json& hit : body["hits"]) ids.push_back(hit["id"]);
    return ids;
  }
  static void ExpectError(const std::string& path, const std::string& needle) {
    json body = Get(path, 400);
    EXPECT_EQ(body["error"]["code"], "invalid_argument") << path;
    EXPECT_NE(body["error"]["message"].get<std::string>().find(needle), std::string::npos)
        << path << ": " << body["error"]["message"];
  }

  static testing::TempDir* dir_;
  static DatabasePool* pool_;
  static HttpServer* server_;
  static std::thread* thread_;
  static int port_;
  static testing::OpenApiCheck* openapi_;
};

testing::TempDir* HttpSearchTest::dir_ = nullptr;
DatabasePool* HttpSearchTest::pool_ = nullptr;
HttpServer* HttpSearchTest::server_ = nullptr;
std::thread* HttpSearchTest::thread_ = nullptr;
int HttpSearchTest::port_ = 0;
testing::OpenApiCheck* HttpSearchTest::openapi_ = nullptr;

TEST_F(HttpSearchTest, OpenApiDocumentIsServedAndValid) {
  auto res = Client().Get("/v1/openapi.json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  const json served = json::parse(res->body);
  EXPECT_EQ(served, openapi_->Spec());  // the binary serves the file in the repository
  EXPECT_EQ(openapi_->ValidateDocument(), std::vector<std::string>{});
}

// Swedish order of first letters: a-z, then å, ä, ö.
int SwedishRank(const std::string& title) {
  const std::string lower = stemming::Lowercase(title);
  if (lower.starts_with("å")) return 27;
  if (lower.starts_with("ä")) return 28;
  if (lower.starts_with("ö")) return 29;
  return lower[0] >= 'a' && lower[0] <= 'z' ? lower[0] - 'a' : -1;
}

TEST_F(HttpSearchTest, QuerySyntaxOverHttp) {
  // "exact phrase": word order kept
  const json phrase = Get("/v1/search?q=%22tidig%20marknadsdialog%22&limit=100");
  const json reversed = Get("/v1/search?q=%22marknadsdialog%20tidig%22&limit=100");
  EXPECT_GT(phrase["total"].get<int>(), 0);
  EXPECT_LT(reversed["total"].get<int>(), phrase["total"].get<int>());
  // -exclusion and NOT
  const json elbus = Get("/v1/search?q=elbussar&limit=100");
  const json without = Get("/v1/search?q=elbussar%20-laddinfrastruktur&limit=100");
  EXPECT_LT(without["total"].get<int>(), elbus["total"].get<int>());
  EXPECT_EQ(Get("/v1/search?q=elbussar%20NOT%20laddinfrastruktur&limit=100")["total"], without["total"]);
  // OR is accepted: the same documents as the words alone
  EXPECT_EQ(Get("/v1/search?q=lou%20OR%20luf")["total"], Get("/v1/search?q=lou%20luf")["total"]);
  // prefix*
  const json prefix = Get("/v1/search?q=innovationsupp*&limit=1");
  EXPECT_GT(prefix["total"].get<int>(), 0);
  EXPECT_EQ(Get("/v1/search?q=innovationsupp&limit=1")["total"], 0);
  // syntax errors fall back to the words
  EXPECT_EQ(Get("/v1/search?q=%22elbussar")["total"], elbus["total"]);
  for (const char* q : {"(((", "-", "*", "NOT", "OR%20OR", "title:", "%22%22"}) {
    EXPECT_TRUE(Get(std::string("/v1/search?q=") + q)["hits"].is_array()) << q;
  }
}

TEST_F(HttpSearchTest, SortOrders) {
  json newest = Get("/v1/search?sort=newest&limit=100&fields=published");
  EXPECT_EQ(newest["sort"], "newest");
  for (std::size_t i = 1; i < newest["hits"].size(); ++i) {
    EXPECT_GE(newest["hits"][i - 1]["published"], newest["hits"][i]["published"]);
  }
  json titles = Get("/v1/search?sort=title&limit=100");
  const json rest = Get("/v1/search?sort=title&limit=100&offset=100");
  for (const json& hit : rest["hits"]) titles["hits"].push_back(hit);
  ASSERT_EQ(titles["hits"].size(), titles["total"].get<std::size_t>());
  bool saw_swedish_letter = false;
  for (std::size_t i = 1; i < titles["hits"].size(); ++i) {
    const int a = SwedishRank(titles["hits"][i - 1]["title"]);
    const int b = SwedishRank(titles["hits"][i]["title"]);
    EXPECT_LE(a, b) << titles["hits"][i - 1]["title"] << " before " << titles["hits"][i]["title"];
    saw_swedish_letter = saw_swedish_letter || b >= 27;
  }
  EXPECT_TRUE(saw_swedish_letter) << "the corpus should have titles starting with å, ä or ö";
  json deadlines = Get("/v1/search?type=funding&sort=deadline&limit=100&fields=deadline,status");
  bool closed_seen = false;
  std::string last_open;
  for (const json& hit : deadlines["hits"]) {
    if (hit["status"] == "open") {
      EXPECT_FALSE(closed_seen) << "open calls come first";
      EXPECT_GE(hit["deadline"].get<std::string>(), last_open);  // soonest first
      EXPECT_GE(hit["deadline"].get<std::string>(), kToday);
      last_open = hit["deadline"];
    } else {
      closed_seen = true;
    }
  }
  EXPECT_TRUE(closed_seen);
  ExpectError("/v1/search?sort=popularity", "'sort'");
}

TEST_F(HttpSearchTest, PagingWithLimitOffsetOrPagePerPage) {
  const json all = Get("/v1/search?sort=title&limit=30");
  const json page2 = Get("/v1/search?sort=title&page=2&per_page=10");
  EXPECT_EQ(page2["offset"], 10);
  EXPECT_EQ(page2["limit"], 10);
  ASSERT_EQ(page2["hits"].size(), 10u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(page2["hits"][i]["id"], all["hits"][10 + i]["id"]);
  ExpectError("/v1/search?page=2&limit=10", "cannot be combined");
  ExpectError("/v1/search?per_page=101", "'per_page'");
  ExpectError("/v1/search?page=0", "'page'");
  ExpectError("/v1/search?page=2000&per_page=10", "'page' must be at most 1001");
  ExpectError("/v1/search?limit=101", "'limit'");
  ExpectError("/v1/search?offset=10001", "'offset'");
  ExpectError("/v1/search?offset=-1", "'offset'");
}

TEST_F(HttpSearchTest, YearStatusAndAmountFacetsAndFilters) {
  const json all = Get("/v1/search?limit=0");
  for (const char* facet : {"type", "theme", "region", "organisation", "funder", "year", "status",
                            "amount"}) {
    EXPECT_TRUE(all["facets"].contains(facet)) << facet;
  }
  const int open = all["facets"]["status"]["open"];
  const int closed = all["facets"]["status"]["closed"];
  EXPECT_EQ(open + closed, all["facets"]["type"]["funding"].get<int>());
  const json open_calls = Get("/v1/search?status=open&limit=100&fields=deadline,status");
  EXPECT_EQ(open_calls["total"], open);
  for (const json& hit : open_calls["hits"]) {
    EXPECT_EQ(hit["status"], "open");
    EXPECT_GE(hit["deadline"].get<std::string>(), kToday);
  }
  const json big = Get("/v1/search?amount=5000000-20000000&limit=100&fields=amount_max_sek");
  ASSERT_GT(big["total"].get<int>(), 0);
  for (const json& hit : big["hits"]) {
    EXPECT_GE(hit["amount_max_sek"].get<long long>(), 5000000);
    EXPECT_LT(hit["amount_max_sek"].get<long long>(), 20000000);
  }
  const json y2024 = Get("/v1/search?year=2024&limit=100&fields=published");
  EXPECT_EQ(y2024["total"], all["facets"]["year"]["2024"]);
  for (const json& hit : y2024["hits"]) EXPECT_TRUE(hit["published"].get<std::string>().starts_with("2024"));
  ExpectError("/v1/search?status=pending", "'status' must be open or closed");
  ExpectError("/v1/search?amount=lots", "'amount' must be one of");
  ExpectError("/v1/search?year=24", "'year'");
}

TEST_F(HttpSearchTest, RangeFilters) {
  const json r = Get("/v1/search?published_from=2024-01-01&published_to=2024-12-31&limit=100&fields=published");
  ASSERT_GT(r["total"].get<int>(), 0);
  for (const json& hit : r["hits"]) {
    EXPECT_GE(hit["published"].get<std::string>(), "2024-01-01");
    EXPECT_LE(hit["published"].get<std::string>(), "2024-12-31");
  }
  const json d = Get("/v1/search?deadline_from=2027-03-01&deadline_to=2027-06-30&limit=100&fields=deadline");
  ASSERT_GT(d["total"].get<int>(), 0);
  for (const json& hit : d["hits"]) {
    EXPECT_GE(hit["deadline"].get<std::string>(), "2027-03-01");
    EXPECT_LE(hit["deadline"].get<std::string>(), "2027-06-30");
  }
  const json a = Get("/v1/search?amount_min=1000000&amount_max=3000000&limit=100&fields=amount_max_sek");
  ASSERT_GT(a["total"].get<int>(), 0);
  for (const json& hit : a["hits"]) {
    EXPECT_GE(hit["amount_max_sek"].get<long long>(), 1000000);
    EXPECT_LE(hit["amount_max_sek"].get<long long>(), 3000000);
  }
  ExpectError("/v1/search?published_from=2024-02-30", "'published_from' must be a date");
  ExpectError("/v1/search?published_from=2025-01-01&published_to=2024-01-01", "after");
  ExpectError("/v1/search?amount_min=-5", "'amount_min'");
  ExpectError("/v1/search?amount_min=99999999999999999999", "'amount_min'");
  ExpectError("/v1/search?amount_min=9&amount_max=1", "'amount_min' is above");
}

TEST_F(HttpSearchTest, FacetCountsIgnoreTheirOwnSelection) {
  const json all = Get("/v1/search?limit=0");
  const json cases = Get("/v1/search?type=case&limit=0");
  EXPECT_EQ(cases["total"], all["facets"]["type"]["case"]);
  EXPECT_EQ(cases["facets"]["type"], all["facets"]["type"]);  // still offers guide and funding
  EXPECT_NE(cases["facets"]["theme"], all["facets"]["theme"]);  // other facets follow the filter
  const json both = Get("/v1/search?type=case&type=guide&limit=0");
  EXPECT_EQ(both["total"], all["facets"]["type"]["case"].get<int>() + all["facets"]["type"]["guide"].get<int>());
}

TEST_F(HttpSearchTest, FacetsEndpointListsAllValuesAndSearchesWithinOne) {
  const json facets = Get("/v1/facets");
  EXPECT_EQ(facets["facets"].size(), 8u);
  EXPECT_GE(facets["facets"]["region"].size(), 22u);  // every län and Nationell, not truncated
  const json orgs = Get("/v1/facets?facet=organisation&facet_query=Upp");
  ASSERT_EQ(orgs["facets"].size(), 1u);
  EXPECT_TRUE(orgs["facets"]["organisation"].contains("Upphandlingsmyndigheten")) << orgs;
  for (const auto& [value, count] : orgs["facets"]["organisation"].items()) {
    bool word_starts = false;
    for (const stemming::Token& t : stemming::Tokenize(value)) {
      word_starts = word_starts || t.text.starts_with("upp");
    }
    EXPECT_TRUE(word_starts) << value;
    EXPECT_GT(count.get<int>(), 0);
  }
  const json kommun = Get("/v1/facets?facet=organisation&facet_query=kommun");
  EXPECT_GE(kommun["facets"]["organisation"].size(), 20u);
  const json folded = Get("/v1/facets?facet=region&facet_query=vastra");
  EXPECT_TRUE(folded["facets"]["region"].contains("Västra Götalands län")) << folded;
  const json filtered = Get("/v1/facets?type=funding&facet=type");
  EXPECT_EQ(filtered["facets"]["type"].size(), 3u);  // disjunctive here too
  ExpectError("/v1/facets?facet_query=reg", "'facet_query' needs 'facet'");
  ExpectError("/v1/facets?facet=colour", "unknown facet 'colour'");
}

TEST_F(HttpSearchTest, PostTakesTheSameOptionsAsGet) {
  const json get = Get("/v1/search?q=upphandling&type=case&type=funding&theme=Energi&sort=newest&limit=5");
  const json post = Post(R"({"q": "upphandling", "filters": {"type": ["case", "funding"],
      "theme": ["Energi"]}, "sort": "newest", "limit": 5})");
  EXPECT_EQ(Ids(post), Ids(get));
  EXPECT_EQ(post["total"], get["total"]);
  EXPECT_EQ(post["facets"], get["facets"]);
  const json bad_key = Post(R"({"q": "x", "colour": "red"})", 400);
  EXPECT_NE(bad_key["error"]["message"].get<std::string>().find("unknown field 'colour'"), std::string::npos);
  const json misplaced = Post(R"({"type": ["case"]})", 400);
  EXPECT_NE(misplaced["error"]["message"].get<std::string>().find("under 'filters'"), std::string::npos);
  const json bad_type = Post(R"({"limit": "many"})", 400);
  EXPECT_NE(bad_type["error"]["message"].get<std::string>().find("'limit'"), std::string::npos);
  const json not_json = Post("{", 400);
  EXPECT_NE(not_json["error"]["message"].get<std::string>().find("not valid JSON"), std::string::npos);
  EXPECT_EQ(Post(R"({"explain": true, "q": "elbussar", "limit": 1})")["hits"][0].contains("explain"), true);
}

TEST_F(HttpSearchTest, HighlightsAreStemAndCompoundAwareAndEscaped) {
  const json r = Get("/v1/search?q=upphandling&limit=100");
  bool compound_marked = false, inflection_marked = false;
  for (const json& hit : r["hits"]) {
    const std::string snippet = hit["snippet_html"];
    const std::string title = hit["title_html"];
    for (const std::string& html : {snippet, title}) {
      compound_marked = compound_marked ||
                        html.find("<mark>Innovationsupphandling") != std::string::npos ||
                        html.find("<mark>innovationsupphandling") != std::string::npos;
      inflection_marked = inflection_marked || html.find("<mark>upphandlingar</mark>") != std::string::npos ||
                          html.find("<mark>upphandlingen</mark>") != std::string::npos;
      // Only our <mark> tags are markup; everything else is escaped.
      std::string rest = html;
      for (const char* tag : {"<mark>", "</mark>"}) {
        for (std::size_t p; (p = rest.find(tag)) != std::string::npos;) rest.erase(p, std::string(tag).size());
      }
      EXPECT_EQ(rest.find('<'), std::string::npos) << html;
    }
    EXPECT_LE(stemming::CodePointCount(snippet), 200u + 13u * 10u + 2u) << snippet;
  }
  EXPECT_TRUE(compound_marked);
  EXPECT_TRUE(inflection_marked);
}

TEST_F(HttpSearchTest, FieldsChooseWhatHitsReturn) {
  const json r = Get("/v1/search?q=elbussar&fields=title,themes,amount_max_sek&limit=3");
  for (const json& hit : r["hits"]) {
    std::vector<std::string> keys;
    for (const auto& [k, v] : hit.items()) keys.push_back(k);
    std::sort(keys.begin(), keys.end());
    EXPECT_EQ(keys, (std::vector<std::string>{"amount_max_sek", "id", "themes", "title"}));
    EXPECT_TRUE(hit["themes"].is_array());
  }
  ExpectError("/v1/search?fields=Title", "'fields'");
}

TEST_F(HttpSearchTest, ExplainShowsTheScoreParts) {
  const json r = Get("/v1/search?q=tidig%20marknadsdialog&explain=1&limit=10&fields=score,type,status");
  ASSERT_GT(r["hits"].size(), 1u);
  const json& top = r["hits"][0]["explain"];
  EXPECT_EQ(top["matched_words"], 2);
  EXPECT_GT(top["proximity"].get<double>(), 0.0);  // the phrase "tidig marknadsdialog"
  for (const json& hit : r["hits"]) {
    const json& e = hit["explain"];
    const double sum = e["bm25"].get<double>() + e["proximity"].get<double>() +
                       e["freshness"].get<double>() + e["open_call"].get<double>() +
                       10000.0 * e["matched_words"].get<double>();
    EXPECT_NEAR(sum, hit["score"].get<double>(), 1e-6 * hit["score"].get<double>());
    EXPECT_EQ(e["open_call"].get<double>() > 0, hit["status"] == "open");
    EXPECT_GE(e["freshness"].get<double>(), 0.0);
    EXPECT_LE(e["freshness"].get<double>(), kMaxFreshnessBoost);
  }
}

TEST_F(HttpSearchTest, PhraseMatchesRankAboveScatteredWords) {
  const json r = Get("/v1/search?q=tidig%20marknadsdialog&explain=1&limit=20");
  bool scattered_seen = false;
  for (const json& hit : r["hits"]) {
    if (hit["explain"]["matched_words"] != 2) break;
    const bool near = hit["explain"]["proximity"].get<double>() > 0;
    if (!near) scattered_seen = true;
    if (near) {
      EXPECT_FALSE(scattered_seen) << hit["id"] << " has the words together but ranks below one without";
    }
  }
}

TEST_F(HttpSearchTest, SuggestCompletesTheTypedPrefix) {
  const json r = Get("/v1/suggest?q=innovationsupp");
  ASSERT_GT(r["suggestions"].size(), 0u);
  EXPECT_LE(r["suggestions"].size(), 8u);
  bool term = false;
  for (const json& s : r["suggestions"]) {
    EXPECT_NE(s["html"].get<std::string>().find("<mark>"), std::string::npos) << s;
    term = term || (s["kind"] == "term" && s["text"].get<std::string>().starts_with("innovationsupphandling"));
  }
  EXPECT_TRUE(term) << r;
  EXPECT_LE(Get("/v1/suggest?q=upp&limit=3")["suggestions"].size(), 3u);
  ExpectError("/v1/suggest?q=upp&limit=9", "'limit'");
  ExpectError("/v1/suggest", "'q' is required");
}

TEST_F(HttpSearchTest, CorsAllowListAndPreflight) {
  httplib::Client client = Client();
  auto allowed = client.Get("/v1/search?q=lou", {{"Origin", "https://afori.example"}});
  ASSERT_TRUE(allowed);
  EXPECT_EQ(allowed->get_header_value("Access-Control-Allow-Origin"), "https://afori.example");
  auto other = client.Get("/v1/search?q=lou", {{"Origin", "https://evil.example"}});
  ASSERT_TRUE(other);
  EXPECT_FALSE(other->has_header("Access-Control-Allow-Origin"));
  auto preflight = client.Options("/v1/search", {{"Origin", "https://afori.example"},
                                                 {"Access-Control-Request-Method", "POST"},
                                                 {"Access-Control-Request-Headers", "content-type"}});
  ASSERT_TRUE(preflight);
  EXPECT_EQ(preflight->status, 204);
  EXPECT_NE(preflight->get_header_value("Access-Control-Allow-Methods").find("POST"), std::string::npos);
  EXPECT_NE(preflight->get_header_value("Access-Control-Allow-Headers").find("Content-Type"), std::string::npos);
  auto error = client.Get("/v1/search?limit=999", {{"Origin", "https://afori.example"}});
  ASSERT_TRUE(error);
  EXPECT_EQ(error->status, 400);
  EXPECT_EQ(error->get_header_value("Access-Control-Allow-Origin"), "https://afori.example");
}

TEST_F(HttpSearchTest, ETagsKeyedToTheRevisionAnswer304) {
  httplib::Client client = Client();
  auto first = client.Get("/v1/search?q=lou");
  ASSERT_TRUE(first);
  const std::string etag = first->get_header_value("ETag");
  ASSERT_FALSE(etag.empty());
  EXPECT_NE(first->get_header_value("Cache-Control"), "");
  auto again = client.Get("/v1/search?q=lou", {{"If-None-Match", etag}});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());
  auto other = client.Get("/v1/search?q=luf");
  ASSERT_TRUE(other);
  EXPECT_NE(other->get_header_value("ETag"), etag);
  auto suggest = client.Get("/v1/suggest?q=upp");
  ASSERT_TRUE(suggest);
  EXPECT_FALSE(suggest->get_header_value("ETag").empty());
}

}  // namespace
}  // namespace afori::searchd

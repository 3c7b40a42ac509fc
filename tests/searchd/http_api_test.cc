// The HTTP API against a real server on an ephemeral loopback port.
#include "searchd/http_api.h"

#include <gtest/gtest.h>

#include <thread>

#include "common/schema.h"
#include "tests/openapi_check.h"
#include "tests/test_support.h"

namespace afori::searchd {
namespace {

using afori::testing::TempDir;
using nlohmann::json;

class HttpApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    auto pool = DatabasePool::Open(testing::BuildFixtureIndex(*dir_, testing::SharedAnalyzer()), 4);
    ASSERT_TRUE(pool.ok()) << pool.status().message();
    pool_ = std::move(pool).value().release();
    auto synonyms = SynonymSource::Open(
        dir_->Write("synonyms.txt", "pcp | förkommersiell upphandling\n"),
        testing::SharedAnalyzer().StemFunction());
    ASSERT_TRUE(synonyms.ok()) << synonyms.status().message();
    synonyms_ = std::move(synonyms).value().release();
    HttpOptions options;
    options.threads = 4;
    options.cors_origins = {"https://afori.example"};
    options.today = "2026-12-01";
    server_ = new HttpServer(*pool_, testing::SharedAnalyzer(), synonyms_, options);
    Result<int> port = server_->Bind("127.0.0.1", 0);
    ASSERT_TRUE(port.ok());
    port_ = *port;
    thread_ = new std::thread([] { server_->Run(); });
  }
  static void TearDownTestSuite() {
    server_->Stop();
    thread_->join();
    delete thread_;
    delete server_;
    delete synonyms_;
    delete pool_;
    delete dir_;
  }

  httplib::Result Get(const std::string& path) {
    httplib::Client client("127.0.0.1", port_);
    client.set_connection_timeout(5);
    client.set_read_timeout(10);
    for (int attempt = 0; attempt < 50; ++attempt) {  // the server thread may still be starting
      if (auto res = client.Get(path)) return res;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return client.Get(path);
  }

  json GetJson(const std::string& path, int expected_status) {
    auto res = Get(path);
    EXPECT_TRUE(res) << path;
    if (!res) return nullptr;
    EXPECT_EQ(res->status, expected_status) << path << ": " << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json; charset=utf-8");
    json body = json::parse(res->body);
    // Every answer must be what docs/openapi.json promises for its route and status.
    static const testing::OpenApiCheck openapi =
        testing::OpenApiCheck::Load(AFORI_SOURCE_DIR "/docs/openapi.json");
    std::string route = path.substr(0, path.find('?'));
    if (route.starts_with("/v1/documents/")) route = "/v1/documents/{id}";
    const bool known = openapi.Spec()["paths"].contains(route);
    for (const std::string& v : known ? openapi.CheckResponse("get", route, expected_status, body)
                                      : std::vector<std::string>{}) {
      ADD_FAILURE() << path << ": " << v;
    }
    return body;
  }

  void ExpectError(const std::string& path, int status, const std::string& code,
                   const std::string& mentions) {
    json body = GetJson(path, status);
    ASSERT_TRUE(body.contains("error")) << path;
    EXPECT_EQ(body["error"]["code"], code) << path;
    EXPECT_NE(body["error"]["message"].get<std::string>().find(mentions), std::string::npos)
        << path << ": " << body.dump();
  }

  static TempDir* dir_;
  static DatabasePool* pool_;
  static HttpServer* server_;
  static SynonymSource* synonyms_;
  static std::thread* thread_;
  static int port_;
};

TempDir* HttpApiTest::dir_ = nullptr;
DatabasePool* HttpApiTest::pool_ = nullptr;
HttpServer* HttpApiTest::server_ = nullptr;
SynonymSource* HttpApiTest::synonyms_ = nullptr;
std::thread* HttpApiTest::thread_ = nullptr;
int HttpApiTest::port_ = 0;

TEST_F(HttpApiTest, SearchResponseHasTheDocumentedShape) {
  auto res = Get("/v1/search?q=elbussar");
  ASSERT_TRUE(res);
  // Parsed preserving key order: the documented field order is part of the contract.
  const nlohmann::ordered_json body = nlohmann::ordered_json::parse(res->body);
  EXPECT_EQ(body["query"], "elbussar");
  EXPECT_EQ(body["total"], 1);
  ASSERT_EQ(body["hits"].size(), 1u);
  const nlohmann::ordered_json& hit = body["hits"][0];
  std::vector<std::string> keys;
  for (auto it = hit.begin(); it != hit.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"id", "type", "title", "title_html", "url", "summary",
                                            "snippet_html", "published", "deadline", "status",
                                            "score"}));
  EXPECT_EQ(hit["id"], "exempel-elbussar");
  EXPECT_TRUE(hit["score"].is_number());
  for (const char* facet : {"type", "theme", "region", "organisation", "funder"}) {
    EXPECT_TRUE(body["facets"].contains(facet)) << facet;
  }
  EXPECT_EQ(body["facets"]["type"]["case"], 1);
  EXPECT_TRUE(body["took_ms"].is_number());
}

TEST_F(HttpApiTest, RepeatedFilterParametersOrAndDifferentOnesAnd) {
  EXPECT_EQ(GetJson("/v1/search?type=case&type=funding", 200)["total"], 7);
  EXPECT_EQ(GetJson("/v1/search?type=case&type=funding&region=Sk%C3%A5ne%20l%C3%A4n", 200)["total"], 3);
  EXPECT_EQ(GetJson("/v1/search?theme=Omsorg%20och%20v%C3%A4lf%C3%A4rd&organisation=Bj%C3%B6rkby%20kommun", 200)["total"], 1);
}

TEST_F(HttpApiTest, EmptyQueryBrowsesNewestFirstWithPaging) {
  json first = GetJson("/v1/search?limit=2", 200);
  json second = GetJson("/v1/search?limit=2&offset=2", 200);
  EXPECT_EQ(first["total"], 11);
  EXPECT_EQ(first["hits"][0]["id"], "finans-omsorg");
  EXPECT_EQ(second["hits"].size(), 2u);
  EXPECT_NE(first["hits"][1]["id"], second["hits"][0]["id"]);
  EXPECT_EQ(GetJson("/v1/search", 200)["hits"].size(), 10u);  // default limit
}

TEST_F(HttpApiTest, FacetsParameterChoosesTheFacets) {
  json body = GetJson("/v1/search?facets=region,%20funder", 200);
  EXPECT_EQ(body["facets"].size(), 2u);
  EXPECT_TRUE(body["facets"].contains("region"));
  EXPECT_EQ(GetJson("/v1/search?facets=", 200)["facets"].size(), 0u);
}

TEST_F(HttpApiTest, BadParametersAre400sNamingTheParameter) {
  ExpectError("/v1/search?limit=101", 400, "invalid_argument", "'limit'");
  ExpectError("/v1/search?limit=ten", 400, "invalid_argument", "'limit'");
  ExpectError("/v1/search?limit=-1", 400, "invalid_argument", "'limit'");
  ExpectError("/v1/search?offset=10001", 400, "invalid_argument", "'offset'");
  ExpectError("/v1/search?offset=99999999999999999999999", 400, "invalid_argument", "'offset'");
  ExpectError("/v1/search?lmit=5", 400, "invalid_argument", "unknown parameter 'lmit'");
  ExpectError("/v1/search?q=a&q=b", 400, "invalid_argument", "'q' may be given only once");
  ExpectError("/v1/search?facets=type,colour", 400, "invalid_argument", "colour");
  ExpectError("/v1/search?theme=", 400, "invalid_argument", "'theme' has an empty value");
  ExpectError("/v1/search?q=" + std::string(1001, 'a'), 400, "invalid_argument", "'q'");
}

// Writing is the admin API's alone, on its own port behind a token: no method on the search
// port changes the index, whatever the path.
TEST_F(HttpApiTest, TheSearchPortNeverWrites) {
  httplib::Client client("127.0.0.1", port_);
  const std::uint64_t before = pool_->With([](Xapian::Database& db) { return db.get_revision(); });
  const std::string doc = R"({"id": "intrang", "type": "guide", "title": "T", "body": "B"})";
  for (const std::string path : {"/v1/documents/intrang", "/v1/documents", "/v1/search",
                                 "/indexes/kunskapsbank/documents", "/indexes/kunskapsbank"}) {
    for (const std::string method : {"PUT", "POST", "DELETE", "PATCH"}) {
      httplib::Request req;
      req.method = method;
      req.path = path;
      req.body = doc;
      req.set_header("Content-Type", "application/json");
      httplib::Result res = client.send(req);
      ASSERT_TRUE(res) << method << " " << path;
      if (path == "/v1/search" && method == "POST") continue;  // searches, changes nothing
      EXPECT_TRUE(res->status == 404 || res->status == 405) << method << " " << path << ": "
                                                            << res->status;
    }
  }
  EXPECT_EQ(pool_->With([](Xapian::Database& db) { return db.get_revision(); }), before);
  EXPECT_EQ(GetJson("/v1/documents/intrang", 404)["error"]["code"], "not_found");
}

TEST_F(HttpApiTest, HostileQueriesNeverFail) {
  for (const char* q : {"%22", "(((", "-", "*", "NOT", "OR%20OR", "%E2%80%8B",
                        "title:", "\"\"\"\"", "upphandling%20AND%20NOT%20("}) {
    json body = GetJson(std::string("/v1/search?q=") + q, 200);
    EXPECT_TRUE(body.contains("hits")) << q;
  }
}

// Bytes no visitor types are refused by name rather than searched as U+FFFD or truncated.
TEST_F(HttpApiTest, InvalidUtf8AndNulBytesAreRefusedAnywhere) {
  ExpectError("/v1/search?q=%FF%FE", 400, "invalid_argument", "parameter 'q' is not valid UTF-8");
  ExpectError("/v1/search?q=a%00b", 400, "invalid_argument", "parameter 'q' contains a NUL byte");
  ExpectError("/v1/search?theme=Energi%00", 400, "invalid_argument", "'theme' contains a NUL");
  ExpectError("/v1/suggest?q=%C3", 400, "invalid_argument", "'q' is not valid UTF-8");
  ExpectError("/v1/search?%FF=1", 400, "invalid_argument", "a parameter name is not valid UTF-8");
  ExpectError("/v1/documents/a%00b", 400, "invalid_argument", "the request path contains a NUL");
  std::string many = "/v1/search?q=a";
  for (int i = 0; i < 70; ++i) many += "&theme=t" + std::to_string(i);
  ExpectError(many, 400, "invalid_argument", "too many parameters: 71, at most 64");
}

std::vector<std::string> HitIds(const json& body) {
  std::vector<std::string> ids;
  for (const json& hit : body["hits"]) ids.push_back(hit["id"]);
  return ids;
}

TEST_F(HttpApiTest, ForgivingQueriesOverHttp) {
  // typo: a suggestion and the results of the corrected word
  json typo = GetJson("/v1/search?q=elbusar", 200);
  EXPECT_EQ(typo["suggestion"], "elbussar");
  EXPECT_EQ(HitIds(typo), std::vector<std::string>{"exempel-elbussar"});
  // missing å/ä/ö
  json folded = GetJson("/v1/search?q=forkommersiell", 200);
  EXPECT_EQ(folded["suggestion"], "förkommersiell");
  EXPECT_EQ(HitIds(folded).at(0), "vagledning-fku");
  // a compound's part finds the compound ("funktionsupphandling")
  json part = GetJson("/v1/search?q=funktion", 200);
  EXPECT_EQ(HitIds(part).at(0), "exempel-elbussar");
  // synonyms from the file searchd was given
  json synonym = GetJson("/v1/search?q=PCP", 200);
  EXPECT_EQ(HitIds(synonym).at(0), "vagledning-fku");
  // a correct query has no suggestion
  EXPECT_TRUE(GetJson("/v1/search?q=elbussar", 200)["suggestion"].is_null());
}

TEST_F(HttpApiTest, AsYouTypeMatchesTheLastWordAsAPrefix) {
  EXPECT_EQ(GetJson("/v1/search?q=skolm%C3%A5lt", 200)["total"], 0);
  json typing = GetJson("/v1/search?q=skolm%C3%A5lt&as_you_type=1", 200);
  EXPECT_EQ(HitIds(typing).at(0), "exempel-skolmat");
  ExpectError("/v1/search?q=a&as_you_type=yes", 400, "invalid_argument", "'as_you_type'");
}

TEST_F(HttpApiTest, AllWordsKeepsOnlyDocumentsWithEveryWord) {
  auto total = [&](const std::string& query) {
    return GetJson("/v1/search?limit=0&q=" + query, 200)["total"].get<int>();
  };
  const int one = total("upphandling"), other = total("elbuss");
  const int any = total("upphandling%20elbuss");
  const int all = total("upphandling%20elbuss&all_words=1");
  EXPECT_GT(all, 0);
  EXPECT_LE(all, std::min(one, other));
  EXPECT_LT(all, any);
  EXPECT_EQ(total("upphandling%20elbuss&all_words=0"), any);
  // The facets route takes it too: its counts are over the same matches.
  json facets = GetJson("/v1/facets?facet=type&q=upphandling%20elbuss&all_words=1", 200);
  int counted = 0;
  for (const auto& [type, count] : facets["facets"]["type"].items()) counted += count.get<int>();
  EXPECT_EQ(counted, all);
  ExpectError("/v1/search?q=a&all_words=ja", 400, "invalid_argument", "'all_words'");
}

TEST_F(HttpApiTest, AnalyzeShowsTokensStemsPartsAndExpansions) {
  json doc = GetJson("/v1/analyze?text=Innovationsupphandlingar%20och%20e-tj%C3%A4nster&field=body", 200);
  ASSERT_GE(doc["tokens"].size(), 5u);
  EXPECT_EQ(doc["tokens"][0]["token"], "innovationsupphandlingar");
  EXPECT_EQ(doc["tokens"][0]["stem"], "innovationsupphandling");
  EXPECT_EQ(doc["tokens"][0]["compound_parts"][0]["part"], "innovation");
  EXPECT_EQ(doc["tokens"][1]["stop_word"], true);
  EXPECT_TRUE(doc["tokens"][1]["stem"].is_null());
  EXPECT_EQ(doc["tokens"][2]["kind"], "hyphenated_whole");
  bool has_part_term = false;
  for (const json& t : doc["terms"]) has_part_term = has_part_term || t["term"] == "XPupphandling";
  EXPECT_TRUE(has_part_term);

  json query = GetJson("/v1/analyze?text=elbusar%20PCP", 200);  // field defaults to query
  EXPECT_EQ(query["field"], "query");
  EXPECT_EQ(query["suggestion"], "elbussar PCP");
  EXPECT_EQ(query["words"][0]["corrections"], json::array({"elbussar"}));
  EXPECT_EQ(query["words"][1]["synonyms"], json::array({"förkommersiell upphandling"}));
  EXPECT_TRUE(query["query"].is_string());

  ExpectError("/v1/analyze", 400, "invalid_argument", "'text' is required");
  ExpectError("/v1/analyze?text=a&field=colour", 400, "invalid_argument", "'field'");
  ExpectError("/v1/analyze?text=a&txt=b", 400, "invalid_argument", "unknown parameter 'txt'");
  ExpectError("/v1/analyze?text=" + std::string(1001, 'a'), 400, "invalid_argument", "'text'");
}

TEST_F(HttpApiTest, DocumentsByIdAndErrors) {
  json doc = GetJson("/v1/documents/vagledning-fku", 200);
  EXPECT_EQ(doc["id"], "vagledning-fku");
  EXPECT_EQ(doc["internal_note"], "granskad av redaktionen");
  ExpectError("/v1/documents/finns-inte", 404, "not_found", "finns-inte");
  ExpectError("/v1/documents/Fel_Id", 400, "invalid_argument", "id must match");
}

TEST_F(HttpApiTest, UnknownRoutesAre404Json) {
  ExpectError("/v2/search", 404, "not_found", "/v2/search");
  ExpectError("/", 404, "not_found", "GET /");
}

TEST_F(HttpApiTest, HealthzReportsCountAndRevision) {
  json body = GetJson("/healthz", 200);
  EXPECT_EQ(body["status"], "ok");
  EXPECT_EQ(body["documents"], 11);
  EXPECT_GE(body["revision"].get<int>(), 1);
  EXPECT_EQ(body["schema_version"], schema::kSchemaVersion);
}

TEST_F(HttpApiTest, ConcurrentRequestsAllSucceed) {
  std::vector<std::thread> clients;
  std::atomic<int> ok{0};
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&, t] {
      httplib::Client client("127.0.0.1", port_);
      for (int i = 0; i < 25; ++i) {
        auto res = client.Get(t % 2 ? "/v1/search?q=upphandling&type=case" : "/v1/search");
        if (res && res->status == 200 && json::parse(res->body)["total"].get<int>() > 0) ++ok;
      }
    });
  }
  for (auto& c : clients) c.join();
  EXPECT_EQ(ok.load(), 200);
}

}  // namespace
}  // namespace afori::searchd

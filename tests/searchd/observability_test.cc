// GET /metrics and the access log over real HTTP: the search API and the admin API share one
// Metrics and one AccessLog, as in searchd's main.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <thread>

#include <nlohmann/json.hpp>

#include "searchd/access_log.h"
#include "searchd/admin_api.h"
#include "searchd/database_pool.h"
#include "searchd/http_api.h"
#include "searchd/metrics.h"
#include "tests/prometheus_text.h"
#include "tests/test_support.h"

namespace afori::searchd {
namespace {

using afori::testing::ParsePromText;
using afori::testing::PromText;
using nlohmann::json;

constexpr const char* kToken = "observability-admin-token-5678";
constexpr const char* kWrongToken = "wrong-token-that-must-not-leak";
constexpr const char* kRequests = "afori_searchd_requests_total";
constexpr const char* kLatency = "afori_searchd_request_duration_seconds";

std::string Doc(const std::string& id, const std::string& title) {
  return json({{"id", id}, {"type", "guide"}, {"title", title},
               {"body", "Text om " + title + " och upphandling."}})
      .dump();
}

class ObservabilityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_path_ = testing::BuildFixtureIndex(dir_, testing::SharedAnalyzer());
    auto pool = DatabasePool::Open(db_path_, 2);
    ASSERT_TRUE(pool.ok());
    pool_ = std::move(*pool);
    log_path_ = dir_.Join("access.log");
    auto log = AccessLog::Open(log_path_);
    ASSERT_TRUE(log.ok()) << log.status().message();
    log_ = std::move(*log);
    const Observers observers{&metrics_, log_.get()};
    HttpOptions http;
    http.threads = 2;
    http.today = "2026-12-01";
    http.observers = observers;
    search_ = std::make_unique<HttpServer>(*pool_, testing::SharedAnalyzer(), nullptr, http);
    search_port_ = *search_->Bind("127.0.0.1", 0);
    AdminOptions admin;
    admin.token = kToken;
    admin.observers = observers;
    admin_ = std::make_unique<AdminServer>(db_path_, testing::SharedAnalyzer(), admin);
    admin_port_ = *admin_->Bind("127.0.0.1", 0);
    threads_.emplace_back([this] { search_->Run(); });
    threads_.emplace_back([this] { admin_->Run(); });
    // Both listeners are bound: requests wait in the backlog until Run() serves them. Every
    // test sends a request to each server, so both run by the time TearDown stops them.
  }
  void TearDown() override {
    search_->Stop();
    admin_->Stop();
    for (auto& t : threads_) t.join();
  }

  httplib::Client Search() {
    httplib::Client c("127.0.0.1", search_port_);
    c.set_read_timeout(10);
    return c;
  }
  httplib::Client Admin(const char* token) {
    httplib::Client c("127.0.0.1", admin_port_);
    if (token) c.set_bearer_token_auth(token);
    c.set_read_timeout(10);
    return c;
  }
  int GetStatus(const std::string& path) {
    auto res = Search().Get(path);
    EXPECT_TRUE(res) << path;
    return res ? res->status : -1;
  }
  PromText Scrape() {
    auto res = Search().Get("/metrics");
    EXPECT_TRUE(res);
    if (!res) return {};
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
    PromText parsed = ParsePromText(res->body);
    for (const std::string& e : parsed.errors) ADD_FAILURE() << e;
    return parsed;
  }
  std::vector<json> LogLines() {
    std::ifstream in(log_path_);
    std::vector<json> lines;
    for (std::string line; std::getline(in, line);) {
      json j = json::parse(line, nullptr, false);
      EXPECT_TRUE(j.is_object()) << "not a JSON object: " << line;
      lines.push_back(std::move(j));
    }
    return lines;
  }
  IndexInfo Info() {
    return pool_->With([](Xapian::Database& db) { return DescribeDatabase(db); });
  }

  testing::TempDir dir_;
  std::string db_path_, log_path_;
  Metrics metrics_;
  std::unique_ptr<AccessLog> log_;
  std::unique_ptr<DatabasePool> pool_;
  std::unique_ptr<HttpServer> search_;
  std::unique_ptr<AdminServer> admin_;
  int search_port_ = 0, admin_port_ = 0;
  std::vector<std::thread> threads_;
};

using Labels = std::map<std::string, std::string>;

TEST_F(ObservabilityTest, MetricsCountEveryRequestByRouteAndStatus) {
  EXPECT_EQ(GetStatus("/v1/search?q=elbussar"), 200);
  EXPECT_EQ(GetStatus("/v1/search?q=elbussar&limit=2"), 200);
  EXPECT_EQ(GetStatus("/v1/search?limit=lots"), 400);
  EXPECT_EQ(GetStatus("/v1/documents/exempel-elbussar"), 200);
  EXPECT_EQ(GetStatus("/v1/documents/finns-inte"), 404);
  EXPECT_EQ(GetStatus("/no/such/route"), 404);
  EXPECT_EQ(GetStatus("/healthz"), 200);
  auto meili = Search().Post("/indexes/kunskapsbank/search", R"({"q": "elbussar"})", "application/json");
  ASSERT_TRUE(meili);
  EXPECT_EQ(meili->status, 200);
  auto preflight = Search().Options("/v1/search");
  ASSERT_TRUE(preflight);
  EXPECT_EQ(preflight->status, 204);
  auto anonymous = Admin(nullptr).Get("/v1/documents");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);

  const PromText p = Scrape();  // counted after it has been answered: not in its own numbers
  std::map<std::tuple<std::string, std::string, std::string, std::string>, double> seen;
  for (const auto& s : p.Matching(kRequests)) {
    ASSERT_EQ(s.labels.size(), 4u);
    seen[{s.labels.at("api"), s.labels.at("method"), s.labels.at("route"), s.labels.at("status")}] = s.value;
  }
  const std::map<std::tuple<std::string, std::string, std::string, std::string>, double> expected = {
      {{"search", "GET", "/v1/search", "200"}, 2},
      {{"search", "GET", "/v1/search", "400"}, 1},
      {{"search", "GET", "/v1/documents/{id}", "200"}, 1},
      {{"search", "GET", "/v1/documents/{id}", "404"}, 1},
      {{"search", "GET", "other", "404"}, 1},
      {{"search", "GET", "/healthz", "200"}, 1},
      {{"search", "POST", "/indexes/{uid}/search", "200"}, 1},
      {{"search", "OPTIONS", "/v1/search", "204"}, 1},
      {{"admin", "GET", "/v1/documents", "401"}, 1}};
  EXPECT_EQ(seen, expected);

  const Labels search_route = {{"api", "search"}, {"route", "/v1/search"}};
  EXPECT_EQ(p.Value(std::string(kLatency) + "_count", search_route), 4);  // 3 GETs, 1 OPTIONS
  EXPECT_EQ(p.Value(std::string(kLatency) + "_bucket",
                    {{"api", "search"}, {"route", "/v1/search"}, {"le", "+Inf"}}), 4);
  EXPECT_GT(p.Value(std::string(kLatency) + "_sum", search_route), 0);
  double total = 0;
  for (const auto& s : p.Matching(std::string(kLatency) + "_count")) total += s.value;
  EXPECT_EQ(total, 10);

  EXPECT_EQ(p.Matching("afori_searchd_rejected_requests_total").size(), 3u);
  EXPECT_EQ(p.Value("afori_searchd_rejected_requests_total", {{"api", "admin"}, {"reason", "unauthorized"}}), 1);
  EXPECT_EQ(p.Value("afori_searchd_rejected_requests_total", {{"api", "search"}, {"reason", "bad_request"}}), 1);
  EXPECT_EQ(p.Value("afori_searchd_rejected_requests_total", {{"api", "search"}, {"reason", "not_found"}}), 2);

  const IndexInfo info = Info();
  EXPECT_EQ(p.Value("afori_searchd_index_available"), 1);
  EXPECT_EQ(p.Value("afori_searchd_index_documents"), static_cast<double>(info.documents));
  EXPECT_EQ(p.Value("afori_searchd_index_revision"), static_cast<double>(info.revision));
  EXPECT_EQ(p.Value("afori_searchd_index_switches_total"), 0);

  // The next scrape sees the first one.
  EXPECT_EQ(Scrape().Value(kRequests, {{"api", "search"}, {"method", "GET"}, {"route", "/metrics"},
                                       {"status", "200"}}), 1);
}

TEST_F(ObservabilityTest, RevisionDocumentsAndReopensFollowAnIndexChange) {
  const PromText before = Scrape();
  const double revision = before.Value("afori_searchd_index_revision");
  const double documents = before.Value("afori_searchd_index_documents");
  const double reopens = before.Value("afori_searchd_index_reopens_total");
  ASSERT_GE(revision, 1);
  ASSERT_GE(reopens, 0);

  auto put = Admin(kToken).Put("/v1/documents/ny-sida", Doc("ny-sida", "Kvantdatorer"), "application/json");
  ASSERT_TRUE(put);
  ASSERT_EQ(put->status, 200) << put->body;
  EXPECT_EQ(GetStatus("/v1/search?q=kvantdatorer"), 200);  // one handle sees the commit

  const PromText after = Scrape();
  EXPECT_EQ(after.Value("afori_searchd_index_revision"), json::parse(put->body)["revision"].get<double>());
  EXPECT_GT(after.Value("afori_searchd_index_revision"), revision);
  EXPECT_EQ(after.Value("afori_searchd_index_documents"), documents + 1);
  EXPECT_GT(after.Value("afori_searchd_index_reopens_total"), reopens);
  EXPECT_EQ(after.Value(kRequests, {{"api", "admin"}, {"method", "PUT"}, {"route", "/v1/documents/{id}"},
                                    {"status", "200"}}), 1);
  EXPECT_EQ(after.Value(std::string(kLatency) + "_count", {{"api", "admin"}, {"route", "/v1/documents/{id}"}}), 1);

  // The vocabulary and suggestions of the new revision are built off the request path, soon.
  const double builds = before.Value("afori_searchd_derived_builds_total");
  PromText rebuilt;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  do {
    EXPECT_EQ(GetStatus("/v1/search?q=kvantdatorer"), 200);
    rebuilt = Scrape();
  } while ((rebuilt.Value("afori_searchd_derived_builds_total") <= builds ||
            rebuilt.Value("afori_searchd_derived_stale") != 0) &&
           std::chrono::steady_clock::now() < deadline);
  EXPECT_GT(rebuilt.Value("afori_searchd_derived_builds_total"), builds);
  EXPECT_EQ(rebuilt.Value("afori_searchd_derived_stale"), 0);
  EXPECT_EQ(rebuilt.Value("afori_searchd_derived_build_failures_total"), 0);
  EXPECT_GT(rebuilt.Value("afori_searchd_derived_build_seconds"), 0);
}

TEST_F(ObservabilityTest, AccessLogHasOneJsonLinePerRequestAndNeverAToken) {
  auto hit = Search().Get("/v1/search?q=elbussar&limit=5");
  ASSERT_TRUE(hit);
  ASSERT_EQ(hit->status, 200);
  EXPECT_FALSE(hit->has_header("X-Afori-Result-Count"));  // internal: never sent
  EXPECT_EQ(GetStatus("/v1/search?limit=lots"), 400);
  EXPECT_EQ(GetStatus("/nope"), 404);
  auto multi = Search().Post("/multi-search",
                             R"({"queries": [{"indexUid": "kunskapsbank", "q": "elbussar"},
                                             {"indexUid": "kunskapsbank", "q": ""}]})",
                             "application/json");
  ASSERT_TRUE(multi);
  ASSERT_EQ(multi->status, 200) << multi->body;
  const json multi_body = json::parse(multi->body);
  const std::uint64_t multi_total = multi_body["results"][0]["estimatedTotalHits"].get<std::uint64_t>() +
                                    multi_body["results"][1]["estimatedTotalHits"].get<std::uint64_t>();

  auto ok = Admin(kToken).Put("/v1/documents/ny-sida", Doc("ny-sida", "Kvantdatorer"), "application/json");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  auto wrong = Admin(kWrongToken).Delete("/v1/documents/ny-sida");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 403);
  auto none = Admin(nullptr).Post("/v1/documents", Doc("x-sida", "X"), "application/x-ndjson");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  // A token in the query string (a client's mistake) is not logged either: the admin API takes
  // no query parameters, and its log lines leave the query out.
  auto deleted = Admin(kToken).Delete("/v1/documents/ny-sida?token=" + std::string(kToken));
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->status, 200);

  std::ifstream raw(log_path_);
  const std::string text((std::istreambuf_iterator<char>(raw)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text.find(kToken), std::string::npos) << text;
  EXPECT_EQ(text.find(kWrongToken), std::string::npos) << text;
  EXPECT_EQ(text.find("Bearer"), std::string::npos) << text;

  const std::vector<json> lines = LogLines();
  ASSERT_EQ(lines.size(), 8u) << text;
  const std::regex rfc3339(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
  const std::vector<std::string> keys = {"time", "api", "method", "route", "path", "query",
                                         "status", "duration_ms", "results", "bytes", "remote"};
  for (const json& line : lines) {
    std::vector<std::string> got;
    for (auto it = line.begin(); it != line.end(); ++it) got.push_back(it.key());
    std::sort(got.begin(), got.end());
    std::vector<std::string> want = keys;
    std::sort(want.begin(), want.end());
    EXPECT_EQ(got, want) << line.dump();
    EXPECT_TRUE(std::regex_match(line.value("time", ""), rfc3339)) << line.dump();
    EXPECT_TRUE(line["duration_ms"].is_number() && line["duration_ms"].get<double>() >= 0) << line.dump();
    EXPECT_TRUE(line["bytes"].is_number_unsigned()) << line.dump();
    EXPECT_EQ(line["remote"], "127.0.0.1");
  }
  auto expect = [&](std::size_t i, const std::string& api, const std::string& method,
                    const std::string& route, const std::string& path, int status, const json& results) {
    SCOPED_TRACE("line " + std::to_string(i) + ": " + lines[i].dump());
    EXPECT_EQ(lines[i]["api"], api);
    EXPECT_EQ(lines[i]["method"], method);
    EXPECT_EQ(lines[i]["route"], route);
    EXPECT_EQ(lines[i]["path"], path);
    EXPECT_EQ(lines[i]["status"], status);
    EXPECT_EQ(lines[i]["results"], results);
  };
  expect(0, "search", "GET", "/v1/search", "/v1/search", 200, 1);
  EXPECT_EQ(lines[0]["query"], "q=elbussar&limit=5");
  EXPECT_EQ(lines[0]["bytes"], hit->body.size());
  expect(1, "search", "GET", "/v1/search", "/v1/search", 400, nullptr);
  expect(2, "search", "GET", "other", "/nope", 404, nullptr);
  EXPECT_EQ(lines[2]["query"], "");
  expect(3, "search", "POST", "/multi-search", "/multi-search", 200, multi_total);
  expect(4, "admin", "PUT", "/v1/documents/{id}", "/v1/documents/ny-sida", 200, nullptr);
  expect(5, "admin", "DELETE", "/v1/documents/{id}", "/v1/documents/ny-sida", 403, nullptr);
  expect(6, "admin", "POST", "/v1/documents", "/v1/documents", 401, nullptr);
  expect(7, "admin", "DELETE", "/v1/documents/{id}", "/v1/documents/ny-sida", 200, nullptr);
  EXPECT_EQ(lines[7]["query"], "");

  const PromText p = Scrape();
  EXPECT_EQ(p.Value("afori_searchd_rejected_requests_total", {{"api", "admin"}, {"reason", "forbidden"}}), 1);
  EXPECT_EQ(p.Value("afori_searchd_rejected_requests_total", {{"api", "admin"}, {"reason", "unauthorized"}}), 1);
}

}  // namespace
}  // namespace afori::searchd

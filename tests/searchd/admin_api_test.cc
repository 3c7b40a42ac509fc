// The admin API over real HTTP, with the search API reading the same index: what a CMS sees.
#include "searchd/admin_api.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include <nlohmann/json.hpp>

#include "searchd/database_pool.h"
#include "searchd/http_api.h"
#include "tests/test_support.h"

namespace afori::searchd {
namespace {

using nlohmann::json;

constexpr const char* kToken = "hemlig-token-for-tester-1234";

std::string Doc(const std::string& id, const std::string& title) {
  return json({{"id", id}, {"type", "guide"}, {"title", title},
               {"body", "Text om " + title + " och upphandling."}})
      .dump();
}

class AdminApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_path_ = testing::BuildFixtureIndex(dir_, testing::SharedAnalyzer());
    auto pool = DatabasePool::Open(db_path_, 2);
    ASSERT_TRUE(pool.ok());
    pool_ = std::move(*pool);
    HttpOptions http;
    http.threads = 2;
    search_ = std::make_unique<HttpServer>(*pool_, testing::SharedAnalyzer(), nullptr, http);
    search_port_ = *search_->Bind("127.0.0.1", 0);
    AdminOptions admin;
    admin.token = kToken;
    admin.lock_timeout = std::chrono::milliseconds(300);
    admin_ = std::make_unique<AdminServer>(db_path_, testing::SharedAnalyzer(), admin);
    admin_port_ = *admin_->Bind("127.0.0.1", 0);
    threads_.emplace_back([this] { search_->Run(); });
    threads_.emplace_back([this] { admin_->Run(); });
  }
  void TearDown() override {
    search_->Stop();
    admin_->Stop();
    for (auto& t : threads_) t.join();
    EXPECT_EQ(testing::XapianCheck(db_path_), 0) << "xapian-check failed on " << db_path_;
  }

  httplib::Client Admin() {
    httplib::Client c("127.0.0.1", admin_port_);
    c.set_bearer_token_auth(kToken);
    c.set_read_timeout(10);
    return c;
  }
  json Search(const std::string& q) {
    httplib::Client c("127.0.0.1", search_port_);
    auto res = c.Get("/v1/search?q=" + q);
    return res ? json::parse(res->body) : json();
  }

  testing::TempDir dir_;
  std::string db_path_;
  std::unique_ptr<DatabasePool> pool_;
  std::unique_ptr<HttpServer> search_;
  std::unique_ptr<AdminServer> admin_;
  int search_port_ = 0, admin_port_ = 0;
  std::vector<std::thread> threads_;
};

TEST_F(AdminApiTest, TokenRequiredAndChecked) {
  httplib::Client anonymous("127.0.0.1", admin_port_);
  auto none = anonymous.Put("/v1/documents/ny-sida", Doc("ny-sida", "Kvantdatorer"), "application/json");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  EXPECT_EQ(json::parse(none->body)["error"]["code"], "unauthorized");
  httplib::Client wrong("127.0.0.1", admin_port_);
  wrong.set_bearer_token_auth("fel-token-som-inte-stammer");
  auto bad = wrong.Delete("/v1/documents/vagledning-fku");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 403);
  EXPECT_EQ(json::parse(bad->body)["error"]["code"], "forbidden");
  EXPECT_EQ(Search("FKU")["total"].get<int>() > 0, true);  // nothing was deleted
  // The search API never writes.
  httplib::Client search("127.0.0.1", search_port_);
  search.set_bearer_token_auth(kToken);
  auto put = search.Put("/v1/documents/ny-sida", Doc("ny-sida", "Kvantdatorer"), "application/json");
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 404);
}

TEST_F(AdminApiTest, PutIsSearchableAtOnceAndDeleteRemoves) {
  EXPECT_EQ(Search("kvantdatorer")["total"], 0);
  auto put = Admin().Put("/v1/documents/ny-sida", Doc("ny-sida", "Kvantdatorer i kommunen"),
                         "application/json");
  ASSERT_TRUE(put);
  ASSERT_EQ(put->status, 200) << put->body;
  const json report = json::parse(put->body);
  EXPECT_EQ(report["added"], 1);
  const json found = Search("kvantdatorer");  // the next request sees the commit
  ASSERT_EQ(found["total"], 1);
  EXPECT_EQ(found["hits"][0]["id"], "ny-sida");

  auto same = Admin().Put("/v1/documents/ny-sida", Doc("ny-sida", "Kvantdatorer i kommunen"),
                          "application/json");
  ASSERT_TRUE(same);
  EXPECT_EQ(json::parse(same->body)["unchanged"], 1);
  EXPECT_EQ(json::parse(same->body)["revision"], report["revision"]);  // no new commit

  auto changed = Admin().Put("/v1/documents/ny-sida", Doc("ny-sida", "Kvantdatorer och AI"),
                             "application/json");
  ASSERT_TRUE(changed);
  EXPECT_EQ(json::parse(changed->body)["replaced"], 1);
  EXPECT_EQ(Search("kvantdatorer")["hits"][0]["title"], "Kvantdatorer och AI");

  auto del = Admin().Delete("/v1/documents/ny-sida");
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 200);
  EXPECT_EQ(Search("kvantdatorer")["total"], 0);
  auto again = Admin().Delete("/v1/documents/ny-sida");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 404);
}

// Suggestions are rebuilt off the request path (searchd/index_refresher.h): a published
// title is suggested soon, not necessarily by the very next request, and an ETag handed out
// meanwhile must not keep the old suggestions in a client's cache.
TEST_F(AdminApiTest, APublishedTitleIsSuggestedSoonAndOldETagsDoNotHideIt) {
  httplib::Client search("127.0.0.1", search_port_);
  auto before = search.Get("/v1/suggest?q=kvantdator");
  ASSERT_TRUE(before);
  ASSERT_EQ(before->status, 200);
  EXPECT_EQ(json::parse(before->body)["suggestions"].size(), 0u);
  std::string etag = before->get_header_value("ETag");
  ASSERT_FALSE(etag.empty());

  auto put = Admin().Put("/v1/documents/ny-sida", Doc("ny-sida", "Kvantdatorer i kommunen"),
                         "application/json");
  ASSERT_TRUE(put);
  ASSERT_EQ(put->status, 200) << put->body;
  EXPECT_EQ(Search("kvantdatorer")["total"], 1);  // search sees the commit at once

  // Each request sends the last ETag it got, as a browser does: a 304 keeps what it showed.
  bool suggested = false;
  std::string last_body;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!suggested && std::chrono::steady_clock::now() < deadline) {
    auto res = search.Get("/v1/suggest?q=kvantdator", {{"If-None-Match", etag}});
    ASSERT_TRUE(res);
    ASSERT_TRUE(res->status == 200 || res->status == 304) << res->status;
    if (res->status == 200) {
      etag = res->get_header_value("ETag");
      last_body = res->body;
      const json body = json::parse(res->body);
      for (const json& s : body["suggestions"]) {
        if (s["kind"] == "title" && s["text"] == "Kvantdatorer i kommunen") suggested = true;
      }
    }
    if (!suggested) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(suggested) << "the new title was never suggested: " << last_body;
  auto cached = search.Get("/v1/suggest?q=kvantdator", {{"If-None-Match", etag}});
  ASSERT_TRUE(cached);
  EXPECT_EQ(cached->status, 304);  // and once fresh, the answer is cacheable again
}

TEST_F(AdminApiTest, BadDocumentsAre400sAndChangeNothing) {
  auto mismatch = Admin().Put("/v1/documents/annat-id", Doc("ny-sida", "X"), "application/json");
  ASSERT_TRUE(mismatch);
  EXPECT_EQ(mismatch->status, 400);
  EXPECT_NE(json::parse(mismatch->body)["error"]["message"].get<std::string>().find("differs"),
            std::string::npos);
  auto invalid = Admin().Put("/v1/documents/x", R"({"id": "x", "type": "guide"})", "application/json");
  ASSERT_TRUE(invalid);
  EXPECT_EQ(invalid->status, 400);
  EXPECT_NE(json::parse(invalid->body)["error"]["message"].get<std::string>().find("title"),
            std::string::npos);
  const std::string batch = Doc("batch-a", "Pyrolysolja") + "\n" + "{not json\n" + "\n" +
                            Doc("batch-b", "Solceller") + "\n" + R"({"id": "c"})" + "\n";
  auto post = Admin().Post("/v1/documents", batch, "application/x-ndjson");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 400);
  const json body = json::parse(post->body);
  ASSERT_EQ(body["rejected"].size(), 2u);
  EXPECT_EQ(body["rejected"][0]["line"], 2);
  EXPECT_EQ(body["rejected"][1]["line"], 5);
  // All or nothing: not even the valid lines were applied.
  httplib::Client search("127.0.0.1", search_port_);
  EXPECT_EQ(search.Get("/v1/documents/batch-a")->status, 404);
  EXPECT_EQ(search.Get("/v1/documents/batch-b")->status, 404);
}

TEST_F(AdminApiTest, A50MegabyteDocumentIsRefusedClearly) {
  const std::string huge =
      Doc("jattestor", "Stor sida").insert(1, "\"padding\": \"" + std::string(50u << 20, 'a') + "\", ");
  auto put = Admin().Put("/v1/documents/jattestor", huge, "application/json");
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 400);
  EXPECT_NE(put->body.find("at most 8388608 (8 MiB)"), std::string::npos) << put->body.substr(0, 300);
  // Over the body limit altogether: 413, with JSON.
  auto batch = Admin().Post("/v1/documents", std::string(kMaxAdminBodyBytes + 1, ' '), "application/x-ndjson");
  ASSERT_TRUE(batch);
  EXPECT_EQ(batch->status, 413);
  EXPECT_EQ(json::parse(batch->body)["error"]["code"], "invalid_argument");
  httplib::Client search("127.0.0.1", search_port_);
  EXPECT_EQ(search.Get("/v1/documents/jattestor")->status, 404);
}

TEST_F(AdminApiTest, BatchIsOneCommit) {
  std::string batch;
  for (int i = 0; i < 50; ++i) batch += Doc("batch-" + std::to_string(i), "Vätgas nummer " + std::to_string(i)) + "\n";
  auto post = Admin().Post("/v1/documents", batch, "application/x-ndjson");
  ASSERT_TRUE(post);
  ASSERT_EQ(post->status, 200) << post->body;
  const json report = json::parse(post->body);
  EXPECT_EQ(report["added"], 50);
  Xapian::Database db(db_path_);
  EXPECT_EQ(db.get_revision(), report["revision"].get<Xapian::rev>());
  EXPECT_EQ(Search("vätgas")["total"], 50);
}

TEST_F(AdminApiTest, AWriterThatCannotGetTheLockGivesUpClearlyAndChangesNothing) {
  {
    Xapian::WritableDatabase holder(db_path_, Xapian::DB_OPEN);  // another writer, e.g. the CLI
    auto put = Admin().Put("/v1/documents/ny-sida", Doc("ny-sida", "Kvantdatorer"), "application/json");
    ASSERT_TRUE(put);
    EXPECT_EQ(put->status, 503);
    EXPECT_EQ(put->get_header_value("Retry-After"), "1");
    EXPECT_EQ(json::parse(put->body)["error"]["code"], "unavailable");
    EXPECT_NE(json::parse(put->body)["error"]["message"].get<std::string>().find("lock"), std::string::npos);
  }
  EXPECT_EQ(Search("kvantdatorer")["total"], 0);
  // A writer that finishes within the wait: the admin request waits and succeeds.
  std::thread other([&] {
    Xapian::WritableDatabase holder(db_path_, Xapian::DB_OPEN);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  auto put = Admin().Put("/v1/documents/ny-sida", Doc("ny-sida", "Kvantdatorer"), "application/json");
  other.join();
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 200) << put->body;
  EXPECT_EQ(Search("kvantdatorer")["total"], 1);
}

TEST(AdminTokenTest, ConstantTimeComparisonAndTokenFile) {
  EXPECT_TRUE(TokensEqual("abcdefghijklmnop", "abcdefghijklmnop"));
  EXPECT_FALSE(TokensEqual("abcdefghijklmnop", "abcdefghijklmnoq"));
  EXPECT_FALSE(TokensEqual("abcdefghijklmnop", "abcdefghijklmno"));
  EXPECT_FALSE(TokensEqual("", "a"));
  EXPECT_TRUE(TokensEqual("", ""));
  testing::TempDir dir;
  auto token = ReadTokenFile(dir.Write("token", "  0123456789abcdef0123\n"));
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(*token, "0123456789abcdef0123");
  auto short_token = ReadTokenFile(dir.Write("short", "kort\n"));
  ASSERT_FALSE(short_token.ok());
  EXPECT_NE(short_token.status().message().find("at least 16"), std::string::npos);
  EXPECT_FALSE(ReadTokenFile(dir.Join("missing")).ok());
}

}  // namespace
}  // namespace afori::searchd

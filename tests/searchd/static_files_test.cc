// The web root file access (searchd/static_files.h), and searchd serving it over HTTP:
// GET / and GET /static/FILE, with path traversal refused however it is spelled.
#include "searchd/static_files.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <regex>
#include <set>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "searchd/http_api.h"
#include "tests/test_support.h"

namespace afori::searchd {
namespace {

namespace fs = std::filesystem;
using afori::testing::TempDir;

TEST(StaticContentTypeTest, KnowsThePageTypesAndNothingElse) {
  EXPECT_EQ(StaticContentType("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(StaticContentType("app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(StaticContentType("lib/util.mjs"), "text/javascript; charset=utf-8");
  EXPECT_EQ(StaticContentType("style.css"), "text/css; charset=utf-8");
  EXPECT_EQ(StaticContentType("img/logo.SVG"), "image/svg+xml");
  EXPECT_EQ(StaticContentType("shot.png"), "image/png");
  EXPECT_EQ(StaticContentType("run.sh"), "");
  EXPECT_EQ(StaticContentType("Makefile"), "");
  EXPECT_EQ(StaticContentType(".html"), "");        // a hidden file, not an extension
  EXPECT_EQ(StaticContentType("html.dir/x"), "");   // the dot is in a directory name
}

TEST(IsPlainRelativePathTest, AcceptsPlainNames) {
  EXPECT_TRUE(IsPlainRelativePath("index.html"));
  EXPECT_TRUE(IsPlainRelativePath("app.js"));
  EXPECT_TRUE(IsPlainRelativePath("img/logo-2_x.svg"));
}

TEST(IsPlainRelativePathTest, RefusesEverythingThatCouldLeaveTheRoot) {
  for (std::string_view bad : {"", "/etc/passwd", "..", ".", "../secret.txt", "a/../b.js",
                               "a/./b.js", "a/..", ".env", "img/.hidden.svg", "a//b.js", "a/",
                               "%2e%2e/secret.txt", "%252e%252e/secret.txt", "..%2fsecret.txt",
                               "a\\..\\b.js", "C:/x.js", "a b.js", "\xc3\xa4.js", "~/x.js"}) {
    EXPECT_FALSE(IsPlainRelativePath(bad)) << bad;
  }
  EXPECT_FALSE(IsPlainRelativePath(std::string_view("a.js\0.png", 9)));
  EXPECT_FALSE(IsPlainRelativePath(std::string(256, 'a')));
}

class ReadStaticFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = dir_.Join("web");
    dir_.Write("web/index.html", "<!doctype html><title>x</title>");
    dir_.Write("web/img/logo.svg", "<svg/>");
    dir_.Write("web/notes.sh", "echo hi");
    dir_.Write("web/.secret.txt", "hidden");
    dir_.Write("web2/leak.js", "outside: sibling with the root's name as prefix");
    dir_.Write("outside.txt", "outside");
  }
  TempDir dir_;
  std::string root_;
};

TEST_F(ReadStaticFileTest, ServesFilesInsideTheRootWithTheirType) {
  Result<StaticFile> page = ReadStaticFile(root_, "index.html");
  ASSERT_TRUE(page.ok()) << page.status().message();
  EXPECT_EQ(page->content, "<!doctype html><title>x</title>");
  EXPECT_EQ(page->content_type, "text/html; charset=utf-8");

  Result<StaticFile> logo = ReadStaticFile(root_ + "/", "img/logo.svg");  // trailing slash
  ASSERT_TRUE(logo.ok()) << logo.status().message();
  EXPECT_EQ(logo->content, "<svg/>");
  EXPECT_EQ(logo->content_type, "image/svg+xml");
}

TEST_F(ReadStaticFileTest, WorksWithARelativeRoot) {
  const fs::path saved = fs::current_path();
  fs::current_path(dir_.path());
  Result<StaticFile> page = ReadStaticFile("web", "index.html");
  fs::current_path(saved);
  ASSERT_TRUE(page.ok()) << page.status().message();
}

TEST_F(ReadStaticFileTest, RefusesWithNotFound) {
  for (std::string_view path : {"missing.html", "img", "img/", "notes.sh", ".secret.txt",
                                "../outside.txt", "../web2/leak.js", "/etc/passwd",
                                "%2e%2e/outside.txt"}) {
    Result<StaticFile> file = ReadStaticFile(root_, path);
    ASSERT_FALSE(file.ok()) << path;
    EXPECT_EQ(file.status().code(), ErrorCode::kNotFound) << path;
    // The message names the requested path, never where the root is.
    EXPECT_EQ(file.status().message().find(root_), std::string::npos) << path;
  }
  EXPECT_EQ(ReadStaticFile("", "index.html").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(ReadStaticFile(dir_.Join("no-such-root"), "index.html").status().code(),
            ErrorCode::kNotFound);
}

TEST_F(ReadStaticFileTest, FollowsSymlinksOnlyWhileTheyStayInside) {
  fs::create_symlink(dir_.Join("outside.txt"), root_ + "/out.txt");
  fs::create_symlink(dir_.Join("web2"), root_ + "/web2link");
  fs::create_symlink(dir_.Join("web"), root_ + "/self");
  fs::create_symlink(root_ + "/img/logo.svg", root_ + "/alias.svg");
  EXPECT_EQ(ReadStaticFile(root_, "out.txt").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(ReadStaticFile(root_, "web2link/leak.js").status().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(ReadStaticFile(root_, "self/index.html").ok());
  Result<StaticFile> alias = ReadStaticFile(root_, "alias.svg");
  ASSERT_TRUE(alias.ok()) << alias.status().message();
  EXPECT_EQ(alias->content, "<svg/>");
}

TEST_F(ReadStaticFileTest, RefusesFilesLargerThanTheLimit) {
  const std::string big = dir_.Write("web/big.txt", "");
  fs::resize_file(big, kMaxStaticFileBytes + 1);
  EXPECT_EQ(ReadStaticFile(root_, "big.txt").status().code(), ErrorCode::kIoError);
}

// One raw HTTP/1.1 exchange, so that the request target reaches the server exactly as
// written (no client-side normalisation or encoding).
struct RawResponse {
  int status = 0;
  std::string head;
  std::string body;
};

RawResponse RawGet(int port, const std::string& target) {
  RawResponse out;
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return out;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  bool connected = false;
  for (int attempt = 0; attempt < 50 && !connected; ++attempt) {  // the server may be starting
    connected = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    if (!connected) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (connected) {
    const std::string request =
        "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    std::string all;
    char buf[4096];
    for (ssize_t n; (n = recv(fd, buf, sizeof buf, 0)) > 0;) all.append(buf, static_cast<std::size_t>(n));
    const std::size_t split = all.find("\r\n\r\n");
    out.head = all.substr(0, split);
    out.body = split == std::string::npos ? "" : all.substr(split + 4);
    std::smatch m;
    if (std::regex_search(out.head, m, std::regex(R"(^HTTP/1\.1 (\d{3}))"))) out.status = std::stoi(m[1]);
  }
  close(fd);
  return out;
}

std::string Header(const RawResponse& res, const std::string& name) {
  std::smatch m;
  if (std::regex_search(res.head, m, std::regex("\r\n" + name + ": ([^\r]*)", std::regex::icase))) {
    return m[1];
  }
  return "";
}

class StaticRoutesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    auto pool = DatabasePool::Open(testing::BuildFixtureIndex(*dir_, testing::SharedAnalyzer()), 2);
    ASSERT_TRUE(pool.ok()) << pool.status().message();
    pool_ = std::move(pool).value().release();
    dir_->Write("web/index.html", "<!doctype html><p>Sök</p>");
    dir_->Write("web/app.js", "export {};");
    dir_->Write("web/README", "no extension");
    dir_->Write("secret.txt", "outside the root");
    HttpOptions options;
    options.threads = 2;
    options.today = "2026-12-01";
    options.web_root = dir_->Join("web");
    server_ = new HttpServer(*pool_, testing::SharedAnalyzer(), nullptr, options);
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
    delete pool_;
    delete dir_;
  }

  static void ExpectNotFoundJson(const std::string& target) {
    const RawResponse res = RawGet(port_, target);
    EXPECT_EQ(res.status, 404) << target << "\n" << res.head;
    EXPECT_EQ(Header(res, "Content-Type"), "application/json; charset=utf-8") << target;
    EXPECT_EQ(res.body.find("outside the root"), std::string::npos) << target;
    const nlohmann::json body = nlohmann::json::parse(res.body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << target << ": " << res.body;
    EXPECT_EQ(body["error"]["code"], "not_found") << target << ": " << res.body;
  }

  static TempDir* dir_;
  static DatabasePool* pool_;
  static HttpServer* server_;
  static std::thread* thread_;
  static int port_;
};

TempDir* StaticRoutesTest::dir_ = nullptr;
DatabasePool* StaticRoutesTest::pool_ = nullptr;
HttpServer* StaticRoutesTest::server_ = nullptr;
std::thread* StaticRoutesTest::thread_ = nullptr;
int StaticRoutesTest::port_ = 0;

TEST_F(StaticRoutesTest, RootServesIndexHtmlWithSecurityHeaders) {
  for (const std::string target : {"/", "/?q=upphandling&type=case&page=2"}) {
    const RawResponse res = RawGet(port_, target);
    ASSERT_EQ(res.status, 200) << target << "\n" << res.head;
    EXPECT_EQ(res.body, "<!doctype html><p>Sök</p>");
    EXPECT_EQ(Header(res, "Content-Type"), "text/html; charset=utf-8");
    EXPECT_EQ(Header(res, "X-Content-Type-Options"), "nosniff");
    const std::string csp = Header(res, "Content-Security-Policy");
    EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << csp;
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
  }
}

TEST_F(StaticRoutesTest, StaticFilesHaveTheirContentTypeAndNosniff) {
  const RawResponse res = RawGet(port_, "/static/app.js");
  ASSERT_EQ(res.status, 200) << res.head;
  EXPECT_EQ(res.body, "export {};");
  EXPECT_EQ(Header(res, "Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(Header(res, "X-Content-Type-Options"), "nosniff");
}

TEST_F(StaticRoutesTest, TraversalAndUnservedFilesAre404Json) {
  for (const std::string target :
       {"/static/../secret.txt", "/static/..%2fsecret.txt", "/static/%2e%2e/secret.txt",
        "/static/%2E%2E%2Fsecret.txt", "/static/%252e%252e/secret.txt",
        "/static/%252e%252e%252fsecret.txt", "/static/.%2e/secret.txt",
        "/static//etc/passwd", "/static/%2fetc%2fpasswd", "/static/..%5csecret.txt",
        "/static/README", "/static/missing.js",
        "/static/", "/static", "/../secret.txt", "/secret.txt", "/index.html/../secret.txt"}) {
    ExpectNotFoundJson(target);
  }
}

TEST_F(StaticRoutesTest, NulBytesInThePathAreRefused) {
  for (const std::string target : {"/static/app.js%00.png", "/static/%00"}) {
    const RawResponse res = RawGet(port_, target);
    EXPECT_EQ(res.status, 400) << target;
    EXPECT_EQ(Header(res, "X-Content-Type-Options"), "nosniff") << target;
    EXPECT_NE(res.body.find("the request path contains a NUL byte"), std::string::npos) << res.body;
  }
}

TEST_F(StaticRoutesTest, ApiRoutesStillAnswer) {
  const RawResponse res = RawGet(port_, "/healthz");
  EXPECT_EQ(res.status, 200) << res.head;
  EXPECT_EQ(Header(res, "Content-Security-Policy"), "");
}

// The page shipped in web/: index.html is served and every /static/ file it references exists.
TEST(ShippedWebRootTest, IndexReferencesOnlyFilesThatExist) {
  const std::string root = AFORI_SOURCE_DIR "/web";
  Result<StaticFile> index = ReadStaticFile(root, "index.html");
  ASSERT_TRUE(index.ok()) << index.status().message();
  const std::regex ref(R"re((?:src|href)="/static/([^"]+)")re");
  std::set<std::string> files;
  for (std::sregex_iterator it(index->content.begin(), index->content.end(), ref), end; it != end;
       ++it) {
    files.insert((*it)[1]);
  }
  EXPECT_TRUE(files.count("app.js"));
  EXPECT_TRUE(files.count("style.css"));
  for (const std::string& file : files) {
    Result<StaticFile> f = ReadStaticFile(root, file);
    EXPECT_TRUE(f.ok()) << file << ": " << f.status().message();
  }
  // No inline script or style: the Content-Security-Policy allows neither.
  EXPECT_EQ(index->content.find("<script>"), std::string::npos);
  EXPECT_EQ(index->content.find("style=\""), std::string::npos);
}

}  // namespace
}  // namespace afori::searchd

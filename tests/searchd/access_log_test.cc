// The access log's line format and its file.
#include "searchd/access_log.h"

#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/test_support.h"

namespace afori::searchd {
namespace {

using nlohmann::json;

AccessLogEntry Entry() {
  AccessLogEntry e;
  // 2026-12-01T20:31:02.123Z
  e.time = std::chrono::system_clock::time_point(std::chrono::milliseconds(1796157062123LL));
  e.api = "search";
  e.method = "GET";
  e.route = "/v1/search";
  e.path = "/v1/search";
  e.query = "q=elbussar&limit=5";
  e.status = 200;
  e.duration_ms = 1.23456;
  e.results = 7;
  e.bytes = 2210;
  e.remote = "127.0.0.1";
  return e;
}

TEST(AccessLogTest, LineIsOneJsonObjectWithTheFieldsInOrder) {
  const std::string line = FormatAccessLogLine(Entry());
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_EQ(line,
            R"({"time":"2026-12-01T20:31:02.123Z","api":"search","method":"GET",)"
            R"("route":"/v1/search","path":"/v1/search","query":"q=elbussar&limit=5",)"
            R"("status":200,"duration_ms":1.235,"results":7,"bytes":2210,"remote":"127.0.0.1"})");
}

TEST(AccessLogTest, NoResultsIsNullAndOddBytesStillParse) {
  AccessLogEntry e = Entry();
  e.results.reset();
  e.time = std::chrono::system_clock::time_point(std::chrono::milliseconds(5));
  const std::string odd_path = "/static/\xff\"quote\"\nline";
  e.path = odd_path;
  const json j = json::parse(FormatAccessLogLine(e));
  EXPECT_TRUE(j["results"].is_null());
  EXPECT_EQ(j["time"], "1970-01-01T00:00:00.005Z");
  EXPECT_NE(j["path"].get<std::string>().find("\"quote\"\nline"), std::string::npos);
}

TEST(AccessLogTest, AppendsWholeLinesToAFile) {
  testing::TempDir dir;
  const std::string path = dir.Write("access.log", "an older line\n");
  {
    auto log = AccessLog::Open(path);
    ASSERT_TRUE(log.ok()) << log.status().message();
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&] {
        for (int i = 0; i < 50; ++i) (*log)->Write(Entry());
      });
    }
    for (auto& t : threads) t.join();
  }
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "an older line");
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    EXPECT_EQ(json::parse(line)["status"], 200) << line;
  }
  EXPECT_EQ(n, 200);
}

TEST(AccessLogTest, UnwritablePathIsAnIoErrorNamingIt) {
  testing::TempDir dir;
  auto log = AccessLog::Open(dir.Join("missing/dir/access.log"));
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), ErrorCode::kIoError);
  EXPECT_NE(log.status().message().find("missing/dir/access.log"), std::string::npos);
}

}  // namespace
}  // namespace afori::searchd

#include "searchd/request_limits.h"

#include <gtest/gtest.h>

namespace afori::searchd {
namespace {

httplib::Request Request(std::string path, httplib::Params params = {}, std::string body = {},
                         std::string content_type = "application/json") {
  httplib::Request req;
  req.method = body.empty() ? "GET" : "POST";
  req.path = std::move(path);
  req.params = std::move(params);
  req.body = std::move(body);
  if (!req.body.empty()) req.headers.emplace("Content-Type", content_type);
  return req;
}

struct Case {
  const char* name;
  httplib::Request request;
  const char* problem;  // "" when the request passes
};

TEST(RequestLimitsTest, RefusesWhatNoRouteShouldSee) {
  const std::string deep = std::string(40, '[') + std::string(40, ']');
  const std::string just_deep_enough = std::string(32, '[') + std::string(32, ']');
  httplib::Params many;
  for (int i = 0; i < 65; ++i) many.emplace("theme", std::to_string(i));
  httplib::Params enough;
  for (int i = 0; i < 64; ++i) enough.emplace("theme", std::to_string(i));
  const std::vector<Case> cases = {
      {"plain", Request("/v1/search", {{"q", "upphandling"}}), ""},
      {"swedish", Request("/v1/search", {{"q", "snöröjning åtgärd"}}), ""},
      {"nul in value", Request("/v1/search", {{"q", std::string("a\0b", 3)}}),
       "parameter 'q' contains a NUL byte"},
      {"invalid utf8 value", Request("/v1/search", {{"q", "\xff\xfe"}}), "parameter 'q' is not valid UTF-8"},
      {"overlong encoding", Request("/v1/search", {{"q", "\xc0\xaf"}}), "is not valid UTF-8"},
      {"surrogate", Request("/v1/search", {{"q", "\xed\xa0\x80"}}), "is not valid UTF-8"},
      {"invalid name", Request("/v1/search", {{"\xff", "1"}}), "a parameter name is not valid UTF-8"},
      {"name shown printable", Request("/v1/search", {{"a\x01", "\xff"}}), "parameter 'a\\x01'"},
      {"nul in path", Request(std::string("/static/a\0b", 11)), "the request path contains a NUL byte"},
      {"too many", Request("/v1/search", many), "too many parameters: 65, at most 64"},
      {"enough", Request("/v1/search", enough), ""},
      {"deep body", Request("/v1/search", {}, deep), "nested more than 32 levels deep"},
      {"deep enough", Request("/v1/search", {}, just_deep_enough), ""},
      {"brackets in strings", Request("/v1/search", {}, "{\"q\": \"" + deep + "\"}"), ""},
      {"escaped quote", Request("/v1/search", {}, R"({"q": "a\"[[["})"), ""},
      {"escaped nul", Request("/v1/search", {}, R"({"q": "a\u0000b"})"), "escaped NUL"},
      {"raw nul body", Request("/v1/search", {}, std::string("{\"q\": \"a\0\"}", 11)),
       "the request body contains a NUL byte"},
      {"invalid utf8 body", Request("/v1/search", {}, "{\"q\": \"\xff\"}"), "the request body is not valid UTF-8"},
      {"jsonl body", Request("/v1/documents", {}, "{\"a\": [1]}\n{\"b\": {}}\n", "application/x-ndjson"), ""},
      // Not JSON: left to the route, which refuses the content type.
      {"form body", Request("/v1/search", {}, std::string(40, '['), "text/plain"), ""},
  };
  for (const Case& c : cases) {
    const Status s = CheckRequestLimits(c.request);
    if (std::string(c.problem).empty()) {
      EXPECT_TRUE(s.ok()) << c.name << ": " << s.message();
    } else {
      EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument) << c.name;
      EXPECT_NE(s.message().find(c.problem), std::string::npos) << c.name << ": " << s.message();
    }
  }
}

TEST(RequestLimitsTest, NestingDepthIgnoresStringsAndStopsEarly) {
  EXPECT_EQ(JsonNestingDepth("{}", 100), 1);
  EXPECT_EQ(JsonNestingDepth(R"({"a": [1, {"b": []}]})", 100), 4);
  EXPECT_EQ(JsonNestingDepth(R"(["[[[", "\\", "]]]"])", 100), 1);
  EXPECT_EQ(JsonNestingDepth(std::string(1000000, '['), 33), 33);
  EXPECT_EQ(JsonNestingDepth("", 10), 0);
}

}  // namespace
}  // namespace afori::searchd

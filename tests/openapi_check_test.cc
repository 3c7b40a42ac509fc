// docs/openapi.json is a valid OpenAPI 3.0 document describing the /v1 contract, and the
// checker in tests/openapi_check.h (used to test searchd's responses) does what it says.
#include "tests/openapi_check.h"

#include <gtest/gtest.h>

#include <set>

namespace afori::testing {
namespace {

using nlohmann::json;

const OpenApiCheck& Spec() {
  static const OpenApiCheck check = OpenApiCheck::Load(AFORI_SOURCE_DIR "/docs/openapi.json");
  return check;
}

// A checker whose components/schemas are `schemas`, for hand-made schemas.
OpenApiCheck WithSchemas(json schemas) {
  return OpenApiCheck(json{{"openapi", "3.0.3"},
                           {"info", {{"title", "t"}, {"version", "1"}}},
                           {"paths", json::object()},
                           {"components", {{"schemas", std::move(schemas)}}}});
}

std::string Joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

#define EXPECT_VALID(violations) EXPECT_TRUE((violations).empty()) << Joined(violations)

// Passes `good`, fails `bad` with exactly one violation containing `message`.
void ExpectKeyword(const json& schema, const json& good, const json& bad,
                   const std::string& message) {
  const OpenApiCheck check = WithSchemas(json::object());
  EXPECT_VALID(check.Violations(good, schema)) << "schema " << schema << " value " << good;
  const std::vector<std::string> violations = check.Violations(bad, schema);
  ASSERT_EQ(violations.size(), 1u) << "schema " << schema << " value " << bad << "\n"
                                   << Joined(violations);
  EXPECT_NE(violations[0].find(message), std::string::npos) << violations[0];
}

// ------------------------------------------------------------------ the document

TEST(OpenApiDocument, HasNoStructuralViolations) {
  EXPECT_VALID(Spec().ValidateDocument());
  EXPECT_EQ(Spec().Spec()["openapi"], "3.0.3");
}

TEST(OpenApiDocument, DescribesTheContractsOperationsAndParameters) {
  auto names = [](const std::string& path, const std::string& method) {
    std::set<std::string> out;
    for (const json& p : Spec().Spec()["paths"][path][method]["parameters"]) {
      out.insert(Spec().Resolve(p)["name"].get<std::string>());
    }
    return out;
  };
  const std::set<std::string> filters = {
      "type", "theme", "region", "organisation", "funder", "year", "status", "amount",
      "published_from", "published_to", "deadline_from", "deadline_to", "amount_min",
      "amount_max"};
  std::set<std::string> search = filters;
  search.insert({"q", "as_you_type", "all_words", "sort", "limit", "offset", "page", "per_page", "facets",
                 "fields", "explain", "partial", "If-None-Match"});
  EXPECT_EQ(names("/v1/search", "get"), search);
  std::set<std::string> facets = filters;
  facets.insert({"q", "as_you_type", "all_words", "facet", "facet_query", "If-None-Match"});
  EXPECT_EQ(names("/v1/facets", "get"), facets);
  EXPECT_EQ(names("/v1/suggest", "get"), (std::set<std::string>{"q", "limit", "If-None-Match"}));
  EXPECT_EQ(names("/v1/analyze", "get"), (std::set<std::string>{"text", "field"}));
  for (const char* path : {"/v1/search", "/v1/facets", "/v1/suggest", "/v1/analyze",
                           "/v1/documents/{id}", "/v1/openapi.json"}) {
    EXPECT_TRUE(Spec().Spec()["paths"][path]["options"]["responses"].contains("204")) << path;
  }
  const json& theme = Spec().Resolve(Spec().Spec()["components"]["parameters"]["filter_theme"]);
  EXPECT_EQ(theme["style"], "form");
  EXPECT_EQ(theme["explode"], true);
  EXPECT_EQ(theme["schema"]["type"], "array");
  // Cached GETs carry ETag and Cache-Control and may answer 304.
  for (const char* path : {"/v1/search", "/v1/facets", "/v1/suggest"}) {
    const json& get = Spec().Spec()["paths"][path]["get"];
    EXPECT_TRUE(get["responses"]["200"]["headers"].contains("ETag")) << path;
    EXPECT_TRUE(get["responses"]["200"]["headers"].contains("Cache-Control")) << path;
    EXPECT_TRUE(get["responses"].contains("304")) << path;
    EXPECT_THROW(Spec().ResponseSchema("get", path, 304), std::runtime_error) << "304 has no body";
  }
}

TEST(OpenApiDocument, ValidateDocumentReportsBrokenDocuments) {
  const OpenApiCheck broken(json::parse(R"({
    "openapi": "2.0", "info": {"title": ""},
    "paths": {
      "/a/{id}": {"get": {"responses": {}}},
      "/b": {"get": {"operationId": "x", "parameters": [{"name": "q", "in": "query"}],
                     "responses": {"200": {"$ref": "#/components/responses/Nope"}}},
             "post": {"operationId": "x", "responses": {"200": {"description": "ok"}}}}
    },
    "components": {"schemas": {"C": {"type": "object", "required": ["k"], "properties": {},
                                     "additionalProperties": false, "pattern": "("},
                               "D": {"$ref": "#/components/schemas/C", "nullable": true}}}
  })"));
  const std::string all = Joined(broken.ValidateDocument());
  for (const char* expected :
       {"/openapi: must be", "/info/title: must be", "/info/version: must be",
        "/paths/~1a~1{id}/get: operation without responses",
        "/paths/~1a~1{id}/get: path parameters do not match",
        "/paths/~1b/get/parameters/0: parameter without a schema",
        "/paths/~1b/post: duplicate operationId",
        "/paths/~1b/get/responses/200: unresolved $ref",
        "/components/schemas/C: invalid pattern",
        "/components/schemas/C: required key \"k\" is not a property",
        "/components/schemas/D: keys beside $ref are ignored"}) {
    EXPECT_NE(all.find(expected), std::string::npos) << expected << " not in\n" << all;
  }
}

TEST(OpenApiDocument, LoadNamesTheFileOnFailure) {
  try {
    OpenApiCheck::Load("/nonexistent/openapi.json");
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/openapi.json"), std::string::npos);
  }
  try {
    OpenApiCheck::Load(AFORI_SOURCE_DIR "/README.md");
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("README.md"), std::string::npos);
  }
}

// ------------------------------------------------------------------ the checker

TEST(OpenApiChecker, EachKeywordPassesAndFails) {
  ExpectKeyword({{"type", "object"}}, json::object(), json::array(), "expected object, got array");
  ExpectKeyword({{"type", "array"}}, json::array(), "x", "expected array, got string");
  ExpectKeyword({{"type", "string"}}, "x", 1, "expected string, got integer");
  ExpectKeyword({{"type", "integer"}}, 3, 3.5, "expected integer, got number");
  ExpectKeyword({{"type", "number"}}, 3.5, "3.5", "expected number, got string");
  ExpectKeyword({{"type", "number"}}, 3, true, "expected number, got boolean");
  ExpectKeyword({{"type", "boolean"}}, false, 0, "expected boolean, got integer");
  ExpectKeyword({{"type", "string"}}, "", nullptr, "expected string, got null");
  ExpectKeyword({{"type", "string"}, {"nullable", true}, {"minLength", 2}}, nullptr, "a",
                "shorter than minLength");
  ExpectKeyword({{"enum", {"open", "closed"}}}, "open", "pending", "\"pending\" is not one of");
  ExpectKeyword({{"minimum", 0}, {"maximum", 100}}, 100, 101, "above the maximum 100");
  ExpectKeyword({{"minimum", 0}, {"maximum", 100}}, 0, -1, "below the minimum 0");
  ExpectKeyword({{"minimum", 0}, {"exclusiveMinimum", true}}, 0.5, 0, "below the minimum");
  ExpectKeyword({{"maxLength", 3}}, "åäö", "åäöa", "longer than maxLength 3");  // code points
  ExpectKeyword({{"minLength", 1}}, "a", "", "shorter than minLength 1");
  ExpectKeyword({{"pattern", "^[a-z]+$"}}, "abc", "aBc", "does not match pattern");
  ExpectKeyword({{"pattern", "[0-9]"}}, "a1b", "ab", "does not match");  // unanchored
  ExpectKeyword({{"format", "date"}}, "2024-02-29", "2023-02-29", "is not a date");
  ExpectKeyword({{"format", "date"}}, "2024-12-31", "2024-1-01", "is not a date");
  ExpectKeyword({{"format", "date"}}, "2024-04-30", "2024-04-31", "is not a date");
  ExpectKeyword({{"minItems", 1}, {"maxItems", 2}}, json::array({1}), json::array({1, 2, 3}),
                "more items than maxItems 2");
  ExpectKeyword({{"required", {"a"}}}, {{"a", 1}}, {{"b", 1}}, "(root): missing required key 'a'");
  ExpectKeyword({{"properties", {{"a", {{"type", "integer"}}}}}, {"additionalProperties", false}},
                {{"a", 1}}, {{"a", 1}, {"b", 2}}, "(root): unexpected key 'b'");
  ExpectKeyword({{"additionalProperties", {{"type", "integer"}}}}, {{"x", 1}, {"y", 2}},
                {{"x", 1}, {"y", "2"}}, "/y: expected integer, got string");
  ExpectKeyword({{"items", {{"type", "string"}}}}, json::array({"a", "b"}), json::array({"a", 2}),
                "/1: expected string, got integer");
  // A keyword for another type does not apply: minLength to a number, items to an object.
  const OpenApiCheck check = WithSchemas(json::object());
  EXPECT_VALID(check.Violations(5, {{"minLength", 10}}));
  EXPECT_VALID(check.Violations(json::object(), {{"items", {{"type", "string"}}}}));
  EXPECT_VALID(check.Violations({{"extra", true}}, {{"properties", json::object()}}));
}

TEST(OpenApiChecker, NullableAllowsNullOnly) {
  const json schema = {
      {"type", "string"}, {"nullable", true}, {"enum", {"open", "closed", nullptr}}};
  const OpenApiCheck check = WithSchemas(json::object());
  EXPECT_VALID(check.Violations(nullptr, schema));
  EXPECT_VALID(check.Violations("open", schema));
  EXPECT_EQ(check.Violations(1, schema).size(), 1u);
  EXPECT_EQ(check.Violations(nullptr, {{"type", "integer"}}).size(), 1u);
}

TEST(OpenApiChecker, ReportsNestedPointers) {
  const json schema = json::parse(R"({
    "type": "object", "properties": {"a": {"type": "array", "items": {"type": "object",
      "required": ["b"], "properties": {"b": {"type": "integer"}, "c/d": {"type": "string"}},
      "additionalProperties": false}}}})");
  const json value = json::parse(R"({"a": [{"b": 1}, {"b": "x", "c/d": 2, "e": 0}, {}]})");
  const std::vector<std::string> violations = WithSchemas(json::object()).Violations(value, schema);
  EXPECT_EQ(violations, (std::vector<std::string>{
                            "/a/1/b: expected integer, got string",
                            "/a/1/c~1d: expected string, got integer",
                            "/a/1: unexpected key 'e'",
                            "/a/2: missing required key 'b'",
                        }));
}

TEST(OpenApiChecker, FollowsRefs) {
  const OpenApiCheck check = WithSchemas(json::parse(R"({
    "Id": {"type": "string", "pattern": "^[a-z]+$"},
    "Alias": {"$ref": "#/components/schemas/Id"},
    "Node": {"type": "object", "properties": {"id": {"$ref": "#/components/schemas/Alias"},
                                              "next": {"$ref": "#/components/schemas/Node"}}}})"));
  const json node = {{"$ref", "#/components/schemas/Node"}};
  EXPECT_VALID(check.Violations(json::parse(R"({"id": "a", "next": {"id": "b"}})"), node));
  EXPECT_EQ(check.Violations(json::parse(R"({"next": {"next": {"id": "B"}}})"), node),
            (std::vector<std::string>{"/next/next/id: \"B\" does not match pattern \"^[a-z]+$\""}));
  const std::vector<std::string> missing =
      check.Violations(1, {{"$ref", "#/components/schemas/Missing"}});
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_NE(missing[0].find("unresolved $ref"), std::string::npos);
  EXPECT_THROW(check.Resolve({{"$ref", "#/nowhere"}}), std::runtime_error);
}

TEST(OpenApiChecker, OneOfMeansExactlyOne) {
  const json schema = json::parse(R"({"oneOf": [{"type": "integer"}, {"minimum": 0}]})");
  const OpenApiCheck check = WithSchemas(json::object());
  EXPECT_VALID(check.Violations(-1, schema));  // only the first
  EXPECT_VALID(check.Violations(0.5, schema));  // only the second
  const std::vector<std::string> both = check.Violations(1, schema);
  ASSERT_EQ(both.size(), 1u);
  EXPECT_NE(both[0].find("matches 2 of the oneOf schemas"), std::string::npos) << both[0];
  const std::vector<std::string> none = check.Violations(-0.5, schema);
  ASSERT_EQ(none.size(), 1u);
  EXPECT_NE(none[0].find("matches none of the oneOf schemas"), std::string::npos) << none[0];
}

TEST(OpenApiChecker, AnyOfAndAllOf) {
  const OpenApiCheck check = WithSchemas(json::object());
  const json any = json::parse(R"({"anyOf": [{"type": "integer"}, {"minimum": 0}]})");
  EXPECT_VALID(check.Violations(1, any));  // both match: fine for anyOf
  EXPECT_EQ(check.Violations(-0.5, any).size(), 1u);
  const json all = json::parse(R"({"allOf": [{"type": "integer"}, {"minimum": 0}]})");
  EXPECT_VALID(check.Violations(1, all));
  EXPECT_EQ(check.Violations(-1, all).size(), 1u);
  EXPECT_EQ(check.Violations(-0.5, all).size(), 2u);
}

TEST(OpenApiChecker, ResponseSchemaLookup) {
  const OpenApiCheck check(json::parse(R"({"paths": {"/x": {"get": {"responses": {
    "200": {"description": "", "content": {"application/json": {"schema": {"type": "integer"}}}},
    "4XX": {"description": "", "content": {"application/json": {"schema": {"type": "string"}}}},
    "default": {"description": "",
                "content": {"application/json": {"schema": {"type": "boolean"}}}},
    "304": {"description": ""}}}}}})"));
  EXPECT_EQ(check.ResponseSchema("GET", "/x", 200)["type"], "integer");
  EXPECT_EQ(check.ResponseSchema("get", "/x", 404)["type"], "string");
  EXPECT_EQ(check.ResponseSchema("get", "/x", 500)["type"], "boolean");
  EXPECT_THROW(check.ResponseSchema("get", "/x", 304), std::runtime_error);
  EXPECT_THROW(check.ResponseSchema("post", "/x", 200), std::runtime_error);
  EXPECT_THROW(check.ResponseSchema("get", "/y", 200), std::runtime_error);
  EXPECT_VALID(check.CheckResponse("get", "/x", 200, 7));
  EXPECT_EQ(check.CheckResponse("get", "/x", 200, "7").size(), 1u);
}

// ------------------------------------------------------------------ sample responses

json SampleHit() {
  return json::parse(R"({
    "id": "finansiering-energi", "type": "funding", "title": "Stöd till energikartläggning",
    "title_html": "Stöd till <mark>energikartläggning</mark>", "url": null,
    "summary": "Bidrag på högst 200 000 kronor.",
    "snippet_html": "…ett <mark>bidrag</mark> för kommuner…", "published": "2026-10-28",
    "deadline": "2027-03-01", "status": "open", "score": 20003.5})");
}

json SampleSearch() {
  json hit = SampleHit();
  hit["explain"] = json::parse(R"({"score": 20003.5, "matched_words": 2, "bm25": 2.5,
                                   "proximity": 0.5, "freshness": 0.25, "open_call": 0.25})");
  json guide = json::parse(R"({"id": "vagledning-lou", "type": "guide", "title": "LOU",
    "title_html": "LOU", "url": "https://afori.example/v/lou", "summary": null,
    "snippet_html": "", "published": null, "deadline": null, "status": null, "score": 10001})");
  return {{"query", "energi bidrag"}, {"suggestion", nullptr}, {"total", 2},
          {"total_is_exact", true}, {"offset", 0}, {"limit", 10}, {"sort", "relevance"},
          {"hits", {hit, guide}},
          {"facets", json::parse(R"({"type": {"funding": 1, "guide": 1}, "theme": {},
             "year": {"2026": 1}, "status": {"open": 1}, "amount": {"0-1000000": 1}})")},
          {"took_ms", 0.41}};
}

TEST(OpenApiSamples, SearchResponses) {
  const json good = SampleSearch();
  EXPECT_VALID(Spec().CheckResponse("get", "/v1/search", 200, good));
  EXPECT_VALID(Spec().CheckResponse("post", "/v1/search", 200, good));
  json projected = good;  // fields=themes,amount_max_sek,custom
  projected["hits"] = json::parse(R"([{"id": "a", "themes": ["Energi"], "amount_max_sek": 200000,
                                       "custom": {"any": "thing"}}, {"id": "b", "themes": null}])");
  EXPECT_VALID(Spec().CheckResponse("get", "/v1/search", 200, projected));

  auto expect_invalid = [](const json& body, const std::string& message) {
    const std::string all = Joined(Spec().CheckResponse("get", "/v1/search", 200, body));
    EXPECT_NE(all.find(message), std::string::npos) << "expected " << message << ", got\n" << all;
  };
  json bad = good;
  bad.erase("total_is_exact");
  expect_invalid(bad, "(root): missing required key 'total_is_exact'");
  bad = good;
  bad["extra"] = 1;
  expect_invalid(bad, "(root): unexpected key 'extra'");
  bad = good;
  bad["total"] = 2.0;
  expect_invalid(bad, "/total: expected integer, got number");
  bad = good;
  bad["hits"][0]["score"] = "20003.5";
  expect_invalid(bad, "/hits/0/score: expected number, got string");
  bad = good;
  bad["hits"][1].erase("id");
  expect_invalid(bad, "/hits/1: missing required key 'id'");
  bad = good;
  bad["hits"][0]["status"] = "pending";
  expect_invalid(bad, "/hits/0/status:");
  bad = good;
  bad["hits"][0]["published"] = "2026-13-01";
  expect_invalid(bad, "/hits/0/published:");
  bad = good;
  bad["hits"][0]["explain"]["bonus"] = 1;
  expect_invalid(bad, "/hits/0/explain: unexpected key 'bonus'");
  bad = good;
  bad["facets"]["type"]["guide"] = "1";
  expect_invalid(bad, "/facets/type/guide: expected integer, got string");
  bad = good;
  bad["facets"]["colour"] = json::object();
  expect_invalid(bad, "/facets: unexpected key 'colour'");
  bad = good;
  bad["sort"] = "random";
  expect_invalid(bad, "/sort:");
}

TEST(OpenApiSamples, SearchBody) {
  const json body = {{"$ref", "#/components/schemas/SearchBody"}};
  EXPECT_VALID(Spec().Violations(json::object(), body));
  EXPECT_VALID(Spec().Violations(json::parse(R"({"q": "elbuss", "as_you_type": true,
    "filters": {"type": ["case"], "theme": ["Energi", "Klimat och miljö"], "year": ["2024"],
                "amount": ["20000000-"]},
    "published_from": "2024-01-01", "deadline_to": "2024-12-31", "amount_min": 0,
    "sort": "newest", "page": 2, "per_page": 20, "facets": ["type", "theme"],
    "fields": ["title", "themes"], "explain": false})"), body));
  EXPECT_EQ(Spec().Violations(json::parse(R"({"query": "x"})"), body),
            (std::vector<std::string>{"(root): unexpected key 'query'"}));
  EXPECT_EQ(Spec().Violations(json::parse(R"({"filters": {"colour": ["red"]}})"), body),
            (std::vector<std::string>{"/filters: unexpected key 'colour'"}));
  EXPECT_EQ(Spec().Violations(json::parse(R"({"limit": 101})"), body).size(), 1u);
  EXPECT_EQ(Spec().Violations(json::parse(R"({"explain": 1})"), body).size(), 1u);
  EXPECT_EQ(Spec().Violations(json::parse(R"({"filters": {"year": ["24"]}})"), body).size(), 1u);
}

TEST(OpenApiSamples, FacetsAndSuggest) {
  const json facets = json::parse(R"({"facets": {"region": {"Nationell": 40,
    "Västra Götalands län": 3}}, "took_ms": 1.5})");
  EXPECT_VALID(Spec().CheckResponse("get", "/v1/facets", 200, facets));
  json bad = facets;
  bad.erase("took_ms");
  EXPECT_EQ(Spec().CheckResponse("get", "/v1/facets", 200, bad).size(), 1u);
  bad = facets;
  bad["facets"]["region"]["Nationell"] = -1;
  EXPECT_EQ(Spec().CheckResponse("get", "/v1/facets", 200, bad).size(), 1u);

  const json suggest = json::parse(R"({"query": "innov", "suggestions": [
    {"text": "Innovationsupphandling i korthet",
     "html": "<mark>Innov</mark>ationsupphandling i korthet",
     "kind": "title", "id": "vagledning-innovationsupphandling"},
    {"text": "innovation", "html": "<mark>innov</mark>ation", "kind": "term", "id": null}]})");
  EXPECT_VALID(Spec().CheckResponse("get", "/v1/suggest", 200, suggest));
  bad = suggest;
  bad["suggestions"][1]["kind"] = "word";
  EXPECT_EQ(Spec().CheckResponse("get", "/v1/suggest", 200, bad).size(), 1u);
  bad = suggest;
  bad["suggestions"][0].erase("html");
  EXPECT_EQ(Spec().CheckResponse("get", "/v1/suggest", 200, bad),
            (std::vector<std::string>{"/suggestions/0: missing required key 'html'"}));
}

TEST(OpenApiSamples, Analyze) {
  const json token = json::parse(R"({"token": "innovationsupphandlingar", "kind": "word",
    "position": 0, "start": 0, "end": 24, "all_caps": false, "stop_word": false,
    "stem": "innovationsupphandling", "compound_parts": [{"part": "innovation",
    "stem": "innovation"}, {"part": "upphandlingar", "stem": "upphandling"}]})");
  const json body = {{"text", "Innovationsupphandlingar"}, {"field", "body"},
                     {"analysis", "stemmer=snowball3"}, {"tokens", {token}},
                     {"terms", json::parse(R"([{"term": "XBinnovation", "wdf": 1}])")}};
  EXPECT_VALID(Spec().CheckResponse("get", "/v1/analyze", 200, body));
  json query = body;
  query.erase("terms");
  query["field"] = "query";
  query["tokens"][0]["stem"] = nullptr;
  query["words"] = json::parse(R"([{"word": "innovationsupphandlingar",
    "stem": "innovationsupphandling", "diacritic_variants": [], "corrections": [],
    "compound_parts": ["innovation", "upphandling"], "synonyms": []}])");
  query["suggestion"] = nullptr;
  query["query"] = "Query(Zinnovationsupphandl@1)";
  EXPECT_VALID(Spec().CheckResponse("get", "/v1/analyze", 200, query));

  json bad = query;
  bad["terms"] = body["terms"];  // a query report with document-field terms fits neither
  EXPECT_EQ(Spec().CheckResponse("get", "/v1/analyze", 200, bad).size(), 1u);
  bad = body;
  bad["field"] = "query";  // terms but no words
  EXPECT_EQ(Spec().CheckResponse("get", "/v1/analyze", 200, bad).size(), 1u);
  bad = body;
  bad["tokens"][0]["kind"] = "compound";
  EXPECT_EQ(Spec().CheckResponse("get", "/v1/analyze", 200, bad).size(), 1u);
}

TEST(OpenApiSamples, DocumentsHealthOpenApiAndErrors) {
  const json document = json::parse(R"({"id": "exempel-elbussar", "type": "case",
    "title": "Elbussar i Älvstad", "body": "Text.", "themes": ["Energi"], "x-cms-id": 42})");
  EXPECT_VALID(Spec().CheckResponse("get", "/v1/documents/{id}", 200, document));
  json bad = document;
  bad["id"] = "Exempel_1";
  EXPECT_EQ(Spec().CheckResponse("get", "/v1/documents/{id}", 200, bad).size(), 1u);
  bad = document;
  bad.erase("body");
  EXPECT_EQ(Spec().CheckResponse("get", "/v1/documents/{id}", 200, bad).size(), 1u);

  const json health = {
      {"status", "ok"}, {"documents", 186}, {"revision", 1}, {"schema_version", 2}};
  EXPECT_VALID(Spec().CheckResponse("get", "/healthz", 200, health));
  bad = health;
  bad["uptime"] = 3;
  EXPECT_EQ(Spec().CheckResponse("get", "/healthz", 200, bad),
            (std::vector<std::string>{"(root): unexpected key 'uptime'"}));

  EXPECT_VALID(Spec().CheckResponse("get", "/v1/openapi.json", 200, Spec().Spec()));

  const json error = json::parse(R"({"error": {"code": "invalid_argument",
    "message": "parameter 'limit' must be a whole number from 0 to 100, got \"1000\""}})");
  EXPECT_VALID(Spec().CheckResponse("get", "/v1/search", 400, error));
  EXPECT_VALID(Spec().CheckResponse("post", "/v1/search", 400, error));
  EXPECT_VALID(Spec().CheckResponse("get", "/v1/documents/{id}", 404,
                                    {{"error", {{"code", "not_found"}, {"message", "m"}}}}));
  EXPECT_VALID(Spec().CheckResponse("get", "/v1/facets", 503,
                                    {{"error", {{"code", "schema_mismatch"}, {"message", "m"}}}}));
  bad = error;
  bad["error"]["code"] = "bad_request";
  EXPECT_EQ(Spec().CheckResponse("get", "/v1/suggest", 400, bad).size(), 1u);
  bad = error;
  bad["error"].erase("message");
  EXPECT_EQ(Spec().CheckResponse("get", "/v1/analyze", 500, bad),
            (std::vector<std::string>{"/error: missing required key 'message'"}));
}

}  // namespace
}  // namespace afori::testing

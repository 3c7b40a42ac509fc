#include "searchd/meili_filter.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <iterator>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace afori::searchd {
namespace {

using nlohmann::json;
using Kind = FilterExpression::Kind;

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string Join(const std::vector<std::string>& values, const char* separator) {
  std::string out;
  for (const std::string& v : values) out += (out.empty() ? "" : separator) + Quote(v);
  return out;
}

// Canonical form: AND(OR(themes = "a", type = "b"), NOT(x EXISTS)).
std::string Print(const FilterExpression& e) {
  if (e.kind != Kind::kCondition) {
    std::string out = e.kind == Kind::kAnd ? "AND(" : e.kind == Kind::kOr ? "OR(" : "NOT(";
    for (std::size_t i = 0; i < e.children.size(); ++i) {
      out += (i ? ", " : "") + Print(e.children[i]);
    }
    return out + ")";
  }
  const FilterCondition& c = e.condition;
  const std::string value = c.values.empty() ? "" : Quote(c.values[0]);
  switch (c.op) {
    case FilterOperator::kEqual: return c.attribute + " = " + value;
    case FilterOperator::kNotEqual: return c.attribute + " != " + value;
    case FilterOperator::kLess: return c.attribute + " < " + value;
    case FilterOperator::kLessEqual: return c.attribute + " <= " + value;
    case FilterOperator::kGreater: return c.attribute + " > " + value;
    case FilterOperator::kGreaterEqual: return c.attribute + " >= " + value;
    case FilterOperator::kRange: return c.attribute + " " + Join(c.values, " TO ");
    case FilterOperator::kIn: return c.attribute + " IN [" + Join(c.values, ", ") + "]";
    case FilterOperator::kExists: return c.attribute + " EXISTS";
    case FilterOperator::kIsNull: return c.attribute + " IS NULL";
    case FilterOperator::kIsEmpty: return c.attribute + " IS EMPTY";
    case FilterOperator::kGeo: return c.attribute + "(" + Join(c.values, ", ") + ")";
  }
  return "?";
}

// The same tree in Meilisearch syntax, for the round-trip check of the fuzz test.
std::string ToMeili(const FilterExpression& e) {
  if (e.kind == Kind::kNot) return "NOT (" + ToMeili(e.children[0]) + ")";
  if (e.kind != Kind::kCondition) {
    std::string out;
    for (const FilterExpression& child : e.children) {
      out += (out.empty() ? "(" : e.kind == Kind::kAnd ? " AND " : " OR ") + ToMeili(child);
    }
    return out + ")";
  }
  const FilterCondition& c = e.condition;
  if (c.op != FilterOperator::kGeo) return Quote(c.attribute) + Print(e).substr(c.attribute.size());
  std::string out = c.attribute + "(";
  const bool points = c.attribute != "_geoRadius";
  for (std::size_t i = 0; i < c.values.size(); ++i) {
    out += i == 0 ? "" : ", ";
    if (points) out += i % 2 ? "" : "[";
    out += Quote(c.values[i]);
    if (points) out += i % 2 ? "]" : "";
  }
  return out + ")";
}

// The invariants filter_expression.h promises.
void ExpectWellFormed(const FilterExpression& e, const std::string& input) {
  if (e.kind == Kind::kCondition) {
    EXPECT_TRUE(e.children.empty()) << input;
    return;
  }
  if (e.kind == Kind::kNot) {
    EXPECT_EQ(e.children.size(), 1u) << input;
  } else {
    EXPECT_GE(e.children.size(), 2u) << input;
  }
  for (const FilterExpression& child : e.children) {
    if (e.kind != Kind::kNot) {
      EXPECT_NE(child.kind, e.kind) << "not flattened: " << input;
    }
    ExpectWellFormed(child, input);
  }
}

struct ValidCase {
  const char* filter;
  const char* expected;
};

const ValidCase kValid[] = {
    {"genres = horror", R"(genres = "horror")"},
    {"  genres\t=\nhorror  ", R"(genres = "horror")"},
    {"genres=horror", R"(genres = "horror")"},
    {"a != b", R"(a != "b")"},
    {"a > 1", R"(a > "1")"},
    {"a >= 1.5e6", R"(a >= "1.5e6")"},
    {"a<-3", R"(a < "-3")"},
    {"deadline <= 2027-01-01", R"(deadline <= "2027-01-01")"},
    {"amount_max_sek 100000 TO 5e6", R"(amount_max_sek "100000" TO "5e6")"},
    {"published 2024-01-01 to '2024-12-31'", R"(published "2024-01-01" TO "2024-12-31")"},
    {"themes IN [Energi, 'cirkulär ekonomi', \"Hälsa\"]",
     R"(themes IN ["Energi", "cirkulär ekonomi", "Hälsa"])"},
    {"themes IN [a,]", R"(themes IN ["a"])"},
    {"themes in[a,b]", R"(themes IN ["a", "b"])"},
    {"themes NOT IN [a, b]", R"(NOT(themes IN ["a", "b"]))"},
    {"deadline EXISTS", "deadline EXISTS"},
    {"deadline NOT EXISTS", "NOT(deadline EXISTS)"},
    {"deadline not exists", "NOT(deadline EXISTS)"},
    {"a IS NULL", "a IS NULL"},
    {"a IS NOT NULL", "NOT(a IS NULL)"},
    {"a is empty", "a IS EMPTY"},
    {"a IS NOT EMPTY", "NOT(a IS EMPTY)"},
    {"_geoRadius(48.86, 2.29, 2000)", R"(_geoRadius("48.86", "2.29", "2000"))"},
    {"_geoBoundingBox([45.49, 9.19], [45.46, 9.23])",
     R"(_geoBoundingBox("45.49", "9.19", "45.46", "9.23"))"},
    {"_geoPolygon([1, 2], [3, 4], [5, 6])", R"(_geoPolygon("1", "2", "3", "4", "5", "6"))"},
    {"_geoRadius(1,2,3) AND a = b", R"(AND(_geoRadius("1", "2", "3"), a = "b"))"},
    // Quoting, escapes, UTF-8.
    {R"("themes"="cirkulär ekonomi")", R"(themes = "cirkulär ekonomi")"},
    {R"(funder = "Vinnova \"Utmaning\"")", R"(funder = "Vinnova \"Utmaning\"")"},
    {R"(title = 'it\'s')", R"(title = "it's")"},
    {R"(path = "a\\b\n")", R"(path = "a\\b\\n")"},
    {R"(a = "")", R"(a = "")"},
    {R"(a = "AND")", R"(a = "AND")"},
    {R"('AND' = x)", R"(AND = "x")"},
    {"stad = Malmö", R"(stad = "Malmö")"},
    {"a = b\\c", R"(a = "b\\c")"},
    // Boolean structure and precedence.
    {"a = 1 AND b = 2", R"(AND(a = "1", b = "2"))"},
    {"a = 1 OR b = 2 AND c = 3", R"(OR(a = "1", AND(b = "2", c = "3")))"},
    {"(a = 1 OR b = 2) AND c = 3", R"(AND(OR(a = "1", b = "2"), c = "3"))"},
    {"NOT a = 1 AND b = 2", R"(AND(NOT(a = "1"), b = "2"))"},
    {"NOT (a = 1 AND b = 2)", R"(NOT(AND(a = "1", b = "2")))"},
    {"NOT NOT a = 1", R"(NOT(NOT(a = "1")))"},
    {"NOT a NOT EXISTS", "NOT(NOT(a EXISTS))"},
    {"a = 1 and b = 2 Or c = 3", R"(OR(AND(a = "1", b = "2"), c = "3"))"},
    {"a = 1 AND (b = 2 AND c = 3) AND d = 4", R"(AND(a = "1", b = "2", c = "3", d = "4"))"},
    {"(a = 1 OR b = 2) OR (c = 3 OR d = 4)", R"(OR(a = "1", b = "2", c = "3", d = "4"))"},
    {"((((a = 1))))", R"(a = "1")"},
    {"(themes = a OR type = b) AND NOT x EXISTS",
     R"(AND(OR(themes = "a", type = "b"), NOT(x EXISTS)))"},
    // Keywords are words only when bare; other words are plain attributes.
    {"exists EXISTS", "exists EXISTS"},
    {"a = ANDERS", R"(a = "ANDERS")"},
    {"a = in", R"(a = "in")"},
};

TEST(MeiliFilterTest, ParsesValidFilters) {
  for (const ValidCase& c : kValid) {
    Result<FilterExpression> e = ParseMeiliFilter(c.filter);
    ASSERT_TRUE(e.ok()) << c.filter << ": " << e.status().message();
    EXPECT_EQ(Print(*e), c.expected) << c.filter;
    ExpectWellFormed(*e, c.filter);
  }
}

struct InvalidCase {
  const char* filter;
  const char* message;  // a fragment of the message
};

const InvalidCase kInvalid[] = {
    {"", "filter: the filter is empty"},
    {" \t\n", "filter: the filter is empty"},
    {"themes =", "filter: expected a value after `=` at column 9"},
    {"themes = )", "expected a value after `=` at column 10, found `)`"},
    {"a = 'open", "filter: unclosed quote starting at column 5"},
    {"a = \"x\\\"", "unclosed quote starting at column 5"},
    {"ab = 'c'd'", "unclosed quote starting at column 10"},
    {"(a = 1 OR b = 2))", "filter: unexpected `)` at column 17"},
    {"a = 1 b = 2", "unexpected `b` at column 7; conditions must be joined with AND or OR"},
    {"ab IN []", "filter: empty IN list at column 7"},
    {"a IN [b", "unclosed `[` starting at column 6"},
    {"a IN [b c]", "expected `,` or `]` in the IN list at column 9, found `c`"},
    {"a IN [b,,c]", "expected a value in the IN list at column 9, found `,`"},
    {"a IN b", "expected `[` after IN at column 6, found `b`"},
    {"title CONTAINS kaffe", "filter: the CONTAINS operator is not supported at column 7"},
    {"title NOT CONTAINS kaffe", "the CONTAINS operator is not supported at column 11"},
    {"title STARTS WITH kaf", "filter: the STARTS WITH operator is not supported at column 7"},
    {"title not starts with kaf", "the STARTS WITH operator is not supported"},
    {"(a = 1", "unclosed `(` starting at column 1"},
    {"(a = 1 b = 2)", "unexpected `b` at column 8; expected AND, OR or `)`"},
    {"()", "expected a condition at column 2, found `)`"},
    {"a = 1 AND", "expected a condition at column 10"},
    {"a = 1 OR OR b = 2", "expected a condition at column 10, found `OR`"},
    {"AND a = 1", "expected a condition at column 1, found `AND`"},
    {"NOT", "expected a condition at column 4"},
    {"a", "expected an operator (=, !=, <, <=, >, >=, TO, IN, EXISTS, IS, NOT) after `a`"},
    {"themes cirkulär", "after `themes` at column 8, found `cirkulär`"},
    {"a 1 TO", "expected a value after TO at column 7"},
    {"a TO 5", "expected a value before TO at column 3"},
    {"a = AND", "`AND` is a keyword, not a value, at column 5; quote it (\"AND\")"},
    {"a IN [x, not]", "`not` is a keyword, not a value"},
    {"a NOT b", "expected IN or EXISTS after NOT at column 7, found `b`"},
    {"a IS b", "expected NULL, EMPTY or NOT after IS at column 6"},
    {"a IS NOT EXISTS", "expected NULL or EMPTY after IS NOT at column 10"},
    {"a ! b", "filter: unexpected `!` at column 3; not equal is `!=`"},
    {"a == b", "expected a value after `=` at column 4, found `=`"},
    {"\"\" = b", "empty attribute name at column 1"},
    {"stad = Malmö )", "unexpected `)` at column 14"},  // columns count characters
    {"a = 1 b\xff", "unexpected `b\uFFFD` at column 7"},  // invalid UTF-8 is replaced
    {"a = 1 \xed\xa0\x80", "unexpected `\uFFFD"},       // so is a surrogate
    {"a = 1 Malmö", "unexpected `Malmö` at column 7"},
    {"_geoRadius(1, 2)", "wrong arguments to _geoRadius at column 1; it takes three numbers"},
    {"_geoRadius([1, 2], 3)", "wrong arguments to _geoRadius"},
    {"_geoBoundingBox([1, 2])", "wrong arguments to _geoBoundingBox"},
    {"_geoBoundingBox([1, 2], [3])", "wrong arguments to _geoBoundingBox"},
    {"_geoPolygon([1, 2], [3, 4])", "wrong arguments to _geoPolygon"},
    {"_geoRadius(1, 2, 3", "unclosed `(` starting at column 11"},
    {"_geoRadius(1 2 3)", "expected `,` or `)` in _geoRadius(...) at column 14, found `2`"},
    {"_geoPoint(1, 2) = 3", "unknown function `_geoPoint` at column 1"},
    {"a = _geoRadius(1, 2, 3)", "unexpected `(` at column 15"},
    {"a = 1 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
     "unexpected `xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...` at column 7"},
};

TEST(MeiliFilterTest, RejectsInvalidFiltersWithAPosition) {
  for (const InvalidCase& c : kInvalid) {
    Result<FilterExpression> e = ParseMeiliFilter(c.filter);
    ASSERT_FALSE(e.ok()) << c.filter << " parsed as " << Print(*e);
    EXPECT_EQ(e.status().code(), ErrorCode::kInvalidArgument) << c.filter;
    EXPECT_EQ(e.status().message().rfind("filter: ", 0), 0u) << e.status().message();
    EXPECT_NE(e.status().message().find(c.message), std::string::npos)
        << c.filter << "\n  got: " << e.status().message() << "\n want: " << c.message;
  }
}

std::string Nested(const std::string& open, int levels, const std::string& close) {
  std::string s;
  for (int i = 0; i < levels; ++i) s += open;
  s += "a = 1";
  for (int i = 0; i < levels; ++i) s += close;
  return s;
}

TEST(MeiliFilterTest, BoundsNesting) {
  EXPECT_TRUE(ParseMeiliFilter(Nested("(", kMaxMeiliFilterDepth, ")")).ok());
  EXPECT_TRUE(ParseMeiliFilter(Nested("NOT ", kMaxMeiliFilterDepth, "")).ok());
  EXPECT_TRUE(ParseMeiliFilter(Nested("NOT (", kMaxMeiliFilterDepth / 2, ")")).ok());
  for (const std::string& deep :
       {Nested("(", kMaxMeiliFilterDepth + 1, ")"), Nested("NOT ", kMaxMeiliFilterDepth + 1, ""),
        Nested("(NOT ", kMaxMeiliFilterDepth, ")"), std::string(100000, '('),
        Nested("NOT ", 100000, "")}) {
    Result<FilterExpression> e = ParseMeiliFilter(deep);
    ASSERT_FALSE(e.ok()) << deep.substr(0, 80);
    EXPECT_NE(e.status().message().find("filter: nesting deeper than 64 levels at column "),
              std::string::npos)
        << e.status().message();
  }
  // Long flat chains are loops, not recursion.
  std::string chain = "a = 1";
  for (int i = 0; i < 20000; ++i) chain += i % 2 ? " AND a = 1" : " OR a = 1";
  Result<FilterExpression> e = ParseMeiliFilter(chain);
  ASSERT_TRUE(e.ok()) << e.status().message();
  EXPECT_EQ(e->kind, Kind::kOr);
  EXPECT_EQ(e->children.size(), 10001u);
}

TEST(MeiliFilterTest, NeverCrashesOnGarbage) {
  const std::vector<std::string> pieces = {
      "a", "themes", "=", "!=", "!", "<", ">=", "(", ")", "[", "]", ",", "'", "\"", "\\",
      "AND", "or", "NOT", "TO", "IN", "EXISTS", "IS", "NULL", "EMPTY", "CONTAINS", "STARTS",
      "WITH", "_geoRadius", "_geoBoundingBox", "_geoPolygon", "1.5", "ä", "\xff", "\xc3",
      "'x y'", "\"q\\\"\"", " ", "\t", "\n", std::string(1, '\0')};
  std::mt19937 rng(20240615);
  int parsed = 0;
  for (int i = 0; i < 6000; ++i) {
    std::string input;
    if (i % 3 == 2) {  // a valid filter with a few edits
      input = kValid[rng() % std::size(kValid)].filter;
      for (int edits = 1 + static_cast<int>(rng() % 3); edits > 0; --edits) {
        const std::size_t at = rng() % (input.size() + 1);
        if (rng() % 2 && at < input.size()) {
          input.erase(at, 1);
        } else {
          input.insert(at, pieces[rng() % pieces.size()]);
        }
      }
    }
    const int length = i % 3 == 2 ? 0 : static_cast<int>(rng() % 24);
    for (int j = 0; j < length; ++j) {
      if (i % 3 == 1) {
        input += static_cast<char>(rng() % 256);  // raw bytes
      } else {
        input += pieces[rng() % pieces.size()];
        if (rng() % 2) input += ' ';
      }
    }
    Result<FilterExpression> e = ParseMeiliFilter(input);
    if (!e.ok()) {
      ASSERT_EQ(e.status().message().rfind("filter: ", 0), 0u) << e.status().message();
      // The message goes into a JSON error body, so it must stay valid UTF-8.
      ASSERT_NO_THROW(json(e.status().message()).dump()) << e.status().message();
      continue;
    }
    ++parsed;
    ExpectWellFormed(*e, input);
    // What parsed prints back to Meilisearch syntax that parses to the same tree.
    Result<FilterExpression> again = ParseMeiliFilter(ToMeili(*e));
    ASSERT_TRUE(again.ok()) << ToMeili(*e) << ": " << again.status().message();
    EXPECT_EQ(Print(*again), Print(*e)) << input;
  }
  EXPECT_GT(parsed, 500);  // the generator does reach valid filters
}

TEST(MeiliFilterJsonTest, NoFilter) {
  for (const char* text : {"null", R"("")", R"("  ")", "[]", R"([""])", R"([[], [""], " "])"}) {
    Result<std::optional<FilterExpression>> e = MeiliFilterFromJson(json::parse(text));
    ASSERT_TRUE(e.ok()) << text << ": " << e.status().message();
    EXPECT_FALSE(e->has_value()) << text;
  }
}

TEST(MeiliFilterJsonTest, StringsAndArrays) {
  const std::pair<const char*, const char*> cases[] = {
      {R"("a = 1 OR b = 2")", R"(OR(a = "1", b = "2"))"},
      {R"(["a = 1"])", R"(a = "1")"},
      {R"(["a = 1", "b = 2"])", R"(AND(a = "1", b = "2"))"},
      {R"(["a = 1", ["b = 2", "c = 3"]])", R"(AND(a = "1", OR(b = "2", c = "3")))"},
      {R"([["b = 2"]])", R"(b = "2")"},
      {R"(["a = 1 AND b = 2", "c = 3"])", R"(AND(a = "1", b = "2", c = "3"))"},
      {R"([["a = 1 OR b = 2", "c = 3"]])", R"(OR(a = "1", b = "2", c = "3"))"},
      {R"(["a = 1 OR b = 2", "c = 3"])", R"(AND(OR(a = "1", b = "2"), c = "3"))"},
      {R"(["", ["", "a = 1"]])", R"(a = "1")"},
      // What instant-meilisearch sends for two ticked themes and one type.
      {R"([["\"themes\"=\"cirkulär ekonomi\"", "\"themes\"=\"Energi\""], ["\"type\"=\"call\""]])",
       R"(AND(OR(themes = "cirkulär ekonomi", themes = "Energi"), type = "call"))"},
  };
  for (const auto& [text, expected] : cases) {
    Result<std::optional<FilterExpression>> e = MeiliFilterFromJson(json::parse(text));
    ASSERT_TRUE(e.ok()) << text << ": " << e.status().message();
    ASSERT_TRUE(e->has_value()) << text;
    EXPECT_EQ(Print(**e), expected) << text;
    ExpectWellFormed(**e, text);
  }
}

TEST(MeiliFilterJsonTest, RejectsOtherShapes) {
  const std::pair<const char*, const char*> cases[] = {
      {"5", "filter: must be a string or an array, found a number"},
      {R"({"a": 1})", "filter: must be a string or an array, found an object"},
      {"true", "found a boolean"},
      {"[1]", "filter: element 1 must be a string or an array of strings, found a number"},
      {R"(["a = 1", {}])", "filter: element 2 must be a string or an array of strings"},
      {R"(["a = 1", [["b = 2"]]])",
       "filter: element 2 must be a string or an array of strings, but its item 1 is an array"},
      {R"([["a = 1", null]])",
       "element 1 must be a string or an array of strings, but its item 2 is null"},
      {R"("a =")", "filter: expected a value after `=` at column 4"},
      {R"(["a = 1", "b ="])", "filter: element 2: expected a value after `=` at column 4"},
      {R"([["a = 1", "b IN []"]])", "filter: element 1, item 2: empty IN list at column 6"},
  };
  for (const auto& [text, message] : cases) {
    Result<std::optional<FilterExpression>> e = MeiliFilterFromJson(json::parse(text));
    ASSERT_FALSE(e.ok()) << text;
    EXPECT_EQ(e.status().code(), ErrorCode::kInvalidArgument) << text;
    EXPECT_NE(e.status().message().find(message), std::string::npos)
        << text << "\n  got: " << e.status().message() << "\n want: " << message;
  }
}

}  // namespace
}  // namespace afori::searchd

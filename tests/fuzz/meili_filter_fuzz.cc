// Fuzzes the Meilisearch-compatible filter and search parsing: searchd::ParseMeiliFilter on
// the input as a filter string; when the input is JSON, MeiliFilterFromJson and
// ParseMeiliSearch on it (and ParseMeiliSearch on {"filter": input}); every accepted filter
// becomes a query with ExpressionQuery over a small real index and is run.
//
// Invariants: a refused filter is InvalidArgument, "filter: ...", valid UTF-8 even for input
// that is not; an accepted tree has the documented shape (AND/OR two or more children, none
// of its own kind, NOT exactly one, nesting within kMaxMeiliFilterDepth); ExpressionQuery
// either gives a query that runs or an InvalidArgument "filter: ..." (valid UTF-8 when the
// tree's strings are); a refused search has an
// error code, a message and a 4xx status.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "searchd/filters.h"
#include "searchd/meili_filter.h"
#include "searchd/meili_request.h"
#include "stemming/query.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

namespace searchd = afori::searchd;
using searchd::FilterExpression;

// `utf8`: the message must be valid UTF-8 (ParseMeiliFilter promises it for any input;
// ExpressionQuery quotes values as given, so only for valid input).
void CheckFilterError(const afori::Status& s, bool utf8 = true) {
  afori::fuzz::CheckInvalidArgument(s);
  AFORI_FUZZ_CHECK_MSG(s.message().rfind("filter: ", 0) == 0, s.message());
  if (utf8) AFORI_FUZZ_CHECK_MSG(afori::fuzz::ValidUtf8(s.message()), s.message());
}

// Returns the nesting depth of parentheses-like nodes (NOT, and AND/OR below another node).
int CheckShape(const FilterExpression& e) {
  switch (e.kind) {
    case FilterExpression::Kind::kCondition:
      AFORI_FUZZ_CHECK(e.children.empty());
      return 0;
    case FilterExpression::Kind::kNot:
      AFORI_FUZZ_CHECK(e.children.size() == 1);
      return 1 + CheckShape(e.children[0]);
    case FilterExpression::Kind::kAnd:
    case FilterExpression::Kind::kOr: {
      AFORI_FUZZ_CHECK(e.children.size() >= 2);
      int depth = 0;
      for (const FilterExpression& c : e.children) {
        AFORI_FUZZ_CHECK(c.kind != e.kind);
        depth = std::max(depth, CheckShape(c));
      }
      return 1 + depth;
    }
  }
  AFORI_FUZZ_CHECK(false);
  return 0;
}

bool ValidStrings(const FilterExpression& e) {
  if (!afori::fuzz::ValidUtf8(e.condition.attribute)) return false;
  for (const std::string& v : e.condition.values) {
    if (!afori::fuzz::ValidUtf8(v)) return false;
  }
  for (const FilterExpression& c : e.children) {
    if (!ValidStrings(c)) return false;
  }
  return true;
}

void RunExpression(const FilterExpression& e) {
  const Xapian::Database& db = afori::fuzz::FixtureDatabase();
  afori::Result<Xapian::Query> q = searchd::ExpressionQuery(e, db, "20260101");
  if (!q.ok()) {
    CheckFilterError(q.status(), ValidStrings(e));
    return;
  }
  Xapian::Enquire enquire(db);
  enquire.set_query(
      Xapian::Query(Xapian::Query::OP_FILTER, afori::stemming::MatchAllQuery(), *q));
  Xapian::MSet mset = enquire.get_mset(0, 100);
  AFORI_FUZZ_CHECK(mset.size() <= db.get_doccount());
}

void CheckSearch(const nlohmann::json& body, bool multi) {
  searchd::MeiliSearch search;
  std::optional<searchd::MeiliError> error = searchd::ParseMeiliSearch(body, multi, &search);
  if (error) {
    AFORI_FUZZ_CHECK(!error->code.empty() && !error->message.empty());
    AFORI_FUZZ_CHECK(error->http_status >= 400 && error->http_status < 500);
    searchd::MeiliErrorJson(*error).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return;
  }
  if (multi) AFORI_FUZZ_CHECK(!search.index_uid.empty());
  if (search.request.filter_expression) {
    CheckShape(*search.request.filter_expression);
    RunExpression(*search.request.filter_expression);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  afori::fuzz::FixtureDatabase();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  afori::Result<FilterExpression> parsed = searchd::ParseMeiliFilter(text);
  if (!parsed.ok()) {
    CheckFilterError(parsed.status());
  } else {
    AFORI_FUZZ_CHECK(CheckShape(*parsed) <= searchd::kMaxMeiliFilterDepth + 1);
    RunExpression(*parsed);
  }

  const nlohmann::json value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!value.is_discarded()) {
    auto from_json = searchd::MeiliFilterFromJson(value);
    if (!from_json.ok()) {
      CheckFilterError(from_json.status());
    } else if (*from_json) {
      CheckShape(**from_json);
      RunExpression(**from_json);
    }
    CheckSearch(value, size % 2 == 1);
  }
  if (afori::fuzz::ValidUtf8(text)) {
    CheckSearch(nlohmann::json{{"q", "energi"}, {"filter", std::string(text)}}, false);
  }
  return 0;
}

// Fuzzes the HTTP API's request parsing: the input as a query string (decoded into
// httplib::Params the way cpp-httplib does for a request) through ParseSearchRequest and the
// other GET parsers, and the input as a POST /v1/search body through ParseSearchBody.
//
// Invariants: a refusal is InvalidArgument with a message; an accepted request passes
// ValidateSearchRequest, respects the documented bounds (limit, offset, query length), and its
// filters become a Xapian query without an exception.
#include <cstddef>
#include <cstdint>
#include <string>

#include <httplib.h>

#include "searchd/filters.h"
#include "searchd/http_params.h"
#include "searchd/search_request.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

namespace searchd = afori::searchd;

void CheckRequest(const afori::Result<searchd::SearchRequest>& r) {
  if (!r.ok()) {
    afori::fuzz::CheckInvalidArgument(r.status());
    return;
  }
  AFORI_FUZZ_CHECK(searchd::ValidateSearchRequest(*r).ok());
  AFORI_FUZZ_CHECK(r->limit <= searchd::kMaxLimit);
  AFORI_FUZZ_CHECK(r->offset <= searchd::kMaxOffset);
  AFORI_FUZZ_CHECK(r->query.size() <= searchd::kMaxQueryBytes);
  for (const searchd::FacetFilter& f : r->filters) AFORI_FUZZ_CHECK(!f.values.empty());
  searchd::FilterQuery(*r, "20260101");
  for (const searchd::FacetFilter& f : r->filters) searchd::FilterQuery(*r, "20260101", f.facet);
  if (r->filter_expression) {
    auto q = searchd::ExpressionQuery(*r->filter_expression, afori::fuzz::FixtureDatabase(),
                                      "20260101");
    if (!q.ok()) afori::fuzz::CheckInvalidArgument(q.status());
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  afori::fuzz::FixtureDatabase();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);

  httplib::Params params;
  httplib::detail::parse_query_text(input, params);
  CheckRequest(searchd::ParseSearchRequest(params));

  auto facets = searchd::ParseFacetsRequest(params);
  if (!facets.ok()) afori::fuzz::CheckInvalidArgument(facets.status());
  auto suggest = searchd::ParseSuggestRequest(params);
  if (!suggest.ok()) {
    afori::fuzz::CheckInvalidArgument(suggest.status());
  } else {
    AFORI_FUZZ_CHECK(suggest->query.size() <= searchd::kMaxSuggestBytes);
  }
  auto analyze = searchd::ParseAnalyzeRequest(params);
  if (!analyze.ok()) afori::fuzz::CheckInvalidArgument(analyze.status());

  CheckRequest(searchd::ParseSearchBody(input));
  return 0;
}

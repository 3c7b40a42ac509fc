// Filters: the boolean part of a search (facet values, date and amount ranges, open/closed).
//
// FilterQuery() turns a request's filters into one Xapian query to combine with
// OP_FILTER: values OR within a facet, facets and ranges AND. For disjunctive facet counts
// the filter of one facet can be left out (`except_facet`), so that facet's counts show
// what ticking another of its values would add.
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <xapian.h>

#include "searchd/search_request.h"

namespace afori::searchd {

// "2027-03-01" -> "20270301", the form of the date value slots.
std::string CompactDate(std::string_view date);

// Today's date (UTC) as "YYYY-MM-DD".
std::string TodayUtc();

// The day before a "YYYYMMDD" date, same form.
std::string DayBefore(std::string_view compact);

// The request's filters, or nullopt when it has none. `today` is "YYYYMMDD".
std::optional<Xapian::Query> FilterQuery(const SearchRequest& request, std::string_view today,
                                         std::string_view except_facet = {});

}  // namespace afori::searchd

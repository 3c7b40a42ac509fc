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

#include "common/status.h"
#include "searchd/filter_expression.h"
#include "searchd/search_request.h"

namespace afori::searchd {

// "2027-03-01" -> "20270301", the form of the date value slots.
std::string CompactDate(std::string_view date);

// Today's date (UTC) as "YYYY-MM-DD".
std::string TodayUtc();

// The day before a "YYYYMMDD" date, same form.
std::string DayBefore(std::string_view compact);

// The request's filters, or nullopt when it has none. `today` is "YYYYMMDD". The request's
// filter_expression is not included: see ExpressionQuery().
std::optional<Xapian::Query> FilterQuery(const SearchRequest& request, std::string_view today,
                                         std::string_view except_facet = {});

// A filter expression as a Xapian query over `db`. Attributes are document fields:
//  - type, themes, region, organisations, funder, tags, id: = != IN EXISTS; string values
//    match the indexed values exactly, or else ignoring case ("energi" finds "Energi");
//  - status ("open"/"closed" against `today`), year (of `published`): = != IN EXISTS, and
//    year also < <= > >= TO;
//  - published, updated, deadline (values YYYY-MM-DD), amount_max_sek (numbers):
//    = != < <= > >= TO EXISTS.
// NOT and != also match documents without the attribute; IS NULL matches nothing (a null
// field is an absent one). IS EMPTY and geo filters are refused. An unknown attribute, an
// operator the attribute does not take and a malformed value are InvalidArgument errors
// that start with "filter: " and name the attribute.
Result<Xapian::Query> ExpressionQuery(const FilterExpression& expression,
                                      const Xapian::Database& db, std::string_view today);

// The attributes ExpressionQuery() accepts, for error messages and the API description.
const std::vector<std::string_view>& FilterableAttributes();

}  // namespace afori::searchd

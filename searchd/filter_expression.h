// FilterExpression: a boolean filter over document attributes (AND, OR, NOT of conditions),
// free of any query syntax.
//
// The search API's own filters (facet=value&...) are a fixed shape: values OR within a facet,
// facets AND. Clients of the Meilisearch-compatible API (docs/meilisearch-compat.md) send
// arbitrary expressions instead ("themes = Energi OR NOT type = case"); their parser
// (searchd/meili_filter.h) produces this tree and the search core turns it into a Xapian
// query (ExpressionQuery() in searchd/filters.h), so there is one search implementation.
//
// Attributes are document field names (docs/documents.md), not API facet names: `themes`,
// not `theme`. Which attributes and operators are allowed is decided when the tree is turned
// into a query, not by the parser.
//
// Thread safety: plain values.
#pragma once

#include <string>
#include <vector>

namespace afori::searchd {

enum class FilterOperator {
  kEqual,         // attribute = value
  kNotEqual,      // attribute != value (also true when the attribute is absent)
  kLess,          // attribute < value
  kLessEqual,     // attribute <= value
  kGreater,       // attribute > value
  kGreaterEqual,  // attribute >= value
  kRange,         // attribute value TO value (inclusive): values = {from, to}
  kIn,            // attribute IN [value, ...]
  kExists,        // attribute EXISTS
  kIsNull,        // attribute IS NULL (parsed, so it can be refused by name)
  kIsEmpty,       // attribute IS EMPTY (likewise)
  kGeo,           // _geoRadius(...) / _geoBoundingBox(...): attribute holds the function name
};

struct FilterCondition {
  std::string attribute;
  FilterOperator op = FilterOperator::kEqual;
  std::vector<std::string> values;  // unquoted and unescaped
};

struct FilterExpression {
  enum class Kind { kCondition, kAnd, kOr, kNot };
  Kind kind = Kind::kCondition;
  FilterCondition condition;               // kCondition
  std::vector<FilterExpression> children;  // kAnd, kOr: two or more; kNot: exactly one
};

}  // namespace afori::searchd

// Meilisearch filter syntax: the `filter` parameter of the Meilisearch-compatible API
// (docs/meilisearch-compat.md), parsed into a FilterExpression.
//
// Meilisearch clients (instant-meilisearch, the SDKs) send filters such as
// `"themes"="cirkulär ekonomi" AND (type = call OR amount_max_sek >= 1e6)`, or arrays of such
// strings. This module only parses: which attributes and operators the index can answer is
// decided when the tree becomes a query (ExpressionQuery() in searchd/filters.h), so the
// parser accepts every Meilisearch 1.x condition, including IS NULL, IS EMPTY and the geo
// functions, and refuses only what it cannot even represent (CONTAINS, STARTS WITH).
//
// Errors are Status::InvalidArgument with a message that starts with "filter: " and names
// the 1-based column (in UTF-8 characters, not bytes) of the problem, fit to show to the
// client; it is valid UTF-8 even when the filter is not (quoted input bytes become U+FFFD).
// Nesting of parentheses and NOT is bounded (kMaxMeiliFilterDepth), so no input can exhaust
// the stack; the input's length is the caller's to bound.
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "common/status.h"
#include "searchd/filter_expression.h"

namespace afori::searchd {

// How many parentheses and NOTs may enclose one another.
inline constexpr int kMaxMeiliFilterDepth = 64;

// The filter string of a Meilisearch search request, as one expression.
//
// Grammar (keywords are case-insensitive, precedence NOT > AND > OR):
//   a = v, a != v, a > v, a >= v, a < v, a <= v, a v1 TO v2, a IN [v, ...], a NOT IN [...],
//   a EXISTS, a NOT EXISTS, a IS [NOT] NULL, a IS [NOT] EMPTY,
//   _geoRadius(lat, lng, distance), _geoBoundingBox([lat, lng], [lat, lng]),
//   _geoPolygon([lat, lng], [lat, lng], [lat, lng], ...).
// Attributes and values are bare words (no whitespace and none of =!<>()[],"') or single-
// or double-quoted strings, in which \" \' and \\ stand for the character itself (any other
// backslash is kept). Bare AND, OR, NOT and TO cannot be values; quote them.
//
// The negated forms become kNot around the positive condition. A geo function becomes a
// kGeo condition whose attribute is the function name and whose values are its arguments
// in order, points flattened. AND and OR nodes have at least two children, and no child of
// an AND is an AND (likewise OR). An empty or all-whitespace filter is an error here (see
// MeiliFilterFromJson for "no filter").
Result<FilterExpression> ParseMeiliFilter(std::string_view text);

// The `filter` parameter as JSON: a string, or an array whose elements are strings or arrays
// of strings (outer array AND, inner array OR), as InstantSearch sends it. nullopt for null,
// an empty string, or an empty array (no filter).
//
// Empty or all-whitespace strings are no filter wherever they appear: ["", "a = 1"] is
// "a = 1", and [[""], []] is nullopt. Anything else (numbers, objects, arrays nested
// deeper) is an InvalidArgument naming the 1-based element; a syntax error inside an
// element names the element too ("filter: element 2: ...").
Result<std::optional<FilterExpression>> MeiliFilterFromJson(const nlohmann::json& filter);

}  // namespace afori::searchd

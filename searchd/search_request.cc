#include "searchd/search_request.h"

#include <algorithm>
#include <array>
#include <chrono>

#include "common/schema.h"

namespace afori::searchd {
namespace {

constexpr std::array<std::pair<SortOrder, std::string_view>, 4> kSortNames = {{
    {SortOrder::kRelevance, "relevance"},
    {SortOrder::kNewest, "newest"},
    {SortOrder::kDeadline, "deadline"},
    {SortOrder::kTitle, "title"},
}};

bool IsFieldName(std::string_view name) {
  return !name.empty() && name.size() <= 64 &&
         std::all_of(name.begin(), name.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
}

Status CheckValue(const schema::FacetField& facet, const std::string& value) {
  const std::string where = "parameter '" + std::string(facet.name) + "'";
  if (value.find_first_not_of(" \t") == std::string::npos) {
    return Status::InvalidArgument(where + " has an empty value");
  }
  if (facet.name == "type" && value != "guide" && value != "case" && value != "funding") {
    return Status::InvalidArgument(where + " must be guide, case or funding, got \"" + value + "\"");
  }
  if (facet.name == "status" && value != schema::kStatusOpen && value != schema::kStatusClosed) {
    return Status::InvalidArgument(where + " must be open or closed, got \"" + value + "\"");
  }
  if (facet.name == "year" &&
      (value.size() != 4 || !std::all_of(value.begin(), value.end(), ::isdigit))) {
    return Status::InvalidArgument(where + " must be a year of four digits, got \"" + value + "\"");
  }
  if (facet.name == "amount") {
    bool known = false;
    std::string keys;
    for (const schema::AmountBucket& b : schema::kAmountBuckets) {
      known = known || b.key == value;
      keys += (keys.empty() ? "" : ", ") + std::string(b.key);
    }
    if (!known) return Status::InvalidArgument(where + " must be one of " + keys + ", got \"" + value + "\"");
  }
  return Status::Ok();
}

Status CheckDateRange(const char* from_name, const std::optional<std::string>& from,
                      const char* to_name, const std::optional<std::string>& to) {
  for (const auto& [name, date] : {std::pair{from_name, &from}, std::pair{to_name, &to}}) {
    if (*date && !IsValidDate(**date)) {
      return Status::InvalidArgument(std::string("parameter '") + name +
                                     "' must be a date YYYY-MM-DD, got \"" + **date + "\"");
    }
  }
  if (from && to && *from > *to) {
    return Status::InvalidArgument(std::string("parameter '") + from_name + "' is after '" +
                                   to_name + "'");
  }
  return Status::Ok();
}

}  // namespace

std::string_view SortOrderName(SortOrder sort) {
  for (const auto& [order, name] : kSortNames) {
    if (order == sort) return name;
  }
  return "relevance";
}

std::optional<SortOrder> ParseSortOrder(std::string_view name) {
  for (const auto& [order, n] : kSortNames) {
    if (n == name) return order;
  }
  return std::nullopt;
}

const std::vector<std::string>& DefaultHitFields() {
  static const std::vector<std::string> fields = {
      "id", "type", "title", "title_html", "url", "summary", "snippet_html",
      "published", "deadline", "status", "score"};
  return fields;
}

bool IsValidDate(std::string_view date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (date[i] < '0' || date[i] > '9') return false;
  }
  const int y = std::stoi(std::string(date.substr(0, 4)));
  const unsigned m = static_cast<unsigned>(std::stoi(std::string(date.substr(5, 2))));
  const unsigned d = static_cast<unsigned>(std::stoi(std::string(date.substr(8, 2))));
  return std::chrono::year_month_day{std::chrono::year{y}, std::chrono::month{m},
                                     std::chrono::day{d}}.ok();
}

Status ValidateSearchRequest(const SearchRequest& request) {
  if (request.limit > kMaxLimit) {
    return Status::InvalidArgument("parameter 'limit' must be at most " +
                                   std::to_string(kMaxLimit));
  }
  if (request.offset > kMaxOffset) {
    return Status::InvalidArgument("parameter 'offset' must be at most " +
                                   std::to_string(kMaxOffset));
  }
  for (const FacetFilter& filter : request.filters) {
    const std::optional<schema::FacetField> facet = schema::FindFacet(filter.facet);
    if (!facet) return Status::InvalidArgument("unknown facet filter '" + filter.facet + "'");
    for (const std::string& value : filter.values) {
      if (Status s = CheckValue(*facet, value); !s.ok()) return s;
    }
  }
  if (Status s = CheckDateRange("published_from", request.published_from, "published_to",
                                request.published_to);
      !s.ok()) {
    return s;
  }
  if (Status s = CheckDateRange("deadline_from", request.deadline_from, "deadline_to",
                                request.deadline_to);
      !s.ok()) {
    return s;
  }
  if (request.amount_min && *request.amount_min < 0) {
    return Status::InvalidArgument("parameter 'amount_min' must not be negative");
  }
  if (request.amount_max && *request.amount_max < 0) {
    return Status::InvalidArgument("parameter 'amount_max' must not be negative");
  }
  if (request.amount_min && request.amount_max && *request.amount_min > *request.amount_max) {
    return Status::InvalidArgument("parameter 'amount_min' is above 'amount_max'");
  }
  if (request.facets) {
    for (const std::string& name : *request.facets) {
      if (!schema::FindFacet(name)) {
        return Status::InvalidArgument("parameter 'facets' names unknown facet '" + name + "'");
      }
    }
  }
  if (request.fields) {
    for (const std::string& name : *request.fields) {
      if (!IsFieldName(name)) {
        return Status::InvalidArgument("parameter 'fields' has an invalid field name '" + name +
                                       "' (lowercase letters and '_')");
      }
    }
  }
  if (!request.today.empty() && !IsValidDate(request.today)) {
    return Status::InvalidArgument("today must be a date YYYY-MM-DD, got \"" + request.today + "\"");
  }
  return Status::Ok();
}

}  // namespace afori::searchd

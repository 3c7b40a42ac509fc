#include "searchd/http_params.h"

#include <algorithm>
#include <charconv>
#include <set>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/schema.h"
#include "stemming/analysis_report.h"

namespace afori::searchd {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxPerPage = kMaxLimit;

// Parses a whole decimal number in [min, max]; anything else names the parameter.
Result<std::int64_t> ParseNumber(const std::string& name, const std::string& text,
                                 std::int64_t min, std::int64_t max) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || value < min || value > max) {
    return Status::InvalidArgument("parameter '" + name + "' must be a whole number from " +
                                   std::to_string(min) + " to " + std::to_string(max) +
                                   ", got \"" + text + "\"");
  }
  return value;
}

Result<bool> ParseFlag(const std::string& name, const std::string& value) {
  if (value != "0" && value != "1") {
    return Status::InvalidArgument("parameter '" + name + "' must be 0 or 1, got \"" + value + "\"");
  }
  return value == "1";
}

std::string Trim(std::string_view s) {
  std::size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  std::size_t e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

std::vector<std::string> CommaList(std::string_view rest) {
  std::vector<std::string> items;
  while (!rest.empty()) {
    std::size_t comma = rest.find(',');
    std::string item = Trim(rest.substr(0, comma));
    if (!item.empty()) items.push_back(std::move(item));
    rest.remove_prefix(comma == std::string_view::npos ? rest.size() : comma + 1);
  }
  return items;
}

Status CheckQuery(const std::string& name, const std::string& value, std::size_t max) {
  if (value.size() > max) {
    return Status::InvalidArgument("parameter '" + name + "' must be at most " +
                                   std::to_string(max) + " bytes long");
  }
  return Status::Ok();
}

// Options shared by search and facets: words and filters. Returns false if `name` is not one.
Result<bool> ApplyMatchingOption(const std::string& name, const std::string& value,
                                 SearchRequest* r) {
  if (schema::FindFacet(name)) {
    auto it = std::find_if(r->filters.begin(), r->filters.end(),
                           [&](const FacetFilter& f) { return f.facet == name; });
    if (it == r->filters.end()) {
      r->filters.push_back({name, {value}});
    } else {
      it->values.push_back(value);
    }
    return true;
  }
  if (name == "q") {
    if (Status s = CheckQuery(name, value, kMaxQueryBytes); !s.ok()) return s;
    r->query = value;
  } else if (name == "as_you_type") {
    Result<bool> flag = ParseFlag(name, value);
    if (!flag.ok()) return flag.status();
    r->as_you_type = *flag;
  } else if (name == "all_words") {
    Result<bool> flag = ParseFlag(name, value);
    if (!flag.ok()) return flag.status();
    r->require_all_words = *flag;
  } else if (name == "published_from") {
    r->published_from = value;
  } else if (name == "published_to") {
    r->published_to = value;
  } else if (name == "deadline_from") {
    r->deadline_from = value;
  } else if (name == "deadline_to") {
    r->deadline_to = value;
  } else if (name == "amount_min" || name == "amount_max") {
    Result<std::int64_t> n = ParseNumber(name, value, 0, 1'000'000'000'000'000LL);
    if (!n.ok()) return n.status();
    (name == "amount_min" ? r->amount_min : r->amount_max) = *n;
  } else {
    return false;
  }
  return true;
}

Result<SearchRequest> ParseSearchParams(const std::vector<std::pair<std::string, std::string>>& params) {
  SearchRequest request;
  std::set<std::string> seen;
  std::optional<std::int64_t> page, per_page;
  bool offset_style = false;
  for (const auto& [name, value] : params) {
    const bool repeated = !seen.insert(name).second;
    if (repeated && !schema::FindFacet(name)) {
      return Status::InvalidArgument("parameter '" + name + "' may be given only once");
    }
    Result<bool> applied = ApplyMatchingOption(name, value, &request);
    if (!applied.ok()) return applied.status();
    if (*applied) continue;
    if (name == "limit" || name == "offset") {
      offset_style = true;
      Result<std::int64_t> n = ParseNumber(name, value, 0, name == "limit" ? kMaxLimit : kMaxOffset);
      if (!n.ok()) return n.status();
      (name == "limit" ? request.limit : request.offset) = static_cast<std::size_t>(*n);
    } else if (name == "page") {
      Result<std::int64_t> n = ParseNumber(name, value, 1, kMaxOffset + 1);
      if (!n.ok()) return n.status();
      page = *n;
    } else if (name == "per_page") {
      Result<std::int64_t> n = ParseNumber(name, value, 1, kMaxPerPage);
      if (!n.ok()) return n.status();
      per_page = *n;
    } else if (name == "sort") {
      std::optional<SortOrder> sort = ParseSortOrder(value);
      if (!sort) {
        return Status::InvalidArgument(
            "parameter 'sort' must be relevance, newest, deadline or title, got \"" + value + "\"");
      }
      request.sort = *sort;
    } else if (name == "facets") {
      request.facets = CommaList(value);
    } else if (name == "fields") {
      request.fields = CommaList(value);
    } else if (name == "explain") {
      Result<bool> flag = ParseFlag(name, value);
      if (!flag.ok()) return flag.status();
      request.explain = *flag;
    } else if (name == "partial") {
      Result<bool> flag = ParseFlag(name, value);
      if (!flag.ok()) return flag.status();
      request.allow_partial = *flag;
    } else {
      return Status::InvalidArgument("unknown parameter '" + name + "'");
    }
  }
  if (page || per_page) {
    if (offset_style) {
      return Status::InvalidArgument(
          "parameters 'page'/'per_page' cannot be combined with 'limit'/'offset'");
    }
    const std::int64_t size = per_page.value_or(static_cast<std::int64_t>(kDefaultLimit));
    const std::int64_t offset = (page.value_or(1) - 1) * size;
    if (offset > static_cast<std::int64_t>(kMaxOffset)) {
      return Status::InvalidArgument("parameter 'page' must be at most " +
                                     std::to_string(kMaxOffset / size + 1) + " with per_page " +
                                     std::to_string(size) + " (offset at most " +
                                     std::to_string(kMaxOffset) + ")");
    }
    request.limit = static_cast<std::size_t>(size);
    request.offset = static_cast<std::size_t>(offset);
  }
  if (Status s = ValidateSearchRequest(request); !s.ok()) return s;
  return request;
}

std::vector<std::pair<std::string, std::string>> AsPairs(const httplib::Params& params) {
  return {params.begin(), params.end()};
}

// One JSON value as the text a query parameter would carry.
Result<std::string> ScalarText(const std::string& key, const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return std::string(v.get<bool>() ? "1" : "0");
  if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
  if (v.is_number_unsigned()) return std::to_string(v.get<std::uint64_t>());
  return Status::InvalidArgument("field '" + key + "' must be a string, a whole number or a boolean");
}

}  // namespace

Result<SearchRequest> ParseSearchRequest(const httplib::Params& params) {
  return ParseSearchParams(AsPairs(params));
}

Result<SearchRequest> ParseSearchBody(const std::string& body) {
  const json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::InvalidArgument("the request body is not valid JSON");
  if (!doc.is_object()) return Status::InvalidArgument("the request body must be a JSON object");
  std::vector<std::pair<std::string, std::string>> params;
  for (const auto& [key, value] : doc.items()) {
    if (key == "filters") {
      if (!value.is_object()) return Status::InvalidArgument("field 'filters' must be an object");
      for (const auto& [facet, values] : value.items()) {
        if (!schema::FindFacet(facet)) {
          return Status::InvalidArgument("field 'filters' names unknown facet '" + facet + "'");
        }
        if (!values.is_array()) {
          return Status::InvalidArgument("field 'filters." + facet + "' must be an array of strings");
        }
        for (const json& v : values) {
          if (!v.is_string()) {
            return Status::InvalidArgument("field 'filters." + facet + "' must be an array of strings");
          }
          params.emplace_back(facet, v.get<std::string>());
        }
      }
    } else if (key == "facets" || key == "fields") {
      if (!value.is_array()) return Status::InvalidArgument("field '" + key + "' must be an array of strings");
      std::string joined;
      for (const json& v : value) {
        if (!v.is_string() || v.get<std::string>().find(',') != std::string::npos) {
          return Status::InvalidArgument("field '" + key + "' must be an array of names");
        }
        joined += (joined.empty() ? "" : ",") + v.get<std::string>();
      }
      params.emplace_back(key, joined);
    } else if (schema::FindFacet(key)) {
      return Status::InvalidArgument("field '" + key + "' belongs under 'filters'");
    } else {
      Result<std::string> text = ScalarText(key, value);
      if (!text.ok()) return text.status();
      params.emplace_back(key, *text);
    }
  }
  Result<SearchRequest> request = ParseSearchParams(params);
  if (!request.ok() && request.status().message().starts_with("unknown parameter")) {
    return Status::InvalidArgument("unknown field" + request.status().message().substr(17));
  }
  return request;
}

Result<FacetsRequest> ParseFacetsRequest(const httplib::Params& params) {
  FacetsRequest request;
  std::set<std::string> seen;
  for (const auto& [name, value] : params) {
    if (!seen.insert(name).second && !schema::FindFacet(name)) {
      return Status::InvalidArgument("parameter '" + name + "' may be given only once");
    }
    Result<bool> applied = ApplyMatchingOption(name, value, &request.search);
    if (!applied.ok()) return applied.status();
    if (*applied) continue;
    if (name == "facet") {
      request.facet = value;
    } else if (name == "facet_query") {
      if (Status s = CheckQuery(name, value, kMaxSuggestBytes); !s.ok()) return s;
      request.facet_query = value;
    } else {
      return Status::InvalidArgument("unknown parameter '" + name + "'");
    }
  }
  if (Status s = ValidateSearchRequest(request.search); !s.ok()) return s;
  return request;
}

Result<SuggestRequest> ParseSuggestRequest(const httplib::Params& params) {
  SuggestRequest request;
  std::set<std::string> seen;
  for (const auto& [name, value] : params) {
    if (!seen.insert(name).second) {
      return Status::InvalidArgument("parameter '" + name + "' may be given only once");
    }
    if (name == "q") {
      if (Status s = CheckQuery(name, value, kMaxSuggestBytes); !s.ok()) return s;
      request.query = value;
    } else if (name == "limit") {
      Result<std::int64_t> n = ParseNumber(name, value, 1, kMaxSuggestions);
      if (!n.ok()) return n.status();
      request.limit = static_cast<std::size_t>(*n);
    } else {
      return Status::InvalidArgument("unknown parameter '" + name + "'");
    }
  }
  if (!seen.count("q")) return Status::InvalidArgument("parameter 'q' is required");
  return request;
}

Result<AnalyzeRequest> ParseAnalyzeRequest(const httplib::Params& params) {
  AnalyzeRequest request;
  std::set<std::string> seen;
  for (const auto& [name, value] : params) {
    if (!seen.insert(name).second) {
      return Status::InvalidArgument("parameter '" + name + "' may be given only once");
    }
    if (name == "text") {
      if (Status s = CheckQuery(name, value, kMaxQueryBytes); !s.ok()) return s;
      request.text = value;
    } else if (name == "field") {
      if (!stemming::IsAnalysisField(value)) {
        return Status::InvalidArgument(
            "parameter 'field' must be one of title, summary, body, query; got \"" + value + "\"");
      }
      request.field = value;
    } else {
      return Status::InvalidArgument("unknown parameter '" + name + "'");
    }
  }
  if (!seen.count("text")) return Status::InvalidArgument("parameter 'text' is required");
  return request;
}

}  // namespace afori::searchd

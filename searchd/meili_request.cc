#include "searchd/meili_request.h"

#include <algorithm>
#include <charconv>
#include <map>

#include "searchd/http_params.h"
#include "searchd/meili_filter.h"

namespace afori::searchd {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// Meilisearch attribute -> the core's facet name; amount_max_sek is numeric (facetStats).
constexpr std::pair<std::string_view, std::string_view> kFacetNames[] = {
    {"type", "type"},     {"themes", "theme"}, {"region", "region"},
    {"organisations", "organisation"},         {"funder", "funder"},
    {"status", "status"}, {"year", "year"},
};
constexpr std::string_view kAmountAttribute = "amount_max_sek";

std::optional<std::string_view> CoreFacet(std::string_view attribute) {
  for (const auto& [meili, core] : kFacetNames) {
    if (meili == attribute) return core;
  }
  return std::nullopt;
}

std::string_view MeiliFacet(std::string_view core) {
  for (const auto& [meili, name] : kFacetNames) {
    if (name == core) return meili;
  }
  return core;
}

// "hitsPerPage" -> "hits_per_page", for the invalid_search_* codes.
std::string Snake(std::string_view camel) {
  std::string out;
  for (char c : camel) {
    if (c >= 'A' && c <= 'Z') {
      out.push_back('_');
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

MeiliError Invalid(std::string_view parameter, std::string message) {
  return {400, "invalid_search_" + Snake(parameter), std::move(message)};
}

MeiliError WrongType(std::string_view parameter, std::string_view expected, const json& got) {
  return Invalid(parameter, "Invalid value type at `." + std::string(parameter) +
                                "`: expected " + std::string(expected) + ", but found " +
                                std::string(got.type_name()) + ": `" + got.dump() + "`");
}

std::optional<MeiliError> ReadCount(const json& v, std::string_view key, std::size_t* out) {
  if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<std::int64_t>() >= 0)) {
    return WrongType(key, "a positive integer", v);
  }
  *out = static_cast<std::size_t>(std::min<std::uint64_t>(v.get<std::uint64_t>(), 1u << 30));
  return std::nullopt;
}

std::optional<MeiliError> ReadStrings(const json& v, std::string_view key,
                                      std::vector<std::string>* out) {
  if (v.is_null()) return std::nullopt;
  if (!v.is_array()) return WrongType(key, "an array", v);
  for (const json& e : v) {
    if (!e.is_string()) return WrongType(key, "an array of strings", v);
    out->push_back(e.get<std::string>());
  }
  return std::nullopt;
}

std::optional<MeiliError> ReadSort(const std::vector<std::string>& rules, SearchRequest* r) {
  if (rules.empty()) return std::nullopt;
  if (rules.size() > 1) {
    return Invalid("sort", "Only one sort rule is supported here, got " +
                               std::to_string(rules.size()));
  }
  static const std::map<std::string, SortOrder, std::less<>> kSorts = {
      {"published:desc", SortOrder::kNewest},
      {"deadline:asc", SortOrder::kDeadline},
      {"title:asc", SortOrder::kTitle}};
  auto it = kSorts.find(rules.front());
  if (it == kSorts.end()) {
    return Invalid("sort", "Sort rule `" + rules.front() +
                               "` is not supported; use `published:desc`, `deadline:asc` or "
                               "`title:asc`");
  }
  r->sort = it->second;
  return std::nullopt;
}

std::optional<MeiliError> ReadFacets(const std::vector<std::string>& names, MeiliSearch* out) {
  std::vector<std::string> core;
  for (const std::string& name : names) {
    if (name == "*") {
      out->facets = MeiliFacetAttributes();
      return ReadFacets(out->facets, out);
    }
    if (name == kAmountAttribute) {
      out->request.amount_stats = true;
    } else if (std::optional<std::string_view> c = CoreFacet(name)) {
      core.emplace_back(*c);
    } else {
      std::string all;
      for (const std::string& a : MeiliFacetAttributes()) all += (all.empty() ? "`" : ", `") + a + "`";
      return Invalid("facets", "Attribute `" + name + "` cannot be used as a facet; facets are " + all);
    }
  }
  out->facets = names;
  out->request.facets = std::move(core);
  return std::nullopt;
}

// "attr" or "attr:N".
std::optional<MeiliError> ReadCrop(const std::vector<std::string>& entries, std::size_t length,
                                   HitFormatting* f) {
  for (const std::string& e : entries) {
    const std::size_t colon = e.rfind(':');
    std::size_t words = length;
    if (colon != std::string::npos) {
      const char* begin = e.data() + colon + 1;
      const char* end = e.data() + e.size();
      auto [ptr, ec] = std::from_chars(begin, end, words);
      if (ec != std::errc() || ptr != end || begin == end) {
        return Invalid("attributesToCrop", "`" + e + "` must be `attribute` or `attribute:words`");
      }
    }
    f->crop.push_back({e.substr(0, colon), words});
  }
  return std::nullopt;
}

const std::vector<std::string_view>& SearchKeys() {
  static const std::vector<std::string_view> keys = {
      "q", "offset", "limit", "page", "hitsPerPage", "filter", "facets", "attributesToRetrieve",
      "attributesToHighlight", "highlightPreTag", "highlightPostTag", "attributesToCrop",
      "cropLength", "cropMarker", "sort", "showRankingScore", "matchingStrategy"};
  return keys;
}

std::optional<MeiliError> UnknownKey(std::string_view key, bool multi) {
  std::string expected;
  for (std::string_view k : SearchKeys()) expected += (expected.empty() ? "`" : ", `") + std::string(k) + "`";
  std::string message = "Unknown field `" + std::string(key) + "`: expected one of " + expected;
  if (!multi) return MeiliError{400, "bad_request", message};
  return MeiliError{400, "bad_request", message + ", `indexUid`"};
}

}  // namespace

ordered_json MeiliErrorJson(const MeiliError& e) {
  return {{"message", e.message},
          {"code", e.code},
          {"type", e.type},
          {"link", "https://docs.meilisearch.com/errors#" + e.code}};
}

const std::vector<std::string>& MeiliFacetAttributes() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& [meili, core] : kFacetNames) out.emplace_back(meili);
    out.emplace_back(kAmountAttribute);
    return out;
  }();
  return names;
}

std::optional<MeiliError> ParseMeiliSearch(const json& body, bool multi, MeiliSearch* out) {
  if (!body.is_object()) return MeiliError{400, "bad_request", "The search body must be a JSON object"};
  SearchRequest& r = out->request;
  r.limit = kMeiliDefaultLimit;
  HitFormatting formatting;
  std::size_t crop_length = kMeiliDefaultCropLength;
  std::vector<std::string> crop, highlight;
  std::optional<std::size_t> page, hits_per_page;
  for (const auto& [key, v] : body.items()) {
    std::optional<MeiliError> error;
    if (key == "indexUid" && multi) {
      if (!v.is_string()) return MeiliError{400, "invalid_index_uid", "`indexUid` must be a string"};
      out->index_uid = v.get<std::string>();
    } else if (key == "q") {
      if (v.is_null()) continue;
      if (!v.is_string()) return WrongType(key, "a string", v);
      r.query = v.get<std::string>();
      if (r.query.size() > kMaxQueryBytes) {
        return Invalid(key, "The query is longer than " + std::to_string(kMaxQueryBytes) + " bytes");
      }
      // Like Meilisearch, the last word is also a prefix unless a space ends the query:
      // InstantSearch searches at every keystroke.
      r.as_you_type = !r.query.empty() && r.query.back() != ' ';
    } else if (key == "offset") {
      error = ReadCount(v, key, &out->offset);
    } else if (key == "limit") {
      error = ReadCount(v, key, &out->limit);
    } else if (key == "page") {
      page.emplace();
      error = ReadCount(v, key, &*page);
    } else if (key == "hitsPerPage") {
      hits_per_page.emplace();
      error = ReadCount(v, key, &*hits_per_page);
    } else if (key == "filter") {
      Result<std::optional<FilterExpression>> f = MeiliFilterFromJson(v);
      if (!f.ok()) return Invalid(key, f.status().message());
      r.filter_expression = std::move(*f);
    } else if (key == "facets") {
      std::vector<std::string> names;
      if (!(error = ReadStrings(v, key, &names))) error = ReadFacets(names, out);
    } else if (key == "attributesToRetrieve") {
      if (v.is_null()) continue;
      out->attributes_to_retrieve.emplace();
      error = ReadStrings(v, key, &*out->attributes_to_retrieve);
      if (std::count(out->attributes_to_retrieve->begin(), out->attributes_to_retrieve->end(), "*")) {
        out->attributes_to_retrieve.reset();
      }
    } else if (key == "attributesToHighlight") {
      error = ReadStrings(v, key, &highlight);
    } else if (key == "attributesToCrop") {
      error = ReadStrings(v, key, &crop);
    } else if (key == "highlightPreTag" || key == "highlightPostTag" || key == "cropMarker") {
      if (!v.is_string()) return WrongType(key, "a string", v);
      std::string& target = key == "highlightPreTag"    ? formatting.style.pre_tag
                            : key == "highlightPostTag" ? formatting.style.post_tag
                                                        : formatting.style.crop_marker;
      target = v.get<std::string>();
    } else if (key == "cropLength") {
      error = ReadCount(v, key, &crop_length);
    } else if (key == "sort") {
      std::vector<std::string> rules;
      if (!(error = ReadStrings(v, key, &rules))) error = ReadSort(rules, &r);
    } else if (key == "showRankingScore") {
      if (!v.is_boolean()) return WrongType(key, "a boolean", v);
      out->show_ranking_score = v.get<bool>();
    } else if (key == "matchingStrategy") {
      if (v != "last" && v != "all") {
        return Invalid(key, "Unknown value `" + (v.is_string() ? v.get<std::string>() : v.dump()) +
                                "` at `.matchingStrategy`: expected one of `last`, `all`");
      }
      r.require_all_words = v == "all";
    } else {
      return UnknownKey(key, multi);
    }
    if (error) return error;
  }
  if (multi && out->index_uid.empty()) {
    return MeiliError{400, "missing_index_uid", "Missing field `indexUid` in a multi-search query"};
  }
  if (page || hits_per_page) {
    out->paged = true;
    out->page = page.value_or(1);
    out->hits_per_page = hits_per_page.value_or(kMeiliDefaultLimit);
    out->offset = out->page == 0 ? 0 : (out->page - 1) * out->hits_per_page;
    out->limit = out->page == 0 ? 0 : out->hits_per_page;
  }
  // The core answers at most kMaxLimit hits from at most kMaxOffset (docs/meilisearch-compat.md).
  r.offset = std::min(out->offset, kMaxOffset);
  r.limit = out->offset > kMaxOffset ? 0 : std::min(out->limit, kMaxLimit);
  if (!highlight.empty() || !crop.empty()) {
    formatting.highlight = std::move(highlight);
    if (std::optional<MeiliError> e = ReadCrop(crop, crop_length, &formatting)) return e;
    r.formatting = std::move(formatting);
  }
  if (!r.facets) r.facets = std::vector<std::string>{};  // count nothing unless asked
  return std::nullopt;
}

std::optional<MeiliError> ParseMeiliSearchParams(
    const std::vector<std::pair<std::string, std::string>>& params, MeiliSearch* out) {
  // The GET form carries the same options as strings; rebuild the body and share its parser.
  json body = json::object();
  auto list = [](const std::string& s) {
    json a = json::array();
    std::size_t start = 0;
    while (start <= s.size()) {
      std::size_t comma = s.find(',', start);
      if (comma == std::string::npos) comma = s.size();
      std::string item = s.substr(start, comma - start);
      item.erase(0, item.find_first_not_of(' '));
      item.erase(item.find_last_not_of(' ') + 1);
      if (!item.empty()) a.push_back(item);
      start = comma + 1;
    }
    return a;
  };
  for (const auto& [key, value] : params) {
    if (body.contains(key)) return MeiliError{400, "bad_request", "Parameter `" + key + "` is given twice"};
    if (key == "offset" || key == "limit" || key == "page" || key == "hitsPerPage" ||
        key == "cropLength") {
      std::size_t n = 0;
      const char* end = value.data() + value.size();
      auto [ptr, ec] = std::from_chars(value.data(), end, n);
      if (value.empty() || ec != std::errc() || ptr != end) {
        return Invalid(key, "Invalid value in parameter `" + key + "`: could not parse `" + value +
                                "` as a positive integer");
      }
      body[key] = n;
    } else if (key == "showRankingScore") {
      if (value != "true" && value != "false") {
        return Invalid(key, "Invalid value in parameter `showRankingScore`: expected `true` or `false`");
      }
      body[key] = value == "true";
    } else if (key == "facets" || key == "attributesToRetrieve" || key == "attributesToHighlight" ||
               key == "attributesToCrop" || key == "sort") {
      body[key] = list(value);
    } else {
      body[key] = value;
    }
  }
  return ParseMeiliSearch(body, false, out);
}

MeiliError MeiliErrorFromStatus(const Status& status) {
  const std::string& m = status.message();
  switch (status.code()) {
    case ErrorCode::kInvalidArgument:
      if (m.rfind("filter: ", 0) == 0) return {400, "invalid_search_filter", m};
      return {400, "bad_request", m};
    case ErrorCode::kUnavailable: return {503, "unavailable", m, "system"};
    default: return {500, "internal", m, "internal"};
  }
}

ordered_json MeiliSearchResponseJson(const MeiliSearch& s, const SearchResponse& response) {
  ordered_json hits = ordered_json::array();
  for (const SearchHit& hit : response.hits) {
    ordered_json h = ordered_json::object();
    for (const auto& [key, value] : hit.stored.items()) {
      const auto& wanted = s.attributes_to_retrieve;
      if (!wanted || std::count(wanted->begin(), wanted->end(), key)) h[key] = value;
    }
    if (s.request.formatting) {
      ordered_json formatted = h;
      for (const auto& [key, value] : hit.formatted.items()) {
        if (formatted.contains(key)) formatted[key] = value;
      }
      h["_formatted"] = std::move(formatted);
    }
    if (s.show_ranking_score) {
      const double score = response.max_score > 0 ? hit.score / response.max_score : 1.0;
      h["_rankingScore"] = std::clamp(score, 0.0, 1.0);
    }
    hits.push_back(std::move(h));
  }
  ordered_json out = {{"hits", std::move(hits)}, {"query", response.query},
                      {"processingTimeMs", static_cast<std::int64_t>(response.took_ms)}};
  if (s.paged) {
    const std::uint64_t per = s.hits_per_page;
    out["hitsPerPage"] = per;
    out["page"] = s.page;
    out["totalPages"] = per == 0 ? 0 : (response.total + per - 1) / per;
    out["totalHits"] = response.total;
  } else {
    out["limit"] = s.limit;
    out["offset"] = s.offset;
    out["estimatedTotalHits"] = response.total;
  }
  if (!s.facets.empty()) {
    ordered_json distribution = ordered_json::object();
    for (const FacetCounts& facet : response.facets) {
      std::vector<FacetValueCount> values = facet.values;  // most frequent first
      if (values.size() > kMeiliMaxValuesPerFacet) values.resize(kMeiliMaxValuesPerFacet);
      std::sort(values.begin(), values.end(),
                [](const FacetValueCount& a, const FacetValueCount& b) { return a.value < b.value; });
      ordered_json counts = ordered_json::object();
      for (const FacetValueCount& v : values) counts[v.value] = v.count;
      distribution[std::string(MeiliFacet(facet.name))] = std::move(counts);
    }
    ordered_json stats = ordered_json::object();
    if (response.amounts) {
      ordered_json counts = ordered_json::object();
      std::size_t n = 0;
      for (const auto& [amount, count] : response.amounts->counts) {
        if (n++ == kMeiliMaxValuesPerFacet) break;
        counts[std::to_string(amount)] = count;
      }
      distribution[std::string(kAmountAttribute)] = std::move(counts);
      if (response.amounts->documents > 0) {
        stats[std::string(kAmountAttribute)] = {{"min", response.amounts->min},
                                                {"max", response.amounts->max}};
      }
    }
    out["facetDistribution"] = std::move(distribution);
    out["facetStats"] = std::move(stats);
  }
  return out;
}

std::optional<MeiliError> ParseMeiliFacetSearch(const json& body, MeiliFacetSearch* out) {
  if (!body.is_object()) return MeiliError{400, "bad_request", "The facet-search body must be a JSON object"};
  SearchRequest& r = out->request.search;
  // instant-meilisearch sends its whole search context along; as in Meilisearch, the search
  // parameters that do not change facet hits are accepted (and type-checked) but unused.
  json unused = json::object();
  for (const auto& [key, v] : body.items()) {
    if (key != "q" && key != "filter" && key != "matchingStrategy" &&
        std::count(SearchKeys().begin(), SearchKeys().end(), key)) {
      unused[key] = v;
      continue;
    }
    if (key == "facetName") {
      if (!v.is_string()) return MeiliError{400, "invalid_facet_search_facet_name", "`facetName` must be a string"};
      out->facet_name = v.get<std::string>();
    } else if (key == "facetQuery") {
      if (v.is_null()) continue;
      if (!v.is_string()) return MeiliError{400, "invalid_facet_search_facet_query", "`facetQuery` must be a string"};
      out->request.facet_query = v.get<std::string>();
    } else if (key == "q") {
      if (v.is_null()) continue;
      if (!v.is_string()) return WrongType(key, "a string", v);
      r.query = v.get<std::string>();
    } else if (key == "filter") {
      Result<std::optional<FilterExpression>> f = MeiliFilterFromJson(v);
      if (!f.ok()) return Invalid(key, f.status().message());
      r.filter_expression = std::move(*f);
    } else if (key == "matchingStrategy") {
      if (v != "last" && v != "all") return Invalid(key, "expected one of `last`, `all`");
      r.require_all_words = v == "all";
    } else {
      return MeiliError{400, "bad_request",
                        "Unknown field `" + key + "`: expected `facetName`, `facetQuery` or a "
                        "search parameter"};
    }
  }
  MeiliSearch checked;
  if (std::optional<MeiliError> e = ParseMeiliSearch(unused, false, &checked)) return e;
  std::optional<std::string_view> core = CoreFacet(out->facet_name);
  if (!core) {
    return MeiliError{400, "invalid_facet_search_facet_name",
                      "Attribute `" + out->facet_name + "` is not facet-searchable; use one of "
                      "`type`, `themes`, `region`, `organisations`, `funder`, `status`, `year`"};
  }
  out->request.facet = std::string(*core);
  if (out->request.facet_query && out->request.facet_query->size() > kMaxQueryBytes) {
    return MeiliError{400, "invalid_facet_search_facet_query", "`facetQuery` is too long"};
  }
  return std::nullopt;
}

ordered_json MeiliFacetSearchResponseJson(const MeiliFacetSearch& search,
                                          const FacetsResponse& response) {
  ordered_json hits = ordered_json::array();
  for (const FacetCounts& facet : response.facets) {
    std::size_t n = 0;
    for (const FacetValueCount& v : facet.values) {
      if (n++ == kMeiliMaxValuesPerFacet) break;
      hits.push_back({{"value", v.value}, {"count", v.count}});
    }
  }
  return {{"facetHits", std::move(hits)},
          {"facetQuery", search.request.facet_query ? ordered_json(*search.request.facet_query)
                                                    : ordered_json(nullptr)},
          {"processingTimeMs", static_cast<std::int64_t>(response.took_ms)}};
}

}  // namespace afori::searchd

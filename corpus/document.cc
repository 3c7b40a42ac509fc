#include "corpus/document.h"

#include <algorithm>
#include <chrono>

namespace afori::corpus {
namespace {

using nlohmann::json;

// Facet values become Xapian terms (at most 245 bytes with their prefix) and are shown in
// filter UIs, so they are kept short and free of control characters.
constexpr std::size_t kMaxFacetValueBytes = 200;

bool HasControlChar(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20) return true;
  }
  return false;
}

bool IsBlank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// Reads the fields one by one; the first problem found is the one reported.
class FieldReader {
 public:
  explicit FieldReader(const json& object) : object_(object) {}

  const Status& status() const { return status_; }

  // Present and not null.
  bool Has(std::string_view name) const {
    auto it = object_.find(name);
    return it != object_.end() && !it->is_null();
  }

  std::optional<std::string> String(std::string_view name, bool required) {
    if (!status_.ok()) return std::nullopt;
    if (!Has(name)) {
      if (required) Fail("missing required field '" + std::string(name) + "'");
      return std::nullopt;
    }
    const json& v = object_.at(std::string(name));
    if (!v.is_string()) {
      Fail("field '" + std::string(name) + "' must be a string, got " + v.type_name());
      return std::nullopt;
    }
    std::string s = v.get<std::string>();
    if (required && IsBlank(s)) {
      Fail("field '" + std::string(name) + "' must not be empty");
      return std::nullopt;
    }
    return s;
  }

  std::optional<std::string> FacetValue(std::string_view name) {
    std::optional<std::string> s = String(name, /*required=*/false);
    if (s && !CheckFacetValue(name, *s)) return std::nullopt;
    return s;
  }

  std::optional<std::string> Date(std::string_view name) {
    std::optional<std::string> s = String(name, /*required=*/false);
    if (s && !IsValidDate(*s)) {
      Fail("field '" + std::string(name) + "' must be a date YYYY-MM-DD, got \"" + *s + "\"");
      return std::nullopt;
    }
    return s;
  }

  std::vector<std::string> FacetList(std::string_view name) {
    std::vector<std::string> out;
    if (!status_.ok() || !Has(name)) return out;
    const json& v = object_.at(std::string(name));
    if (!v.is_array()) {
      Fail("field '" + std::string(name) + "' must be a list of strings, got " + v.type_name());
      return out;
    }
    for (const json& item : v) {
      if (!item.is_string()) {
        Fail("field '" + std::string(name) + "' must be a list of strings, found " +
             item.type_name());
        return {};
      }
      std::string s = item.get<std::string>();
      if (!CheckFacetValue(name, s)) return {};
      // A repeated value would be counted twice by the facet counter.
      if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(std::move(s));
    }
    return out;
  }

  std::optional<std::int64_t> NonNegativeInteger(std::string_view name) {
    if (!status_.ok() || !Has(name)) return std::nullopt;
    const json& v = object_.at(std::string(name));
    if (v.is_number_unsigned()) {
      auto u = v.get<std::uint64_t>();
      if (u <= static_cast<std::uint64_t>(INT64_MAX)) return static_cast<std::int64_t>(u);
    } else if (v.is_number_integer() && v.get<std::int64_t>() >= 0) {
      return v.get<std::int64_t>();
    }
    Fail("field '" + std::string(name) + "' must be an integer >= 0, got " + v.dump());
    return std::nullopt;
  }

  void Fail(std::string message) {
    if (status_.ok()) status_ = Status::InvalidDocument(std::move(message));
  }

 private:
  bool CheckFacetValue(std::string_view name, const std::string& s) {
    if (IsBlank(s)) {
      Fail("field '" + std::string(name) + "' has an empty value");
      return false;
    }
    if (s.size() > kMaxFacetValueBytes || HasControlChar(s)) {
      Fail("field '" + std::string(name) + "' has a value longer than " +
           std::to_string(kMaxFacetValueBytes) + " bytes or with control characters");
      return false;
    }
    return true;
  }

  const json& object_;
  Status status_;
};

}  // namespace

std::string_view DocTypeName(DocType type) {
  switch (type) {
    case DocType::kGuide: return "guide";
    case DocType::kCase: return "case";
    case DocType::kFunding: return "funding";
  }
  return "guide";
}

bool IsValidId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  auto ok = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!ok(id[0])) return false;
  for (char c : id) {
    if (!ok(c) && c != '-') return false;
  }
  return true;
}

bool IsValidDate(std::string_view date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (date[i] < '0' || date[i] > '9') return false;
  }
  auto num = [&](std::size_t pos, std::size_t len) {
    int n = 0;
    for (std::size_t i = pos; i < pos + len; ++i) n = n * 10 + (date[i] - '0');
    return n;
  };
  std::chrono::year_month_day ymd{std::chrono::year(num(0, 4)),
                                  std::chrono::month(static_cast<unsigned>(num(5, 2))),
                                  std::chrono::day(static_cast<unsigned>(num(8, 2)))};
  return ymd.ok();
}

Result<Document> ParseDocument(const nlohmann::json& value) {
  if (!value.is_object()) {
    return Status::InvalidDocument(std::string("a document must be a JSON object, got ") +
                                   value.type_name());
  }
  FieldReader r(value);
  Document doc;

  std::optional<std::string> id = r.String("id", /*required=*/true);
  if (id && !IsValidId(*id)) {
    r.Fail("invalid id \"" + *id + "\": must match [a-z0-9][a-z0-9-]{0,127}");
  }
  std::optional<std::string> type = r.String("type", /*required=*/true);
  if (type) {
    if (*type == "guide") {
      doc.type = DocType::kGuide;
    } else if (*type == "case") {
      doc.type = DocType::kCase;
    } else if (*type == "funding") {
      doc.type = DocType::kFunding;
    } else {
      r.Fail("field 'type' must be one of guide, case, funding, got \"" + *type + "\"");
    }
  }
  std::optional<std::string> title = r.String("title", /*required=*/true);
  std::optional<std::string> body = r.String("body", /*required=*/true);
  doc.summary = r.String("summary", /*required=*/false);
  doc.url = r.String("url", /*required=*/false);
  doc.published = r.Date("published");
  doc.updated = r.Date("updated");
  doc.themes = r.FacetList("themes");
  doc.organisations = r.FacetList("organisations");
  doc.region = r.FacetValue("region");
  doc.tags = r.FacetList("tags");
  doc.funder = r.FacetValue("funder");
  doc.deadline = r.Date("deadline");
  doc.amount_max_sek = r.NonNegativeInteger("amount_max_sek");

  if (r.status().ok() && doc.type != DocType::kFunding) {
    for (std::string_view f : {"funder", "deadline", "amount_max_sek"}) {
      if (r.Has(f)) {
        r.Fail("field '" + std::string(f) + "' is only allowed for type funding");
        break;
      }
    }
  }
  if (!r.status().ok()) return r.status();

  doc.id = std::move(*id);
  doc.title = std::move(*title);
  doc.body = std::move(*body);
  doc.source_json = value.dump();
  return doc;
}

}  // namespace afori::corpus

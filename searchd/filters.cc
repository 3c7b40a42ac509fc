#include "searchd/filters.h"

#include <chrono>
#include <cstdio>
#include <vector>

#include "common/schema.h"

namespace afori::searchd {
namespace {

Xapian::Query ValueRange(unsigned slot, const std::string& from, const std::string& to) {
  if (from.empty()) return Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, to);
  if (to.empty()) return Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, from);
  return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, from, to);
}

std::optional<Xapian::Query> DateRange(unsigned slot, const std::optional<std::string>& from,
                                       const std::optional<std::string>& to) {
  if (!from && !to) return std::nullopt;
  return ValueRange(slot, from ? CompactDate(*from) : "", to ? CompactDate(*to) : "");
}

Xapian::Query StatusQuery(const std::string& status, std::string_view today) {
  if (status == schema::kStatusOpen) {
    return Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kSlotDeadline, std::string(today));
  }
  // Closed: a deadline before today. Documents without a deadline have no status.
  return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kSlotDeadline, "00000101",
                       DayBefore(today));
}

}  // namespace

std::string CompactDate(std::string_view date) {
  return std::string(date.substr(0, 4)) + std::string(date.substr(5, 2)) +
         std::string(date.substr(8, 2));
}

std::string TodayUtc() {
  const auto days = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const std::chrono::year_month_day ymd{days};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

std::string DayBefore(std::string_view compact) {
  const int y = std::stoi(std::string(compact.substr(0, 4)));
  const unsigned m = static_cast<unsigned>(std::stoi(std::string(compact.substr(4, 2))));
  const unsigned d = static_cast<unsigned>(std::stoi(std::string(compact.substr(6, 2))));
  const std::chrono::sys_days day =
      std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}} -
      std::chrono::days{1};
  const std::chrono::year_month_day ymd{day};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02u%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

std::optional<Xapian::Query> FilterQuery(const SearchRequest& request, std::string_view today,
                                         std::string_view except_facet) {
  std::vector<Xapian::Query> parts;
  for (const FacetFilter& filter : request.filters) {
    if (filter.facet == except_facet) continue;
    const schema::FacetField facet = *schema::FindFacet(filter.facet);
    std::vector<Xapian::Query> alternatives;
    for (const std::string& value : filter.values) {
      if (facet.source == schema::FacetSource::kDeadlineStatus) {
        alternatives.push_back(StatusQuery(value, today));
      } else {
        alternatives.emplace_back(std::string(facet.term_prefix) + value);
      }
    }
    parts.emplace_back(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
  }
  if (auto q = DateRange(schema::kSlotPublished, request.published_from, request.published_to)) {
    parts.push_back(*q);
  }
  if (auto q = DateRange(schema::kSlotDeadline, request.deadline_from, request.deadline_to)) {
    parts.push_back(*q);
  }
  if (request.amount_min || request.amount_max) {
    parts.push_back(ValueRange(
        schema::kSlotAmount,
        request.amount_min ? Xapian::sortable_serialise(static_cast<double>(*request.amount_min)) : "",
        request.amount_max ? Xapian::sortable_serialise(static_cast<double>(*request.amount_max)) : ""));
  }
  if (parts.empty()) return std::nullopt;
  // Boolean filters weigh nothing: OP_FILTER ignores their weight anyway.
  return Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
}

}  // namespace afori::searchd

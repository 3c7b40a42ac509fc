#include "searchd/filters.h"

#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <vector>

#include "common/schema.h"
#include "stemming/query.h"
#include "stemming/tokenizer.h"

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

namespace {

// How a filterable attribute is stored, and so which operators it can take.
enum class AttributeKind {
  kTerm,    // boolean terms of exact values (a facet, tags, id): = != IN EXISTS
  kStatus,  // open/closed from the deadline slot against today
  kYear,    // the year facet; comparisons go to the published slot
  kDate,    // a YYYYMMDD value slot
  kAmount,  // a sortable_serialise()d number slot
};

struct Attribute {
  std::string_view name;      // document field
  AttributeKind kind;
  std::string_view facet;     // its schema facet (term prefix and slot), if any
};

constexpr std::array<Attribute, 13> kAttributes{{
    {"type", AttributeKind::kTerm, "type"},
    {"themes", AttributeKind::kTerm, "theme"},
    {"region", AttributeKind::kTerm, "region"},
    {"organisations", AttributeKind::kTerm, "organisation"},
    {"funder", AttributeKind::kTerm, "funder"},
    {"tags", AttributeKind::kTerm, ""},
    {"id", AttributeKind::kTerm, ""},
    {"status", AttributeKind::kStatus, "status"},
    {"year", AttributeKind::kYear, "year"},
    {"published", AttributeKind::kDate, ""},
    {"updated", AttributeKind::kDate, ""},
    {"deadline", AttributeKind::kDate, ""},
    {"amount_max_sek", AttributeKind::kAmount, ""},
}};

const Attribute* FindAttribute(std::string_view name) {
  for (const Attribute& a : kAttributes) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

std::string TermPrefix(const Attribute& a) {
  if (a.name == "tags") return std::string(schema::kPrefixTag);
  if (a.name == "id") return std::string(schema::kPrefixId);
  return std::string(schema::FindFacet(a.facet)->term_prefix);
}

unsigned Slot(const Attribute& a) {
  if (a.name == "published" || a.kind == AttributeKind::kYear) return schema::kSlotPublished;
  if (a.name == "updated") return schema::kSlotUpdated;
  if (a.name == "deadline" || a.kind == AttributeKind::kStatus) return schema::kSlotDeadline;
  if (a.kind == AttributeKind::kAmount) return schema::kSlotAmount;
  return schema::FindFacet(a.facet)->slot;
}

const char* OperatorName(FilterOperator op) {
  switch (op) {
    case FilterOperator::kEqual: return "=";
    case FilterOperator::kNotEqual: return "!=";
    case FilterOperator::kLess: return "<";
    case FilterOperator::kLessEqual: return "<=";
    case FilterOperator::kGreater: return ">";
    case FilterOperator::kGreaterEqual: return ">=";
    case FilterOperator::kRange: return "TO";
    case FilterOperator::kIn: return "IN";
    case FilterOperator::kExists: return "EXISTS";
    case FilterOperator::kIsNull: return "IS NULL";
    case FilterOperator::kIsEmpty: return "IS EMPTY";
    case FilterOperator::kGeo: return "geo";
  }
  return "?";
}

Status Refused(const FilterCondition& c, const std::string& why) {
  return Status::InvalidArgument("filter: `" + c.attribute + "` " + why);
}

std::string Folded(std::string_view s) {
  return stemming::Lowercase(stemming::ComposeLatin(s));
}

Xapian::Query AnyOf(std::vector<Xapian::Query> alternatives) {
  if (alternatives.size() == 1) return alternatives.front();
  return Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
}

Xapian::Query Except(const Xapian::Query& q) {
  return Xapian::Query(Xapian::Query::OP_AND_NOT, stemming::MatchAllQuery(), q);
}

// The documents whose `prefix` term is `value`; failing an exact match, any value equal to it
// but for case (the facet values a client shows may have been typed by a person).
Xapian::Query TermValue(const Xapian::Database& db, const std::string& prefix,
                        const std::string& value) {
  const std::string term = prefix + value;
  if (db.term_exists(term) || prefix == schema::kPrefixId) return Xapian::Query(term);
  const std::string wanted = Folded(value);
  std::vector<Xapian::Query> alternatives;
  for (Xapian::TermIterator it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) {
    if (Folded(std::string_view(*it).substr(prefix.size())) == wanted) alternatives.emplace_back(*it);
  }
  return alternatives.empty() ? Xapian::Query(term) : AnyOf(std::move(alternatives));
}

// A comparison on a sortable value slot, `value` already in the slot's form.
Xapian::Query Compare(unsigned slot, FilterOperator op, const std::string& value) {
  const Xapian::Query equal(Xapian::Query::OP_VALUE_RANGE, slot, value, value);
  switch (op) {
    case FilterOperator::kEqual: return equal;
    case FilterOperator::kNotEqual: return Except(equal);
    case FilterOperator::kLessEqual: return Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, value);
    case FilterOperator::kGreaterEqual: return Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, value);
    case FilterOperator::kLess:
      return Xapian::Query(Xapian::Query::OP_AND_NOT,
                           Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, value), equal);
    default:  // kGreater
      return Xapian::Query(Xapian::Query::OP_AND_NOT,
                           Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, value), equal);
  }
}

// A filter value in its slot's form: YYYYMMDD for dates, sortable_serialise for amounts.
Result<std::string> SlotValue(const Attribute& a, const FilterCondition& c, const std::string& v) {
  if (a.kind == AttributeKind::kDate) {
    if (!IsValidDate(v)) return Refused(c, "takes dates YYYY-MM-DD, got \"" + v + "\"");
    return CompactDate(v);
  }
  double number = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), number);
  if (ec != std::errc() || end != v.data() + v.size() || !std::isfinite(number)) {
    return Refused(c, "takes numbers, got \"" + v + "\"");
  }
  return Xapian::sortable_serialise(number);
}

Result<int> YearValue(const FilterCondition& c, const std::string& v) {
  int year = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), year);
  if (ec != std::errc() || end != v.data() + v.size() || year < 1 || year > 9999) {
    return Refused(c, "takes a year 1-9999, got \"" + v + "\"");
  }
  return year;
}

std::string YearDay(int year, const char* month_day) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%s", year, month_day);
  return buf;
}

// year < <= > >= TO: the same comparison on the published date.
Result<Xapian::Query> YearComparison(const FilterCondition& c) {
  std::vector<int> years;
  for (const std::string& v : c.values) {
    Result<int> y = YearValue(c, v);
    if (!y.ok()) return y.status();
    years.push_back(*y);
  }
  const unsigned slot = schema::kSlotPublished;
  switch (c.op) {
    case FilterOperator::kLess: return Compare(slot, FilterOperator::kLessEqual, YearDay(years[0] - 1, "1231"));
    case FilterOperator::kLessEqual: return Compare(slot, FilterOperator::kLessEqual, YearDay(years[0], "1231"));
    case FilterOperator::kGreater: return Compare(slot, FilterOperator::kGreaterEqual, YearDay(years[0] + 1, "0101"));
    case FilterOperator::kGreaterEqual: return Compare(slot, FilterOperator::kGreaterEqual, YearDay(years[0], "0101"));
    default:  // kRange
      return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, YearDay(years[0], "0101"),
                           YearDay(years[1], "1231"));
  }
}

// attribute = value for one value, by the attribute's kind.
Result<Xapian::Query> Equals(const Attribute& a, const FilterCondition& c, const std::string& v,
                             const Xapian::Database& db, std::string_view today) {
  switch (a.kind) {
    case AttributeKind::kTerm: return TermValue(db, TermPrefix(a), v);
    case AttributeKind::kStatus:
      if (v != schema::kStatusOpen && v != schema::kStatusClosed) {
        return Refused(c, "is \"open\" or \"closed\", got \"" + v + "\"");
      }
      return StatusQuery(v, today);
    case AttributeKind::kYear: {
      Result<int> y = YearValue(c, v);
      if (!y.ok()) return y.status();
      return Xapian::Query(TermPrefix(a) + std::to_string(*y));
    }
    case AttributeKind::kDate:
    case AttributeKind::kAmount: {
      Result<std::string> value = SlotValue(a, c, v);
      if (!value.ok()) return value.status();
      return Compare(Slot(a), FilterOperator::kEqual, *value);
    }
  }
  return Status::Internal("unknown attribute kind");
}

Result<Xapian::Query> ConditionQuery(const FilterCondition& c, const Xapian::Database& db,
                                     std::string_view today) {
  if (c.op == FilterOperator::kGeo) {
    return Status::InvalidArgument("filter: " + c.attribute +
                                   " is not supported: the documents have no _geo field");
  }
  const Attribute* a = FindAttribute(c.attribute);
  if (!a) {
    std::string names;
    for (std::string_view n : FilterableAttributes()) names += (names.empty() ? "" : ", ") + std::string(n);
    return Refused(c, "is not a filterable attribute; filterable are: " + names);
  }
  const bool comparable = a->kind == AttributeKind::kDate || a->kind == AttributeKind::kAmount ||
                          a->kind == AttributeKind::kYear;
  switch (c.op) {
    case FilterOperator::kEqual:
    case FilterOperator::kNotEqual: {
      Result<Xapian::Query> q = Equals(*a, c, c.values.at(0), db, today);
      if (!q.ok() || c.op == FilterOperator::kEqual) return q;
      return Except(*q);
    }
    case FilterOperator::kIn: {
      std::vector<Xapian::Query> alternatives;
      for (const std::string& v : c.values) {
        Result<Xapian::Query> q = Equals(*a, c, v, db, today);
        if (!q.ok()) return q.status();
        alternatives.push_back(*q);
      }
      if (alternatives.empty()) return Xapian::Query();
      return AnyOf(std::move(alternatives));
    }
    case FilterOperator::kExists:
      if (a->name == "tags") return Refused(c, "does not take EXISTS");
      if (a->name == "id") return stemming::MatchAllQuery();
      // Every document with a value in the slot: an unset value reads as "", and every
      // set one is at least "\0".
      return Xapian::Query(Xapian::Query::OP_VALUE_GE, Slot(*a), std::string(1, '\0'));
    case FilterOperator::kIsNull:
      return Xapian::Query();  // a null field is stored as an absent one: nothing matches
    case FilterOperator::kIsEmpty:
      return Refused(c, "IS EMPTY is not supported: empty and absent fields are not told apart");
    default:
      break;
  }
  if (!comparable) return Refused(c, std::string("does not take ") + OperatorName(c.op));
  const std::size_t needed = c.op == FilterOperator::kRange ? 2 : 1;
  if (c.values.size() != needed) return Refused(c, std::string("needs ") + std::to_string(needed) + " value(s) for " + OperatorName(c.op));
  if (a->kind == AttributeKind::kYear) return YearComparison(c);
  std::vector<std::string> values;
  for (const std::string& v : c.values) {
    Result<std::string> value = SlotValue(*a, c, v);
    if (!value.ok()) return value.status();
    values.push_back(*value);
  }
  if (c.op == FilterOperator::kRange) {
    return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, Slot(*a), values[0], values[1]);
  }
  return Compare(Slot(*a), c.op, values[0]);
}

}  // namespace

const std::vector<std::string_view>& FilterableAttributes() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> out;
    for (const Attribute& a : kAttributes) out.push_back(a.name);
    return out;
  }();
  return names;
}

Result<Xapian::Query> ExpressionQuery(const FilterExpression& e, const Xapian::Database& db,
                                      std::string_view today) {
  using Kind = FilterExpression::Kind;
  if (e.kind == Kind::kCondition) return ConditionQuery(e.condition, db, today);
  std::vector<Xapian::Query> children;
  for (const FilterExpression& child : e.children) {
    Result<Xapian::Query> q = ExpressionQuery(child, db, today);
    if (!q.ok()) return q.status();
    children.push_back(*q);
  }
  if (children.empty()) return Status::InvalidArgument("filter: an empty expression");
  if (e.kind == Kind::kNot) return Except(children.front());
  return Xapian::Query(e.kind == Kind::kAnd ? Xapian::Query::OP_AND : Xapian::Query::OP_OR,
                       children.begin(), children.end());
}

}  // namespace afori::searchd

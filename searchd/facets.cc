#include "searchd/facets.h"

#include <algorithm>
#include <cmath>

namespace afori::searchd {

FacetCounter::FacetCounter(std::vector<schema::FacetField> facets, std::string today,
                           const FacetColumns* columns)
    : facets_(std::move(facets)), today_(std::move(today)), tallies_(facets_.size()) {
  if (columns == nullptr) return;
  for (const schema::FacetField& f : facets_) {
    const FacetColumns::Column* column = columns->ForSlot(f.slot);
    if (column == nullptr) {  // not a slot the columns hold: read every facet from values
      columns_.clear();
      ordinal_counts_.clear();
      return;
    }
    columns_.push_back(column);
    ordinal_counts_.emplace_back(column->values.size(), 0);
  }
  last_docid_ = columns->last_docid();
}

void FacetCounter::operator()(const Xapian::Document& doc, double) {
  if (!columns_.empty()) {
    const Xapian::docid did = doc.get_docid();
    // Columns of the same revision hold every docid; the check keeps memory safe regardless.
    if (did <= last_docid_) return CountFromColumns(did);
  }
  CountFromValues(doc);
}

void FacetCounter::CountFromColumns(Xapian::docid did) {
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    const FacetColumns::Column& c = *columns_[i];
    std::vector<std::uint64_t>& counts = ordinal_counts_[i];
    if (!c.single.empty()) {
      if (const std::uint32_t ordinal = c.single[did]; ordinal != 0) ++counts[ordinal];
    } else if (!c.offsets.empty()) {
      for (std::uint32_t k = c.offsets[did]; k < c.offsets[did + 1]; ++k) ++counts[c.ordinals[k]];
    }
  }
}

void FacetCounter::CountFromValues(const Xapian::Document& doc) {
  for (std::size_t i = 0; i < facets_.size(); ++i) {
    const std::string joined = doc.get_value(facets_[i].slot);
    if (facets_[i].source == schema::FacetSource::kDeadlineStatus) {
      if (joined.empty()) continue;
      const std::string_view status = joined >= today_ ? schema::kStatusOpen : schema::kStatusClosed;
      auto it = tallies_[i].find(status);
      if (it == tallies_[i].end()) {
        tallies_[i].emplace(std::string(status), 1);
      } else {
        ++it->second;
      }
      continue;
    }
    std::string_view rest = joined;
    while (!rest.empty()) {
      std::size_t sep = rest.find(schema::kFacetValueSeparator);
      std::string_view value = rest.substr(0, sep);
      auto it = tallies_[i].find(value);
      if (it == tallies_[i].end()) {
        tallies_[i].emplace(std::string(value), 1);
      } else {
        ++it->second;
      }
      rest.remove_prefix(sep == std::string_view::npos ? rest.size() : sep + 1);
    }
  }
}

std::vector<FacetCounts> FacetCounter::Counts() const {
  std::vector<FacetCounts> out;
  out.reserve(facets_.size());
  for (std::size_t i = 0; i < facets_.size(); ++i) {
    Tally tally = tallies_[i];  // documents counted from values (beyond the columns)
    if (!columns_.empty()) {
      const FacetColumns::Column& c = *columns_[i];
      for (std::size_t ordinal = 1; ordinal < c.values.size(); ++ordinal) {
        const std::uint64_t n = ordinal_counts_[i][ordinal];
        if (n == 0) continue;
        std::string value = c.values[ordinal];
        if (facets_[i].source == schema::FacetSource::kDeadlineStatus) {
          value = std::string(value >= today_ ? schema::kStatusOpen : schema::kStatusClosed);
        }
        tally[value] += n;
      }
    }
    FacetCounts fc;
    fc.name = std::string(facets_[i].name);
    for (const auto& [value, count] : tally) fc.values.push_back({value, count});
    std::sort(fc.values.begin(), fc.values.end(), [](const auto& a, const auto& b) {
      return a.count != b.count ? a.count > b.count : a.value < b.value;
    });
    out.push_back(std::move(fc));
  }
  return out;
}

}  // namespace afori::searchd

namespace afori::searchd {

void AmountCounter::operator()(const Xapian::Document& doc, double) {
  const std::string value = doc.get_value(schema::kSlotAmount);
  if (value.empty()) return;
  ++counts_[std::llround(Xapian::sortable_unserialise(value))];
}

AmountStats AmountCounter::Stats() const {
  AmountStats stats;
  stats.counts.assign(counts_.begin(), counts_.end());
  std::sort(stats.counts.begin(), stats.counts.end());
  for (const auto& [amount, n] : stats.counts) stats.documents += n;
  if (!stats.counts.empty()) {
    stats.min = stats.counts.front().first;
    stats.max = stats.counts.back().first;
  }
  return stats;
}

}  // namespace afori::searchd

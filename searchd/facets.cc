#include "searchd/facets.h"

#include <algorithm>
#include <cmath>

namespace afori::searchd {

FacetCounter::FacetCounter(std::vector<schema::FacetField> facets, std::string today)
    : facets_(std::move(facets)), today_(std::move(today)), tallies_(facets_.size()) {}

void FacetCounter::operator()(const Xapian::Document& doc, double) {
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
    FacetCounts fc;
    fc.name = std::string(facets_[i].name);
    for (const auto& [value, count] : tallies_[i]) fc.values.push_back({value, count});
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

// FacetCounter: exact facet counts over every document a query matches.
//
// A Xapian::MatchSpy that reads, for each matching document, the value slot in which the
// indexer stored all of a facet's values (common/schema.h) and counts each value once per
// document. The counts are exact only when the matcher looks at every match, so the caller
// must pass check_at_least >= the database size to Enquire::get_mset (Xapian's
// ValueCountMatchSpy has the same requirement, and cannot count multi-valued fields). The
// funding status facet is computed from the deadline slot against `today` (YYYYMMDD), so a
// call closes on time without a reindex.
//
// Given the FacetColumns of exactly the database revision the query runs on
// (searchd/facet_columns.h), it counts ordinals from memory instead of reading value slots;
// the counts are the same.
//
// Thread safety: one FacetCounter per search; not for sharing between threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <xapian.h>

#include "common/schema.h"
#include "common/string_hash.h"
#include "searchd/facet_columns.h"

namespace afori::searchd {

struct FacetValueCount {
  std::string value;
  std::uint64_t count = 0;
};

struct FacetCounts {
  std::string name;                    // the facet's API name, e.g. "theme"
  std::vector<FacetValueCount> values;  // most frequent first, then by value
};

class FacetCounter : public Xapian::MatchSpy {
 public:
  // `columns` may be null (values are then read from the documents); when set, it must have
  // been read from the same revision as the database searched, and outlive the counter.
  FacetCounter(std::vector<schema::FacetField> facets, std::string today,
               const FacetColumns* columns);

  void operator()(const Xapian::Document& doc, double weight) override;

  // The counts gathered so far, in the order the facets were given.
  std::vector<FacetCounts> Counts() const;

 private:
  using Tally = StringMap<std::uint64_t>;

  void CountFromValues(const Xapian::Document& doc);
  void CountFromColumns(Xapian::docid did);

  std::vector<schema::FacetField> facets_;
  std::string today_;
  std::vector<Tally> tallies_;  // parallel to facets_
  // With columns: each facet's column and its count per ordinal (parallel to facets_).
  std::vector<const FacetColumns::Column*> columns_;
  std::vector<std::vector<std::uint64_t>> ordinal_counts_;
  Xapian::docid last_docid_ = 0;
};

// amount_max_sek (schema::kSlotAmount) over every matching document that has one: the
// numeric facet of the Meilisearch-compatible API (its facetStats and facetDistribution).
// Exact under the same check_at_least condition as FacetCounter.
struct AmountStats {
  std::uint64_t documents = 0;  // matches with an amount
  std::int64_t min = 0, max = 0;
  std::vector<std::pair<std::int64_t, std::uint64_t>> counts;  // each amount, ascending
};

class AmountCounter : public Xapian::MatchSpy {
 public:
  void operator()(const Xapian::Document& doc, double weight) override;
  AmountStats Stats() const;

 private:
  std::unordered_map<std::int64_t, std::uint64_t> counts_;
};

}  // namespace afori::searchd

// Query-independent ranking boosts: fresh documents and open funding calls first among equals.
//
// Two documents that match a query equally well should not be listed in document id order: a
// guide published last month is more likely current than one from 2019, and a call that can
// still be applied for is worth more than one whose deadline passed. The boosts are small on
// purpose: together at most 3, against CoordinationWeight's 10,000 per matching query term, so
// they never lift a document over one that matches more of the query. Within a tier they do
// compete with BM25: a rare term's BM25 part reaches about 10 in the shipped corpus, but a
// very common term's stays below 1, so there a boost can outweigh the BM25 difference.
//
// BoostPostingSource delivers the boosts to Xapian::Enquire: combine it with the query as
//   Xapian::Query(Xapian::Query::OP_AND_MAYBE, query, Xapian::Query(&source))
// so that it adds to the weight of documents the query matches and matches nothing itself.
//
// Dates are "YYYYMMDD" strings, the form common/schema.h stores in kSlotPublished and
// kSlotDeadline; a value that is not a real calendar date in that form counts as missing.
//
// Thread safety: ComputeBoosts and ParseCompactDate are pure. A BoostPostingSource is not
// thread-safe; Enquire clones it for every search (clone()), so one prototype may be shared by
// queries on different threads only if no thread iterates the prototype itself.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <xapian.h>

#include "searchd/facet_columns.h"

namespace afori::searchd {

struct BoostParts {
  double freshness = 0;
  double open_call = 0;
};

// Tie-breakers, deliberately tiny: on the shipped corpus a common term's BM25 part is under
// 1, and a freshness boost of 2 cost 0.09 nDCG@10 in the relevance test, 0.2 cost 0.02, and
// these values 0.007 (docs/relevance.md). They order documents of (nearly) equal relevance.
inline constexpr double kMaxFreshnessBoost = 0.05;
// An open call above a closed one at equal relevance.
inline constexpr double kOpenCallBoost = 0.02;
// Freshness reaches 0 at this age: five years of 365.2425 days, rounded.
inline constexpr int kFreshnessHorizonDays = 1826;

// Days since 1970-01-01 for a "YYYYMMDD" date; nullopt unless it is exactly 8 digits forming
// a real date (20240230 is not).
std::optional<int> ParseCompactDate(std::string_view yyyymmdd);

// From a document's value slots and today's date (all "YYYYMMDD"): freshness decays linearly
// from kMaxFreshnessBoost for a document published today to 0 at kFreshnessHorizonDays old
// (future dates count as today, no date = 0); open_call = kOpenCallBoost when the document has
// a deadline >= today. An invalid today gives no boosts.
BoostParts ComputeBoosts(const std::string& published, const std::string& deadline,
                         const std::string& today);

// The boosts as a Xapian posting source over every document with a published date or a
// deadline (documents with neither would get 0, so they are simply not in the list); the
// weight of each is ComputeBoosts(...).freshness + open_call.
class BoostPostingSource : public Xapian::PostingSource {
 public:
  // Throws std::invalid_argument unless today is a valid "YYYYMMDD" date: a bad date would
  // otherwise switch the boosts off without anyone noticing.
  explicit BoostPostingSource(std::string today) : BoostPostingSource(std::move(today), nullptr) {}
  // With the FacetColumns of exactly the revision searched, the dates come from memory
  // instead of the value streams (searchd/facet_columns.h); the boosts are the same. The
  // columns must outlive the source and its clones.
  BoostPostingSource(std::string today, const FacetColumns* columns);

  void init(const Xapian::Database& db) override;

  Xapian::doccount get_termfreq_min() const override;
  Xapian::doccount get_termfreq_est() const override;
  Xapian::doccount get_termfreq_max() const override;

  void next(double min_wt) override;
  void skip_to(Xapian::docid did, double min_wt) override;
  bool check(Xapian::docid did, double min_wt) override;
  bool at_end() const override;
  Xapian::docid get_docid() const override;
  double get_weight() const override;

  BoostPostingSource* clone() const override;
  std::string name() const override;
  std::string serialise() const override;
  BoostPostingSource* unserialise(const std::string& serialised) const override;
  std::string get_description() const override;

  const std::string& today() const { return today_; }

 private:
  // Puts the source on the smaller docid of the two streams (or at the end).
  void Settle();
  // With columns: moves to the first docid >= `did` with a date (or to the end).
  void SettleFromColumns(Xapian::docid did);
  bool UsesColumns() const { return published_column_ != nullptr; }

  std::string today_;
  int today_day_ = 0;  // today_ in days since the epoch, parsed once
  Xapian::Database db_;
  // Both value streams, each positioned at or after the current document.
  Xapian::ValueIterator published_, deadline_;
  Xapian::docid current_ = 0;
  bool started_ = false;
  Xapian::doccount termfreq_min_ = 0, termfreq_est_ = 0, termfreq_max_ = 0;
  const FacetColumns* columns_ = nullptr;
  // Set by init() when the columns fit the database: both date slots, dense.
  const FacetColumns::Column* published_column_ = nullptr;
  const FacetColumns::Column* deadline_column_ = nullptr;
  Xapian::docid last_docid_ = 0;
};

}  // namespace afori::searchd

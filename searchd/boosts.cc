#include "searchd/boosts.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <utility>

#include "common/schema.h"

namespace afori::searchd {
namespace {

// From day numbers (nullopt: no valid date).
BoostParts BoostsForDays(std::optional<int> published, std::optional<int> deadline, int today) {
  BoostParts parts;
  if (published) {
    // A date in the future (a scheduled publication, or a clock behind the indexer's) is as
    // fresh as today rather than fresher: the boost must stay within its stated maximum.
    const int age = std::max(0, today - *published);
    if (age < kFreshnessHorizonDays) {
      parts.freshness = kMaxFreshnessBoost * (1.0 - static_cast<double>(age) /
                                                        kFreshnessHorizonDays);
    }
  }
  if (deadline && *deadline >= today) {
    parts.open_call = kOpenCallBoost;  // applications close at the end of the deadline day
  }
  return parts;
}

BoostParts BoostsForDay(const std::string& published, const std::string& deadline, int today) {
  return BoostsForDays(ParseCompactDate(published), ParseCompactDate(deadline), today);
}

// The day of docid `did` in a dense date column; nullopt for none or not a date.
std::optional<int> DayOf(const FacetColumns::Column& c, Xapian::docid did) {
  const int day = c.days[c.single[did]];
  return day == FacetColumns::kNoDay ? std::nullopt : std::optional<int>(day);
}

bool UsableDateColumn(const FacetColumns::Column* c, Xapian::docid last_docid) {
  return c != nullptr && c->single.size() == last_docid + 1 && c->days.size() == c->values.size();
}

}  // namespace

std::optional<int> ParseCompactDate(std::string_view s) {
  if (s.size() != 8) return std::nullopt;
  int digits[8];
  for (int i = 0; i < 8; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    digits[i] = s[i] - '0';
  }
  const int y = digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3];
  const unsigned m = static_cast<unsigned>(digits[4] * 10 + digits[5]);
  const unsigned d = static_cast<unsigned>(digits[6] * 10 + digits[7]);
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m},
                                        std::chrono::day{d}};
  if (!ymd.ok()) return std::nullopt;
  return static_cast<int>(std::chrono::sys_days(ymd).time_since_epoch().count());
}

BoostParts ComputeBoosts(const std::string& published, const std::string& deadline,
                         const std::string& today) {
  const std::optional<int> day = ParseCompactDate(today);
  if (!day) return {};
  return BoostsForDay(published, deadline, *day);
}

BoostPostingSource::BoostPostingSource(std::string today, const FacetColumns* columns)
    : today_(std::move(today)), columns_(columns) {
  const std::optional<int> day = ParseCompactDate(today_);
  if (!day) {
    throw std::invalid_argument("BoostPostingSource: today is not a YYYYMMDD date: " + today_);
  }
  today_day_ = *day;
}

// Why value streams: the documents that get a boost are exactly those with a value in the
// published or the deadline slot, and Xapian keeps each slot's values in docid order in
// chunks of their own (db.valuestream_begin). Walking the two streams side by side reads only
// those values, a chunk at a time, and skip_to() jumps within or between chunks. The
// alternative, every docid from db.postlist_begin("") with db.get_document(did).get_value(),
// would visit documents that have neither value and pay a document lookup for each.
// With columns of the same revision, the same walk is a scan of two arrays in memory.
void BoostPostingSource::init(const Xapian::Database& db) {
  db_ = db;
  current_ = 0;
  started_ = false;
  published_column_ = deadline_column_ = nullptr;
  if (columns_ != nullptr && columns_->last_docid() == db.get_lastdocid()) {
    last_docid_ = columns_->last_docid();
    const FacetColumns::Column* published = columns_->ForSlot(schema::kSlotPublished);
    const FacetColumns::Column* deadline = columns_->ForSlot(schema::kSlotDeadline);
    if (UsableDateColumn(published, last_docid_) && UsableDateColumn(deadline, last_docid_)) {
      published_column_ = published;
      deadline_column_ = deadline;
    }
  }
  if (!UsesColumns()) {
    published_ = db_.valuestream_begin(schema::kSlotPublished);
    deadline_ = db_.valuestream_begin(schema::kSlotDeadline);
  }

  const Xapian::doccount with_published = db_.get_value_freq(schema::kSlotPublished);
  const Xapian::doccount with_deadline = db_.get_value_freq(schema::kSlotDeadline);
  const Xapian::doccount total = db_.get_doccount();
  termfreq_min_ = std::max(with_published, with_deadline);
  termfreq_max_ = std::min(with_published + with_deadline, total);
  // The size of the union if having a deadline were independent of having a date.
  const double a = with_published, b = with_deadline;
  const double union_estimate = total == 0 ? 0.0 : a + b - a * b / total;
  termfreq_est_ = std::clamp(static_cast<Xapian::doccount>(union_estimate + 0.5), termfreq_min_,
                             termfreq_max_);

  // A tight bound lets the matcher stop asking for boosts that cannot change the top results.
  // Both boosts grow with their date, so the slot's upper bound gives the largest one; an
  // upper bound that is not a date (a malformed value) proves nothing, so the full boost stays.
  const int today = today_day_;
  double max_freshness = 0.0;
  if (with_published > 0) {
    const std::string newest = db_.get_value_upper_bound(schema::kSlotPublished);
    max_freshness = ParseCompactDate(newest) ? BoostsForDay(newest, {}, today).freshness
                                             : kMaxFreshnessBoost;
  }
  double max_open = 0.0;
  if (with_deadline > 0) {
    const std::string latest = db_.get_value_upper_bound(schema::kSlotDeadline);
    const std::optional<int> latest_day = ParseCompactDate(latest);
    max_open = latest_day && *latest_day < today ? 0.0 : kOpenCallBoost;
  }
  set_maxweight(max_freshness + max_open);
}

Xapian::doccount BoostPostingSource::get_termfreq_min() const { return termfreq_min_; }
Xapian::doccount BoostPostingSource::get_termfreq_est() const { return termfreq_est_; }
Xapian::doccount BoostPostingSource::get_termfreq_max() const { return termfreq_max_; }

void BoostPostingSource::Settle() {
  const Xapian::ValueIterator end;
  const bool has_published = published_ != end, has_deadline = deadline_ != end;
  if (has_published && has_deadline) {
    current_ = std::min(published_.get_docid(), deadline_.get_docid());
  } else if (has_published) {
    current_ = published_.get_docid();
  } else if (has_deadline) {
    current_ = deadline_.get_docid();
  }
}

// The min_wt hints are ignored: a document's boost is only known after reading its values,
// which is all that visiting it costs, so skipping by weight would save nothing.
void BoostPostingSource::SettleFromColumns(Xapian::docid did) {
  current_ = did;
  while (current_ <= last_docid_ && published_column_->single[current_] == 0 &&
         deadline_column_->single[current_] == 0) {
    ++current_;
  }
}

void BoostPostingSource::next(double) {
  if (UsesColumns()) {
    SettleFromColumns(started_ ? current_ + 1 : 1);
    started_ = true;
    return;
  }
  if (started_) {
    const Xapian::ValueIterator end;
    if (published_ != end && published_.get_docid() == current_) ++published_;
    if (deadline_ != end && deadline_.get_docid() == current_) ++deadline_;
  }
  started_ = true;
  Settle();
}

void BoostPostingSource::skip_to(Xapian::docid did, double) {
  if (started_ && (at_end() || current_ >= did)) return;  // never move backwards
  if (UsesColumns()) {
    SettleFromColumns(std::max<Xapian::docid>(did, 1));
    started_ = true;
    return;
  }
  const Xapian::ValueIterator end;
  if (published_ != end && published_.get_docid() < did) published_.skip_to(did);
  if (deadline_ != end && deadline_.get_docid() < did) deadline_.skip_to(did);
  started_ = true;
  Settle();
}

// Xapian lets check() stop at an "indeterminate" position, which ValueIterator::check can
// save a chunk read with; but the merge of two streams needs both positions known, and
// skip_to() within a chunk is already cheap, so check() is an exact skip_to().
bool BoostPostingSource::check(Xapian::docid did, double min_wt) {
  skip_to(did, min_wt);
  return true;
}

bool BoostPostingSource::at_end() const {
  if (UsesColumns()) return started_ && current_ > last_docid_;
  const Xapian::ValueIterator end;
  return published_ == end && deadline_ == end;
}

Xapian::docid BoostPostingSource::get_docid() const { return current_; }

double BoostPostingSource::get_weight() const {
  if (UsesColumns()) {
    const BoostParts parts = BoostsForDays(DayOf(*published_column_, current_),
                                           DayOf(*deadline_column_, current_), today_day_);
    return parts.freshness + parts.open_call;
  }
  const Xapian::ValueIterator end;
  const bool has_published = published_ != end && published_.get_docid() == current_;
  const bool has_deadline = deadline_ != end && deadline_.get_docid() == current_;
  const BoostParts parts =
      BoostsForDay(has_published ? *published_ : std::string(),
                   has_deadline ? *deadline_ : std::string(), today_day_);
  return parts.freshness + parts.open_call;
}

BoostPostingSource* BoostPostingSource::clone() const {
  return new BoostPostingSource(today_, columns_);
}

std::string BoostPostingSource::name() const { return "afori::searchd::BoostPostingSource"; }

std::string BoostPostingSource::serialise() const { return today_; }

BoostPostingSource* BoostPostingSource::unserialise(const std::string& serialised) const {
  return new BoostPostingSource(serialised);
}

std::string BoostPostingSource::get_description() const {
  return "afori::searchd::BoostPostingSource(today=" + today_ + ")";
}

}  // namespace afori::searchd

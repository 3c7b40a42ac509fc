// FacetColumns: every document's facet values and dates as small integers in memory.
//
// Exact facet counts look at every match of a query. Reading each match's value slots from
// the database (a B-tree lookup, often a pread, and a string copy per slot) was most of a
// search's time at 100,000 documents (docs/performance.md). FacetColumns reads the facet
// slots of common/schema.h once per index revision, gives each distinct value an ordinal,
// and keeps, per docid, the ordinals of the document's values: one ordinal per document
// where no document has more than one value, offsets into a shared list otherwise (the idea
// of Lucene's doc values). A FacetCounter given the columns of exactly the database revision
// it counts over then only increments integers (searchd/facets.h). The published and
// deadline dates are held the same way, with each date also as a day number, for the
// ranking boosts (searchd/boosts.h), which otherwise read two value streams per match.
//
// The columns describe one revision of one index generation: a handle of any other revision
// must not be used with them, which searchd's IndexRefresher enforces (it hands them out only
// for exactly the version they were read from). They serve a database of one shard only:
// over several, Xapian hands match spies and posting sources shard docids.
//
// Thread safety: FacetColumns is immutable once built and may be shared by threads.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

namespace afori::searchd {

class FacetColumns {
 public:
  static constexpr int kNoDay = std::numeric_limits<int>::min();

  // One value slot of every document.
  struct Column {
    unsigned slot = 0;
    bool split = true;                // values joined by schema::kFacetValueSeparator
    std::vector<std::string> values;  // ordinal -> value; ordinal 0 stands for "no value"
    // Dense form (no document with two values): docid -> ordinal. Empty in the list form.
    std::vector<std::uint32_t> single;
    // List form: the ordinals of docid d are ordinals[offsets[d], offsets[d + 1]).
    std::vector<std::uint32_t> offsets;
    std::vector<std::uint32_t> ordinals;
    // Date slots (published, deadline): ordinal -> days since 1970-01-01, or kNoDay when the
    // value is not a YYYYMMDD date (searchd::ParseCompactDate). Empty for other slots.
    std::vector<int> days;
  };

  // Reads every facet slot of schema::kFacets and the published slot. The date slots are
  // kept whole (the funding status is the whole deadline against a date). Xapian exceptions
  // (e.g. DatabaseModifiedError) escape to the caller. Null if `stop` is requested before
  // every slot is read.
  static std::shared_ptr<const FacetColumns> FromDatabase(const Xapian::Database& db,
                                                          std::stop_token stop = {});

  // The column of `slot`, or null when the slot is not read.
  const Column* ForSlot(unsigned slot) const;

  // Docids above this were added after the columns were read.
  Xapian::docid last_docid() const { return last_docid_; }

  // Bytes held, for docs/performance.md.
  std::size_t MemoryBytes() const;

 private:
  std::vector<Column> columns_;
  Xapian::docid last_docid_ = 0;
};

}  // namespace afori::searchd

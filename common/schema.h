// The index schema: the one place that says how a document is laid out in Xapian.
//
// The indexer writes with these names and searchd reads with them; neither spells a prefix or
// a slot number itself. Changing anything here changes the on-disk format: bump
// kSchemaVersion, and searchd will refuse databases built with the old one.
//
// Thread safety: constants only.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace afori::schema {

// Stored in the database metadata under kSchemaVersionKey by the indexer.
inline constexpr int kSchemaVersion = 5;
inline constexpr std::string_view kSchemaVersionKey = "afori.schema_version";

// The analysis that wrote the index (stemming::Analyzer::Fingerprint()): searchd warns when
// its own analysis differs, because query terms would then miss indexed ones.
inline constexpr std::string_view kAnalysisKey = "afori.analysis";

// When `indexer build` wrote this index (generation), UTC "YYYY-MM-DDTHH:MM:SSZ".
inline constexpr std::string_view kCreatedAtKey = "afori.created_at";

// Term prefixes (Xapian convention: single capitals, or "X" + capitals).
//
// Every word of the free text is indexed as written (lowercased, unprefixed, no positions:
// the vocabulary that typo tolerance, missing-diacritic matching and prefix search draw on)
// and as its stem under kPrefixStem with positions (what queries and phrases match). The
// parts of a compound are indexed under kPrefixCompoundPart, so that "upphandling" finds
// "innovationsupphandling" below documents that write the word itself.
inline constexpr std::string_view kPrefixId = "Q";            // unique id term: Q + id
inline constexpr std::string_view kPrefixStem = "Z";          // stems, positional: Z + stem
inline constexpr std::string_view kPrefixCompoundPart = "XP"; // stem of a compound's part
inline constexpr std::string_view kPrefixTitle = "S";         // title stems: S + stem (title:)
inline constexpr std::string_view kPrefixTag = "K:";          // boolean: K:<tag> (exact value)

// Free text is also indexed without a prefix so that a plain query searches every field;
// these wdf multipliers make a title match count more than a summary match, and a summary
// match more than a body match, under BM25.
inline constexpr unsigned kTitleWeight = 4;
inline constexpr unsigned kSummaryWeight = 2;
inline constexpr unsigned kTagWeight = 2;
inline constexpr unsigned kBodyWeight = 1;

// Value slots (sortable). Dates are stored as "YYYYMMDD" strings, which sort correctly and
// are what Xapian::DateRangeProcessor expects; the amount uses Xapian::sortable_serialise.
inline constexpr unsigned kSlotPublished = 0;
inline constexpr unsigned kSlotUpdated = 1;
inline constexpr unsigned kSlotDeadline = 2;
inline constexpr unsigned kSlotAmount = 3;
// stemming::SwedishSortKey(title): bytewise order is Swedish alphabetical order (sort=title).
inline constexpr unsigned kSlotTitleSort = 4;
// Incremental updates (indexer/writer.h): a hash of the document's content, so an unchanged
// document is not rewritten; the file it was loaded from (for --prune); and the index
// revision that last wrote it (for replaying changes made during a full rebuild).
inline constexpr unsigned kSlotContentHash = 5;
inline constexpr unsigned kSlotSourcePath = 6;
inline constexpr unsigned kSlotWrittenAt = 7;
// The document id again, as a value: results that tie on everything else are ordered by id,
// so one index and any number of shards (whose docids interleave) list them alike.
inline constexpr unsigned kSlotId = 8;
// Metadata key prefix recording deletions: kDeletedKeyPrefix + id -> revision it was deleted.
inline constexpr std::string_view kDeletedKeyPrefix = "afori.deleted:";

// Facets. Each facet is indexed twice: as boolean terms (prefix + exact value) used to filter,
// and as the list of its values in one value slot, joined by kFacetValueSeparator, read by
// the facet counter. A multi-valued field needs the terms for filtering because one slot can
// only hold one value for Xapian's own value-based filters.
inline constexpr char kFacetValueSeparator = '\x1f';

enum class FacetSource {
  kIndexed,         // boolean terms + joined value slot, written by the indexer
  kDeadlineStatus,  // "open"/"closed": the deadline slot against today's date, at query time
};

struct FacetField {
  std::string_view name;         // API name: /v1/search?theme=...
  std::string_view field;        // document field it comes from
  std::string_view term_prefix;  // boolean filter term = term_prefix + value (kIndexed)
  unsigned slot;                 // value slot holding all values of the document
  bool multi_valued;             // the document field is a list
  FacetSource source = FacetSource::kIndexed;
};

// Funding status is not indexed: a call closes when its deadline passes, without a reindex.
inline constexpr std::string_view kStatusOpen = "open";
inline constexpr std::string_view kStatusClosed = "closed";

inline constexpr std::array<FacetField, 8> kFacets{{
    {"type", "type", "XTYPE:", 10, false},
    {"theme", "themes", "XTHEME:", 11, true},
    {"region", "region", "XREGION:", 12, false},
    {"organisation", "organisations", "XORG:", 13, true},
    {"funder", "funder", "XFUNDER:", 14, false},
    {"year", "published", "XYEAR:", 15, false},  // the year of `published`
    {"status", "deadline", "", kSlotDeadline, false, FacetSource::kDeadlineStatus},
    {"amount", "amount_max_sek", "XAMOUNT:", 16, false},  // the bucket of amount_max_sek
}};

// The buckets of the amount facet: [min, max) in SEK, keyed for the API.
struct AmountBucket {
  std::string_view key;
  long long min;
  long long max;  // exclusive; -1: no upper bound
};
inline constexpr std::array<AmountBucket, 4> kAmountBuckets{{
    {"0-1000000", 0, 1000000},
    {"1000000-5000000", 1000000, 5000000},
    {"5000000-20000000", 5000000, 20000000},
    {"20000000-", 20000000, -1},
}};

inline std::string_view AmountBucketKey(long long amount) {
  for (const AmountBucket& b : kAmountBuckets) {
    if (amount >= b.min && (b.max < 0 || amount < b.max)) return b.key;
  }
  return kAmountBuckets.front().key;  // negative amounts are rejected by the document format
}

inline std::optional<FacetField> FindFacet(std::string_view name) {
  for (const FacetField& f : kFacets) {
    if (f.name == name) return f;
  }
  return std::nullopt;
}

}  // namespace afori::schema

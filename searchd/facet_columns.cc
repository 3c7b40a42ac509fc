#include "searchd/facet_columns.h"

#include <optional>
#include <stop_token>
#include <string_view>
#include <unordered_map>

#include "common/schema.h"
#include "common/string_hash.h"
#include "searchd/boosts.h"

namespace afori::searchd {
namespace {

// The values of one slot as FacetCounter reads them: split at the separator, or whole.
template <typename Fn>
void ForEachValue(std::string_view joined, bool split, Fn&& fn) {
  if (!split) {
    if (!joined.empty()) fn(joined);
    return;
  }
  while (!joined.empty()) {
    const std::size_t sep = joined.find(schema::kFacetValueSeparator);
    fn(joined.substr(0, sep));
    joined.remove_prefix(sep == std::string_view::npos ? joined.size() : sep + 1);
  }
}

// Nothing if `stop` was requested before the column was read.
std::optional<FacetColumns::Column> ReadColumn(const Xapian::Database& db, unsigned slot,
                                               bool split, Xapian::docid last_docid,
                                               const std::stop_token& stop) {
  FacetColumns::Column column;
  column.slot = slot;
  column.split = split;
  column.values.emplace_back();  // ordinal 0: no value
  StringMap<std::uint32_t> ordinal_of;
  // Read as a list first; most facets turn out to have one value a document and are then
  // made dense.
  std::vector<std::uint32_t> offsets(last_docid + 2, 0);
  std::vector<std::uint32_t> ordinals;
  bool dense = true;
  Xapian::docid filled = 0;  // offsets[0..filled] are final
  for (Xapian::ValueIterator it = db.valuestream_begin(slot); it != db.valuestream_end(slot);
       ++it) {
    if (stop.stop_requested()) return std::nullopt;
    const Xapian::docid did = it.get_docid();
    if (did > last_docid) break;  // cannot happen for one handle; keeps the arrays in bounds
    for (; filled < did; ++filled) {
      offsets[filled + 1] = static_cast<std::uint32_t>(ordinals.size());
    }
    const std::size_t before = ordinals.size();
    ForEachValue(*it, split, [&](std::string_view value) {
      auto found = ordinal_of.find(value);
      if (found == ordinal_of.end()) {
        const auto ordinal = static_cast<std::uint32_t>(column.values.size());
        column.values.emplace_back(value);
        found = ordinal_of.emplace(std::string(value), ordinal).first;
      }
      ordinals.push_back(found->second);
    });
    dense = dense && ordinals.size() - before <= 1;
  }
  for (; filled <= last_docid; ++filled) {
    offsets[filled + 1] = static_cast<std::uint32_t>(ordinals.size());
  }
  if (slot == schema::kSlotPublished || slot == schema::kSlotDeadline) {
    for (const std::string& value : column.values) {
      column.days.push_back(ParseCompactDate(value).value_or(FacetColumns::kNoDay));
    }
  }
  if (!dense) {
    column.offsets = std::move(offsets);
    column.ordinals = std::move(ordinals);
    return column;
  }
  column.single.assign(last_docid + 1, 0);
  for (Xapian::docid d = 1; d <= last_docid; ++d) {
    if (offsets[d + 1] > offsets[d]) column.single[d] = ordinals[offsets[d]];
  }
  return column;
}

}  // namespace

std::shared_ptr<const FacetColumns> FacetColumns::FromDatabase(const Xapian::Database& db,
                                                               std::stop_token stop) {
  auto out = std::make_shared<FacetColumns>();
  out->last_docid_ = db.get_lastdocid();
  auto read = [&](unsigned slot, bool split) {
    std::optional<Column> column = ReadColumn(db, slot, split, out->last_docid_, stop);
    if (column) out->columns_.push_back(std::move(*column));
    return column.has_value();
  };
  for (const schema::FacetField& facet : schema::kFacets) {
    if (!read(facet.slot, facet.source != schema::FacetSource::kDeadlineStatus)) return nullptr;
  }
  if (!read(schema::kSlotPublished, false)) return nullptr;
  return out;
}

const FacetColumns::Column* FacetColumns::ForSlot(unsigned slot) const {
  for (const Column& c : columns_) {
    if (c.slot == slot) return &c;
  }
  return nullptr;
}

std::size_t FacetColumns::MemoryBytes() const {
  std::size_t bytes = sizeof(*this);
  for (const Column& c : columns_) {
    bytes += sizeof(Column) + 4 * (c.single.capacity() + c.offsets.capacity() +
                                   c.ordinals.capacity() + c.days.capacity());
    for (const std::string& v : c.values) bytes += sizeof(std::string) + v.capacity();
  }
  return bytes;
}

}  // namespace afori::searchd

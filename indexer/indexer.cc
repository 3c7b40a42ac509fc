#include "indexer/indexer.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>

#include "common/rfc3339.h"
#include "common/schema.h"
#include "common/shards.h"
#include "corpus/markdown.h"
#include "indexer/writer.h"
#include "stemming/collation.h"

namespace afori::indexer {
namespace {

// "2024-03-18" -> "20240318": sortable, and the form Xapian::DateRangeProcessor reads.
std::string CompactDate(const std::string& date) {
  return date.substr(0, 4) + date.substr(5, 2) + date.substr(8, 2);
}

std::vector<std::string> FacetValues(const corpus::Document& doc, std::string_view field) {
  if (field == "type") return {std::string(corpus::DocTypeName(doc.type))};
  if (field == "themes") return doc.themes;
  if (field == "organisations") return doc.organisations;
  if (field == "region" && doc.region) return {*doc.region};
  if (field == "funder" && doc.funder) return {*doc.funder};
  if (field == "published" && doc.published) return {doc.published->substr(0, 4)};
  if (field == "amount_max_sek" && doc.amount_max_sek) {
    return {std::string(schema::AmountBucketKey(*doc.amount_max_sek))};
  }
  return {};
}

// Everything but the stored data and the provenance values.
Xapian::Document MakeDocument(const corpus::Document& doc, const stemming::Analyzer& analyzer,
                              stemming::WordCache* cache) {
  Xapian::Document xdoc;
  Xapian::termpos pos = 1;
  analyzer.IndexText(doc.title, schema::kTitleWeight, schema::kPrefixTitle, &pos, &xdoc, cache);
  if (doc.summary) {
    analyzer.IndexText(*doc.summary, schema::kSummaryWeight, {}, &pos, &xdoc, cache);
  }
  for (const std::string& tag : doc.tags) {
    analyzer.IndexText(tag, schema::kTagWeight, {}, &pos, &xdoc, cache);
    xdoc.add_boolean_term(std::string(schema::kPrefixTag) + tag);
  }
  analyzer.IndexText(corpus::PlainTextFromMarkdown(doc.body), schema::kBodyWeight, {}, &pos,
                     &xdoc, cache);

  for (const schema::FacetField& facet : schema::kFacets) {
    if (facet.source != schema::FacetSource::kIndexed) continue;
    std::string joined;
    for (const std::string& value : FacetValues(doc, facet.field)) {
      xdoc.add_boolean_term(std::string(facet.term_prefix) + value);
      if (!joined.empty()) joined += schema::kFacetValueSeparator;
      joined += value;
      // Organisation, region and funder names are searchable words too ("Sjöhamra").
      if (facet.field == "themes" || facet.field == "organisations" || facet.field == "region" ||
          facet.field == "funder") {
        analyzer.IndexText(value, 1, {}, &pos, &xdoc, cache);
      }
    }
    if (!joined.empty()) xdoc.add_value(facet.slot, joined);
  }

  if (doc.published) xdoc.add_value(schema::kSlotPublished, CompactDate(*doc.published));
  if (doc.updated) xdoc.add_value(schema::kSlotUpdated, CompactDate(*doc.updated));
  if (doc.deadline) xdoc.add_value(schema::kSlotDeadline, CompactDate(*doc.deadline));
  if (doc.amount_max_sek) {
    xdoc.add_value(schema::kSlotAmount,
                   Xapian::sortable_serialise(static_cast<double>(*doc.amount_max_sek)));
  }

  xdoc.add_value(schema::kSlotTitleSort, stemming::SwedishSortKey(doc.title));
  xdoc.add_value(schema::kSlotId, doc.id);
  xdoc.add_boolean_term(std::string(schema::kPrefixId) + doc.id);
  return xdoc;
}

}  // namespace

Xapian::Document ToXapianDocument(const corpus::Document& doc,
                                  const stemming::Analyzer& analyzer) {
  Xapian::Document xdoc = MakeDocument(doc, analyzer, nullptr);
  xdoc.set_data(doc.source_json);
  return xdoc;
}

Xapian::Document ToXapianDocument(const corpus::Document& doc,
                                  const stemming::Analyzer& analyzer,
                                  const Provenance& provenance) {
  return ToXapianDocument(doc, analyzer, provenance, nullptr);
}

Xapian::Document ToXapianDocument(const corpus::Document& doc,
                                  const stemming::Analyzer& analyzer,
                                  const Provenance& provenance, stemming::WordCache* cache) {
  Xapian::Document xdoc = MakeDocument(doc, analyzer, cache);
  xdoc.set_data(doc.source_json);
  xdoc.add_value(schema::kSlotContentHash, provenance.content_hash);
  if (!provenance.source_path.empty()) {
    xdoc.add_value(schema::kSlotSourcePath, provenance.source_path);
  }
  xdoc.add_value(schema::kSlotWrittenAt, RevisionKey(provenance.written_at));
  return xdoc;
}

std::string UtcNowRfc3339() { return FormatRfc3339(std::chrono::system_clock::now()); }

std::string RevisionKey(std::uint64_t revision) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%020llu", static_cast<unsigned long long>(revision));
  return buf;
}

std::string SourcePathKey(const std::string& path) {
  if (path.empty()) return path;
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(path, ec);
  return (ec ? std::filesystem::path(path) : absolute).lexically_normal().string();
}

Status BuildDatabase(const std::string& db_path, const corpus::DocumentSource& documents,
                     const stemming::Analyzer& analyzer) {
  return BuildShards({db_path}, documents, analyzer);
}

Status BuildShards(const std::vector<std::string>& shard_paths,
                   const corpus::DocumentSource& documents, const stemming::Analyzer& analyzer) {
  std::string current = shard_paths.empty() ? "" : shard_paths.front();
  try {
    std::vector<Xapian::WritableDatabase> shards;
    for (const std::string& path : shard_paths) {
      current = path;
      shards.emplace_back(path, Xapian::DB_CREATE_OR_OVERWRITE);
      // One transaction: without it Xapian commits on its own every XAPIAN_FLUSH_THRESHOLD
      // (10,000) documents, and a bulk build would be many revisions, not one.
      shards.back().begin_transaction();
    }
    if (shards.empty()) return Status::InvalidArgument("no database to build");
    const std::uint64_t revision = shards.front().get_revision() + 1;  // all new: the same
    const std::string created_at = UtcNowRfc3339();
    stemming::WordCache cache;
    const Status read = documents.ForEach(
        0, documents.size(), [&](std::size_t, const corpus::LoadedDocument& loaded) {
          // The loader guarantees unique ids, and the database is new: add, don't replace.
          const Provenance provenance{ContentHash(loaded.document, analyzer),
                                      SourcePathKey(loaded.where.path), revision};
          shards[shards::ShardOf(loaded.document.id, shards.size())].add_document(
              ToXapianDocument(loaded.document, analyzer, provenance, &cache));
          return Status::Ok();
        });
    if (!read.ok()) return read;  // the transactions are cancelled as the databases close
    for (std::size_t i = 0; i < shards.size(); ++i) {
      current = shard_paths[i];
      shards[i].set_metadata(std::string(schema::kSchemaVersionKey),
                             std::to_string(schema::kSchemaVersion));
      shards[i].set_metadata(std::string(schema::kAnalysisKey), analyzer.Fingerprint());
      shards[i].set_metadata(std::string(schema::kCreatedAtKey), created_at);
      shards[i].commit_transaction();
    }
    return Status::Ok();
  } catch (const Xapian::Error& e) {
    return Status::IoError("cannot write index at " + current + ": " + e.get_description());
  }
}

}  // namespace afori::indexer

// Indexer: turns validated documents into a Xapian database laid out as common/schema.h says.
//
// ToXapianDocument() maps one document: title, summary, tags and body (Markdown stripped) as
// Swedish-analysed free text (stemming::Analyzer::IndexText) with title > summary > body
// weights, the title's stems also under the title prefix; facet values as boolean filter terms plus one value slot
// per facet for counting; dates and the amount as sortable values; the document JSON as
// it was given (unknown fields included) as the stored data; and the unique id term. With a
// Provenance it also stores the values incremental updates rely on (indexer/writer.h): the
// content hash, the source file and the revision that wrote the document.
// BuildDatabase() writes a complete new database in one commit. It writes a plain directory;
// `indexer build` goes through RebuildIndex (indexer/rebuild.h), which builds with it beside
// the live index and then switches over.
//
// Thread safety: free functions; the Analyzer may be shared between threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <xapian.h>

#include "common/status.h"
#include "corpus/document.h"
#include "corpus/loader.h"
#include "stemming/analysis.h"

namespace afori::indexer {

Xapian::Document ToXapianDocument(const corpus::Document& doc,
                                  const stemming::Analyzer& analyzer);

// Where a document came from and which commit wrote it; stored in the kSlotContentHash,
// kSlotSourcePath and kSlotWrittenAt values (common/schema.h).
struct Provenance {
  std::string content_hash;  // ContentHash() of indexer/writer.h
  std::string source_path;   // SourcePathKey() of the file; "" for none (the slot stays empty)
  std::uint64_t written_at = 0;  // the revision the commit writing the document creates
};

Xapian::Document ToXapianDocument(const corpus::Document& doc,
                                  const stemming::Analyzer& analyzer,
                                  const Provenance& provenance);

// The same for a thread writing many documents: words are analysed once per `cache`
// (stemming::WordCache; null: every time). The document is the same as the one above makes.
Xapian::Document ToXapianDocument(const corpus::Document& doc,
                                  const stemming::Analyzer& analyzer,
                                  const Provenance& provenance, stemming::WordCache* cache);

// A revision as stored in kSlotWrittenAt and the deletion markers: decimal, zero-padded to 20
// digits, so that comparing the strings compares the numbers (Xapian value ranges are bytewise).
std::string RevisionKey(std::uint64_t revision);

// Now, UTC, as stored under schema::kCreatedAtKey: "YYYY-MM-DDTHH:MM:SSZ".
std::string UtcNowRfc3339();

// The form a source path is stored in: absolute and lexically normal, so that `--prune` finds
// a file's documents whatever directory `indexer` was started from.
std::string SourcePathKey(const std::string& path);

// Creates (or overwrites) the database at db_path with exactly `documents`, records the
// schema version and the analysis fingerprint, and commits once: the whole build is one
// transaction, so Xapian's automatic flushes (every XAPIAN_FLUSH_THRESHOLD documents) write
// blocks but never commit, and a crash leaves no half-built revision. Every document gets
// its Provenance with written_at = the new revision. Fails with IoError if the database
// cannot be written.
// Documents are read from `documents` in one pass (corpus/loader.h); its read errors are
// returned as they are.
Status BuildDatabase(const std::string& db_path, const corpus::DocumentSource& documents,
                     const stemming::Analyzer& analyzer);
inline Status BuildDatabase(const std::string& db_path,
                            const std::vector<corpus::LoadedDocument>& documents,
                            const stemming::Analyzer& analyzer) {
  return BuildDatabase(db_path, corpus::InMemoryDocuments(documents), analyzer);
}

// The same for a sharded index (common/shards.h): creates the databases at `shard_paths` and
// writes each document into shard_paths[shards::ShardOf(id, shard_paths.size())], in one
// pass over the documents and one commit per shard. BuildDatabase(p, ...) is
// BuildShards({p}, ...).
Status BuildShards(const std::vector<std::string>& shard_paths,
                   const corpus::DocumentSource& documents, const stemming::Analyzer& analyzer);

}  // namespace afori::indexer

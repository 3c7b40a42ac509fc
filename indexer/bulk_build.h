// Bulk build: a full, compacted database written by several threads at once.
//
// BuildCompactedDatabase() is what `indexer build` (RebuildIndex, indexer/rebuild.h) uses for
// an unsharded generation. Analysis and Xapian's inverter both run on one core per document,
// so a single writer leaves the other cores idle. Here the documents are cut into runs of
// consecutive documents, one per thread; each thread analyses its run (with its own
// stemming::WordCache) and writes it into a scratch database of its own, beside db_path, in
// one transaction, giving each document the docid it has in a one-writer build (its place
// in `documents`, from 1). Xapian::Database::compact then merges the scratch databases into
// db_path with DBCOMPACT_NO_RENUMBER (their docid ranges are disjoint) and they are removed.
//
// The result is the database BuildDatabase() followed by a compaction writes: the same
// docids, terms, wdf, positions, values, data, statistics and metadata, at revision 1.
// Nothing is visible at db_path before the compaction has written it whole.
//
// Thread safety: a free function; it starts and joins its own threads. The Analyzer is shared
// by them (it is immutable).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "common/status.h"
#include "corpus/loader.h"
#include "stemming/analysis.h"

namespace afori::indexer {

struct BulkBuildOptions {
  // Writer threads; 0: one per core (std::thread::hardware_concurrency()), at most 4.
  std::size_t threads = 0;
  // Fewer documents than this per thread: fewer threads (a thread and a merge cost more
  // than they save on a small build).
  std::size_t min_documents_per_thread = 2000;
};

// Writes `documents` (unique ids, as the loader guarantees) into a new compacted database at
// db_path, which must not exist yet, recording the schema version, the analysis fingerprint
// and the creation time as BuildDatabase() does. Scratch databases are db_path + ".part-N".
// Errors: IoError when a database cannot be written or compacted; db_path and the scratch
// databases are then removed.
Status BuildCompactedDatabase(const std::string& db_path,
                              const std::vector<corpus::LoadedDocument>& documents,
                              const stemming::Analyzer& analyzer,
                              const BulkBuildOptions& options = {});

// The number of writer threads BuildCompactedDatabase uses for `documents` documents.
std::size_t BulkBuildThreads(std::size_t documents, const BulkBuildOptions& options);

}  // namespace afori::indexer

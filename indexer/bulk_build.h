// Bulk build: a full, compacted database written by several threads at once.
//
// BuildCompactedDatabase() is what `indexer build` (RebuildIndex, indexer/rebuild.h) uses for
// an unsharded generation. Analysis and Xapian's inverter both run on one core per document,
// so a single writer leaves the other cores idle. Here the documents are cut into runs of
// consecutive documents, at most max_documents_per_run each; the threads take the runs in
// turn, and each run is read from the DocumentSource, analysed (with the thread's
// stemming::WordCache) and written into a scratch database of its own, beside db_path, in one
// transaction, giving each document the docid it has in a one-writer build (its place in
// `documents`, from 1). Xapian::Database::compact then merges the scratch databases into
// db_path with DBCOMPACT_NO_RENUMBER (their docid ranges are disjoint) and they are removed.
//
// Why bounded runs: a writer's cost per document grows with its database (each flush updates
// postings spread over a larger B-tree), and a DocumentCatalog source means only the run
// being written is in memory. At 1,000,000 documents, two runs of 500,000 took 85 minutes and
// 9.5 GB (docs/performance.md).
//
// The result is the database BuildDatabase() followed by a compaction writes: the same
// docids, terms, wdf, positions, values, data, statistics and metadata, at revision 1.
// Nothing is visible at db_path before the compaction has written it whole.
//
// Thread safety: a free function; it starts and joins its own threads. The Analyzer and the
// DocumentSource are shared by them (both are immutable).
#pragma once

#include <cstddef>
#include <string>
#include <utility>
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
  // The longest run of documents one scratch database holds (0: no limit, one run per
  // thread). 50,000 is what each of the two writers of a 100,000-document build had before
  // runs were bounded; docs/performance.md has the measurements.
  std::size_t max_documents_per_run = 50000;
};

// Writes `documents` (unique ids, as the loader guarantees) into a new compacted database at
// db_path, which must not exist yet, recording the schema version, the analysis fingerprint
// and the creation time as BuildDatabase() does. Scratch databases are db_path + ".part-N".
// Errors: IoError when a database cannot be written or compacted, and the source's read
// errors (a file changed since it was scanned); db_path and the scratch databases are then
// removed.
Status BuildCompactedDatabase(const std::string& db_path, const corpus::DocumentSource& documents,
                              const stemming::Analyzer& analyzer,
                              const BulkBuildOptions& options = {});

// The number of writer threads BuildCompactedDatabase uses for `documents` documents.
std::size_t BulkBuildThreads(std::size_t documents, const BulkBuildOptions& options);

// The runs [begin, end) BuildCompactedDatabase cuts `documents` documents into: at least one
// per thread, each at most options.max_documents_per_run long, as equal as can be.
std::vector<std::pair<std::size_t, std::size_t>> BulkBuildRuns(std::size_t documents,
                                                               const BulkBuildOptions& options);

}  // namespace afori::indexer

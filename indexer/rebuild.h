// Rebuild: a full rebuild of the live index with zero downtime and nothing lost.
//
// The live index path (`indexer build --db DIR`) is a symlink to a generation directory
// beside it, DIR.<UTC timestamp>-<pid>. RebuildIndex() builds the documents into a fresh
// generation (in one commit per writer thread, then compacted) while readers and writers keep using the old
// one, then switches the link in one rename(2): a reader opening DIR sees the old or the new
// index, never none and never a mix.
//
// Writers (indexer/writer.h) may commit to the old generation while the new one is built.
// Before switching, RebuildIndex takes the old generation's write lock and replays onto the
// new one everything committed since the build started: documents whose kSlotWrittenAt is
// later than the old revision at the start (re-analysed from their stored JSON with the
// current analysis) and deletions recorded under kDeletedKeyPrefix. It keeps the lock until
// the link points at the new generation, so no commit can land in between; a writer waiting
// for that lock re-resolves the link once it gets it and writes to the new generation.
//
// The inputs are the truth for documents that came from a file: a document whose file is no
// longer among them is gone from the new index. Documents that came from no file (upserted
// through the admin API: an empty kSlotSourcePath) exist only in the index, so they are
// carried over from the old generation, replacing an input document of the same id (they
// were written later than any `indexer update` of that file). A deletion committed before
// the rebuild started is not replayed: if the document's file is still an input, the
// rebuild brings it back (delete the file to delete a document for good).
//
// Why a symlink and not a Xapian stub file: both switch atomically with rename(2), but a
// symlink is opened by every tool (xapian-delve, xapian-check, an older searchd) as a plain
// database directory, while a stub file is only understood by Xapian's Database constructor,
// and issue 11 will use stub files to list shards, which a symlink can then point at.
//
// Shards: with RebuildOptions::shards = N > 1 the generation is a directory holding shard_0 ..
// shard_<N-1> and the stub file XAPIANDB listing them, so DIR still opens as one database;
// each shard is built, compacted and replayed like an unsharded index, and the old
// generation's write locks (all of its shards) are held from the replay to the switch.
//
// Generations: the new one and the one it replaced (readers may still have it open) are
// kept; older DIR.<timestamp>-* directories that are not the link's target are removed (with
// the scratch databases, DIR.<timestamp>-*.part-N, of a bulk build that was killed).
// A DIR that is still a real directory from an older build is moved aside once, to
// DIR.<timestamp>-migrated, and replaced by the link; between those two renames (a few
// microseconds, once) the path does not exist. Rebuilds of one DIR are serialised by a lock
// on the file DIR.lock.
//
// Thread safety: free functions. Concurrent rebuilds of the same DIR wait for each other (up
// to the lock timeout); concurrent ApplyChanges() calls are safe and their changes are kept.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "corpus/loader.h"
#include "indexer/writer.h"
#include "stemming/analysis.h"

namespace afori::indexer {

// Which generation was live, and at which revision.
struct LiveMark {
  std::string directory;
  std::uint64_t revision = 0;            // the sum over the shards
  std::vector<std::uint64_t> revisions;  // each shard's, in stub order (one if unsharded)
};

// The live index at `link_path` now, or nullopt when there is none that opens.
std::optional<LiveMark> MarkLiveIndex(const std::string& link_path);

struct RebuildOptions {
  WriteOptions write;  // lock_timeout: waiting for the old index's writers, and for a rebuild
  // Replay what was committed after this mark. Take it with MarkLiveIndex() before loading
  // the inputs, so that a change committed while they were read is replayed too. Unset, or
  // naming another generation than the one live at the start: the live revision at the start.
  std::optional<LiveMark> replay_after;
  // Carry over the documents that came from no file (see above). Off: exactly the inputs
  // plus the changes replayed.
  bool keep_unsourced = true;
  // Compact the new generation before the switch (Xapian::Database::compact: full blocks).
  // On 100,000 generated documents it took 2 s of a 153 s rebuild and made the index 29%
  // smaller (docs/reindexing.md). An unsharded generation is then written by several
  // threads and merged by the compaction (indexer/bulk_build.h; docs/performance.md).
  // Off: the generation as one writer wrote it.
  bool compact = true;
  // How many shards the new generation has (common/shards.h): 1 is a plain database
  // directory, N > 1 a directory of N shards plus the XAPIANDB stub listing them. 0: as many
  // as the live index has (1 when there is none). Changing it reshards: every document goes
  // to the shard of its id in the new layout, replayed changes too.
  std::size_t shards = 0;
  // For tests: called once the new generation is built, before the old one is locked,
  // replayed and switched away from (to make changes "during" the rebuild deterministically).
  std::function<void()> before_switch;
};

struct RebuildReport {
  std::string new_directory;
  std::string old_directory;  // "" when there was no index before
  std::size_t documents = 0;           // built from the inputs
  std::size_t replayed = 0;            // documents written to the old index meanwhile
  std::size_t replayed_deletions = 0;  // documents deleted from the old index meanwhile
  std::size_t carried_over = 0;        // documents of no file, older than the rebuild, kept
  std::size_t removed_generations = 0;
  std::size_t shards = 1;              // of the new generation
  double seconds = 0;
  double locked_seconds = 0;  // how long the old index's writers had to wait (replay + switch)
};

// Builds `documents` into a new generation beside `link_path` and switches `link_path` to it
// as described above; a missing link_path (and its parent directory) is created. `documents`
// is read during the build only: a DocumentCatalog (corpus/loader.h) keeps memory bounded.
//
// Errors (the live index is then unchanged and the new generation removed): IoError when
// something cannot be written, when `documents` cannot be read again as scanned (a file
// changed during the build), or link_path is neither an index, a symlink, nor an empty or
// missing directory; Unavailable when the old index's write lock or the rebuild lock could
// not be had within the lock timeout (same message form as ApplyChanges).
Result<RebuildReport> RebuildIndex(const std::string& link_path,
                                   const corpus::DocumentSource& documents,
                                   const stemming::Analyzer& analyzer,
                                   const RebuildOptions& options);
Result<RebuildReport> RebuildIndex(const std::string& link_path,
                                   const corpus::DocumentSource& documents,
                                   const stemming::Analyzer& analyzer,
                                   const WriteOptions& options);

}  // namespace afori::indexer

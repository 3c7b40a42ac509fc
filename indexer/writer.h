// Writer: every incremental change to the live index goes through here.
//
// ApplyChanges() upserts and deletes documents in the index at a path that may be the symlink
// RebuildIndex() (indexer/rebuild.h) maintains, in ONE Xapian commit per call: searchd sees
// all of a call's changes or none, and a crash mid-call leaves the previous commit. It skips
// documents whose content hash (ContentHash) has not changed, so re-running `indexer update`
// on the same files changes nothing and commits nothing. Every written document records the
// revision that wrote it and every deletion leaves a marker in the metadata: that is what a
// rebuild running at the same time replays, so that nothing acknowledged here is lost.
//
// Xapian allows one writer per database. A call that finds the lock taken waits (short
// sleeps) up to WriteOptions::lock_timeout, then gives up with ErrorCode::kUnavailable having
// changed nothing. Once it holds the lock it checks that the path still resolves to the
// directory it locked, because a rebuild may have switched the link meanwhile; if not, it
// starts over on the new directory.
//
// A sharded index (`indexer build --shards N`, common/shards.h) routes each change to the
// shard of its id and commits every shard it changed, one after the other: each shard's
// commit is atomic, the call as a whole is not (a crash between two shard commits leaves the
// first one committed; running the update again completes it, since unchanged documents are
// skipped). ChangeReport::revision is then the sum of the shards' revisions.
//
// Thread safety: free functions; calls on the same index from several threads (or
// processes) are serialised by Xapian's write lock. The Analyzer may be shared.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "common/status.h"
#include "corpus/document.h"
#include "stemming/analysis.h"

namespace afori::indexer {

struct WriteOptions {
  std::chrono::milliseconds lock_timeout{10000};  // how long to wait for another writer
};

struct Change {
  enum class Kind { kUpsert, kDelete };
  Kind kind = Kind::kUpsert;
  corpus::Document document;  // kUpsert: as corpus::ParseDocument made it (source is stored)
  std::string source_path;    // kUpsert: the file it came from ("" for the admin API)
  std::string id;             // kDelete
};

struct ChangeReport {
  // not_found: deletes of ids the index does not hold.
  std::size_t added = 0, replaced = 0, unchanged = 0, deleted = 0, not_found = 0;
  std::uint64_t revision = 0;  // the index revision after the call (unchanged if nothing was)
  std::vector<std::string> added_ids, replaced_ids, deleted_ids, not_found_ids;
};

// `indexer update --prune`: in the same commit, delete every document that a scan of one of
// `directories` found earlier (its stored source path ends in ".json" and lies under the
// directory) but that no upsert of this call names: its file has disappeared. Documents from
// `keep_sources` are spared: those files exist but were rejected this time, and the last good
// version is better than none.
struct Prune {
  std::vector<std::string> directories;
  std::vector<std::string> keep_sources;
};

// Applies `changes` in order (a later change to the same id wins) to the index at `db_path`
// in one commit, and returns what happened.
//
// Upsert: unchanged (not rewritten) when a document with the id exists with the same
// content hash and, if source_path is given, the same source path; otherwise replaced or
// added, with the values of Provenance (indexer/indexer.h); source_path "" leaves the source
// slot empty (the document is then the admin API's, and --prune never deletes it). An
// upsert removes a deletion marker of its id. Delete: removes the document and records
// schema::kDeletedKeyPrefix + id = the revision of this commit; an unknown id counts as
// not_found and changes nothing. When nothing changed nothing is committed.
//
// Errors: InvalidArgument for a change with an invalid id or without source JSON; IoError when there is no index
// at db_path or it cannot be written; SchemaMismatch for an index of another schema
// version; Unavailable ("another writer holds the index lock at <db_path>; gave up after
// N ms") when the lock could not be had in time. In every error case nothing was changed.
Result<ChangeReport> ApplyChanges(const std::string& db_path, const std::vector<Change>& changes,
                                  const stemming::Analyzer& analyzer,
                                  const WriteOptions& options);
Result<ChangeReport> ApplyChanges(const std::string& db_path, const std::vector<Change>& changes,
                                  const Prune& prune, const stemming::Analyzer& analyzer,
                                  const WriteOptions& options);

// A stable hash (FNV-1a 64, 16 hex digits) of the document's canonical content (its source
// JSON dumped with sorted keys) plus the analysis fingerprint and the schema version, so
// that a change of analysis or layout rewrites every document it is next given.
std::string ContentHash(const corpus::Document& document, const stemming::Analyzer& analyzer);
// The same from the document's source JSON as document.source_json holds it.
std::string ContentHashOfJson(std::string_view source_json, const stemming::Analyzer& analyzer);

// The live index locked for writing: the directory `db_path` resolved to, and the database
// opened on that directory (not through the link: a Xapian handle opened through a symlink
// that is later switched would mix two databases on reopen). A sharded index (common/shards.h)
// has one database per shard, in the stub's order, each locked; an unsharded one has one.
// Closing (or dropping) the databases releases the locks.
struct LockedIndex {
  std::string directory;
  std::vector<std::string> shard_directories;
  std::vector<Xapian::WritableDatabase> shards;
};

// Resolves `db_path`, opens every shard for writing (in order, so that two writers never wait
// for each other crosswise), waiting for the locks as ApplyChanges does, and re-resolves once
// they are held (starting over if a rebuild switched the link). Used by ApplyChanges and by
// RebuildIndex, which holds the old index's locks while it switches. A stub naming a remote
// shard (xapian-tcpsrv) is refused with IoError: remote shards are written on their own host.
Result<LockedIndex> LockIndex(const std::string& db_path, const WriteOptions& options);

}  // namespace afori::indexer

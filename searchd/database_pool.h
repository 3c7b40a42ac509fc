// DatabasePool: one Xapian::Database handle per concurrent request, over one index or shards.
//
// Xapian database objects must not be used by two threads at once, so searchd keeps a fixed
// set of handles to the same index and lends one to each request. Before a handle is lent it
// is reopen()ed, which costs one small file read and makes every commit of the indexer visible
// to the next request. If the index changes under a running request so much that Xapian
// throws DatabaseModifiedError, With() reopens the handle and runs the request again once.
//
// The index path may be a symlink that `indexer build` switches atomically to a freshly built
// directory (indexer/rebuild.h): before lending a handle the pool compares the path's current
// target with the one the handle was opened on, and opens the new index when they differ, so
// searchd follows a full rebuild without a restart and without failing a request (a handle
// that cannot be reopened on the new target keeps serving the old one). A stub file rewritten
// to list other databases (as xapian-replicate does on a replica) is followed the same way.
//
// Shards (common/shards.h, docs/scaling.md): a path holding a XAPIANDB stub, or several
// paths, make one index of several databases. The pool opens each shard itself (a local
// directory, or `remote HOST:PORT` through Xapian::Remote::open with the timeouts of
// PoolOptions) and lends one Xapian::Database combining the shards it can reach; Xapian then
// merges the statistics and results of all of them. A shard that cannot be reached (the
// connection fails or breaks) is left out and named in IndexView::missing; the pool tries it
// again at most once per PoolOptions::retry_interval, before lending, and takes it back in as
// soon as it answers: no restart. What to do with a partial index is the caller's choice (the
// HTTP layer answers 503 unless asked for partial results).
//
// OpenDatabase() refuses an index whose schema version differs from common/schema.h.
//
// When a local index cannot be read while searchd runs (its directory moved away or deleted,
// unreadable, damaged), With() throws IndexUnavailableError instead of running the callback:
// the HTTP layer answers 503 with a JSON error, and the next request tries again, opening the
// index afresh, so searchd recovers by itself when the index is back.
//
// Thread safety: DatabasePool is thread-safe; the Database& (and IndexView) passed to a With()
// callback is the caller's alone until the callback returns.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <xapian.h>

#include "common/shards.h"
#include "common/status.h"

namespace afori::searchd {

// The index could not be read for this request (see above); what() names the path and why.
class IndexUnavailableError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Opens the index at `path` read-only and checks its schema version.
Result<Xapian::Database> OpenDatabase(const std::string& path);

struct PoolOptions {
  std::chrono::milliseconds remote_timeout{10000};         // each remote operation
  std::chrono::milliseconds remote_connect_timeout{2000};  // connecting to xapian-tcpsrv
  std::chrono::milliseconds retry_interval{1000};          // between tries of a missing shard
};

// What the lent database is made of.
struct IndexView {
  // Every shard's uuid and revision (for a remote shard, whose revision Xapian 1.4 does not
  // report, its document count and last docid): the key of caches and ETags, which changes
  // with any commit to any shard and with the set of shards reachable.
  std::string version;
  std::string generation;       // the shards' uuids (revisions restart in a new generation)
  std::uint64_t revision = 0;   // the sum of the local shards' revisions
  std::size_t shards = 0;       // how many the index has
  std::size_t remote = 0;       // how many of the reachable ones are remote (xapian-tcpsrv)
  std::vector<std::string> missing;  // the names (path or HOST:PORT) of those not reachable
};

struct IndexInfo {
  std::uint64_t documents = 0;
  std::uint64_t revision = 0;
  int schema_version = 0;
  std::size_t shards = 1;
  std::vector<std::string> missing_shards;
};

IndexInfo DescribeDatabase(const Xapian::Database& db);  // an unsharded database
IndexInfo DescribeIndex(const Xapian::Database& db, const IndexView& view);

class DatabasePool {
 public:
  // Opens `size` handles (at least one) to the index at `path` (an index directory, a link
  // to one, or a stub), or to the shards of all `paths` together. A local shard that cannot
  // be opened is an error; a remote one that cannot be reached is only missing.
  static Result<std::unique_ptr<DatabasePool>> Open(const std::string& path, std::size_t size);
  static Result<std::unique_ptr<DatabasePool>> Open(const std::vector<std::string>& paths,
                                                    std::size_t size, const PoolOptions& options);

  // Runs fn(Xapian::Database&) or fn(Xapian::Database&, const IndexView&) on a handle of its
  // own, waiting for one to be free. A shard lost during the call (NetworkError) is left
  // out and the call runs once more.
  template <typename Fn>
  auto With(Fn&& fn) {
    Lease lease(*this);
    try {
      return Call(fn, lease.handle);
    } catch (const Xapian::DatabaseModifiedError&) {
      if (lease.handle.combined->reopen()) reopens_.fetch_add(1, std::memory_order_relaxed);
      return Call(fn, lease.handle);
    } catch (const Xapian::NetworkError&) {
      Recheck(lease.handle);
      return Call(fn, lease.handle);
    }
  }

  // How many times a handle was opened again on a switched index (for /healthz and tests).
  std::uint64_t switches() const;

  // The first index path as given (possibly a symlink or a stub).
  const std::string& path() const { return paths_.front(); }

  // How many times a handle was reopened on a newer revision (Xapian's reopen() said it might
  // have been) or opened again (a switch, or after the index was unreadable), for /metrics.
  std::uint64_t reopens() const { return reopens_.load(std::memory_order_relaxed); }

 private:
  struct ShardHandle {
    shards::Shard shard;
    std::unique_ptr<Xapian::Database> db;  // null while the shard is missing
    std::chrono::steady_clock::time_point last_try;
  };
  struct Handle {
    std::vector<ShardHandle> shards;
    std::unique_ptr<Xapian::Database> combined;  // the reachable shards as one database
    std::vector<bool> combined_up;               // which shards `combined` holds
    // What each of `paths_` resolved to when opened, then the shards each one listed.
    std::vector<std::string> targets;
    IndexView view;
    bool broken = false;  // a local shard could not be reopened: open afresh next time
  };
  struct Lease {
    explicit Lease(DatabasePool& pool);
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    DatabasePool& pool;
    Handle handle;
  };

  template <typename Fn>
  static auto Call(Fn& fn, Handle& handle) {
    if constexpr (std::is_invocable_v<Fn&, Xapian::Database&, const IndexView&>) {
      return fn(*handle.combined, static_cast<const IndexView&>(handle.view));
    } else {
      return fn(*handle.combined);
    }
  }

  DatabasePool(std::vector<std::string> paths, PoolOptions options)
      : paths_(std::move(paths)), options_(options) {}
  std::vector<std::string> Targets() const;
  Result<Handle> OpenHandle(const std::vector<std::string>& targets) const;
  Result<std::unique_ptr<Xapian::Database>> OpenShard(const shards::Shard& shard) const;
  // Opens the index again if `paths_` now resolve elsewhere, else reopen()s every shard,
  // leaving out those that fail and trying the missing ones again when it is time.
  void Refresh(Handle& handle);
  // After a NetworkError: reopen()s every shard now, leaving out those that fail.
  void Recheck(Handle& handle);
  // Makes `combined` of the reachable shards (again, if they changed) and the view.
  static void Combine(Handle& handle);

  const std::vector<std::string> paths_;
  const PoolOptions options_;
  mutable std::mutex mu_;
  std::condition_variable available_;
  std::vector<Handle> free_;
  std::uint64_t switches_ = 0;
  std::atomic<std::uint64_t> reopens_{0};
};

}  // namespace afori::searchd

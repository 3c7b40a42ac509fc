// DatabasePool: one Xapian::Database handle per concurrent request.
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
// that cannot be reopened on the new target keeps serving the old one).
//
// OpenDatabase() refuses an index whose schema version differs from common/schema.h.
//
// When the index cannot be read while searchd runs (its directory moved away or deleted,
// unreadable, damaged), With() throws IndexUnavailableError instead of running the callback:
// the HTTP layer answers 503 with a JSON error, and the next request tries again, opening the
// index afresh, so searchd recovers by itself when the index is back.
//
// Thread safety: DatabasePool is thread-safe; the Database& passed to a With() callback is
// the caller's alone until the callback returns.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <xapian.h>

#include "common/status.h"

namespace afori::searchd {

// The index could not be read for this request (see above); what() names the path and why.
class IndexUnavailableError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Opens the index at `path` read-only and checks its schema version.
Result<Xapian::Database> OpenDatabase(const std::string& path);

struct IndexInfo {
  std::uint64_t documents = 0;
  std::uint64_t revision = 0;
  int schema_version = 0;
};

IndexInfo DescribeDatabase(const Xapian::Database& db);

class DatabasePool {
 public:
  // Opens `size` handles (at least one) to the index at `path`.
  static Result<std::unique_ptr<DatabasePool>> Open(const std::string& path, std::size_t size);

  // Runs fn(Xapian::Database&) on a handle of its own, waiting for one to be free.
  template <typename Fn>
  auto With(Fn&& fn) {
    Lease lease(*this);
    try {
      return fn(*lease.handle.db);
    } catch (const Xapian::DatabaseModifiedError&) {
      if (lease.handle.db->reopen()) reopens_.fetch_add(1, std::memory_order_relaxed);
      return fn(*lease.handle.db);
    }
  }

  // The index path as given (possibly a symlink).
  const std::string& path() const { return path_; }

  // How many times a handle was opened again on a switched index (for /healthz and tests).
  std::uint64_t switches() const;

  // How many times a handle was reopened on a newer revision (Xapian's reopen() said it might
  // have been) or opened again on a switched index (for GET /metrics).
  std::uint64_t reopens() const { return reopens_.load(std::memory_order_relaxed); }

 private:
  struct Handle {
    std::unique_ptr<Xapian::Database> db;
    std::string target;  // the directory `path_` resolved to when db was opened
    bool broken = false;  // a reopen() failed: open the index afresh next time
  };
  struct Lease {
    explicit Lease(DatabasePool& pool);
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    DatabasePool& pool;
    Handle handle;
  };

  explicit DatabasePool(std::string path) : path_(std::move(path)) {}
  // Opens the index again if `path_` now resolves to another directory (or the handle is
  // broken), else reopen()s; throws IndexUnavailableError when neither works.
  void Refresh(Handle& handle);

  const std::string path_;
  mutable std::mutex mu_;
  std::condition_variable available_;
  std::vector<Handle> free_;
  std::uint64_t switches_ = 0;
  std::atomic<std::uint64_t> reopens_{0};
};

}  // namespace afori::searchd

#include "searchd/database_pool.h"

#include <string_view>

#include "common/schema.h"

namespace afori::searchd {
namespace {

int SchemaVersionOf(const Xapian::Database& db) {
  const std::string v = db.get_metadata(std::string(schema::kSchemaVersionKey));
  try {
    return v.empty() ? 0 : std::stoi(v);
  } catch (const std::exception&) {
    return -1;
  }
}

// The directory `path` stands for now (through symlinks); empty if it does not exist.
std::string ResolveTarget(const std::string& path) {
  std::error_code ec;
  const std::filesystem::path target = std::filesystem::canonical(path, ec);
  return ec ? std::string() : target.string();
}

}  // namespace

Result<Xapian::Database> OpenDatabase(const std::string& path) {
  Xapian::Database db;
  try {
    db = Xapian::Database(path);
  } catch (const Xapian::Error& e) {
    return Status::IoError("cannot open index at " + path + ": " + e.get_description());
  }
  const int version = SchemaVersionOf(db);
  if (version != schema::kSchemaVersion) {
    return Status::SchemaMismatch("index at " + path + " has schema version " +
                                  std::to_string(version) + ", this searchd needs " +
                                  std::to_string(schema::kSchemaVersion) +
                                  "; rebuild it with `indexer build`");
  }
  return db;
}

IndexInfo DescribeDatabase(const Xapian::Database& db) {
  return {db.get_doccount(), db.get_revision(), SchemaVersionOf(db)};
}

Result<std::unique_ptr<DatabasePool>> DatabasePool::Open(const std::string& path,
                                                         std::size_t size) {
  std::unique_ptr<DatabasePool> pool(new DatabasePool(path));
  for (std::size_t i = 0; i < std::max<std::size_t>(size, 1); ++i) {
    // Opened on the resolved directory: reopen() then stays on it, and a switch is seen only
    // by Refresh(), which opens the new directory whole.
    const std::string target = ResolveTarget(path);
    Result<Xapian::Database> db = OpenDatabase(target.empty() ? path : target);
    if (!db.ok()) return db.status();
    pool->free_.push_back({std::make_unique<Xapian::Database>(std::move(db).value()), target});
  }
  return pool;
}

std::uint64_t DatabasePool::switches() const {
  std::lock_guard lock(mu_);
  return switches_;
}

void DatabasePool::Refresh(Handle& handle) {
  const std::string target = ResolveTarget(path_);
  if (target.empty()) {
    handle.broken = true;  // whatever comes back at the path must be opened anew
    throw IndexUnavailableError("the index at " + path_ + " is missing");
  }
  if (target != handle.target || handle.broken) {
    Result<Xapian::Database> fresh = OpenDatabase(target);
    if (fresh.ok()) {
      const bool switched = target != handle.target;
      handle.db = std::make_unique<Xapian::Database>(std::move(fresh).value());
      handle.target = target;
      handle.broken = false;
      reopens_.fetch_add(1, std::memory_order_relaxed);
      if (switched) {
        std::lock_guard lock(mu_);
        ++switches_;
      }
      return;
    }
    // A new index that cannot be opened (half-switched, other schema): keep serving the old
    // one if it still reads.
    if (handle.broken) throw IndexUnavailableError(fresh.status().message());
  }
  try {
    if (handle.db->reopen()) reopens_.fetch_add(1, std::memory_order_relaxed);
  } catch (const Xapian::DatabaseModifiedError&) {
    throw;
  } catch (const Xapian::Error& e) {
    handle.broken = true;
    throw IndexUnavailableError("cannot read the index at " + path_ + ": " + e.get_description());
  }
}

DatabasePool::Lease::Lease(DatabasePool& p) : pool(p) {
  {
    std::unique_lock lock(pool.mu_);
    pool.available_.wait(lock, [&] { return !pool.free_.empty(); });
    handle = std::move(pool.free_.back());
    pool.free_.pop_back();
  }
  try {
    pool.Refresh(handle);
  } catch (...) {
    // The destructor does not run for a half-built Lease: give the handle back here.
    std::lock_guard lock(pool.mu_);
    pool.free_.push_back(std::move(handle));
    pool.available_.notify_one();
    throw;
  }
}

DatabasePool::Lease::~Lease() {
  {
    std::lock_guard lock(pool.mu_);
    pool.free_.push_back(std::move(handle));
  }
  pool.available_.notify_one();
}

}  // namespace afori::searchd

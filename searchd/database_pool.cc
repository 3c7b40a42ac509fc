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
  std::unique_ptr<DatabasePool> pool(new DatabasePool());
  for (std::size_t i = 0; i < std::max<std::size_t>(size, 1); ++i) {
    Result<Xapian::Database> db = OpenDatabase(path);
    if (!db.ok()) return db.status();
    pool->free_.push_back(std::make_unique<Xapian::Database>(std::move(db).value()));
  }
  return pool;
}

DatabasePool::Lease::Lease(DatabasePool& p) : pool(p) {
  {
    std::unique_lock lock(pool.mu_);
    pool.available_.wait(lock, [&] { return !pool.free_.empty(); });
    db = std::move(pool.free_.back());
    pool.free_.pop_back();
  }
  try {
    db->reopen();
  } catch (...) {
    // The destructor does not run for a half-built Lease: give the handle back here.
    std::lock_guard lock(pool.mu_);
    pool.free_.push_back(std::move(db));
    pool.available_.notify_one();
    throw;
  }
}

DatabasePool::Lease::~Lease() {
  {
    std::lock_guard lock(pool.mu_);
    pool.free_.push_back(std::move(db));
  }
  pool.available_.notify_one();
}

}  // namespace afori::searchd

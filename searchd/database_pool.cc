#include "searchd/database_pool.h"

#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <string_view>

#include "common/schema.h"

namespace afori::searchd {
namespace {

using Clock = std::chrono::steady_clock;

int SchemaVersionOf(const Xapian::Database& db) {
  const std::string v = db.get_metadata(std::string(schema::kSchemaVersionKey));
  try {
    return v.empty() ? 0 : std::stoi(v);
  } catch (const std::exception&) {
    return -1;
  }
}

Status CheckSchema(const Xapian::Database& db, const std::string& name) {
  const int version = SchemaVersionOf(db);
  if (version == schema::kSchemaVersion) return Status::Ok();
  return Status::SchemaMismatch("index at " + name + " has schema version " +
                                std::to_string(version) + ", this searchd needs " +
                                std::to_string(schema::kSchemaVersion) +
                                "; rebuild it with `indexer build`");
}

// The directory `path` stands for now (through symlinks); empty if it does not exist.
std::string ResolveTarget(const std::string& path) {
  std::error_code ec;
  const std::filesystem::path target = std::filesystem::canonical(path, ec);
  return ec ? std::string() : target.string();
}

// How the shard's state enters IndexView::version.
std::string VersionPart(const shards::Shard& shard, const Xapian::Database& db) {
  if (!shard.remote) return db.get_uuid() + "@" + std::to_string(db.get_revision());
  // Xapian 1.4's remote backend does not report revisions: the document count and the last
  // docid change with every added or deleted document, though not with an in-place replace.
  return db.get_uuid() + "@" + std::to_string(db.get_doccount()) + "/" +
         std::to_string(db.get_lastdocid());
}

}  // namespace

Result<Xapian::Database> OpenDatabase(const std::string& path) {
  Xapian::Database db;
  try {
    db = Xapian::Database(path);
  } catch (const Xapian::Error& e) {
    // Xapian takes a directory it may not read for no database at all ("Couldn't detect
    // type of database"): name the real cause.
    if (::access(path.c_str(), R_OK | X_OK) != 0 && errno == EACCES) {
      return Status::IoError("cannot open index at " + path + ": permission denied");
    }
    return Status::IoError("cannot open index at " + path + ": " + e.get_description());
  }
  if (Status s = CheckSchema(db, path); !s.ok()) return s;
  return db;
}

IndexInfo DescribeDatabase(const Xapian::Database& db) {
  return {db.get_doccount(), db.get_revision(), SchemaVersionOf(db), 1, {}};
}

IndexInfo DescribeIndex(const Xapian::Database& db, const IndexView& view) {
  return {db.get_doccount(), view.revision, SchemaVersionOf(db), view.shards, view.missing};
}

Result<std::unique_ptr<DatabasePool>> DatabasePool::Open(const std::string& path,
                                                         std::size_t size) {
  return Open(std::vector<std::string>{path}, size, PoolOptions{});
}

Result<std::unique_ptr<DatabasePool>> DatabasePool::Open(const std::vector<std::string>& paths,
                                                         std::size_t size,
                                                         const PoolOptions& options) {
  if (paths.empty()) return Status::InvalidArgument("no index path given");
  std::unique_ptr<DatabasePool> pool(new DatabasePool(paths, options));
  for (std::size_t i = 0; i < std::max<std::size_t>(size, 1); ++i) {
    // Opened on the resolved directories: reopen() then stays on them, and a switch is seen
    // only by Refresh(), which opens the new directories whole.
    Result<Handle> handle = pool->OpenHandle(pool->Targets());
    if (!handle.ok()) return handle.status();
    pool->free_.push_back(std::move(handle).value());
  }
  return pool;
}

std::uint64_t DatabasePool::switches() const {
  std::lock_guard lock(mu_);
  return switches_;
}

std::vector<std::string> DatabasePool::Targets() const {
  std::vector<std::string> targets;
  for (const std::string& path : paths_) {
    const std::string target = ResolveTarget(path);
    targets.push_back(target.empty() ? path : target);
  }
  // The layout too: a stub rewritten in place (xapian-replicate's replica directory switches
  // its stub to each new copy) is a switch as much as a link pointing elsewhere.
  for (const std::string& target : std::vector<std::string>(targets)) {
    Result<std::vector<shards::Shard>> layout = shards::ReadShards(target);
    std::string names;
    if (layout.ok()) {
      for (const shards::Shard& shard : *layout) names += shard.Name() + "\n";
    }
    targets.push_back(names);
  }
  return targets;
}

Result<std::unique_ptr<Xapian::Database>> DatabasePool::OpenShard(
    const shards::Shard& shard) const {
  if (!shard.remote) {
    Result<Xapian::Database> db = OpenDatabase(shard.path);
    if (!db.ok()) return db.status();
    return std::make_unique<Xapian::Database>(std::move(db).value());
  }
  try {
    auto db = std::make_unique<Xapian::Database>(Xapian::Remote::open(
        shard.host, shard.port, static_cast<unsigned>(options_.remote_timeout.count()),
        static_cast<unsigned>(options_.remote_connect_timeout.count())));
    if (Status s = CheckSchema(*db, shard.Name()); !s.ok()) return s;
    return db;
  } catch (const Xapian::Error& e) {
    return Status::Unavailable("shard " + shard.Name() + " is unreachable: " +
                               e.get_description());
  }
}

Result<DatabasePool::Handle> DatabasePool::OpenHandle(
    const std::vector<std::string>& targets) const {
  Handle handle;
  handle.targets = targets;
  for (std::size_t i = 0; i < paths_.size(); ++i) {  // the rest of `targets` is the layout
    const std::string& target = targets[i];
    Result<std::vector<shards::Shard>> layout = shards::ReadShards(target);
    if (!layout.ok()) {
      return Status::IoError("cannot open index at " + target + ": " + layout.status().message());
    }
    for (shards::Shard& shard : *layout) {
      Result<std::unique_ptr<Xapian::Database>> db = OpenShard(shard);
      // A remote shard may be down when searchd starts; it is tried again later.
      if (!db.ok() && !(shard.remote && db.status().code() == ErrorCode::kUnavailable)) {
        return db.status();
      }
      handle.shards.push_back(
          {std::move(shard), db.ok() ? std::move(db).value() : nullptr, Clock::now()});
    }
  }
  Combine(handle);
  return handle;
}

void DatabasePool::Combine(Handle& handle) {
  // The combined database is made again only when the set of reachable shards changed.
  std::vector<bool> up;
  for (const ShardHandle& s : handle.shards) up.push_back(s.db != nullptr);
  if (!handle.combined || up != handle.combined_up) {
    handle.combined = std::make_unique<Xapian::Database>();
    for (const ShardHandle& s : handle.shards) {
      if (s.db) handle.combined->add_database(*s.db);
    }
    handle.combined_up = std::move(up);
  }
  IndexView view;
  view.shards = handle.shards.size();
  for (const ShardHandle& s : handle.shards) {
    if (!s.db) {
      view.missing.push_back(s.shard.Name());
      continue;
    }
    const std::string part = VersionPart(s.shard, *s.db);
    view.version += part + " ";
    view.generation += part.substr(0, part.find('@')) + " ";
    if (!s.shard.remote) view.revision += s.db->get_revision();
    if (s.shard.remote) ++view.remote;
  }
  for (const std::string& name : view.missing) view.version += "missing:" + name + " ";
  handle.view = std::move(view);
}

void DatabasePool::Refresh(Handle& handle) {
  for (const std::string& path : paths_) {
    if (ResolveTarget(path).empty()) {
      handle.broken = true;  // whatever comes back at the path must be opened anew
      throw IndexUnavailableError("the index at " + path + " is missing");
    }
  }
  const std::vector<std::string> targets = Targets();
  if (targets != handle.targets || handle.broken) {
    Result<Handle> fresh = OpenHandle(targets);
    if (fresh.ok()) {
      const bool switched = targets != handle.targets;
      handle = std::move(fresh).value();
      reopens_.fetch_add(1, std::memory_order_relaxed);
      if (switched) {
        std::lock_guard lock(mu_);
        ++switches_;
      }
      return;
    }
    // A new index that cannot be opened (half-switched, other schema): keep the old one if
    // it still reads; a broken one does not.
    if (handle.broken) {
      throw IndexUnavailableError("the index at " + paths_.front() + " cannot be read: " +
                                  fresh.status().message());
    }
  }
  const Clock::time_point now = Clock::now();
  for (ShardHandle& s : handle.shards) {
    if (s.db) {
      try {
        if (s.db->reopen()) reopens_.fetch_add(1, std::memory_order_relaxed);
      } catch (const Xapian::NetworkError&) {
        s.db.reset();
        s.last_try = now;
      } catch (const Xapian::DatabaseModifiedError&) {
        throw;
      } catch (const Xapian::Error& e) {
        // A local shard gone or damaged under us (moved away, deleted, unreadable).
        handle.broken = true;
        throw IndexUnavailableError("cannot read the index at " + s.shard.Name() + ": " +
                                    e.get_description());
      }
    } else if (now - s.last_try >= options_.retry_interval) {
      s.last_try = now;
      Result<std::unique_ptr<Xapian::Database>> db = OpenShard(s.shard);
      if (db.ok()) s.db = std::move(db).value();
    }
  }
  Combine(handle);
}

void DatabasePool::Recheck(Handle& handle) {
  for (ShardHandle& s : handle.shards) {
    if (!s.db) continue;
    try {
      s.db->reopen();
      if (s.shard.remote) s.db->keep_alive();  // a round trip: is it really there?
    } catch (const Xapian::NetworkError&) {
      s.db.reset();
      s.last_try = Clock::now();
    }
  }
  Combine(handle);
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

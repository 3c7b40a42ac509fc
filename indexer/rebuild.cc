#include "indexer/rebuild.h"

#include <chrono>
#include <ctime>
#include <filesystem>
#include <regex>
#include <thread>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "common/schema.h"
#include "common/shards.h"
#include "indexer/bulk_build.h"
#include "indexer/indexer.h"

namespace afori::indexer {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string ErrnoText() { return std::error_code(errno, std::generic_category()).message(); }

// An exclusive flock(2) on DIR.lock for the whole rebuild, so that two rebuilds never race on
// the link or remove each other's generation under construction. flock, not Xapian's lock:
// the old index must stay writable while the new one is built.
class RebuildLock {
 public:
  static Result<std::unique_ptr<RebuildLock>> Acquire(const std::string& link,
                                                      std::chrono::milliseconds timeout) {
    const std::string path = link + ".lock";
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return Status::IoError("cannot open " + path + ": " + ErrnoText());
    std::unique_ptr<RebuildLock> lock(new RebuildLock(fd));
    const Clock::time_point deadline = Clock::now() + timeout;
    while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      if (errno != EWOULDBLOCK && errno != EINTR) {
        return Status::IoError("cannot lock " + path + ": " + ErrnoText());
      }
      if (Clock::now() >= deadline) {
        return Status::Unavailable("another rebuild holds the lock at " + path +
                                   "; gave up after " + std::to_string(timeout.count()) + " ms");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return lock;
  }
  ~RebuildLock() { ::close(fd_); }  // closing the descriptor releases the flock
  RebuildLock(const RebuildLock&) = delete;
  RebuildLock& operator=(const RebuildLock&) = delete;

 private:
  explicit RebuildLock(int fd) : fd_(fd) {}
  int fd_;
};

// What link_path is before the rebuild.
struct Live {
  enum class Kind { kNone, kLink, kDirectory } kind = Kind::kNone;
  std::string directory;  // the live index directory ("" when there is no index)
  std::uint64_t revision = 0;          // the sum of the shards' revisions
  std::vector<std::uint64_t> revisions;  // of each shard, in stub order (one if unsharded)
  bool current_schema = false;  // written with this schema version: it may hold replayable changes
};

Result<Live> InspectLive(const std::string& link) {
  Live live;
  std::error_code ec;
  const fs::file_status st = fs::symlink_status(link, ec);
  if (ec || !fs::exists(st)) return live;
  if (fs::is_symlink(st)) {
    live.kind = Live::Kind::kLink;
  } else if (fs::is_directory(st)) {
    live.kind = Live::Kind::kDirectory;
  } else {
    return Status::IoError(link + " exists and is neither an index directory nor a symlink");
  }
  const fs::path target = fs::canonical(link, ec);
  if (ec) return live;  // a dangling link: nothing live to replay from
  Result<std::vector<shards::Shard>> layout = shards::ReadShards(target.string());
  if (!layout.ok()) return layout.status();
  try {
    live.current_schema = true;
    for (const shards::Shard& shard : *layout) {
      if (shard.remote) {
        return Status::IoError("the live index at " + link + " has the remote shard " +
                               shard.Name() + "; rebuild the shards where they are served");
      }
      Xapian::Database db(shard.path);
      live.revisions.push_back(db.get_revision());
      live.revision += live.revisions.back();
      live.current_schema = live.current_schema &&
                            db.get_metadata(std::string(schema::kSchemaVersionKey)) ==
                                std::to_string(schema::kSchemaVersion);
    }
    live.directory = target.string();
  } catch (const Xapian::DatabaseOpeningError&) {
    // An empty directory (`mkdir DIR` before the first build) is simply replaced; anything
    // else might be somebody's data.
    if (live.kind == Live::Kind::kDirectory && !fs::is_empty(link, ec)) {
      return Status::IoError(link + " is a directory that holds no Xapian index; refusing to "
                             "replace it");
    }
  } catch (const Xapian::Error& e) {
    return Status::IoError("cannot open the live index at " + link + ": " + e.get_description());
  }
  return live;
}

// "20240318T101530.123Z": UTC, sortable, unique enough with the pid and a counter.
std::string UtcStamp() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms.count() % 1000));
  return out;
}

std::string NewGenerationPath(const std::string& link) {
  const std::string base = link + "." + UtcStamp() + "-" + std::to_string(::getpid());
  std::string path = base;
  for (int n = 2; fs::exists(fs::symlink_status(path)); ++n) path = base + "-" + std::to_string(n);
  return path;
}

void SyncDirectory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

// Points `link` at `target_name` (a sibling's basename: the pair can be moved together) in
// one rename(2) of a temporary symlink over it.
Status SwapSymlink(const std::string& link, const std::string& target_name) {
  const std::string tmp = link + ".tmp-" + std::to_string(::getpid());
  ::unlink(tmp.c_str());  // a leftover of a killed run with our pid
  if (::symlink(target_name.c_str(), tmp.c_str()) != 0) {
    return Status::IoError("cannot create symlink " + tmp + ": " + ErrnoText());
  }
  if (::rename(tmp.c_str(), link.c_str()) != 0) {
    const std::string error = ErrnoText();
    ::unlink(tmp.c_str());
    return Status::IoError("cannot switch " + link + " to " + target_name + ": " + error);
  }
  // Make the switch durable: after a power loss the link should not point back at the old
  // generation. Best effort: the switch has happened, and undoing it would be worse.
  SyncDirectory(fs::path(link).parent_path());
  return Status::Ok();
}

// Compacts each shard of a sharded generation in place (into a sibling, then renamed).
Status CompactShards(const std::vector<std::string>& shard_dirs) {
  for (const std::string& dir : shard_dirs) {
    const std::string compacted = dir + ".compacting";
    try {
      Xapian::Database(dir).compact(compacted, Xapian::DBCOMPACT_NO_RENUMBER);
    } catch (const Xapian::Error& e) {
      return Status::IoError("cannot compact " + dir + ": " + e.get_description());
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
    if (ec || ::rename(compacted.c_str(), dir.c_str()) != 0) {
      return Status::IoError("cannot replace " + dir + " by its compacted copy: " + ErrnoText());
    }
  }
  return Status::Ok();
}

// Builds the new generation at `directory`: one database, or (shard_count > 1) the shards
// and the stub file listing them (common/shards.h). Returns the shard directories.
Result<std::vector<std::string>> BuildGeneration(std::string* directory, std::size_t shard_count,
                                                 bool compact,
                                                 const corpus::DocumentSource& docs,
                                                 const stemming::Analyzer& analyzer) {
  if (shard_count <= 1) {
    // Compacted: written by several threads and merged into the generation directory
    // (indexer/bulk_build.h).
    Status s = compact ? BuildCompactedDatabase(*directory, docs, analyzer)
                       : BuildDatabase(*directory, docs, analyzer);
    if (!s.ok()) return s;
    return std::vector<std::string>{*directory};
  }
  std::error_code ec;
  fs::create_directories(*directory, ec);
  if (ec) return Status::IoError("cannot create " + *directory + ": " + ec.message());
  std::vector<std::string> names, dirs;
  for (std::size_t i = 0; i < shard_count; ++i) {
    names.push_back(std::string(shards::kShardPrefix) + std::to_string(i));
    dirs.push_back(*directory + "/" + names.back());
  }
  Status s = BuildShards(dirs, docs, analyzer);
  if (s.ok() && compact) s = CompactShards(dirs);
  if (!s.ok()) return s;
  const std::string stub = *directory + "/" + std::string(shards::kStubName);
  const std::string text = shards::StubText(names);
  const int fd = ::open(stub.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0 || ::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size()) ||
      ::fsync(fd) != 0) {
    const std::string error = ErrnoText();
    if (fd >= 0) ::close(fd);
    return Status::IoError("cannot write " + stub + ": " + error);
  }
  ::close(fd);
  SyncDirectory(*directory);
  return dirs;
}

struct Replayed {
  std::size_t documents = 0, deletions = 0, carried_over = 0;
};

// Copies from the old shard `old` onto the new shards `fresh` (each in an open transaction;
// a document goes to the shard of its id) what the old index knows and the inputs may not:
// documents written after revision `after`, documents of no file (if `keep_unsourced`), and
// deletions after `after`. `touched[i]` is set for every new shard written to.
Status ReplayShard(const Xapian::Database& old, std::uint64_t after, bool keep_unsourced,
                   std::vector<Xapian::WritableDatabase>& fresh, std::vector<bool>& touched,
                   const stemming::Analyzer& analyzer, Replayed* replayed) {
  const std::string after_key = RevisionKey(after);
  // Every document has a written-at value; the source slot is set only for those of a file.
  // Walking both value streams in docid order finds both kinds in one sequential pass, which
  // matters because the old index's writers wait while this runs.
  Xapian::ValueIterator source = old.valuestream_begin(schema::kSlotSourcePath);
  const Xapian::ValueIterator source_end = old.valuestream_end(schema::kSlotSourcePath);
  for (Xapian::ValueIterator it = old.valuestream_begin(schema::kSlotWrittenAt);
       it != old.valuestream_end(schema::kSlotWrittenAt); ++it) {
    const bool later = *it > after_key;
    if (!later) {
      if (!keep_unsourced) continue;
      if (source != source_end && source.get_docid() < it.get_docid()) {
        source.skip_to(it.get_docid());
      }
      if (source != source_end && source.get_docid() == it.get_docid()) continue;  // a file's
    }
    const Xapian::Document stored = old.get_document(it.get_docid());
    // The stored JSON is what ParseDocument accepted when it was written; re-parse it so
    // the current analysis indexes it, as it does every other document of the rebuild.
    Result<corpus::Document> doc = corpus::ParseDocument(
        nlohmann::json::parse(stored.get_data(), nullptr, /*allow_exceptions=*/false));
    if (!doc.ok()) {
      return Status::Internal("cannot replay a stored document: " + doc.status().message());
    }
    const std::size_t k = shards::ShardOf(doc->id, fresh.size());
    const Provenance provenance{ContentHash(*doc, analyzer),
                                stored.get_value(schema::kSlotSourcePath),
                                fresh[k].get_revision() + 1};
    fresh[k].replace_document(std::string(schema::kPrefixId) + doc->id,
                              ToXapianDocument(*doc, analyzer, provenance));
    touched[k] = true;
    ++(later ? replayed->documents : replayed->carried_over);
  }
  const std::string prefix(schema::kDeletedKeyPrefix);
  for (Xapian::TermIterator it = old.metadata_keys_begin(prefix);
       it != old.metadata_keys_end(prefix); ++it) {
    if (old.get_metadata(*it) <= after_key) continue;
    const std::string id = (*it).substr(prefix.size());
    const std::string id_term = std::string(schema::kPrefixId) + id;
    Xapian::WritableDatabase& target = fresh[shards::ShardOf(id, fresh.size())];
    if (target.postlist_begin(id_term) == target.postlist_end(id_term)) continue;
    target.delete_document(id_term);
    touched[shards::ShardOf(id, fresh.size())] = true;
    ++replayed->deletions;
  }
  return Status::Ok();
}

// Replays every old shard (revisions `after`, one per old shard) onto the new shards, one
// commit per new shard written to.
Result<Replayed> Replay(std::vector<Xapian::WritableDatabase>& old,
                        const std::vector<std::uint64_t>& after, bool keep_unsourced,
                        const std::vector<std::string>& fresh_dirs,
                        const stemming::Analyzer& analyzer) {
  Replayed replayed;
  std::vector<Xapian::WritableDatabase> fresh;
  for (const std::string& dir : fresh_dirs) {
    fresh.emplace_back(dir, Xapian::DB_OPEN);
    fresh.back().begin_transaction();
  }
  std::vector<bool> touched(fresh.size(), false);
  for (std::size_t i = 0; i < old.size(); ++i) {
    const std::uint64_t since = i < after.size() ? after[i] : 0;
    if (Status s = ReplayShard(old[i], since, keep_unsourced, fresh, touched, analyzer, &replayed);
        !s.ok()) {
      return s;
    }
  }
  for (std::size_t i = 0; i < fresh.size(); ++i) {
    if (touched[i]) {
      fresh[i].commit_transaction();
    } else {
      fresh[i].cancel_transaction();
    }
    fresh[i].close();  // writers must be able to lock it as soon as the link points at it
  }
  return replayed;
}

// Removes generations older than the two kept; returns how many went.
std::size_t RemoveOldGenerations(const std::string& link, const std::string& keep_new,
                                 const std::string& keep_old) {
  const fs::path link_path(link);
  std::string escaped;
  for (char c : link_path.filename().string()) {
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) escaped += '\\';
    escaped += c;
  }
  // Only names this file gives (not DIR.lock, not a user's DIR.backup), and the scratch
  // databases of a bulk build (GENERATION.part-N, indexer/bulk_build.h) that was killed.
  const std::regex generation("^" + escaped +
                              R"(\.\d{8}T\d{6}\.\d{3}Z-(\d+|migrated)(-\d+)?(\.part-\d+)?$)");
  std::error_code ec;
  const fs::path new_path = fs::weakly_canonical(keep_new, ec);
  const fs::path old_path = keep_old.empty() ? fs::path() : fs::weakly_canonical(keep_old, ec);
  std::size_t removed = 0;
  for (const fs::directory_entry& entry : fs::directory_iterator(link_path.parent_path(), ec)) {
    if (!std::regex_match(entry.path().filename().string(), generation)) continue;
    if (!entry.is_directory(ec) || entry.is_symlink(ec)) continue;
    const fs::path p = fs::weakly_canonical(entry.path(), ec);
    if (p == new_path || p == old_path) continue;
    std::error_code remove_ec;
    fs::remove_all(entry.path(), remove_ec);
    if (!remove_ec) ++removed;
  }
  return removed;
}

std::string StripTrailingSlashes(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

// Points `link` at the new generation; a plain directory is moved aside first.
Status SwitchLink(const std::string& link, const Live& live, RebuildReport* report) {
  const std::string target_name = fs::path(report->new_directory).filename().string();
  report->old_directory = live.directory;
  if (live.kind != Live::Kind::kDirectory) return SwapSymlink(link, target_name);
  if (live.directory.empty()) {
    std::error_code ec;
    fs::remove(link, ec);  // the empty directory InspectLive accepted
    if (ec) return Status::IoError("cannot remove empty directory " + link + ": " + ec.message());
    return SwapSymlink(link, target_name);
  }
  // One-time migration from a plain directory: the only moment the path is missing.
  const std::string migrated = link + "." + UtcStamp() + "-migrated";
  if (::rename(link.c_str(), migrated.c_str()) != 0) {
    return Status::IoError("cannot move " + link + " aside to " + migrated + ": " + ErrnoText());
  }
  report->old_directory = migrated;
  const Status s = SwapSymlink(link, target_name);
  if (!s.ok()) ::rename(migrated.c_str(), link.c_str());  // put the old index back
  return s;
}

// The part of RebuildIndex after the build: lock, replay, switch, unlock. On error the
// caller removes the new generation; the link is unchanged.
Status ReplayAndSwitch(const std::string& link, const Live& live,
                       const std::vector<std::uint64_t>& after, bool keep_unsourced,
                       const std::vector<std::string>& fresh_dirs,
                       const stemming::Analyzer& analyzer, const WriteOptions& options,
                       RebuildReport* report) {
  if (live.directory.empty()) return SwitchLink(link, live, report);  // nothing to lock
  Result<LockedIndex> old = LockIndex(link, options);
  if (!old.ok()) return old.status();
  const Clock::time_point locked = Clock::now();
  if (old->directory != live.directory) {
    return Status::Unavailable("the index at " + link + " was switched by someone else "
                               "during the rebuild; run it again");
  }
  if (live.current_schema) {
    Result<Replayed> replayed = Replay(old->shards, after, keep_unsourced, fresh_dirs, analyzer);
    if (!replayed.ok()) return replayed.status();
    report->replayed = replayed->documents;
    report->replayed_deletions = replayed->deletions;
    report->carried_over = replayed->carried_over;
  }
  const Status switched = SwitchLink(link, live, report);
  // Only now may the old index's writers go on: a writer that was waiting finds the new
  // target when it re-resolves the link.
  for (Xapian::WritableDatabase& db : old->shards) db.close();
  report->locked_seconds = std::chrono::duration<double>(Clock::now() - locked).count();
  return switched;
}

}  // namespace

std::optional<LiveMark> MarkLiveIndex(const std::string& link_path) {
  std::error_code ec;
  const fs::path target = fs::canonical(link_path, ec);
  if (ec) return std::nullopt;
  Result<std::vector<shards::Shard>> layout = shards::ReadShards(target.string());
  if (!layout.ok()) return std::nullopt;
  LiveMark mark{target.string(), 0, {}};
  try {
    for (const shards::Shard& shard : *layout) {
      if (shard.remote) return std::nullopt;
      mark.revisions.push_back(Xapian::Database(shard.path).get_revision());
      mark.revision += mark.revisions.back();
    }
  } catch (const Xapian::Error&) {
    return std::nullopt;
  }
  return mark;
}

Result<RebuildReport> RebuildIndex(const std::string& link_path,
                                   const corpus::DocumentSource& documents,
                                   const stemming::Analyzer& analyzer,
                                   const WriteOptions& options) {
  RebuildOptions rebuild;
  rebuild.write = options;
  return RebuildIndex(link_path, documents, analyzer, rebuild);
}

Result<RebuildReport> RebuildIndex(const std::string& link_path,
                                   const corpus::DocumentSource& documents,
                                   const stemming::Analyzer& analyzer,
                                   const RebuildOptions& options) {
  const Clock::time_point started = Clock::now();
  std::error_code ec;
  // Absolute from here on: the lock, temporary link and generations are its siblings.
  const std::string link = fs::absolute(StripTrailingSlashes(link_path), ec).lexically_normal();
  const fs::path parent = fs::path(link).parent_path();
  fs::create_directories(parent, ec);
  if (ec) return Status::IoError("cannot create " + parent.string() + ": " + ec.message());

  Result<std::unique_ptr<RebuildLock>> lock =
      RebuildLock::Acquire(link, options.write.lock_timeout);
  if (!lock.ok()) return lock.status();
  Result<Live> live = InspectLive(link);
  if (!live.ok()) return live.status();
  const std::vector<std::uint64_t> after =
      options.replay_after && options.replay_after->directory == live->directory &&
              options.replay_after->revisions.size() == live->revisions.size()
          ? options.replay_after->revisions
          : live->revisions;
  // Unless told, a rebuild keeps the live index's number of shards.
  const std::size_t shard_count =
      options.shards > 0 ? options.shards : std::max<std::size_t>(1, live->revisions.size());

  RebuildReport report;
  report.new_directory = NewGenerationPath(link);
  report.documents = documents.size();
  report.shards = shard_count;
  Result<std::vector<std::string>> fresh_dirs = BuildGeneration(
      &report.new_directory, shard_count, options.compact, documents, analyzer);
  Status status = fresh_dirs.status();
  if (status.ok()) {
    if (options.before_switch) options.before_switch();
    try {
      status = ReplayAndSwitch(link, *live, after, options.keep_unsourced, *fresh_dirs, analyzer,
                               options.write, &report);
    } catch (const Xapian::Error& e) {
      status = Status::IoError("cannot replay changes into " + report.new_directory + ": " +
                               e.get_description());
    }
  }
  if (!status.ok()) {
    // Never remove what the link points at: a failure after the switch leaves it live.
    if (fs::canonical(link, ec) != fs::path(report.new_directory)) {
      fs::remove_all(report.new_directory, ec);
    }
    return status;
  }
  report.removed_generations =
      RemoveOldGenerations(link, report.new_directory, report.old_directory);
  report.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return report;
}

}  // namespace afori::indexer

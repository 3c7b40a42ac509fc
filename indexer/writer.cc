#include "indexer/writer.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <unordered_set>

#include "common/schema.h"
#include "common/shards.h"
#include "indexer/indexer.h"

namespace afori::indexer {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Short enough that a writer gets the lock soon after a commit (searchd's "searchable within
// a second"), long enough not to spin on a busy machine.
constexpr std::chrono::milliseconds kLockRetryInterval{20};

// The directory db_path names now: itself, or the generation a rebuild's symlink points at.
Result<std::string> ResolveIndex(const std::string& db_path) {
  std::error_code ec;
  const fs::path target = fs::canonical(db_path, ec);
  if (ec) {
    return Status::IoError("no index at " + db_path + " (" + ec.message() +
                           "); build one with `indexer build`");
  }
  return target.string();
}

std::string IdTerm(const std::string& id) { return std::string(schema::kPrefixId) + id; }

std::string DeletedKey(const std::string& id) {
  return std::string(schema::kDeletedKeyPrefix) + id;
}

// The docid of the document with `id`, or 0 when there is none.
Xapian::docid FindDocument(const Xapian::Database& db, const std::string& id) {
  const std::string term = IdTerm(id);
  Xapian::PostingIterator it = db.postlist_begin(term);
  return it == db.postlist_end(term) ? 0 : *it;
}

// The id of a document, read from its unique id term ("Q" + id; no other term starts with a
// capital Q, because unprefixed terms are lowercased words).
std::string IdOf(const Xapian::Document& doc) {
  Xapian::TermIterator it = doc.termlist_begin();
  it.skip_to(std::string(schema::kPrefixId));
  if (it == doc.termlist_end()) return {};
  const std::string term = *it;
  return term.starts_with(schema::kPrefixId) ? term.substr(schema::kPrefixId.size()) : "";
}

Status CheckSchema(const Xapian::Database& db, const std::string& db_path) {
  const std::string version = db.get_metadata(std::string(schema::kSchemaVersionKey));
  if (version == std::to_string(schema::kSchemaVersion)) return Status::Ok();
  return Status::SchemaMismatch("index at " + db_path + " has schema version " +
                                (version.empty() ? "none" : version) + ", this indexer writes " +
                                std::to_string(schema::kSchemaVersion) +
                                "; rebuild it with `indexer build`");
}

Status ValidateChanges(const std::vector<Change>& changes) {
  for (const Change& change : changes) {
    const std::string& id = change.kind == Change::Kind::kUpsert ? change.document.id : change.id;
    if (!corpus::IsValidId(id)) return Status::InvalidArgument("invalid document id '" + id + "'");
    // The source JSON is what is stored and hashed: a hand-made Document without it would
    // be stored empty and look unchanged next to any other such document.
    if (change.kind == Change::Kind::kUpsert && change.document.source_json.empty()) {
      return Status::InvalidArgument("document '" + id + "' has no source JSON; make it with "
                                     "corpus::ParseDocument");
    }
  }
  return Status::Ok();
}

// One call's work inside the open transaction: counts into `report`.
class ChangeApplier {
 public:
  ChangeApplier(Xapian::WritableDatabase& db, const stemming::Analyzer& analyzer,
                ChangeReport* report)
      : db_(db),
        analyzer_(analyzer),
        revision_(db.get_revision() + 1),
        revision_key_(RevisionKey(revision_)),
        report_(*report) {}

  bool changed() const { return changed_ > 0; }

  void Upsert(const corpus::Document& doc, const std::string& source_path) {
    upserted_.insert(doc.id);
    const std::string hash = ContentHash(doc, analyzer_);
    const std::string source = SourcePathKey(source_path);
    const Xapian::docid existing = FindDocument(db_, doc.id);
    if (existing != 0) {
      const Xapian::Document old = db_.get_document(existing);
      if (old.get_value(schema::kSlotContentHash) == hash &&
          (source.empty() || old.get_value(schema::kSlotSourcePath) == source)) {
        ++report_.unchanged;
        return;
      }
    }
    db_.replace_document(IdTerm(doc.id), ToXapianDocument(doc, analyzer_, {hash, source, revision_},
                                                          &cache_));
    // The id lives again: a rebuild must not replay its old deletion.
    const std::string key = DeletedKey(doc.id);
    if (!db_.get_metadata(key).empty()) db_.set_metadata(key, "");
    ++changed_;
    if (existing != 0) {
      ++report_.replaced;
      report_.replaced_ids.push_back(doc.id);
    } else {
      ++report_.added;
      report_.added_ids.push_back(doc.id);
    }
  }

  void Delete(const std::string& id) {
    if (FindDocument(db_, id) == 0) {
      ++report_.not_found;
      report_.not_found_ids.push_back(id);
      return;
    }
    db_.delete_document(IdTerm(id));
    db_.set_metadata(DeletedKey(id), revision_key_);
    ++changed_;
    ++report_.deleted;
    report_.deleted_ids.push_back(id);
  }

  void PruneMissing(const Prune& prune) {
    std::vector<std::string> dirs;
    for (const std::string& d : prune.directories) {
      std::string key = SourcePathKey(d);
      while (key.size() > 1 && key.back() == '/') key.pop_back();
      dirs.push_back(key + "/");
    }
    std::unordered_set<std::string> keep;
    for (const std::string& s : prune.keep_sources) keep.insert(SourcePathKey(s));
    // Collect first: deleting while iterating a value stream would invalidate it.
    std::vector<std::string> doomed;
    for (Xapian::ValueIterator it = db_.valuestream_begin(schema::kSlotSourcePath);
         it != db_.valuestream_end(schema::kSlotSourcePath); ++it) {
      const std::string path = *it;
      if (!path.ends_with(".json") || keep.count(path)) continue;
      if (std::none_of(dirs.begin(), dirs.end(),
                       [&](const std::string& d) { return path.starts_with(d); })) {
        continue;
      }
      std::string id = IdOf(db_.get_document(it.get_docid()));
      if (!id.empty() && !upserted_.count(id)) doomed.push_back(std::move(id));
    }
    std::sort(doomed.begin(), doomed.end());
    for (const std::string& id : doomed) Delete(id);
  }

 private:
  Xapian::WritableDatabase& db_;
  const stemming::Analyzer& analyzer_;
  const std::uint64_t revision_;
  const std::string revision_key_;
  ChangeReport& report_;
  stemming::WordCache cache_;  // the words of this call's documents, analysed once
  std::unordered_set<std::string> upserted_;
  std::size_t changed_ = 0;
};

// The shard directories of the index directory `target`; remote shards are refused.
Result<std::vector<std::string>> LocalShards(const std::string& target,
                                             const std::string& db_path) {
  Result<std::vector<shards::Shard>> layout = shards::ReadShards(target);
  if (!layout.ok()) return layout.status();
  std::vector<std::string> dirs;
  for (const shards::Shard& shard : *layout) {
    if (shard.remote) {
      return Status::IoError("index at " + db_path + " has the remote shard " + shard.Name() +
                             "; write to it on the host that serves it (writing to remote "
                             "shards through xapian-tcpsrv is not supported)");
    }
    dirs.push_back(shard.path);
  }
  return dirs;
}

}  // namespace

Result<LockedIndex> LockIndex(const std::string& db_path, const WriteOptions& options) {
  const Clock::time_point deadline = Clock::now() + options.lock_timeout;
  for (;;) {
    Result<std::string> target = ResolveIndex(db_path);
    if (!target.ok()) return target.status();
    LockedIndex locked{*target, {}, {}};
    bool switched = false;
    try {
      Result<std::vector<std::string>> dirs = LocalShards(*target, db_path);
      if (!dirs.ok()) return dirs.status();
      locked.shard_directories = *dirs;
      // Open the directories themselves, never the link (see LockedIndex), in stub order.
      for (const std::string& dir : locked.shard_directories) {
        for (;;) {
          try {
            locked.shards.emplace_back(dir, Xapian::DB_OPEN);
            break;
          } catch (const Xapian::DatabaseLockError&) {
            const Clock::time_point now = Clock::now();
            if (now >= deadline) {
              return Status::Unavailable("another writer holds the index lock at " + db_path +
                                         "; gave up after " +
                                         std::to_string(options.lock_timeout.count()) + " ms");
            }
            std::this_thread::sleep_for(
                std::min<Clock::duration>(kLockRetryInterval, deadline - now));
          }
        }
      }
      Result<std::string> now = ResolveIndex(db_path);
      if (now.ok() && *now == *target) return locked;
      switched = true;  // a rebuild switched the link while we waited: not live any more
    } catch (const Xapian::DatabaseOpeningError& e) {
      // A rebuild may have switched the link and removed the generation we resolved.
      Result<std::string> now = ResolveIndex(db_path);
      if (!(now.ok() && *now != *target)) {
        return Status::IoError("cannot open index at " + db_path + ": " + e.get_description());
      }
      switched = true;
    } catch (const Xapian::Error& e) {
      return Status::IoError("cannot open index at " + db_path + ": " + e.get_description());
    }
    if (switched) {
      for (Xapian::WritableDatabase& db : locked.shards) db.close();
    }
  }
}

Result<ChangeReport> ApplyChanges(const std::string& db_path, const std::vector<Change>& changes,
                                  const stemming::Analyzer& analyzer,
                                  const WriteOptions& options) {
  return ApplyChanges(db_path, changes, Prune{}, analyzer, options);
}

Result<ChangeReport> ApplyChanges(const std::string& db_path, const std::vector<Change>& changes,
                                  const Prune& prune, const stemming::Analyzer& analyzer,
                                  const WriteOptions& options) {
  if (Status s = ValidateChanges(changes); !s.ok()) return s;
  Result<LockedIndex> locked = LockIndex(db_path, options);
  if (!locked.ok()) return locked.status();
  std::vector<Xapian::WritableDatabase>& shards = locked->shards;
  try {
    for (const Xapian::WritableDatabase& db : shards) {
      if (Status s = CheckSchema(db, db_path); !s.ok()) return s;
    }
    ChangeReport report;
    // One transaction per shard: one commit however many changes, and Xapian's automatic
    // flushes write blocks without committing them. Leaving this scope without
    // commit_transaction() (an error, an exception) cancels it: the shard keeps its
    // previous commit.
    std::vector<ChangeApplier> appliers;
    appliers.reserve(shards.size());
    for (Xapian::WritableDatabase& db : shards) {
      db.begin_transaction();
      appliers.emplace_back(db, analyzer, &report);
    }
    for (const Change& change : changes) {
      const std::string& id = change.kind == Change::Kind::kUpsert ? change.document.id : change.id;
      ChangeApplier& applier = appliers[shards::ShardOf(id, shards.size())];
      if (change.kind == Change::Kind::kUpsert) {
        applier.Upsert(change.document, change.source_path);
      } else {
        applier.Delete(change.id);
      }
    }
    // A document lives in the shard of its id, so each shard's applier knows every upsert
    // that could spare one of its documents.
    if (!prune.directories.empty()) {
      for (ChangeApplier& applier : appliers) applier.PruneMissing(prune);
    }
    report.revision = 0;
    for (std::size_t i = 0; i < shards.size(); ++i) {
      if (appliers[i].changed()) {
        shards[i].commit_transaction();
      } else {
        shards[i].cancel_transaction();  // nothing to commit: the revision stays as it is
      }
      report.revision += shards[i].get_revision();
    }
    for (Xapian::WritableDatabase& db : shards) db.close();  // release the locks now
    return report;
  } catch (const Xapian::Error& e) {
    return Status::IoError("cannot write index at " + db_path + ": " + e.get_description());
  }
}

std::string ContentHash(const corpus::Document& document, const stemming::Analyzer& analyzer) {
  return ContentHashOfJson(document.source_json, analyzer);
}

std::string ContentHashOfJson(std::string_view source_json, const stemming::Analyzer& analyzer) {
  // FNV-1a 64: simple, stable across platforms and versions (std::hash is neither), and
  // collisions only matter between two versions of the same document.
  std::uint64_t h = 0xcbf29ce484222325ULL;
  auto mix = [&h](std::string_view bytes) {
    for (unsigned char c : bytes) {
      h ^= c;
      h *= 0x100000001b3ULL;
    }
  };
  mix(source_json);  // nlohmann::json objects are std::maps: keys come sorted
  mix("\x1f");
  mix(analyzer.Fingerprint());
  mix("\x1f");
  mix(std::to_string(schema::kSchemaVersion));
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace afori::indexer

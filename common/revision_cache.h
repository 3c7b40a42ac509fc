// RevisionCache<T>: one object derived from an index, rebuilt when the index changes.
//
// The vocabulary (stemming/vocabulary.h) and the suggestion index (searchd/suggest.h) are
// built from the whole database once per revision and then shared read-only. For() returns
// the object of the handle's index generation (Database::get_uuid(): revisions start again
// after a full rebuild) and revision; an older handle of the same generation gets the newer
// object rather than a rebuild. A sharded index (common/shards.h) has no single revision (Xapian
// refuses get_revision() on a combined database): its caller passes the generation as all
// shards' uuids and the revision as the sum of theirs (searchd::IndexView). T needs `static std::shared_ptr<const T> FromDatabase(const
// Xapian::Database&)`.
//
// Thread safety: thread-safe; the objects handed out are immutable.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include <xapian.h>

namespace afori {

template <typename T>
class RevisionCache {
 public:
  std::shared_ptr<const T> For(const Xapian::Database& db) {
    return For(db, db.get_uuid(), db.get_revision());
  }
  std::shared_ptr<const T> For(const Xapian::Database& db, const std::string& uuid,
                               Xapian::rev revision) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (current_ && uuid == uuid_ && revision <= revision_) return current_;
    }
    // Built outside the lock, so that requests never wait behind a build; two threads
    // meeting a new revision together may both build the same thing.
    std::shared_ptr<const T> built = T::FromDatabase(db);
    std::lock_guard<std::mutex> lock(mu_);
    if (!current_ || uuid != uuid_ || revision > revision_) {
      current_ = std::move(built);
      revision_ = revision;
      uuid_ = uuid;
    }
    return current_;
  }

 private:
  std::mutex mu_;
  std::shared_ptr<const T> current_;
  Xapian::rev revision_ = 0;
  std::string uuid_;  // of the database generation current_ was built from
};

}  // namespace afori

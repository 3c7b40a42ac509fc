// IndexRefresher: what searchd derives from each version of the index, built off the
// request path.
//
// Three things are computed from the whole index and then shared read-only by requests: the
// spelling vocabulary (stemming/vocabulary.h: corrections, missing å/ä/ö), the suggestion
// index (searchd/suggest.h) and the facet columns (searchd/facet_columns.h). Building them
// reads every term or every document: milliseconds at 1,000 documents, seconds at 100,000
// (docs/performance.md). If the first request after a commit built them, that request would
// wait as long, and with an editor committing every second, most requests would. So a thread
// of the refresher's own builds them, with a handle of the pool, when a request shows that
// the index has a new version. Until that build is done requests get:
//   - the previous vocabulary and suggestion index: a word or title of the newest commit is
//     not corrected towards or suggested yet (search itself sees it at once);
//   - no facet columns, since columns must describe exactly the revision they count over:
//     facets and boosts then read value slots, which gives the same answers, only slower.
// Only while nothing at all has been built (the first request of an in-process server;
// searchd itself calls RefreshNow() before it listens) does a request build on its own thread.
//
// To leave the cores to requests, the thread rests after each build three times as long as
// the build took: it uses a quarter of one core at most, however often the index changes.
// A build that fails (the index changed under it twice, or could not be read) is counted and
// tried again at the next wake-up; the previous state keeps serving. Known limit: Xapian
// lets a reader fall at most one commit behind, so a build that takes longer than two
// commits' interval (seconds at 100,000 documents against an editor committing every
// second) fails each time until the commits pause; the failures metric shows it.
//
// Thread safety: thread-safe; the objects handed out are immutable and may outlive the
// refresher.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

#include <xapian.h>

#include "searchd/database_pool.h"
#include "searchd/facet_columns.h"
#include "searchd/suggest.h"
#include "stemming/vocabulary.h"

namespace afori::searchd {

struct DerivedState {
  std::shared_ptr<const stemming::Vocabulary> vocabulary;  // null only if never built
  std::shared_ptr<const SuggestIndex> suggestions;         // null only if never built
  // The IndexView::version the vocabulary and suggestions were built from: part of the ETag
  // of any answer they shape, so that a cached answer is not kept once they are rebuilt.
  std::string version;
  // Of exactly the version the request sees, else null; always null over several shards
  // (Xapian gives match spies and posting sources shard-local docids).
  std::shared_ptr<const FacetColumns> facet_columns;
};

struct RefresherStats {
  std::uint64_t builds = 0;    // completed builds of the whole state, by any thread
  std::uint64_t failures = 0;  // builds abandoned on an exception
  double last_build_seconds = 0;
  bool stale = false;  // the last request saw a newer index than the vocabulary's
};

class IndexRefresher {
 public:
  // Starts the thread. `pool` must outlive the refresher.
  explicit IndexRefresher(DatabasePool& pool);
  // Cancels a build in progress (it stops within one term, title or value read) and stops
  // the thread.
  ~IndexRefresher();
  IndexRefresher(const IndexRefresher&) = delete;
  IndexRefresher& operator=(const IndexRefresher&) = delete;

  // What a request holding `db`, which shows `view`, uses; wakes the thread when any of it
  // is older than `view`.
  DerivedState For(const Xapian::Database& db, const IndexView& view);

  // Builds, on the caller's thread, whatever is older than the index now; false if Cancel()
  // stopped it first. Xapian exceptions and IndexUnavailableError escape.
  bool RefreshNow();

  // For a server shutting down: stops a build in progress (RefreshNow()'s or the thread's)
  // and builds no more in the background. For() keeps serving what was built; a first
  // request with nothing built still builds on its own thread.
  void Cancel();

  RefresherStats stats() const;

 private:
  void Loop();
  // Builds what is older than `view` from `db` and installs it; false if `stop` came first
  // (what was complete by then is installed).
  bool BuildFrom(const Xapian::Database& db, const IndexView& view, std::stop_token stop);

  DatabasePool& pool_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool wanted_ = false;  // a request saw a newer version than the one built
  bool stop_ = false;
  std::stop_source cancel_;  // Cancel() and the destructor; builds check its token
  DerivedState text_;  // vocabulary, suggestions and their version
  std::shared_ptr<const FacetColumns> columns_;
  std::string columns_version_;
  RefresherStats stats_;
  std::mutex build_mu_;  // one build at a time: the thread's, RefreshNow()'s or the first request's
  std::thread thread_;   // last: started once everything above exists
};

}  // namespace afori::searchd

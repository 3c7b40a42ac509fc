#include "searchd/index_refresher.h"

#include <utility>

namespace afori::searchd {

IndexRefresher::IndexRefresher(DatabasePool& pool) : pool_(pool) {
  thread_ = std::thread([this] { Loop(); });
}

IndexRefresher::~IndexRefresher() {
  Cancel();
  thread_.join();
}

void IndexRefresher::Cancel() {
  cancel_.request_stop();
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
}

DerivedState IndexRefresher::For(const Xapian::Database& db, const IndexView& view) {
  bool empty;
  {
    std::lock_guard<std::mutex> lock(mu_);
    empty = !text_.vocabulary;
  }
  if (empty) {
    // Nothing to serve with yet: this request builds, and any others arriving meanwhile
    // wait for it rather than building the same thing.
    std::lock_guard<std::mutex> build(build_mu_);
    {
      std::lock_guard<std::mutex> lock(mu_);
      empty = !text_.vocabulary;
    }
    // Not cancellable: the request needs a state to answer with.
    if (empty) BuildFrom(db, view, {});
  }
  std::lock_guard<std::mutex> lock(mu_);
  DerivedState out = text_;
  if (columns_version_ == view.version) out.facet_columns = columns_;
  stats_.stale = text_.version != view.version;
  const bool behind = stats_.stale || (db.size() == 1 && columns_version_ != view.version);
  if (behind && !wanted_) {
    wanted_ = true;
    wake_.notify_all();
  }
  return out;
}

bool IndexRefresher::RefreshNow() {
  std::lock_guard<std::mutex> build(build_mu_);
  return pool_.With([this](Xapian::Database& db, const IndexView& view) {
    return BuildFrom(db, view, cancel_.get_token());
  });
}

RefresherStats IndexRefresher::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

bool IndexRefresher::BuildFrom(const Xapian::Database& db, const IndexView& view,
                               std::stop_token stop) {
  bool text_behind, columns_behind;
  {
    std::lock_guard<std::mutex> lock(mu_);
    text_behind = text_.version != view.version || !text_.vocabulary;
    columns_behind = db.size() == 1 && columns_version_ != view.version;
  }
  if (!text_behind && !columns_behind) return true;
  const auto start = std::chrono::steady_clock::now();
  // The columns first: they are the quickest to read and what most requests gain from.
  if (columns_behind) {
    std::shared_ptr<const FacetColumns> columns = FacetColumns::FromDatabase(db, stop);
    if (!columns) return false;
    std::lock_guard<std::mutex> lock(mu_);
    columns_ = std::move(columns);
    columns_version_ = view.version;
  }
  if (text_behind) {
    DerivedState text;
    text.vocabulary = stemming::Vocabulary::FromDatabase(db, stop);
    if (!text.vocabulary) return false;
    text.suggestions = SuggestIndex::FromDatabase(db, stop);
    if (!text.suggestions) return false;
    text.version = view.version;
    std::lock_guard<std::mutex> lock(mu_);
    text_ = std::move(text);
  }
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  std::lock_guard<std::mutex> lock(mu_);
  ++stats_.builds;
  stats_.last_build_seconds = took.count();
  return true;
}

void IndexRefresher::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    wake_.wait(lock, [this] { return stop_ || wanted_; });
    if (stop_) return;
    wanted_ = false;
    lock.unlock();
    const auto start = std::chrono::steady_clock::now();
    bool failed = false;
    try {
      std::lock_guard<std::mutex> build(build_mu_);
      pool_.With([this](Xapian::Database& db, const IndexView& view) {
        return BuildFrom(db, view, cancel_.get_token());
      });
    } catch (...) {
      // The index changed under the build twice, or cannot be read just now: what was
      // built before keeps serving, and the next request showing a new version retries.
      failed = true;
    }
    const auto took = std::chrono::steady_clock::now() - start;
    lock.lock();
    if (failed) ++stats_.failures;
    wake_.wait_for(lock, 3 * took, [this] { return stop_; });
  }
}

}  // namespace afori::searchd

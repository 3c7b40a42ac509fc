// WordCachePool: lends each concurrent search a stemming::WordCache of its own, kept across
// searches.
//
// The highlighter analyses the words of up to 100 hit bodies per search, and decompounding a
// word it has not seen is the expensive part (docs/performance.md). A word's analysis does
// not depend on the query or the index, so a memo that outlives one search saves that work
// for every later one; but a WordCache is not thread-safe. The pool hands out caches one
// request at a time and takes them back, so there are never more caches than requests that
// ran at once (in searchd, at most --threads: HttpServer borrows one inside a database
// lease), and each keeps at most `max_words` words.
//
// Thread safety: Borrow() may be called from any thread; a lease's cache belongs to the
// borrowing thread until the lease is destroyed. The pool must outlive its leases.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "stemming/analysis.h"

namespace afori::searchd {

class WordCachePool {
 public:
  // Measured at 100,000 generated documents: query_bench's peak RSS grew by 15.6 MB with
  // three caches after 1,000 searches each (docs/performance.md), so about 5 MB a cache.
  static constexpr std::size_t kDefaultMaxWords = 1 << 16;

  explicit WordCachePool(std::size_t max_words = kDefaultMaxWords) : max_words_(max_words) {}
  WordCachePool(const WordCachePool&) = delete;
  WordCachePool& operator=(const WordCachePool&) = delete;

  class Lease {
   public:
    Lease(Lease&& other) noexcept : pool_(other.pool_), cache_(std::move(other.cache_)) {}
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    stemming::WordCache* get() const { return cache_.get(); }

   private:
    friend class WordCachePool;
    Lease(WordCachePool* pool, std::unique_ptr<stemming::WordCache> cache)
        : pool_(pool), cache_(std::move(cache)) {}
    WordCachePool* pool_;
    std::unique_ptr<stemming::WordCache> cache_;
  };

  // A cache that no other lease holds: a returned one when there is one, else a new one.
  Lease Borrow();

  // How many caches exist (lent and idle): the most requests that ever borrowed at once.
  std::size_t created() const;

 private:
  void Return(std::unique_ptr<stemming::WordCache> cache);

  const std::size_t max_words_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<stemming::WordCache>> idle_;
  std::size_t created_ = 0;
};

}  // namespace afori::searchd

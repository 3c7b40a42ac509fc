#include "searchd/word_cache_pool.h"

namespace afori::searchd {

WordCachePool::Lease::~Lease() {
  if (cache_) pool_->Return(std::move(cache_));
}

WordCachePool::Lease WordCachePool::Borrow() {
  std::unique_ptr<stemming::WordCache> cache;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!idle_.empty()) {
      cache = std::move(idle_.back());
      idle_.pop_back();
    } else {
      ++created_;
    }
  }
  // Built outside the lock: the first requests after start-up do not wait for each other.
  if (!cache) cache = std::make_unique<stemming::WordCache>(max_words_);
  return Lease(this, std::move(cache));
}

std::size_t WordCachePool::created() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return created_;
}

void WordCachePool::Return(std::unique_ptr<stemming::WordCache> cache) {
  std::lock_guard<std::mutex> lock(mutex_);
  idle_.push_back(std::move(cache));
}

}  // namespace afori::searchd

#include "searchd/thread_pool.h"

#include <algorithm>
#include <thread>

namespace afori::searchd {

ElasticThreadPool::ElasticThreadPool(std::size_t min_threads, std::size_t max_threads,
                                     std::chrono::milliseconds idle_timeout)
    : min_threads_(std::max<std::size_t>(min_threads, 1)),
      max_threads_(std::max(max_threads, std::max<std::size_t>(min_threads, 1))),
      idle_timeout_(idle_timeout) {
  std::lock_guard lock(mu_);
  for (std::size_t i = 0; i < min_threads_; ++i) StartWorker();
}

ElasticThreadPool::~ElasticThreadPool() { shutdown(); }

void ElasticThreadPool::StartWorker() {
  ReapEnded();
  ++threads_;
  // The thread learns its own place in workers_ before it runs, so that when it ends it
  // can hand it over to be joined (a thread cannot join itself).
  const Workers::iterator self = workers_.emplace(workers_.end());
  *self = std::thread([this, self] { Work(self); });
}

void ElasticThreadPool::ReapEnded() {
  for (Workers::iterator it : ended_) {
    it->join();  // it has returned from Work(): this does not wait for long
    workers_.erase(it);
  }
  ended_.clear();
}

void ElasticThreadPool::enqueue(std::function<void()> fn) {
  {
    std::lock_guard lock(mu_);
    if (shutdown_) return;
    jobs_.push_back(std::move(fn));
    // Workers already woken for earlier jobs are not idle for this one.
    if (jobs_.size() > idle_ && threads_ < max_threads_) StartWorker();
    high_water_ = std::max(high_water_, jobs_.size() > idle_ ? jobs_.size() - idle_ : 0);
  }
  work_.notify_one();
}

void ElasticThreadPool::Work(Workers::iterator self) {
  std::unique_lock lock(mu_);
  for (;;) {
    ++idle_;
    const bool woken = work_.wait_for(lock, idle_timeout_, [&] { return !jobs_.empty() || shutdown_; });
    --idle_;
    if (!jobs_.empty()) {
      std::function<void()> job = std::move(jobs_.front());
      jobs_.pop_front();
      lock.unlock();
      job();
      lock.lock();
      continue;
    }
    if (shutdown_ || (!woken && threads_ > min_threads_)) break;
  }
  --threads_;
  ended_.push_back(self);
}

void ElasticThreadPool::shutdown() {
  Workers workers;
  {
    std::lock_guard lock(mu_);
    if (shutdown_ && workers_.empty()) return;
    shutdown_ = true;
    workers.swap(workers_);
    ended_.clear();
  }
  work_.notify_all();
  for (std::thread& t : workers) t.join();  // each finishes the queue, then returns
}

std::size_t ElasticThreadPool::threads() const {
  std::lock_guard lock(mu_);
  return threads_;
}

std::size_t ElasticThreadPool::high_water() const {
  std::lock_guard lock(mu_);
  return high_water_;
}

}  // namespace afori::searchd

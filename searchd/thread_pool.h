// ElasticThreadPool: the worker threads of searchd's HTTP servers.
//
// cpp-httplib serves each connection on one worker thread from accept to close, reading with
// blocking calls; a client that sends its request slowly (slowloris) holds a worker for as
// long as it trickles bytes within the read timeout. With a fixed pool of a few threads, a
// few such clients starve everyone else. This pool keeps `min_threads` workers and starts
// more whenever a connection arrives and none is idle, up to `max_threads`; workers above
// the minimum end after `idle_timeout` without work. Connections beyond `max_threads` wait
// in the queue, whose length high_water() reports. So slow clients cost a thread each
// (a small stack, mostly untouched) rather than the service, up to `max_threads` of them;
// past that, searchd needs a proxy with a header timeout in front (docs/hardening.md).
//
// Thread safety: enqueue() and the accessors may be called from any thread; shutdown()
// once, after which enqueue() drops work (cpp-httplib calls it only after accepting stops).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <list>
#include <mutex>
#include <thread>
#include <vector>

#include <httplib.h>

namespace afori::searchd {

class ElasticThreadPool : public httplib::TaskQueue {
 public:
  ElasticThreadPool(std::size_t min_threads, std::size_t max_threads,
                    std::chrono::milliseconds idle_timeout = std::chrono::seconds(30));
  ~ElasticThreadPool() override;

  void enqueue(std::function<void()> fn) override;
  // Runs what is queued, then stops every worker and waits for them.
  void shutdown() override;

  std::size_t threads() const;     // workers alive now
  std::size_t high_water() const;  // most jobs ever waiting for a worker at once

 private:
  using Workers = std::list<std::thread>;
  void StartWorker();  // mu_ held
  void Work(Workers::iterator self);
  void ReapEnded();    // mu_ held: joins workers that have ended

  const std::size_t min_threads_, max_threads_;
  const std::chrono::milliseconds idle_timeout_;
  mutable std::mutex mu_;
  std::condition_variable work_;   // jobs or shutdown
  std::deque<std::function<void()>> jobs_;
  Workers workers_;
  std::vector<Workers::iterator> ended_;  // workers that returned, to join
  std::size_t threads_ = 0, idle_ = 0, high_water_ = 0;
  bool shutdown_ = false;
};

}  // namespace afori::searchd

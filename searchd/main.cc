// searchd: serves the search API over HTTP.
//
//   searchd --db DIR [--db DIR]... [--remote-timeout-ms 10000] [--remote-connect-timeout-ms 2000]
//           [--shard-retry-ms 1000] [--host 127.0.0.1] [--port 8080] [--threads N]
//           [--max-threads 256] [--data-dir DIR]
//           [--synonyms FILE|none] [--cors-origin ORIGIN]... [--cors-origins-file FILE]
//           [--today YYYY-MM-DD] [--web-root DIR|none]
//           [--admin-token-file FILE [--admin-host 127.0.0.1] [--admin-port 8081]
//            [--lock-timeout-ms 10000]]
//           [--meili-index-uid kunskapsbank] [--meili-api-key-file FILE] [--no-meili]
//           [--access-log FILE|-]
//
// --data-dir is the project root holding stemming/lexicon/ (default: the source tree this
// binary was built from); --synonyms defaults to DATA_DIR/corpus/synonyms.txt and is
// re-read whenever it changes. --cors-origin (repeatable) and --cors-origins-file (one origin a
// line, '#' comments) make the allow-list of browser origins; "*" allows any. --today fixes
// the date open/closed calls are judged by (for demos and tests); default: today (UTC).
// --web-root is the folder of the search page served at / (docs/search-page.md); default
// DATA_DIR/web, "none" serves no page. --admin-token-file turns on the admin API for the CMS
// (searchd/admin_api.h) on its own port, loopback unless --admin-host says otherwise; it
// prints "searchd: admin API on http://HOST:PORT/". --lock-timeout-ms bounds how long an
// admin write waits for another writer (the CLI indexer) before answering 503.
// The Meilisearch-compatible search API (docs/meilisearch-compat.md) answers on the same port
// for the index uid --meili-index-uid; --meili-api-key-file makes it require that key as a
// bearer token (first line of the file, 16 characters or more); --no-meili turns it off.
// --access-log appends one JSON line per request of either API to FILE ("-": stderr); default:
// no access log. GET /metrics serves request and index metrics in the Prometheus text format
// (docs/observability.md).
//
// --threads is how many searches run at once (database handles); --max-threads bounds the
// worker threads, one per open connection, so slow clients cannot take them all.
// --db names the index: a directory, the symlink `indexer build` maintains, or a Xapian stub
// file listing shards ("auto PATH", "remote HOST:PORT" for xapian-tcpsrv); given several
// times, all of them are searched as one index (docs/scaling.md). Remote shards are opened
// with --remote-timeout-ms per operation and --remote-connect-timeout-ms to connect; one that
// cannot be reached is tried again every --shard-retry-ms, and meanwhile searches answer 503
// naming it (or, with partial=1, the results of the others). The admin API needs one --db.
//
// --port 0 picks a free port. Once listening, prints "searchd: listening on http://HOST:PORT/"
// on stdout. SIGINT or SIGTERM stops it cleanly. Exit status: 0 after a clean stop, 2 usage
// error, 3 the index could not be opened (missing, or another schema version), the port
// could not be bound or the access log could not be opened.
#include <malloc.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <pthread.h>

#include "searchd/admin_api.h"
#include "searchd/database_pool.h"
#include "common/schema.h"
#include "searchd/access_log.h"
#include "searchd/http_api.h"
#include "searchd/meili_request.h"
#include "searchd/synonym_source.h"
#include "stemming/analysis.h"

namespace {

constexpr int kExitUsage = 2;
constexpr int kExitFailed = 3;

constexpr std::string_view kUsage =
    "usage: searchd --db DIR [--db DIR]... [--host 127.0.0.1] [--port 8080] [--threads N]\n"
    "               [--max-threads N] [--remote-timeout-ms N] [--remote-connect-timeout-ms N]\n"
    "               [--shard-retry-ms N]\n"
    "               [--data-dir DIR] [--synonyms FILE|none] [--cors-origin ORIGIN]...\n"
    "               [--cors-origins-file FILE] [--today YYYY-MM-DD]\n"
    "               [--web-root DIR|none] [--admin-token-file FILE [--admin-host HOST]\n"
    "               [--admin-port PORT] [--lock-timeout-ms N]]\n"
    "               [--meili-index-uid UID] [--meili-api-key-file FILE] [--no-meili]\n"
    "               [--access-log FILE|-]\n";

struct Options {
  std::vector<std::string> db;
  afori::searchd::PoolOptions pool;
  std::string host = "127.0.0.1";
  int port = 8080;
  std::size_t threads = 0;  // 0: the number of cores, at least 4
  std::size_t max_threads = 256;
  std::string data_dir = AFORI_DATA_DIR;
  std::string synonyms;  // empty: data_dir/corpus/synonyms.txt; "none": no synonyms
  std::set<std::string> cors_origins;
  std::string today;
  std::string web_root;  // empty: data_dir/web; "none": no search page
  std::string admin_token_file;  // empty: no admin API
  std::string admin_host = "127.0.0.1";
  int admin_port = 8081;
  long lock_timeout_ms = 10000;
  bool meili = true;
  std::string meili_index_uid = std::string(afori::searchd::kDefaultMeiliIndexUid);
  std::string meili_api_key_file;  // empty: no key required
  std::string access_log;  // empty: none; "-": stderr
};

// One origin a line; blank lines and '#' comments ignored.
bool ReadOrigins(const std::string& path, std::set<std::string>* out, std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = "cannot read --cors-origins-file " + path;
    return false;
  }
  for (std::string line; std::getline(in, line);) {
    line = line.substr(0, line.find('#'));
    const std::size_t b = line.find_first_not_of(" \t\r");
    if (b == std::string::npos) continue;
    out->insert(line.substr(b, line.find_last_not_of(" \t\r") - b + 1));
  }
  return true;
}

bool ParseNumber(std::string_view text, long max, long* out) {
  if (text.empty() || text.size() > 9) return false;
  long v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  if (v > max) return false;
  *out = v;
  return true;
}

bool ParseOptions(int argc, char** argv, Options* o, std::string* error) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    const bool has_value = i + 1 < argc;
    long n = 0;
    if (arg == "--db" && has_value) {
      o->db.emplace_back(argv[++i]);
    } else if ((arg == "--remote-timeout-ms" || arg == "--remote-connect-timeout-ms" ||
                arg == "--shard-retry-ms") &&
               has_value) {
      if (!ParseNumber(argv[++i], 3600000, &n) || n == 0) {
        *error = std::string(arg) + " must be a number of milliseconds from 1 to 3600000";
        return false;
      }
      (arg == "--remote-timeout-ms"           ? o->pool.remote_timeout
       : arg == "--remote-connect-timeout-ms" ? o->pool.remote_connect_timeout
                                              : o->pool.retry_interval) =
          std::chrono::milliseconds(n);
    } else if (arg == "--data-dir" && has_value) {
      o->data_dir = argv[++i];
    } else if (arg == "--synonyms" && has_value) {
      o->synonyms = argv[++i];
    } else if (arg == "--admin-token-file" && has_value) {
      o->admin_token_file = argv[++i];
    } else if (arg == "--meili-index-uid" && has_value) {
      o->meili_index_uid = argv[++i];
      if (o->meili_index_uid.empty() ||
          o->meili_index_uid.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                               "0123456789-_") != std::string::npos) {
        *error = "--meili-index-uid must be letters, digits, - and _, got '" + o->meili_index_uid + "'";
        return false;
      }
    } else if (arg == "--meili-api-key-file" && has_value) {
      o->meili_api_key_file = argv[++i];
    } else if (arg == "--access-log" && has_value) {
      o->access_log = argv[++i];
      if (o->access_log.empty()) {
        *error = "--access-log needs a file name or -";
        return false;
      }
    } else if (arg == "--no-meili") {
      o->meili = false;
    } else if (arg == "--admin-host" && has_value) {
      o->admin_host = argv[++i];
    } else if (arg == "--admin-port" && has_value) {
      if (!ParseNumber(argv[++i], 65535, &n)) {
        *error = "--admin-port must be a number from 0 to 65535";
        return false;
      }
      o->admin_port = static_cast<int>(n);
    } else if (arg == "--lock-timeout-ms" && has_value) {
      if (!ParseNumber(argv[++i], 600000, &n)) {
        *error = "--lock-timeout-ms must be a number from 0 to 600000";
        return false;
      }
      o->lock_timeout_ms = n;
    } else if (arg == "--cors-origin" && has_value) {
      o->cors_origins.insert(argv[++i]);
    } else if (arg == "--cors-origins-file" && has_value) {
      if (!ReadOrigins(argv[++i], &o->cors_origins, error)) return false;
    } else if (arg == "--today" && has_value) {
      o->today = argv[++i];
      if (!afori::searchd::IsValidDate(o->today)) {
        *error = "--today must be a date YYYY-MM-DD, got '" + o->today + "'";
        return false;
      }
    } else if (arg == "--web-root" && has_value) {
      o->web_root = argv[++i];
    } else if (arg == "--host" && has_value) {
      o->host = argv[++i];
    } else if (arg == "--port" && has_value) {
      if (!ParseNumber(argv[++i], 65535, &n)) {
        *error = "--port must be a number from 0 to 65535";
        return false;
      }
      o->port = static_cast<int>(n);
    } else if (arg == "--max-threads" && has_value) {
      if (!ParseNumber(argv[++i], 4096, &n) || n == 0) {
        *error = "--max-threads must be a number from 1 to 4096";
        return false;
      }
      o->max_threads = static_cast<std::size_t>(n);
    } else if (arg == "--threads" && has_value) {
      if (!ParseNumber(argv[++i], 1024, &n) || n == 0) {
        *error = "--threads must be a number from 1 to 1024";
        return false;
      }
      o->threads = static_cast<std::size_t>(n);
    } else {
      *error = "unknown or incomplete option '" + std::string(arg) + "'";
      return false;
    }
  }
  if (o->db.empty()) *error = "missing --db DIR";
  if (o->db.size() > 1 && !o->admin_token_file.empty()) {
    *error = "the admin API writes to one index: give one --db (a stub file can list shards)";
  }
  return error->empty();
}

// Waits on a thread of its own for SIGINT or SIGTERM (blocked in every other thread), then
// stops `server` until destroyed: again and again, since a signal that comes while searchd
// prepares the index or binds arrives before Run() listens, and one Stop() could be missed.
class SignalStopper {
 public:
  SignalStopper(const sigset_t& signals, afori::searchd::HttpServer& server)
      : thread_([this, signals, &server] {
          int sig = 0;
          sigwait(&signals, &sig);
          while (!finished_) {
            server.Stop();
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
          }
        }) {}
  ~SignalStopper() {
    finished_ = true;
    pthread_kill(thread_.native_handle(), SIGTERM);  // wakes sigwait() if no signal came
    thread_.join();
  }
  SignalStopper(const SignalStopper&) = delete;
  SignalStopper& operator=(const SignalStopper&) = delete;

 private:
  std::atomic<bool> finished_{false};
  std::thread thread_;  // last: started once finished_ exists
};

int Serve(const Options& options) {
  // Signals go to a dedicated thread (blocked everywhere else), which stops the server.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  const std::size_t threads =
      options.threads ? options.threads : std::max(4u, std::thread::hardware_concurrency());
  auto pool = afori::searchd::DatabasePool::Open(options.db, threads, options.pool);
  if (!pool.ok()) {
    std::cerr << "searchd: " << pool.status().message() << "\n";
    return kExitFailed;
  }
  auto analyzer =
      afori::stemming::Analyzer::Load(afori::stemming::DefaultAnalysisConfig(options.data_dir));
  if (!analyzer.ok()) {
    std::cerr << "searchd: " << analyzer.status().message() << "\n";
    return kExitFailed;
  }
  std::unique_ptr<afori::searchd::SynonymSource> synonyms;
  if (options.synonyms != "none") {
    const std::string path = options.synonyms.empty()
                                 ? options.data_dir + "/corpus/synonyms.txt"
                                 : options.synonyms;
    auto opened = afori::searchd::SynonymSource::Open(path, (*analyzer)->StemFunction());
    if (!opened.ok()) {
      std::cerr << "searchd: " << opened.status().message() << "\n";
      return kExitFailed;
    }
    synonyms = std::move(*opened);
  }
  const std::string indexed_analysis = (*pool)->With([](Xapian::Database& db) {
    return db.get_metadata(std::string(afori::schema::kAnalysisKey));
  });
  if (indexed_analysis != (*analyzer)->Fingerprint()) {
    std::cerr << "searchd: warning: the index was analysed with '" << indexed_analysis
              << "' but this searchd analyses queries with '" << (*analyzer)->Fingerprint()
              << "'; rebuild the index for exact matching\n";
  }
  // Request metrics and the access log, shared by the search and the admin API.
  afori::searchd::Metrics metrics;
  std::unique_ptr<afori::searchd::AccessLog> access_log;
  if (!options.access_log.empty()) {
    auto opened = afori::searchd::AccessLog::Open(options.access_log);
    if (!opened.ok()) {
      std::cerr << "searchd: --access-log: " << opened.status().message() << "\n";
      return kExitFailed;
    }
    access_log = std::move(*opened);
  }
  const afori::searchd::Observers observers{&metrics, access_log.get()};
  afori::searchd::HttpOptions http;
  http.threads = threads;
  http.max_threads = std::max(options.max_threads, threads);
  http.observers = observers;
  http.cors_origins = options.cors_origins;
  http.today = options.today;
  if (options.web_root != "none") {
    http.web_root = options.web_root.empty() ? options.data_dir + "/web" : options.web_root;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(http.web_root + "/index.html", ec)) {
      std::cerr << "searchd: warning: no index.html in --web-root " << http.web_root
                << "; GET / answers 404\n";
    }
  }
  http.meili.enabled = options.meili;
  http.meili.index_uid = options.meili_index_uid;
  if (!options.meili_api_key_file.empty()) {
    afori::Result<std::string> key = afori::searchd::ReadTokenFile(options.meili_api_key_file);
    if (!key.ok()) {
      std::cerr << "searchd: --meili-api-key-file: " << key.status().message() << "\n";
      return kExitFailed;
    }
    http.meili.api_key = std::move(*key);
  }
  afori::searchd::HttpServer server(**pool, **analyzer, synonyms.get(), http);
  const SignalStopper stopper(signals, server);
  const afori::searchd::IndexInfo info =
      (*pool)->With([](Xapian::Database& db, const afori::searchd::IndexView& view) {
        return afori::searchd::DescribeIndex(db, view);
      });
  std::printf("searchd: %llu documents, index revision %llu\n",
              static_cast<unsigned long long>(info.documents),
              static_cast<unsigned long long>(info.revision));
  if (info.shards > 1) std::printf("searchd: %zu shards\n", info.shards);
  for (const std::string& name : info.missing_shards) {
    std::printf("searchd: warning: shard %s unavailable; retrying\n", name.c_str());
  }
  std::fflush(stdout);

  // Before listening, so that the first visitors do not wait for it (seconds at 100,000
  // documents, a minute at 1,000,000); later versions are built off the request path. A
  // signal meanwhile cancels it, and searchd exits without listening.
  if (!server.PrepareIndex()) return 0;
  afori::Result<int> port = server.Bind(options.host, options.port);
  if (!port.ok()) {
    std::cerr << "searchd: " << port.status().message() << "\n";
    return kExitFailed;
  }
  std::unique_ptr<afori::searchd::AdminServer> admin;
  int admin_port = 0;
  if (!options.admin_token_file.empty()) {
    afori::Result<std::string> token = afori::searchd::ReadTokenFile(options.admin_token_file);
    if (!token.ok()) {
      std::cerr << "searchd: " << token.status().message() << "\n";
      return kExitFailed;
    }
    afori::searchd::AdminOptions admin_options;
    admin_options.token = std::move(*token);
    admin_options.lock_timeout = std::chrono::milliseconds(options.lock_timeout_ms);
    admin_options.observers = observers;
    admin = std::make_unique<afori::searchd::AdminServer>(options.db.front(), **analyzer,
                                                          admin_options);
    afori::Result<int> bound = admin->Bind(options.admin_host, options.admin_port);
    if (!bound.ok()) {
      std::cerr << "searchd: " << bound.status().message() << "\n";
      return kExitFailed;
    }
    admin_port = *bound;
  }
  std::thread admin_thread;
  if (admin) admin_thread = std::thread([&] { admin->Run(); });
  std::printf("searchd: listening on http://%s:%d/\n", options.host.c_str(), *port);
  if (admin) {
    std::printf("searchd: admin API on http://%s:%d/\n", options.admin_host.c_str(), admin_port);
  }
  std::fflush(stdout);
  const bool ok = server.Run();
  if (admin) {
    admin->Stop();
    admin_thread.join();
  }
  return ok ? 0 : kExitFailed;
}

}  // namespace

int main(int argc, char** argv) {
  // glibc gives threads their own malloc arenas, up to 8 per core; with a worker per open
  // connection (--max-threads) the arenas fragment and RSS crept up under load (+31 MB over a
  // 10-minute soak with 64 connections, docs/hardening.md). One arena per core kept it flat.
  // MALLOC_ARENA_MAX in the environment still decides when set.
  if (!std::getenv("MALLOC_ARENA_MAX")) {
    mallopt(M_ARENA_MAX, static_cast<int>(std::max(2u, std::thread::hardware_concurrency())));
  }
  Options options;
  std::string error;
  if (!ParseOptions(argc, argv, &options, &error)) {
    std::cerr << "searchd: " << error << "\n" << kUsage;
    return kExitUsage;
  }
  try {
    return Serve(options);
  } catch (const Xapian::Error& e) {
    std::cerr << "searchd: " << e.get_description() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "searchd: " << e.what() << "\n";
  }
  return kExitFailed;
}

// The admin API for the CMS (docs/reindexing.md): publish, change and unpublish documents.
//
//   PUT    /v1/documents/{id}   one JSON document (its "id" must be {id})
//   DELETE /v1/documents/{id}
//   POST   /v1/documents        a JSONL batch, validated line by line; all or nothing
//
// It is a server of its own, on its own port, loopback by default, and every request needs
// `Authorization: Bearer <token>` with the token read from a file: 401 without it, 403 with a
// wrong one (compared in constant time, logged without the token). Changes go through
// indexer::ApplyChanges (indexer/writer.h), one Xapian commit per request, so a 2xx answer
// means the change is on disk; searchd's read handles reopen on the next search request, so
// it is searchable at once. A writer that cannot get the index lock in time answers 503 with
// Retry-After and has changed nothing. The search API never writes.
//
// Thread safety: AdminServer runs handlers on its own thread pool; the writer lock in Xapian
// serialises them (and the CLI indexer) on the index itself.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include <httplib.h>

#include "common/status.h"
#include "searchd/request_observer.h"
#include "stemming/analysis.h"

namespace afori::searchd {

// A batch body; one document is at most corpus::kMaxDocumentBytes (8 MiB) of it.
inline constexpr std::size_t kMaxAdminBodyBytes = 64u << 20;

// The token in `path`: the file's first line without surrounding whitespace. An unreadable
// file, an empty token or one shorter than 16 characters is an error naming the file.
Result<std::string> ReadTokenFile(const std::string& path);

// Constant-time equality, so the time a comparison takes does not tell how much matched.
bool TokensEqual(std::string_view a, std::string_view b);

struct AdminOptions {
  std::string token;
  std::chrono::milliseconds lock_timeout{10000};  // how long a write waits for the lock
  std::size_t threads = 2;
  // Request metrics and the access log (docs/observability.md), shared with the search API;
  // null members: not kept. No header, so never the token, is logged.
  Observers observers;
};

class AdminServer {
 public:
  // `db_path` is the live index (a symlink after `indexer build`); `analyzer` must outlive
  // the server.
  AdminServer(std::string db_path, const stemming::Analyzer& analyzer, AdminOptions options);
  ~AdminServer();

  Result<int> Bind(const std::string& host, int port);
  bool Run();
  void Stop();

 private:
  void RegisterRoutes();

  const std::string db_path_;
  const stemming::Analyzer& analyzer_;
  const AdminOptions options_;
  std::unique_ptr<httplib::Server> server_;
};

}  // namespace afori::searchd

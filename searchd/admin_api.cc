#include "searchd/admin_api.h"

#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>

#include "corpus/loader.h"
#include "indexer/writer.h"
#include "searchd/http_api.h"
#include "searchd/json_response.h"
#include "searchd/request_limits.h"
#include "searchd/thread_pool.h"

namespace afori::searchd {
namespace {

using nlohmann::ordered_json;

constexpr std::size_t kMinTokenLength = 16;

ordered_json ReportJson(const indexer::ChangeReport& r) {
  return {{"added", r.added},         {"replaced", r.replaced},   {"unchanged", r.unchanged},
          {"deleted", r.deleted},     {"not_found", r.not_found}, {"revision", r.revision},
          {"added_ids", r.added_ids}, {"replaced_ids", r.replaced_ids},
          {"deleted_ids", r.deleted_ids}};
}

}  // namespace

Result<std::string> ReadTokenFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::IoError("cannot read the admin token file " + path);
  std::string token;
  std::getline(in, token);
  const std::size_t b = token.find_first_not_of(" \t\r\n");
  const std::size_t e = token.find_last_not_of(" \t\r\n");
  token = b == std::string::npos ? std::string() : token.substr(b, e - b + 1);
  if (token.size() < kMinTokenLength) {
    return Status::InvalidArgument("the admin token in " + path + " must be at least " +
                                   std::to_string(kMinTokenLength) + " characters");
  }
  return token;
}

bool TokensEqual(std::string_view a, std::string_view b) {
  // Every byte of the longer one is looked at whatever matched, and the lengths are folded in.
  const std::size_t n = std::max(a.size(), b.size());
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff |= static_cast<unsigned char>(x ^ y);
  }
  return diff == 0;
}

AdminServer::AdminServer(std::string db_path, const stemming::Analyzer& analyzer,
                         AdminOptions options)
    : db_path_(std::move(db_path)),
      analyzer_(analyzer),
      options_(std::move(options)),
      server_(std::make_unique<httplib::Server>()) {
  const std::size_t n = std::max<std::size_t>(options_.threads, 1);
  // Writes are serialised by the index lock anyway; the extra workers are for slow clients.
  server_->new_task_queue = [n] { return new ElasticThreadPool(n, 64); };
  server_->set_payload_max_length(kMaxAdminBodyBytes);
  RegisterRoutes();
}

AdminServer::~AdminServer() { Stop(); }

Result<int> AdminServer::Bind(const std::string& host, int port) {
  Result<int> bound = BindWithBacklog(*server_, host, port);
  if (!bound.ok()) return Status::IoError(bound.status().message() + " for the admin API");
  return bound;
}

bool AdminServer::Run() { return server_->listen_after_bind(); }

void AdminServer::Stop() {
  if (server_->is_running()) server_->stop();
}

void AdminServer::RegisterRoutes() {
  // Every request is authenticated before routing, unknown routes included.
  server_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    NoteRequestStart();
    res.set_header("X-Content-Type-Options", "nosniff");
    const std::string header = req.get_header_value("Authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (header.empty()) {
      SendError(res, Status::Unauthorized("the admin API needs 'Authorization: Bearer <token>'"));
      return httplib::Server::HandlerResponse::Handled;
    }
    if (!header.starts_with(kBearer) ||
        !TokensEqual(std::string_view(header).substr(kBearer.size()), options_.token)) {
      std::fprintf(stderr, "searchd admin: rejected %s %s from %s: wrong token\n",
                   req.method.c_str(), req.path.c_str(), req.remote_addr.c_str());
      SendError(res, Status::Forbidden("wrong admin token"));
      return httplib::Server::HandlerResponse::Handled;
    }
    if (Status s = CheckRequestLimits(req); !s.ok()) {
      SendError(res, s);
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  auto apply = [this](httplib::Response& res, const std::vector<indexer::Change>& changes,
                      int status) {
    indexer::WriteOptions write;
    write.lock_timeout = options_.lock_timeout;
    Result<indexer::ChangeReport> report =
        indexer::ApplyChanges(db_path_, changes, analyzer_, write);
    if (!report.ok()) return SendError(res, report.status());
    SendJson(res, status, ReportJson(*report));
  };

  server_->Put(R"(/v1/documents/([^/]*))", [apply](const httplib::Request& req,
                                                  httplib::Response& res) {
    const std::string id = req.matches[1];
    int line = 0;
    Result<corpus::Document> doc = corpus::ParseDocumentText(req.body, &line);
    if (!doc.ok()) {
      return SendError(res, Status::InvalidDocument("document " + id + ": " + doc.status().message()));
    }
    if (doc->id != id) {
      return SendError(res, Status::InvalidDocument("the document's id '" + doc->id +
                                                    "' differs from the id in the path '" + id + "'"));
    }
    indexer::Change change;
    change.document = std::move(*doc);
    apply(res, {change}, 200);
  });

  server_->Delete(R"(/v1/documents/([^/]*))", [this](const httplib::Request& req,
                                                     httplib::Response& res) {
    const std::string id = req.matches[1];
    if (!corpus::IsValidId(id)) {
      return SendError(res, Status::InvalidArgument("id must match [a-z0-9][a-z0-9-]{0,127}"));
    }
    indexer::Change change;
    change.kind = indexer::Change::Kind::kDelete;
    change.id = id;
    indexer::WriteOptions write;
    write.lock_timeout = options_.lock_timeout;
    Result<indexer::ChangeReport> report =
        indexer::ApplyChanges(db_path_, {change}, analyzer_, write);
    if (!report.ok()) return SendError(res, report.status());
    if (report->deleted == 0) return SendError(res, Status::NotFound("no document with id '" + id + "'"));
    SendJson(res, 200, ReportJson(*report));
  });

  server_->Post("/v1/documents", [apply](const httplib::Request& req, httplib::Response& res) {
    std::vector<indexer::Change> changes;
    ordered_json rejected = ordered_json::array();
    std::size_t line_no = 0;
    std::string_view rest = req.body;
    while (!rest.empty()) {
      ++line_no;
      const std::size_t nl = rest.find('\n');
      const std::string_view line = rest.substr(0, nl);
      rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
      if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      int error_line = 0;
      Result<corpus::Document> doc = corpus::ParseDocumentText(line, &error_line);
      if (!doc.ok()) {
        rejected.push_back({{"line", line_no}, {"message", doc.status().message()}});
        continue;
      }
      indexer::Change change;
      change.document = std::move(*doc);
      changes.push_back(std::move(change));
    }
    if (!rejected.empty()) {
      ordered_json body = ErrorJson(Status::InvalidDocument(
          std::to_string(rejected.size()) + " of " + std::to_string(rejected.size() + changes.size()) +
          " lines are not valid documents; nothing was applied"));
      body["rejected"] = std::move(rejected);
      return SendJson(res, 400, body);
    }
    if (changes.empty()) return SendError(res, Status::InvalidArgument("the batch is empty"));
    apply(res, changes, 200);
  });

  ObserveRequests(*server_, "admin", RouteLabels({"/v1/documents/{id}", "/v1/documents"}),
                  options_.observers, /*log_query=*/false);
  InstallJsonErrorHandlers(*server_, kMaxAdminBodyBytes);
}

}  // namespace afori::searchd

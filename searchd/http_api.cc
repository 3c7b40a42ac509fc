#include "searchd/http_api.h"

#include <charconv>
#include <set>
#include <string_view>

#include "common/schema.h"
#include "stemming/analysis_report.h"

namespace afori::searchd {
namespace {

using nlohmann::ordered_json;

constexpr const char* kJsonType = "application/json; charset=utf-8";
constexpr std::size_t kMaxQueryBytes = 1000;

void SendJson(httplib::Response& res, int status, const ordered_json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, ordered_json::error_handler_t::replace), kJsonType);
}

void SendError(httplib::Response& res, const Status& status) {
  SendJson(res, HttpStatusFor(status.code()), ErrorJson(status));
}

ordered_json OptionalJson(const std::optional<std::string>& s) {
  return s ? ordered_json(*s) : ordered_json(nullptr);
}

// Parses a whole decimal number in [0, max]; anything else names the parameter.
Result<std::size_t> ParseCount(const std::string& name, const std::string& text,
                               std::size_t max) {
  std::size_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || value > max) {
    return Status::InvalidArgument("parameter '" + name + "' must be a whole number from 0 to " +
                                   std::to_string(max) + ", got \"" + text + "\"");
  }
  return value;
}

std::string Trim(std::string_view s) {
  std::size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  std::size_t e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

}  // namespace

int HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return 200;
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kInvalidDocument: return 400;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kIoError:
    case ErrorCode::kSchemaMismatch:
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

ordered_json ErrorJson(const Status& status) {
  return {{"error", {{"code", ErrorCodeName(status.code())}, {"message", status.message()}}}};
}

Result<SearchRequest> ParseSearchRequest(const httplib::Params& params) {
  SearchRequest request;
  std::set<std::string> seen;
  for (const auto& [name, value] : params) {
    const bool repeated = !seen.insert(name).second;
    if (schema::FindFacet(name)) {
      if (Trim(value).empty()) {
        return Status::InvalidArgument("parameter '" + name + "' has an empty value");
      }
      auto it = std::find_if(request.filters.begin(), request.filters.end(),
                             [&](const FacetFilter& f) { return f.facet == name; });
      if (it == request.filters.end()) {
        request.filters.push_back({name, {value}});
      } else {
        it->values.push_back(value);
      }
      continue;
    }
    if (repeated) {
      return Status::InvalidArgument("parameter '" + name + "' may be given only once");
    }
    if (name == "q") {
      if (value.size() > kMaxQueryBytes) {
        return Status::InvalidArgument("parameter 'q' must be at most " +
                                       std::to_string(kMaxQueryBytes) + " bytes long");
      }
      request.query = value;
    } else if (name == "limit") {
      Result<std::size_t> n = ParseCount(name, value, kMaxLimit);
      if (!n.ok()) return n.status();
      request.limit = *n;
    } else if (name == "offset") {
      Result<std::size_t> n = ParseCount(name, value, kMaxOffset);
      if (!n.ok()) return n.status();
      request.offset = *n;
    } else if (name == "as_you_type") {
      if (value != "0" && value != "1") {
        return Status::InvalidArgument("parameter 'as_you_type' must be 0 or 1, got \"" +
                                       value + "\"");
      }
      request.as_you_type = value == "1";
    } else if (name == "facets") {
      std::vector<std::string> names;
      std::string_view rest = value;
      while (!rest.empty()) {
        std::size_t comma = rest.find(',');
        std::string item = Trim(rest.substr(0, comma));
        if (!item.empty()) names.push_back(std::move(item));
        rest.remove_prefix(comma == std::string_view::npos ? rest.size() : comma + 1);
      }
      request.facets = std::move(names);
    } else {
      return Status::InvalidArgument("unknown parameter '" + name + "'");
    }
  }
  if (Status s = ValidateSearchRequest(request); !s.ok()) return s;
  return request;
}

ordered_json SearchResponseToJson(const SearchResponse& response) {
  ordered_json hits = ordered_json::array();
  for (const SearchHit& hit : response.hits) {
    hits.push_back({{"id", hit.id},
                    {"type", hit.type},
                    {"title", hit.title},
                    {"url", OptionalJson(hit.url)},
                    {"summary", OptionalJson(hit.summary)},
                    {"snippet", hit.snippet},
                    {"published", OptionalJson(hit.published)},
                    {"score", hit.score}});
  }
  ordered_json facets = ordered_json::object();
  for (const FacetCounts& facet : response.facets) {
    ordered_json counts = ordered_json::object();
    for (const FacetValueCount& v : facet.values) counts[v.value] = v.count;
    facets[facet.name] = std::move(counts);
  }
  return {{"query", response.query},
          {"suggestion", OptionalJson(response.suggestion)},
          {"total", response.total},
          {"hits", std::move(hits)},
          {"facets", std::move(facets)},
          {"took_ms", response.took_ms}};
}

HttpServer::HttpServer(DatabasePool& pool, const stemming::Analyzer& analyzer,
                       SynonymSource* synonyms, std::size_t threads)
    : pool_(pool),
      analyzer_(analyzer),
      synonyms_(synonyms),
      server_(std::make_unique<httplib::Server>()) {
  const std::size_t n = std::max<std::size_t>(threads, 1);
  server_->new_task_queue = [n] { return new httplib::ThreadPool(n); };
  server_->set_payload_max_length(1 << 20);
  RegisterRoutes();
}

HttpServer::~HttpServer() { Stop(); }

Result<int> HttpServer::Bind(const std::string& host, int port) {
  if (port == 0) {
    int bound = server_->bind_to_any_port(host);
    if (bound > 0) return bound;
  } else if (server_->bind_to_port(host, port)) {
    return port;
  }
  return Status::IoError("cannot listen on " + host + ":" + std::to_string(port));
}

bool HttpServer::Run() { return server_->listen_after_bind(); }

void HttpServer::Stop() {
  if (server_->is_running()) server_->stop();
}

template <typename Fn>
auto HttpServer::WithContext(Fn&& fn) {
  const std::shared_ptr<const stemming::SynonymTable> synonyms =
      synonyms_ ? synonyms_->Current() : nullptr;
  return pool_.With([&](Xapian::Database& db) {
    const std::shared_ptr<const stemming::Vocabulary> vocabulary = vocabularies_.For(db);
    SearchContext context;
    context.analyzer = &analyzer_;
    context.vocabulary = vocabulary.get();
    context.synonyms = synonyms.get();
    return fn(db, context);
  });
}

Result<AnalyzeRequest> ParseAnalyzeRequest(const httplib::Params& params) {
  AnalyzeRequest request;
  std::set<std::string> seen;
  for (const auto& [name, value] : params) {
    if (!seen.insert(name).second) {
      return Status::InvalidArgument("parameter '" + name + "' may be given only once");
    }
    if (name == "text") {
      if (value.size() > kMaxQueryBytes) {
        return Status::InvalidArgument("parameter 'text' must be at most " +
                                       std::to_string(kMaxQueryBytes) + " bytes long");
      }
      request.text = value;
    } else if (name == "field") {
      if (!stemming::IsAnalysisField(value)) {
        return Status::InvalidArgument(
            "parameter 'field' must be one of title, summary, body, query; got \"" + value +
            "\"");
      }
      request.field = value;
    } else {
      return Status::InvalidArgument("unknown parameter '" + name + "'");
    }
  }
  if (!seen.count("text")) return Status::InvalidArgument("parameter 'text' is required");
  return request;
}

void HttpServer::RegisterRoutes() {
  server_->Get("/v1/search", [this](const httplib::Request& req, httplib::Response& res) {
    Result<SearchRequest> request = ParseSearchRequest(req.params);
    if (!request.ok()) return SendError(res, request.status());
    Result<SearchResponse> response = WithContext(
        [&](Xapian::Database& db, const SearchContext& ctx) { return Search(db, ctx, *request); });
    if (!response.ok()) return SendError(res, response.status());
    SendJson(res, 200, SearchResponseToJson(*response));
  });

  server_->Get("/v1/analyze", [this](const httplib::Request& req, httplib::Response& res) {
    Result<AnalyzeRequest> request = ParseAnalyzeRequest(req.params);
    if (!request.ok()) return SendError(res, request.status());
    Result<ordered_json> report =
        WithContext([&](Xapian::Database& db, const SearchContext& ctx) {
          return stemming::AnalysisReport(request->text, request->field,
                                          {ctx.analyzer, &db, ctx.vocabulary, ctx.synonyms});
        });
    if (!report.ok()) return SendError(res, report.status());
    SendJson(res, 200, *report);
  });

  server_->Get(R"(/v1/documents/([^/]*))", [this](const httplib::Request& req,
                                                   httplib::Response& res) {
    const std::string id = req.matches[1];
    Result<std::string> doc =
        pool_.With([&](Xapian::Database& db) { return GetDocumentJson(db, id); });
    if (!doc.ok()) return SendError(res, doc.status());
    res.status = 200;
    res.set_content(*doc, kJsonType);
  });

  server_->Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
    IndexInfo info = pool_.With([](Xapian::Database& db) { return DescribeDatabase(db); });
    SendJson(res, 200,
             {{"status", "ok"},
              {"documents", info.documents},
              {"revision", info.revision},
              {"schema_version", info.schema_version}});
  });

  // Unknown routes, and errors cpp-httplib raises itself (a malformed request line, a body
  // over the size limit), get the same JSON error shape as ours.
  server_->set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    Status status = res.status == 404
                        ? Status::NotFound("no route for " + req.method + " " + req.path)
                        : Status::InvalidArgument("bad request (HTTP " +
                                                  std::to_string(res.status) + ")");
    res.set_content(ErrorJson(status).dump(), kJsonType);
    return httplib::Server::HandlerResponse::Handled;
  }));

  // The one place where an unexpected exception from a request ends: a JSON 500.
  server_->set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown error";
        try {
          std::rethrow_exception(ep);
        } catch (const Xapian::Error& e) {
          what = e.get_description();
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        SendError(res, Status::Internal("internal error: " + what));
      });
}

}  // namespace afori::searchd

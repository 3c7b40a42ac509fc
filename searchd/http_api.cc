#include "searchd/http_api.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <functional>
#include <string_view>
#include <type_traits>

#include "common/rfc3339.h"
#include "common/schema.h"
#include "searchd/filters.h"
#include "searchd/http_params.h"
#include "searchd/meili_request.h"
#include "searchd/openapi_document.h"
#include "searchd/request_limits.h"
#include "searchd/static_files.h"
#include "searchd/thread_pool.h"
#include "stemming/analysis_report.h"

namespace afori::searchd {

namespace {

using nlohmann::ordered_json;



// The Meilisearch-compatible routes answer errors in Meilisearch's shape.
bool IsMeiliPath(const std::string& path) {
  return path.rfind("/indexes", 0) == 0 || path.rfind("/multi-search", 0) == 0;
}


ordered_json OptionalJson(const std::optional<std::string>& s) {
  return s ? ordered_json(*s) : ordered_json(nullptr);
}

}  // namespace



namespace {

// A stored field of a hit as JSON (null when the document lacks it).
ordered_json StoredField(const SearchHit& hit, const std::string& name) {
  auto it = hit.stored.find(name);
  return it == hit.stored.end() ? ordered_json(nullptr) : ordered_json(*it);
}

ordered_json HitField(const SearchHit& hit, const std::string& name) {
  if (name == "id") return hit.id;
  if (name == "type") return hit.type;
  if (name == "title") return hit.title;
  if (name == "title_html") return hit.title_html;
  if (name == "snippet_html") return hit.snippet_html;
  if (name == "status") return OptionalJson(hit.status);
  if (name == "score") return hit.score;
  return StoredField(hit, name);
}

ordered_json ExplainJson(const ScoreParts& p) {
  return {{"score", p.score},         {"matched_words", p.matched_words},
          {"bm25", p.bm25},           {"proximity", p.proximity},
          {"freshness", p.freshness}, {"open_call", p.open_call}};
}

// FNV-1a, for ETags: cheap and stable across runs.
std::uint64_t Fnv1a(std::string_view bytes, std::uint64_t h = 1469598103934665603ULL) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace

ordered_json SearchResponseToJson(const SearchResponse& response,
                                  const std::optional<std::vector<std::string>>& fields) {
  std::vector<std::string> names;
  if (fields) {
    names.push_back("id");
    for (const std::string& f : *fields) {
      if (std::find(names.begin(), names.end(), f) == names.end()) names.push_back(f);
    }
  } else {
    names = DefaultHitFields();
  }
  ordered_json hits = ordered_json::array();
  for (const SearchHit& hit : response.hits) {
    ordered_json h = ordered_json::object();
    for (const std::string& name : names) h[name] = HitField(hit, name);
    if (hit.explain) h["explain"] = ExplainJson(*hit.explain);
    hits.push_back(std::move(h));
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
          {"total_is_exact", response.total_is_exact},
          {"offset", response.offset},
          {"limit", response.limit},
          {"sort", std::string(SortOrderName(response.sort))},
          {"hits", std::move(hits)},
          {"facets", std::move(facets)},
          {"took_ms", response.took_ms}};
}

HttpServer::HttpServer(DatabasePool& pool, const stemming::Analyzer& analyzer,
                       SynonymSource* synonyms, HttpOptions options)
    : pool_(pool),
      analyzer_(analyzer),
      synonyms_(synonyms),
      options_(std::move(options)),
      refresher_(pool),
      server_(std::make_unique<httplib::Server>()) {
  const std::size_t n = std::max<std::size_t>(options_.threads, 1);
  const std::size_t max = options_.max_threads;
  server_->new_task_queue = [n, max] { return new ElasticThreadPool(n, max); };
  // A client must send something at least every 5 s; a response must drain likewise.
  server_->set_read_timeout(5, 0);
  server_->set_write_timeout(5, 0);
  server_->set_payload_max_length(kMaxSearchBodyBytes);
  // cpp-httplib holds a worker per keep-alive connection until it times out; with the
  // default 5 s an idle browser connection stalls other clients on a small pool.
  server_->set_keep_alive_timeout(1);
  RegisterRoutes();
}

HttpServer::~HttpServer() { Stop(); }

Result<int> HttpServer::Bind(const std::string& host, int port) {
  return BindWithBacklog(*server_, host, port);
}

Result<int> BindWithBacklog(httplib::Server& server, const std::string& host, int port) {
  // cpp-httplib listens with a backlog of 5, fixed when Debian compiled it: a burst of new
  // connections beyond that waits for SYN retries (1 s, 3 s, ...). Linux lets a second
  // listen() on the same socket raise the backlog, so keep the socket at hand.
  //
  // Responses go out in several writes (headers, then body); with Nagle's algorithm on, a
  // client that keeps its connection alive waits for its own delayed ACK (40 ms on Linux)
  // before each response completes: every keep-alive request took 40 ms+ in
  // bench/http_runs.sh (docs/performance.md). TCP_NODELAY on the listening socket is
  // inherited by the accepted ones.
  int listening = -1;
  server.set_tcp_nodelay(true);
  server.set_socket_options([&listening](socket_t sock) {
    httplib::default_socket_options(sock);
    const int on = 1;
    ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    listening = sock;
  });
  int bound = -1;
  if (port == 0) {
    bound = server.bind_to_any_port(host);
  } else if (server.bind_to_port(host, port)) {
    bound = port;
  }
  server.set_socket_options(httplib::default_socket_options);
  if (bound <= 0) return Status::IoError("cannot listen on " + host + ":" + std::to_string(port));
  if (listening >= 0) ::listen(listening, SOMAXCONN);
  return bound;
}

bool HttpServer::PrepareIndex() { return refresher_.RefreshNow(); }

bool HttpServer::Run() { return stopping_ || server_->listen_after_bind(); }

void HttpServer::Stop() {
  stopping_ = true;
  refresher_.Cancel();
  if (server_->is_running()) server_->stop();
}

std::string HttpServer::Today() const {
  return options_.today.empty() ? TodayUtc() : options_.today;
}

namespace {

// The view an answer is made of: the index's, and the version of the vocabulary and
// suggestions when they are older (searchd/index_refresher.h), so that an ETag given out
// before they are rebuilt does not match after. `scratch` holds the copy when one is needed.
const IndexView& AnsweredView(const IndexView& view, const DerivedState& derived,
                              IndexView& scratch) {
  if (derived.version == view.version) return view;
  scratch = view;
  scratch.version += " derived " + derived.version;
  return scratch;
}

}  // namespace

template <typename Fn>
auto HttpServer::WithContext(Fn&& fn) {
  const std::shared_ptr<const stemming::SynonymTable> synonyms =
      synonyms_ ? synonyms_->Current() : nullptr;
  return pool_.With([&](Xapian::Database& db, const IndexView& view) {
    const DerivedState derived = refresher_.For(db, view);
    SearchContext context;
    context.analyzer = &analyzer_;
    context.vocabulary = derived.vocabulary.get();
    context.facet_columns = derived.facet_columns.get();
    context.synonyms = synonyms.get();
    const WordCachePool::Lease words = word_caches_.Borrow();
    context.word_cache = words.get();
    if constexpr (std::is_invocable_v<Fn&, Xapian::Database&, const SearchContext&,
                                      const IndexView&>) {
      IndexView scratch;
      return fn(db, context, AnsweredView(view, derived, scratch));
    } else {
      return fn(db, context);
    }
  });
}

namespace {

// Cache validation for read-only answers: the ETag names the index revision, the date and
// the request; a client sending it back in If-None-Match gets 304 without a search.
bool NotModified(const httplib::Request& req, httplib::Response& res, const IndexView& view,
                 const std::string& today) {
  // The version names every shard's generation (uuid) and revision, and the shards missing:
  // revisions start again after a full rebuild.
  const Xapian::rev revision = view.revision;
  std::uint64_t h = Fnv1a(view.version + " " + req.method + " " + req.path + "?");
  for (const auto& [k, v] : req.params) h = Fnv1a(k + "=" + v + "&", h);
  h = Fnv1a(req.body, h);
  char tag[64];
  std::snprintf(tag, sizeof tag, "\"r%llu-%s-%016llx\"", static_cast<unsigned long long>(revision),
                today.c_str(), static_cast<unsigned long long>(h));
  res.set_header("ETag", tag);
  res.set_header("Cache-Control", "public, no-cache");
  if (req.get_header_value("If-None-Match") == tag) {
    res.status = 304;
    return true;
  }
  return false;
}

// With shards missing (docs/scaling.md), an answer would be wrong without saying so: 503
// naming them, unless the request accepts partial results.
Status MissingShards(const IndexView& view, bool allow_partial) {
  if (view.missing.empty() || allow_partial) return Status::Ok();
  std::string names;
  for (const std::string& name : view.missing) names += (names.empty() ? "" : ", ") + name;
  return Status::Unavailable("index shard" + std::string(view.missing.size() > 1 ? "s " : " ") +
                             names + " unavailable; results would be incomplete (add partial=1 "
                             "to get those of the shards that answer)");
}

// Searching through Xapian's remote backend runs the match on the xapian-tcpsrv side, which
// knows only Xapian's own classes (docs/scaling.md): refused clearly rather than failing
// deep inside Xapian.
Status RemoteSearch(const IndexView& view) {
  if (view.remote == 0) return Status::Ok();
  return Status::Internal(
      "searching remote shards is not supported: xapian-tcpsrv (Xapian 1.4) cannot run this "
      "engine's ranking (a custom Weight), facet counts (a custom MatchSpy) or sort keys (a "
      "KeyMaker); serve the shards from local disks (docs/scaling.md)");
}

}  // namespace

void HttpServer::RegisterSearchRoutes() {
  auto search = [this](const httplib::Request& req, httplib::Response& res,
                       Result<SearchRequest> request) {
    if (!request.ok()) return SendError(res, request.status());
    request->today = Today();
    std::vector<std::string> missing;
    std::optional<Result<SearchResponse>> response =
        WithContext([&](Xapian::Database& db, const SearchContext& ctx,
                        const IndexView& view) -> std::optional<Result<SearchResponse>> {
          if (Status s = MissingShards(view, request->allow_partial); !s.ok()) {
            return Result<SearchResponse>(s);
          }
          if (Status s = RemoteSearch(view); !s.ok()) return Result<SearchResponse>(s);
          missing = view.missing;
          if (NotModified(req, res, view, request->today)) return std::nullopt;
          return Search(db, ctx, *request);
        });
    if (!response) return;  // 304
    if (!response->ok()) return SendError(res, response->status());
    ordered_json body = SearchResponseToJson(**response, request->fields);
    if (!missing.empty()) {
      body["partial"] = true;
      body["missing_shards"] = missing;
    }
    SendJson(res, 200, body);
    SetResultCount(res, (*response)->total);
  };
  server_->Get("/v1/search", [search](const httplib::Request& req, httplib::Response& res) {
    search(req, res, ParseSearchRequest(req.params));
  });
  server_->Post("/v1/search", [search](const httplib::Request& req, httplib::Response& res) {
    if (!req.params.empty()) {
      return SendError(res, Status::InvalidArgument(
                                "POST /v1/search takes its options in the JSON body, not the URL"));
    }
    search(req, res, ParseSearchBody(req.body));
  });

  server_->Get("/v1/facets", [this](const httplib::Request& req, httplib::Response& res) {
    Result<FacetsRequest> request = ParseFacetsRequest(req.params);
    if (!request.ok()) return SendError(res, request.status());
    request->search.today = Today();
    std::optional<Result<FacetsResponse>> response = WithContext(
        [&](Xapian::Database& db, const SearchContext& ctx,
            const IndexView& view) -> std::optional<Result<FacetsResponse>> {
          if (Status s = MissingShards(view, request->search.allow_partial); !s.ok()) {
            return Result<FacetsResponse>(s);
          }
          if (Status s = RemoteSearch(view); !s.ok()) return Result<FacetsResponse>(s);
          if (NotModified(req, res, view, request->search.today)) return std::nullopt;
          return ListFacets(db, ctx, *request);
        });
    if (!response) return;
    if (!response->ok()) return SendError(res, response->status());
    ordered_json facets = ordered_json::object();
    for (const FacetCounts& facet : (*response)->facets) {
      ordered_json counts = ordered_json::object();
      for (const FacetValueCount& v : facet.values) counts[v.value] = v.count;
      facets[facet.name] = std::move(counts);
    }
    SendJson(res, 200, {{"facets", std::move(facets)}, {"took_ms", (*response)->took_ms}});
  });

  server_->Get("/v1/suggest", [this](const httplib::Request& req, httplib::Response& res) {
    Result<SuggestRequest> request = ParseSuggestRequest(req.params);
    if (!request.ok()) return SendError(res, request.status());
    std::optional<std::vector<Suggestion>> found = pool_.With(
        [&](Xapian::Database& db, const IndexView& view) -> std::optional<std::vector<Suggestion>> {
          const DerivedState derived = refresher_.For(db, view);
          IndexView scratch;
          if (NotModified(req, res, AnsweredView(view, derived, scratch), "")) return std::nullopt;
          return derived.suggestions->Complete(request->query, request->limit);
        });
    if (!found) return;
    ordered_json list = ordered_json::array();
    for (const Suggestion& s : *found) {
      list.push_back({{"text", s.text}, {"html", s.html}, {"kind", s.kind}, {"id", OptionalJson(s.id)}});
    }
    SendJson(res, 200, {{"query", request->query}, {"suggestions", std::move(list)}});
  });
}

void HttpServer::RegisterRoutes() {
  // CORS for origins on the allow-list, on every answer; preflights end here.
  server_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    NoteRequestStart();
    const std::string origin = req.get_header_value("Origin");
    const bool allowed = !origin.empty() && (options_.cors_origins.count(origin) ||
                                             options_.cors_origins.count("*"));
    if (allowed) {
      res.set_header("Access-Control-Allow-Origin", origin);
      res.set_header("Access-Control-Expose-Headers", "ETag");
    }
    res.set_header("Vary", "Origin");
    // No response of ours is meant to be sniffed into another type (JSON as HTML, say).
    res.set_header("X-Content-Type-Options", "nosniff");
    if (req.method != "OPTIONS") {
      if (Status s = CheckRequestLimits(req); !s.ok()) {
        if (IsMeiliPath(req.path)) {
          SendMeiliError(res, {400, "bad_request", s.message()});
        } else {
          SendError(res, s);
        }
        return httplib::Server::HandlerResponse::Handled;
      }
      return httplib::Server::HandlerResponse::Unhandled;
    }
    if (allowed) {
      res.set_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
      // Authorization and X-Meilisearch-Client: what Meilisearch clients send.
      res.set_header("Access-Control-Allow-Headers",
                     "Authorization, Content-Type, If-None-Match, X-Meilisearch-Client");
      res.set_header("Access-Control-Max-Age", "600");
    }
    res.set_header("Allow", "GET, POST, OPTIONS");
    res.status = 204;
    return httplib::Server::HandlerResponse::Handled;
  });

  RegisterSearchRoutes();

  MeiliBackend meili;
  // Meilisearch has no partial answers: a missing shard is a 503, never a wrong total.
  meili.search = [this](SearchRequest request) {
    request.today = Today();
    return WithContext([&](Xapian::Database& db, const SearchContext& ctx,
                           const IndexView& view) -> Result<SearchResponse> {
      if (Status s = MissingShards(view, false); !s.ok()) return s;
      if (Status s = RemoteSearch(view); !s.ok()) return s;
      return Search(db, ctx, request);
    });
  };
  meili.facets = [this](FacetsRequest request) {
    request.search.today = Today();
    return WithContext([&](Xapian::Database& db, const SearchContext& ctx,
                           const IndexView& view) -> Result<FacetsResponse> {
      if (Status s = MissingShards(view, false); !s.ok()) return s;
      if (Status s = RemoteSearch(view); !s.ok()) return s;
      return ListFacets(db, ctx, request);
    });
  };
  meili.document_count = [this] {
    return pool_.With([](Xapian::Database& db) -> std::uint64_t { return db.get_doccount(); });
  };
  meili.created_and_updated = [this] {
    std::string updated;
    std::error_code ec;
    const auto dir = std::filesystem::canonical(pool_.path(), ec);
    // Every commit renames files into the index directory, so its mtime is the last change.
    const auto written = std::filesystem::last_write_time(dir, ec);
    if (!ec) updated = FormatRfc3339(
        std::chrono::time_point_cast<std::chrono::system_clock::duration>(
            std::chrono::file_clock::to_sys(written)));
    std::string created = pool_.With([](Xapian::Database& db) {
      return db.get_metadata(std::string(schema::kCreatedAtKey));
    });
    if (created.empty()) created = updated;  // an index built before the key was written
    return std::make_pair(created, updated);
  };
  RegisterMeiliRoutes(*server_, std::move(meili), options_.meili);

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

  server_->Get("/v1/openapi.json", [](const httplib::Request&, httplib::Response& res) {
    res.status = 200;
    res.set_content(std::string(OpenApiDocument()), kJsonContentType);
  });

  server_->Get(R"(/v1/documents/([^/]*))", [this](const httplib::Request& req,
                                                   httplib::Response& res) {
    const std::string id = req.matches[1];
    Result<std::string> doc = pool_.With([&](Xapian::Database& db, const IndexView& view) {
      Result<std::string> found = GetDocumentJson(db, id);
      // Not found in the shards that answer: it may be in one that does not.
      if (!found.ok() && found.status().code() == ErrorCode::kNotFound) {
        if (Status s = MissingShards(view, false); !s.ok()) return Result<std::string>(s);
      }
      return found;
    });
    if (!doc.ok()) return SendError(res, doc.status());
    res.status = 200;
    res.set_content(*doc, kJsonContentType);
  });

  server_->Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
    IndexInfo info = pool_.With(
        [](Xapian::Database& db, const IndexView& view) { return DescribeIndex(db, view); });
    SendJson(res, 200,
             {{"status", info.missing_shards.empty() ? "ok" : "degraded"},
              {"documents", info.documents},
              {"revision", info.revision},
              {"schema_version", info.schema_version},
              {"shards", info.shards},
              {"missing_shards", info.missing_shards}});
  });

  // The search page (docs/search-page.md): GET / is web_root/index.html, GET /static/FILE
  // is web_root/FILE; anything else, or outside the root, is a 404 like an unknown route.
  if (!options_.web_root.empty()) {
    auto serve = [root = options_.web_root](std::string_view file, httplib::Response& res) {
      Result<StaticFile> found = ReadStaticFile(root, file);
      if (!found.ok()) return SendError(res, found.status());
      res.status = 200;
      res.set_header("Content-Security-Policy",
                     "default-src 'self'; script-src 'self'; style-src 'self'; "
                     "img-src 'self' data:; connect-src 'self'; base-uri 'none'; "
                     "frame-ancestors 'none'; form-action 'self'");
      res.set_header("Referrer-Policy", "same-origin");
      res.set_header("Cache-Control", "no-cache");
      res.set_content(found->content, found->content_type);
    };
    server_->Get("/", [serve](const httplib::Request&, httplib::Response& res) {
      serve("index.html", res);
    });
    server_->Get(R"(/static/(.+))", [serve](const httplib::Request& req, httplib::Response& res) {
      serve(req.matches[1].str(), res);
    });
  }

  RegisterMetricsRoute();
  InstallJsonErrorHandlers(*server_, kMaxSearchBodyBytes);
}

void HttpServer::RegisterMetricsRoute() {
  std::vector<std::string> routes = {"/v1/search",   "/v1/facets", "/v1/suggest",
                                     "/v1/analyze",  "/v1/openapi.json", "/v1/documents/{id}",
                                     "/healthz",     "/metrics"};
  if (!options_.web_root.empty()) {
    routes.push_back("/");
    routes.push_back("/static/{file+}");
  }
  if (options_.meili.enabled) {
    for (std::string& r : MeiliRoutePatterns()) routes.push_back(std::move(r));
  }
  ObserveRequests(*server_, "search", RouteLabels(std::move(routes)), options_.observers);
  if (!options_.observers.metrics) return;
  server_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    IndexGauges gauges;
    try {
      const IndexInfo info = pool_.With(
          [](Xapian::Database& db, const IndexView& view) { return DescribeIndex(db, view); });
      gauges.available = true;
      gauges.documents = info.documents;
      gauges.revision = info.revision;
    } catch (...) {
      // The index cannot be read right now: that is what the scrape reports, not a 5xx.
    }
    gauges.reopens = pool_.reopens();
    gauges.switches = pool_.switches();
    const RefresherStats derived = refresher_.stats();
    gauges.derived_builds = derived.builds;
    gauges.derived_failures = derived.failures;
    gauges.derived_build_seconds = derived.last_build_seconds;
    gauges.derived_stale = derived.stale;
    res.status = 200;
    res.set_content(options_.observers.metrics->RenderPrometheus(gauges),
                    "text/plain; version=0.0.4; charset=utf-8");
  });
}

void InstallJsonErrorHandlers(httplib::Server& server, std::size_t max_body_bytes) {
  // Unknown routes, and errors cpp-httplib raises itself (a malformed request line, a body
  // over the size limit), get the same JSON error shape as ours.
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [max_body_bytes](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty() || res.status == 304) return httplib::Server::HandlerResponse::Unhandled;
    Status status = res.status == 404
                        ? Status::NotFound("no route for " + req.method + " " + req.path)
                    : res.status == 413
                        ? Status::InvalidArgument("the request body is over " +
                                                  std::to_string(max_body_bytes) + " bytes")
                        : Status::InvalidArgument("bad request (HTTP " +
                                                  std::to_string(res.status) + ")");
    res.set_content(ErrorJson(status).dump(), kJsonContentType);
    return httplib::Server::HandlerResponse::Handled;
  }));

  // The one place where an unexpected exception from a request ends: a JSON 500.
  server.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown error";
        try {
          std::rethrow_exception(ep);
        } catch (const IndexUnavailableError& e) {
          // Not the client's fault and not a bug: the index is gone for now; retry later.
          if (IsMeiliPath(req.path)) {
            return SendMeiliError(res, {503, "unavailable", e.what(), "system"});
          }
          return SendError(res, Status::Unavailable(e.what()));
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

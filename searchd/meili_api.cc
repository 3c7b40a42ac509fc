#include "searchd/meili_api.h"

#include <memory>
#include <variant>

#include <nlohmann/json.hpp>

#include "searchd/admin_api.h"
#include "searchd/json_response.h"
#include "searchd/meili_request.h"
#include "searchd/request_observer.h"

#ifndef AFORI_VERSION
#define AFORI_VERSION "unknown"
#endif

namespace afori::searchd {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// The body as JSON, or the error to answer with.
std::optional<MeiliError> ReadBody(const httplib::Request& req, json* out) {
  const std::string type = req.get_header_value("Content-Type");
  if (!type.empty() && type.rfind("application/json", 0) != 0) {
    return MeiliError{415, "invalid_content_type",
                      "The Content-Type `" + type + "` is not supported: send `application/json`"};
  }
  *out = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (out->is_discarded()) {
    return MeiliError{400, "bad_request", "The request body is not valid JSON"};
  }
  return std::nullopt;
}

class Routes {
 public:
  Routes(MeiliBackend backend, MeiliOptions options)
      : backend_(std::move(backend)), options_(std::move(options)) {}

  // True when the request may go on; otherwise the 401/403 has been written.
  bool Authorized(const httplib::Request& req, httplib::Response& res) const {
    if (options_.api_key.empty()) return true;
    const std::string header = req.get_header_value("Authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (header.empty()) {
      SendMeiliError(res, {401, "missing_authorization_header",
                      "The Authorization header is missing: send `Authorization: Bearer <API key>`",
                      "auth"});
      return false;
    }
    const std::string_view key = header.rfind(kBearer, 0) == 0
                                     ? std::string_view(header).substr(kBearer.size())
                                     : std::string_view();
    if (!TokensEqual(key, options_.api_key)) {
      SendMeiliError(res, {403, "invalid_api_key", "The provided API key is invalid", "auth"});
      return false;
    }
    return true;
  }

  // True for our index; otherwise the 404 has been written.
  bool KnownIndex(const std::string& uid, httplib::Response& res) const {
    if (uid == options_.index_uid) return true;
    SendMeiliError(res, {404, "index_not_found", "Index `" + uid + "` not found."});
    return false;
  }

  ordered_json IndexJson() const {
    const auto [created, updated] = backend_.created_and_updated();
    return {{"uid", options_.index_uid}, {"createdAt", created}, {"updatedAt", updated},
            {"primaryKey", "id"}};
  }

  // Runs one parsed search; an error comes back instead of the response. Adds the number of
  // matches to *total (for the access log).
  std::variant<ordered_json, MeiliError> Search(MeiliSearch search,
                                                std::uint64_t* total = nullptr) const {
    Result<SearchResponse> response = backend_.search(search.request);
    if (!response.ok()) return MeiliErrorFromStatus(response.status());
    if (total) *total += response->total;
    return MeiliSearchResponseJson(search, *response);
  }

  void HandleSearch(const httplib::Request& req, httplib::Response& res, bool get) const {
    if (!Authorized(req, res) || !KnownIndex(req.matches[1], res)) return;
    MeiliSearch search;
    std::optional<MeiliError> error;
    if (get) {
      error = ParseMeiliSearchParams({req.params.begin(), req.params.end()}, &search);
    } else {
      json body;
      error = ReadBody(req, &body);
      if (!error) error = ParseMeiliSearch(body, false, &search);
    }
    if (error) return SendMeiliError(res, *error);
    std::uint64_t total = 0;
    std::variant<ordered_json, MeiliError> out = Search(std::move(search), &total);
    if (auto* e = std::get_if<MeiliError>(&out)) return SendMeiliError(res, *e);
    SendJson(res, 200, std::get<ordered_json>(out));
    SetResultCount(res, total);
  }

  void HandleMultiSearch(const httplib::Request& req, httplib::Response& res) const {
    if (!Authorized(req, res)) return;
    json body;
    if (std::optional<MeiliError> e = ReadBody(req, &body)) return SendMeiliError(res, *e);
    if (!body.is_object() || !body.contains("queries") || !body["queries"].is_array()) {
      return SendMeiliError(res, {400, "bad_request", "The body must be {\"queries\": [...]}"});
    }
    for (const auto& [key, v] : body.items()) {
      if (key != "queries") {
        return SendMeiliError(res, {400, "bad_request",
                               "Unknown field `" + key + "`: only `queries` is supported "
                               "(federated search is not)"});
      }
    }
    ordered_json results = ordered_json::array();
    std::uint64_t total = 0;
    std::size_t i = 0;
    for (const json& query : body["queries"]) {
      const std::string where = "Inside `.queries[" + std::to_string(i++) + "]`: ";
      MeiliSearch search;
      std::optional<MeiliError> error = ParseMeiliSearch(query, true, &search);
      if (!error && search.index_uid != options_.index_uid) {
        error = MeiliError{404, "index_not_found", "Index `" + search.index_uid + "` not found."};
      }
      std::variant<ordered_json, MeiliError> out;
      if (!error) out = Search(search, &total);
      if (auto* e = std::get_if<MeiliError>(&out)) error = *e;
      if (error) {
        error->message = where + error->message;
        return SendMeiliError(res, *error);
      }
      ordered_json result = {{"indexUid", search.index_uid}};
      for (auto& [k, v] : std::get<ordered_json>(out).items()) result[k] = std::move(v);
      results.push_back(std::move(result));
    }
    SendJson(res, 200, {{"results", std::move(results)}});
    SetResultCount(res, total);
  }

  void HandleFacetSearch(const httplib::Request& req, httplib::Response& res) const {
    if (!Authorized(req, res) || !KnownIndex(req.matches[1], res)) return;
    json body;
    MeiliFacetSearch search;
    std::optional<MeiliError> error = ReadBody(req, &body);
    if (!error) error = ParseMeiliFacetSearch(body, &search);
    if (error) return SendMeiliError(res, *error);
    Result<FacetsResponse> response = backend_.facets(search.request);
    if (!response.ok()) return SendMeiliError(res, MeiliErrorFromStatus(response.status()));
    SendJson(res, 200, MeiliFacetSearchResponseJson(search, *response));
  }

  // Each handler holds `self`, so the routes live as long as the server's handlers.
  static void Register(const std::shared_ptr<const Routes>& self, httplib::Server& server) {
    server.Get("/health", [](const httplib::Request&, httplib::Response& res) {
      SendJson(res, 200, {{"status", "available"}});
    });
    server.Get("/version", [self](const httplib::Request& req, httplib::Response& res) {
      if (!self->Authorized(req, res)) return;
      SendJson(res, 200, {{"pkgVersion", AFORI_VERSION}, {"commitSha", "unknown"},
                      {"commitDate", "unknown"}, {"engine", "afori-search"}});
    });
    server.Get("/indexes", [self](const httplib::Request& req, httplib::Response& res) {
      if (!self->Authorized(req, res)) return;
      SendJson(res, 200, {{"results", {self->IndexJson()}}, {"offset", 0}, {"limit", 20}, {"total", 1}});
    });
    server.Get(R"(/indexes/([^/]+))", [self](const httplib::Request& req, httplib::Response& res) {
      if (!self->Authorized(req, res) || !self->KnownIndex(req.matches[1], res)) return;
      SendJson(res, 200, self->IndexJson());
    });
    server.Get(R"(/indexes/([^/]+)/stats)",
               [self](const httplib::Request& req, httplib::Response& res) {
      if (!self->Authorized(req, res) || !self->KnownIndex(req.matches[1], res)) return;
      SendJson(res, 200, {{"numberOfDocuments", self->backend_.document_count()}, {"isIndexing", false}});
    });
    server.Get(R"(/indexes/([^/]+)/search)",
               [self](const httplib::Request& req, httplib::Response& res) {
      self->HandleSearch(req, res, /*get=*/true);
    });
    server.Post(R"(/indexes/([^/]+)/search)",
                [self](const httplib::Request& req, httplib::Response& res) {
      self->HandleSearch(req, res, /*get=*/false);
    });
    server.Post(R"(/indexes/([^/]+)/facet-search)",
                [self](const httplib::Request& req, httplib::Response& res) {
      self->HandleFacetSearch(req, res);
    });
    server.Post("/multi-search", [self](const httplib::Request& req, httplib::Response& res) {
      self->HandleMultiSearch(req, res);
    });
    // Read-only: documents and settings are written through the admin API.
    auto read_only = [](const httplib::Request& req, httplib::Response& res) {
      SendMeiliError(res, {405, "read_only",
                      req.method + " " + req.path + " is not supported: this Meilisearch-"
                      "compatible API only searches; documents are written with the indexer "
                      "or the admin API (docs/reindexing.md)"});
    };
    server.Post(R"(/indexes(/.*)?)", read_only);
    server.Put(R"(/indexes(/.*)?)", read_only);
    server.Patch(R"(/indexes(/.*)?)", read_only);
    server.Delete(R"(/indexes(/.*)?)", read_only);
  }

 private:
  MeiliBackend backend_;
  MeiliOptions options_;
};

}  // namespace

std::vector<std::string> MeiliRoutePatterns() {
  return {"/health",       "/version",          "/indexes",
          "/indexes/{uid}", "/indexes/{uid}/stats", "/indexes/{uid}/search",
          "/indexes/{uid}/facet-search", "/multi-search"};
}

void RegisterMeiliRoutes(httplib::Server& server, MeiliBackend backend, MeiliOptions options) {
  if (!options.enabled) return;
  Routes::Register(std::make_shared<const Routes>(std::move(backend), std::move(options)), server);
}

}  // namespace afori::searchd

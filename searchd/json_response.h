// JSON responses: how every route of searchd's APIs writes a body or an error.
//
// The search API, the admin API and the Meilisearch-compatible routes answer in JSON; these
// functions are the one place that decides the content type, that invalid UTF-8 in a body is
// replaced rather than thrown on, and which headers go with an error (Retry-After with a
// 503, WWW-Authenticate with a 401).
//
// Thread safety: reentrant.
#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "common/status.h"
#include "searchd/meili_request.h"

namespace afori::searchd {

inline constexpr const char* kJsonContentType = "application/json; charset=utf-8";

// The HTTP status that reports `code` to a client.
int HttpStatusFor(ErrorCode code);

// {"error": {"code": "...", "message": "..."}}
nlohmann::ordered_json ErrorJson(const Status& status);

void SendJson(httplib::Response& res, int status, const nlohmann::ordered_json& body);
// ErrorJson(status) with HttpStatusFor's status.
void SendError(httplib::Response& res, const Status& status);
// A Meilisearch error object with its own status (searchd/meili_request.h).
void SendMeiliError(httplib::Response& res, const MeiliError& error);

}  // namespace afori::searchd

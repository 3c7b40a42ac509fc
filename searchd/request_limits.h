// Request limits: what every request to searchd must satisfy before any route sees it.
//
// Each route validates its own parameters (searchd/http_params.h, searchd/meili_request.h);
// these checks are the ones common to all of them, applied once in the servers' pre-routing
// handlers so that no route can forget them: the path, every parameter name and value, and
// a JSON body must be valid UTF-8 without NUL bytes (a NUL truncates strings in C APIs and
// logs, and invalid UTF-8 would come back as U+FFFD, silently changing the query); at most
// kMaxParameters parameters; JSON nested at most kMaxJsonDepth deep (deeper documents are
// not something any client sends, and parsers and destructors may recurse on them).
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <string_view>

#include <httplib.h>

#include "common/status.h"

namespace afori::searchd {

inline constexpr std::size_t kMaxParameters = 64;
inline constexpr int kMaxJsonDepth = 32;

// InvalidArgument naming the parameter (or the path, or the body) and the reason.
Status CheckRequestLimits(const httplib::Request& req);

// The nesting depth of the JSON text (arrays and objects; brackets inside strings do not
// count), without parsing it. Stops counting at `stop_at`.
int JsonNestingDepth(std::string_view text, int stop_at);

}  // namespace afori::searchd

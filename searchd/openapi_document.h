// The OpenAPI 3 description of the /v1 API (docs/openapi.json), compiled into searchd so
// that GET /v1/openapi.json always describes the binary that serves it.
//
// Thread safety: a constant.
#pragma once

#include <string_view>

namespace afori::searchd {

std::string_view OpenApiDocument();

}  // namespace afori::searchd

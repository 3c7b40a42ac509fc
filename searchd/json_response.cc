#include "searchd/json_response.h"

namespace afori::searchd {

int HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return 200;
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kInvalidDocument: return 400;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kUnauthorized: return 401;
    case ErrorCode::kForbidden: return 403;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kIoError:
    case ErrorCode::kSchemaMismatch:
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

nlohmann::ordered_json ErrorJson(const Status& status) {
  return {{"error", {{"code", ErrorCodeName(status.code())}, {"message", status.message()}}}};
}

void SendJson(httplib::Response& res, int status, const nlohmann::ordered_json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace),
                  kJsonContentType);
}

void SendError(httplib::Response& res, const Status& status) {
  if (status.code() == ErrorCode::kUnavailable) res.set_header("Retry-After", "1");
  if (status.code() == ErrorCode::kUnauthorized) res.set_header("WWW-Authenticate", "Bearer");
  SendJson(res, HttpStatusFor(status.code()), ErrorJson(status));
}

void SendMeiliError(httplib::Response& res, const MeiliError& error) {
  if (error.http_status == 503) res.set_header("Retry-After", "1");
  SendJson(res, error.http_status, MeiliErrorJson(error));
}

}  // namespace afori::searchd

// Status and Result<T>: how expected failures travel through afori-search.
//
// A bad parameter, an invalid document or an unknown id is not exceptional: functions that
// can fail that way return a Status (or a Result<T> holding either a value or a Status), and
// the caller decides. Exceptions are used only at the process boundary (searchd/indexer
// main, the HTTP handler wrapper), which turns them into an exit code or a JSON error.
//
// Thread safety: plain values; no shared state.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace afori {

enum class ErrorCode {
  kOk = 0,
  kInvalidArgument,  // a request parameter or command-line option is wrong
  kInvalidDocument,  // a document breaks the document format (docs/documents.md)
  kNotFound,         // an id or route that does not exist
  kIoError,          // a file or directory could not be read or written
  kSchemaMismatch,   // the database was written with another schema version
  kUnavailable,      // busy or temporarily gone (another writer holds the lock); try again
  kUnauthorized,     // no credentials were given
  kForbidden,        // the credentials given are wrong
  kInternal,         // a bug or an unexpected library failure
};

// Stable lower-case name, used as the "code" of JSON errors and in log lines.
inline const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return "ok";
    case ErrorCode::kInvalidArgument: return "invalid_argument";
    case ErrorCode::kInvalidDocument: return "invalid_document";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kIoError: return "io_error";
    case ErrorCode::kSchemaMismatch: return "schema_mismatch";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kUnauthorized: return "unauthorized";
    case ErrorCode::kForbidden: return "forbidden";
    case ErrorCode::kInternal: return "internal";
  }
  return "internal";
}

class Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) { return {ErrorCode::kInvalidArgument, std::move(m)}; }
  static Status InvalidDocument(std::string m) { return {ErrorCode::kInvalidDocument, std::move(m)}; }
  static Status NotFound(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
  static Status IoError(std::string m) { return {ErrorCode::kIoError, std::move(m)}; }
  static Status SchemaMismatch(std::string m) { return {ErrorCode::kSchemaMismatch, std::move(m)}; }
  static Status Unavailable(std::string m) { return {ErrorCode::kUnavailable, std::move(m)}; }
  static Status Unauthorized(std::string m) { return {ErrorCode::kUnauthorized, std::move(m)}; }
  static Status Forbidden(std::string m) { return {ErrorCode::kForbidden, std::move(m)}; }
  static Status Internal(std::string m) { return {ErrorCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

// Either a T or a non-OK Status. Constructing from an OK Status is a bug.
template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : state_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(state_).ok());
  }

  bool ok() const { return std::holds_alternative<T>(state_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(state_);
  }
  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace afori

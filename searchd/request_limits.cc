#include "searchd/request_limits.h"

#include <string>

#include "stemming/tokenizer.h"

namespace afori::searchd {
namespace {

// Why `text` may not be used, or nullptr.
const char* TextProblem(std::string_view text) {
  if (text.find('\0') != std::string_view::npos) return "contains a NUL byte";
  if (!stemming::IsValidUtf8(text)) return "is not valid UTF-8";
  return nullptr;
}

// A name as shown in an error: invalid bytes would make the message itself invalid.
std::string Printable(std::string_view name) {
  std::string out;
  for (unsigned char c : name.substr(0, 64)) {
    if (c >= 0x20 && c < 0x7F) {
      out.push_back(static_cast<char>(c));
    } else {
      out += "\\x";
      out.push_back("0123456789abcdef"[c >> 4]);
      out.push_back("0123456789abcdef"[c & 15]);
    }
  }
  return out;
}

bool IsJson(const httplib::Request& req) {
  const std::string type = req.get_header_value("Content-Type");
  return type.empty() || type.rfind("application/json", 0) == 0 ||
         type.rfind("application/x-ndjson", 0) == 0;
}

}  // namespace

int JsonNestingDepth(std::string_view text, int stop_at) {
  int depth = 0, deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
      if (deepest >= stop_at) return deepest;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

Status CheckRequestLimits(const httplib::Request& req) {
  if (const char* why = TextProblem(req.path)) {
    return Status::InvalidArgument(std::string("the request path ") + why);
  }
  if (req.params.size() > kMaxParameters) {
    return Status::InvalidArgument("too many parameters: " + std::to_string(req.params.size()) +
                                   ", at most " + std::to_string(kMaxParameters));
  }
  for (const auto& [name, value] : req.params) {
    if (const char* why = TextProblem(name)) {
      return Status::InvalidArgument("a parameter name " + std::string(why));
    }
    if (const char* why = TextProblem(value)) {
      return Status::InvalidArgument("parameter '" + Printable(name) + "' " + why);
    }
  }
  if (!req.body.empty() && IsJson(req)) {
    // A NUL can also hide in JSON as the escape \u0000: refused like a raw one.
    if (const char* why = TextProblem(req.body)) {
      return Status::InvalidArgument(std::string("the request body ") + why);
    }
    if (req.body.find("\\u0000") != std::string::npos) {
      return Status::InvalidArgument("the request body contains an escaped NUL (\\u0000)");
    }
    if (JsonNestingDepth(req.body, kMaxJsonDepth + 1) > kMaxJsonDepth) {
      return Status::InvalidArgument("the JSON body is nested more than " +
                                     std::to_string(kMaxJsonDepth) + " levels deep");
    }
  }
  return Status::Ok();
}

}  // namespace afori::searchd

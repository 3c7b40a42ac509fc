#include "corpus/loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>

namespace afori::corpus {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

bool HasExtension(const fs::path& p, std::string_view ext) { return p.extension() == ext; }

bool IsHidden(const fs::path& p) {
  std::string name = p.filename().string();
  return !name.empty() && name[0] == '.';
}

// The id to print beside a rejection: the document's own id when it is usable.
std::string IdForReport(const json& value) {
  if (value.is_object()) {
    auto it = value.find("id");
    if (it != value.end() && it->is_string() && IsValidId(it->get_ref<const std::string&>())) {
      return it->get<std::string>();
    }
  }
  return "-";
}

int LineOfByte(std::string_view text, std::size_t byte) {
  byte = std::min(byte, text.size());
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + byte, '\n'));
}

// Parses JSON text; on failure says why and on which line (1-based) of `text`.
Status ParseJson(std::string_view text, json* out, int* error_line) {
  *error_line = 1;
  try {
    *out = json::parse(text);
    return Status::Ok();
  } catch (const json::parse_error& e) {
    *error_line = LineOfByte(text, e.byte);
    // nlohmann's message starts with "[json.exception.parse_error.101] "; keep the rest.
    std::string what = e.what();
    std::size_t start = what.find("] ");
    return Status::InvalidDocument("invalid JSON: " +
                                   (start == std::string::npos ? what : what.substr(start + 2)));
  } catch (const json::out_of_range& e) {
    // A number too large for a double ("1e999") is thrown as out_of_range, not parse_error.
    std::string what = e.what();
    std::size_t start = what.find("] ");
    return Status::InvalidDocument("invalid JSON: " +
                                   (start == std::string::npos ? what : what.substr(start + 2)));
  }
}

class Collector {
 public:
  void AddText(std::string_view text, const std::string& path, int line) {
    json value;
    int error_line = 1;
    if (Status parsed = ParseJson(text, &value, &error_line); !parsed.ok()) {
      Reject({path, line + error_line - 1}, "-", parsed.message());
      return;
    }
    Result<Document> doc = ParseDocument(value);
    if (!doc.ok()) {
      Reject({path, line}, IdForReport(value), doc.status().message());
      return;
    }
    auto [it, inserted] = first_seen_.emplace(doc->id, SourceLocation{path, line});
    if (!inserted) {
      Reject({path, line}, doc->id, "duplicate id, first defined at " + it->second.ToString());
      return;
    }
    report_.documents.push_back({std::move(doc).value(), {path, line}});
  }

  void Reject(SourceLocation where, std::string id, std::string reason) {
    report_.rejections.push_back({std::move(where), std::move(id), std::move(reason)});
  }

  LoadReport Take() { return std::move(report_); }

 private:
  LoadReport report_;
  std::map<std::string, SourceLocation, std::less<>> first_seen_;
};

bool ReadFile(const fs::path& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = std::move(ss).str();
  return !in.bad();
}

void LoadJsonFile(const fs::path& path, Collector& c) {
  std::string text;
  if (!ReadFile(path, &text)) {
    c.Reject({path.string(), 0}, "-", "cannot read file");
    return;
  }
  c.AddText(text, path.string(), 1);
}

void LoadJsonLinesFile(const fs::path& path, Collector& c) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    c.Reject({path.string(), 0}, "-", "cannot read file");
    return;
  }
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    c.AddText(line, path.string(), number);
  }
  if (in.bad()) c.Reject({path.string(), number}, "-", "read error");
}

void LoadDirectory(const fs::path& dir, Collector& c) {
  std::vector<fs::path> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (IsHidden(it->path())) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (HasExtension(it->path(), ".json") && it->is_regular_file(ec)) files.push_back(it->path());
  }
  if (ec) c.Reject({dir.string(), 0}, "-", "cannot list directory: " + ec.message());
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) LoadJsonFile(f, c);
}

}  // namespace

std::string SourceLocation::ToString() const { return path + ":" + std::to_string(line); }

std::string Rejection::ToString() const {
  return where.ToString() + ": " + id + ": " + reason;
}

LoadReport LoadDocuments(const std::vector<std::string>& inputs) {
  Collector c;
  for (const std::string& input : inputs) {
    fs::path p(input);
    std::error_code ec;
    fs::file_status st = fs::status(p, ec);
    if (ec || !fs::exists(st)) {
      c.Reject({input, 0}, "-", "no such file or directory");
    } else if (fs::is_directory(st)) {
      LoadDirectory(p, c);
    } else if (HasExtension(p, ".jsonl")) {
      LoadJsonLinesFile(p, c);
    } else if (HasExtension(p, ".json")) {
      LoadJsonFile(p, c);
    } else {
      c.Reject({input, 0}, "-", "not a directory, .json or .jsonl file");
    }
  }
  return c.Take();
}

Result<Document> ParseDocumentText(std::string_view text, int* error_line) {
  if (text.size() > kMaxDocumentBytes) {
    *error_line = 1;
    return Status::InvalidDocument("the document is " + std::to_string(text.size()) +
                                   " bytes of JSON, at most " + std::to_string(kMaxDocumentBytes) +
                                   " (8 MiB)");
  }
  json value;
  if (Status parsed = ParseJson(text, &value, error_line); !parsed.ok()) return parsed;
  return ParseDocument(value);
}

}  // namespace afori::corpus

#include "corpus/loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <unordered_map>
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

// Validates documents as the walkers below find them and rejects what fails; what to keep of
// an accepted document is the subclass's business.
class Collector {
 public:
  virtual ~Collector() = default;

  // A file about to be read; its number is passed back to AddText.
  std::uint32_t AddFile(const std::string& path) {
    files_.push_back(path);
    return static_cast<std::uint32_t>(files_.size() - 1);
  }

  // `text` starts at byte `offset` of the file and at its line `line`.
  void AddText(std::string_view text, std::uint32_t file, int line, std::uint64_t offset) {
    json value;
    int error_line = 1;
    if (Status parsed = ParseJson(text, &value, &error_line); !parsed.ok()) {
      Reject({files_[file], line + error_line - 1}, "-", parsed.message());
      return;
    }
    Result<Document> doc = ParseDocument(value);
    if (!doc.ok()) {
      Reject({files_[file], line}, IdForReport(value), doc.status().message());
      return;
    }
    auto [it, inserted] = first_seen_.try_emplace(doc->id, file, line);
    if (!inserted) {
      const SourceLocation first{files_[it->second.first], it->second.second};
      Reject({files_[file], line}, doc->id, "duplicate id, first defined at " + first.ToString());
      return;
    }
    Keep(std::move(doc).value(), file, line, offset, text);
  }

  void Reject(SourceLocation where, std::string id, std::string reason) {
    rejections_.push_back({std::move(where), std::move(id), std::move(reason)});
  }

 protected:
  virtual void Keep(Document&& doc, std::uint32_t file, int line, std::uint64_t offset,
                    std::string_view text) = 0;

  std::vector<std::string> files_;
  std::vector<Rejection> rejections_;

 private:
  // id -> (file, line) of its first definition
  std::unordered_map<std::string, std::pair<std::uint32_t, int>> first_seen_;
};

class DocumentLoader final : public Collector {
 public:
  LoadReport Take() {
    report_.rejections = std::move(rejections_);
    return std::move(report_);
  }

 private:
  void Keep(Document&& doc, std::uint32_t file, int line, std::uint64_t, std::string_view) override {
    report_.documents.push_back({std::move(doc), {files_[file], line}});
  }
  LoadReport report_;
};

std::uint64_t Fingerprint(std::string_view text) { return std::hash<std::string_view>{}(text); }

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
  c.AddText(text, c.AddFile(path.string()), 1, 0);
}

void LoadJsonLinesFile(const fs::path& path, Collector& c) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    c.Reject({path.string(), 0}, "-", "cannot read file");
    return;
  }
  const std::uint32_t file = c.AddFile(path.string());
  std::string line;
  int number = 0;
  std::uint64_t next_offset = 0;
  while (std::getline(in, line)) {
    ++number;
    const std::uint64_t offset = next_offset;
    next_offset += line.size() + 1;  // and the newline (past the end on a last line without)
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    c.AddText(line, file, number, offset);
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

void LoadInputs(const std::vector<std::string>& inputs, Collector& c) {
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
}

}  // namespace

std::string SourceLocation::ToString() const { return path + ":" + std::to_string(line); }

std::string Rejection::ToString() const {
  return where.ToString() + ": " + id + ": " + reason;
}

LoadReport LoadDocuments(const std::vector<std::string>& inputs) {
  DocumentLoader loader;
  LoadInputs(inputs, loader);
  return loader.Take();
}

Status InMemoryDocuments::ForEach(std::size_t begin, std::size_t end, const Visitor& visit) const {
  end = std::min(end, documents_.size());
  for (std::size_t i = begin; i < end; ++i) {
    if (Status s = visit(i, documents_[i]); !s.ok()) return s;
  }
  return Status::Ok();
}

class DocumentScanner final : public Collector {
 public:
  DocumentCatalog Take() {
    DocumentCatalog catalog;
    catalog.files_ = std::move(files_);
    catalog.entries_ = std::move(entries_);
    catalog.rejections_ = std::move(rejections_);
    return catalog;
  }

 private:
  void Keep(Document&&, std::uint32_t file, int line, std::uint64_t offset,
            std::string_view text) override {
    entries_.push_back({offset, Fingerprint(text), text.size(), file, line});
  }
  std::vector<DocumentCatalog::Entry> entries_;
};

DocumentCatalog ScanDocuments(const std::vector<std::string>& inputs) {
  DocumentScanner scanner;
  LoadInputs(inputs, scanner);
  return scanner.Take();
}

Status DocumentCatalog::ForEach(std::size_t begin, std::size_t end, const Visitor& visit) const {
  end = std::min(end, entries_.size());
  std::ifstream in;
  std::optional<std::uint32_t> open_file;
  std::string text;
  for (std::size_t i = begin; i < end; ++i) {
    const Entry& e = entries_[i];
    LoadedDocument loaded{{}, {files_[e.file], e.line}};
    if (open_file != e.file) {
      in = std::ifstream(files_[e.file], std::ios::binary);
      if (!in) {
        return Status::IoError(loaded.where.ToString() + ": cannot read the file again: " +
                               std::error_code(errno, std::generic_category()).message());
      }
      open_file = e.file;
    }
    text.resize(e.size);
    in.seekg(static_cast<std::streamoff>(e.offset));
    in.read(text.data(), static_cast<std::streamsize>(e.size));
    const auto changed = [&loaded] {
      return Status::IoError(loaded.where.ToString() +
                             ": the document is no longer what was read when the inputs were "
                             "scanned (was the file changed during the build?)");
    };
    if (!in || Fingerprint(text) != e.fingerprint) return changed();
    json value;
    int error_line = 1;
    if (!ParseJson(text, &value, &error_line).ok()) return changed();
    Result<Document> doc = ParseDocument(value);
    if (!doc.ok()) return changed();
    loaded.document = std::move(doc).value();
    if (Status s = visit(i, loaded); !s.ok()) return s;
  }
  return Status::Ok();
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

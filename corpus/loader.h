// Loader: reads documents from any mix of directories and JSON Lines files.
//
// A directory is searched recursively for "*.json" files (one document per file; hidden
// files and folders are skipped); a "*.jsonl" file holds one document per line (blank lines
// are skipped). Paths are visited in sorted order, so the result does not depend on the file
// system. Every document that fails validation, and every id seen twice, becomes a Rejection
// reported as "path:line: id: reason"; the good documents are still returned. The first
// occurrence of an id wins; the duplicate's rejection names where the first one is.
//
//
// Two ways to read: LoadDocuments() keeps every document in memory (for `indexer update` and
// the tests); ScanDocuments() validates the same way in one pass but keeps only where each
// accepted document is, and a build reads them again, in ranges, through the DocumentSource
// interface. A full build's memory then does not grow with the documents' text (about 6.5 GB
// at 1,000,000 documents when they were all held; docs/performance.md).
//
// Thread safety: free functions without shared state. A DocumentSource is immutable; its
// ForEach may be called from several threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "corpus/document.h"

namespace afori::corpus {

struct SourceLocation {
  std::string path;
  int line = 0;  // 1-based; 0 means the file or input as a whole

  std::string ToString() const;  // "path:line"
};

struct LoadedDocument {
  Document document;
  SourceLocation where;
};

struct Rejection {
  SourceLocation where;
  std::string id;  // "-" when the document has no usable id
  std::string reason;

  std::string ToString() const;  // "path:line: id: reason"
};

struct LoadReport {
  std::vector<LoadedDocument> documents;
  std::vector<Rejection> rejections;
};

// Loads every input. An input that is neither a directory nor a readable .json/.jsonl file
// is itself reported as a rejection (line 0).
LoadReport LoadDocuments(const std::vector<std::string>& inputs);

// Documents numbered from 0, read in ranges, in order.
class DocumentSource {
 public:
  // Called once per document; a non-OK result stops ForEach, which returns it.
  using Visitor = std::function<Status(std::size_t index, const LoadedDocument& loaded)>;

  virtual ~DocumentSource() = default;
  virtual std::size_t size() const = 0;
  // Visits documents [begin, end) (end clamped to size()) in order. Errors: visit's, or, for
  // documents read again from files, IoError naming path:line when a file can no longer be
  // read or has changed since it was scanned.
  virtual Status ForEach(std::size_t begin, std::size_t end, const Visitor& visit) const = 0;
};

// Documents already in memory. Does not own them: `documents` must outlive it.
class InMemoryDocuments final : public DocumentSource {
 public:
  explicit InMemoryDocuments(const std::vector<LoadedDocument>& documents)
      : documents_(documents) {}
  std::size_t size() const override { return documents_.size(); }
  Status ForEach(std::size_t begin, std::size_t end, const Visitor& visit) const override;

 private:
  const std::vector<LoadedDocument>& documents_;
};

// The accepted documents of some inputs, as places in files: what ScanDocuments() returns.
// ForEach reads, parses and checks each document again; a document whose bytes are not the
// ones scanned (the file was edited meanwhile) is an error, never a different document.
// Memory: 32 bytes per document (the ids are only held during the scan).
class DocumentCatalog final : public DocumentSource {
 public:
  std::size_t size() const override { return entries_.size(); }
  Status ForEach(std::size_t begin, std::size_t end, const Visitor& visit) const override;
  // What LoadDocuments() would have rejected, in the same order.
  const std::vector<Rejection>& rejections() const { return rejections_; }

 private:
  friend class DocumentScanner;  // loader.cc: fills it
  struct Entry {
    std::uint64_t offset;       // of the document's first byte in its file
    std::uint64_t fingerprint;  // of its bytes, to notice a file changed since the scan
    std::uint64_t size;         // bytes
    std::uint32_t file;         // index into files_
    int line;
  };
  std::vector<std::string> files_;
  std::vector<Entry> entries_;
  std::vector<Rejection> rejections_;
};

// Reads and validates every input as LoadDocuments() does (the same documents in the same
// order, the same rejections) and remembers where each accepted document is.
DocumentCatalog ScanDocuments(const std::vector<std::string>& inputs);

// The largest document text accepted: pages of the knowledge base are kilobytes, and one
// document must not take the indexer's (or the admin API's) memory and time.
inline constexpr std::size_t kMaxDocumentBytes = 8u << 20;

// Parses one JSON text (a .json file or one JSONL line), at most kMaxDocumentBytes (larger
// is an InvalidDocument saying so). On invalid JSON the status message
// says what is wrong; *error_line is set to the 1-based line within `text` where the parser
// stopped (1 when unknown).
Result<Document> ParseDocumentText(std::string_view text, int* error_line);

}  // namespace afori::corpus

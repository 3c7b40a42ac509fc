// Loader: reads documents from any mix of directories and JSON Lines files.
//
// A directory is searched recursively for "*.json" files (one document per file; hidden
// files and folders are skipped); a "*.jsonl" file holds one document per line (blank lines
// are skipped). Paths are visited in sorted order, so the result does not depend on the file
// system. Every document that fails validation, and every id seen twice, becomes a Rejection
// reported as "path:line: id: reason"; the good documents are still returned. The first
// occurrence of an id wins; the duplicate's rejection names where the first one is.
//
// Thread safety: free functions without shared state.
#pragma once

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

// The largest document text accepted: pages of the knowledge base are kilobytes, and one
// document must not take the indexer's (or the admin API's) memory and time.
inline constexpr std::size_t kMaxDocumentBytes = 8u << 20;

// Parses one JSON text (a .json file or one JSONL line), at most kMaxDocumentBytes (larger
// is an InvalidDocument saying so). On invalid JSON the status message
// says what is wrong; *error_line is set to the 1-based line within `text` where the parser
// stopped (1 when unknown).
Result<Document> ParseDocumentText(std::string_view text, int* error_line);

}  // namespace afori::corpus

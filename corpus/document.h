// Document: one page of the knowledge base (a guide, a case or a funding call), validated.
//
// ParseDocument() is the single implementation of the document format described in
// docs/documents.md and corpus/document.schema.json: it checks every field and returns either
// a Document or an InvalidDocument status whose message names the field and the reason.
// Fields the format does not know are kept in Document::source_json and returned to API clients
// with the document, but nothing indexes them.
//
// Thread safety: free functions without shared state; Document is a plain value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace afori::corpus {

enum class DocType { kGuide, kCase, kFunding };

// "guide", "case" or "funding".
std::string_view DocTypeName(DocType type);

struct Document {
  std::string id;
  DocType type = DocType::kGuide;
  std::string title;
  std::string body;  // Markdown or plain text, as given
  std::optional<std::string> summary;
  std::optional<std::string> url;
  std::optional<std::string> published;  // YYYY-MM-DD
  std::optional<std::string> updated;    // YYYY-MM-DD
  std::vector<std::string> themes;
  std::vector<std::string> organisations;
  std::optional<std::string> region;
  std::vector<std::string> tags;
  // Funding only.
  std::optional<std::string> funder;
  std::optional<std::string> deadline;  // YYYY-MM-DD
  std::optional<std::int64_t> amount_max_sek;

  // The object exactly as given (unknown fields included), as compact JSON text (nlohmann's
  // dump(), keys sorted): what the index stores and hashes and the API returns. Text rather
  // than a parsed tree, which takes several times the memory: a bulk build holds every
  // document at once (docs/performance.md). Empty only in a Document not made by
  // ParseDocument.
  std::string source_json;
};

// id must match [a-z0-9][a-z0-9-]{0,127}.
bool IsValidId(std::string_view id);

// A real calendar date written YYYY-MM-DD (2024-02-29 yes, 2023-02-29 no).
bool IsValidDate(std::string_view date);

// Validates a parsed JSON value against the document format.
Result<Document> ParseDocument(const nlohmann::json& value);

}  // namespace afori::corpus

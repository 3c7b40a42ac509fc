// Fuzzes the document format: corpus::ParseDocumentText (JSON text -> validated Document, the
// path every .json file and JSONL line takes) and, for accepted documents, the indexer's
// mapping to a Xapian document.
//
// Invariants: a rejection is InvalidDocument with a message and a line inside the text; an
// accepted document has a valid id and dates, its source round-trips through ParseDocument,
// can be serialised, and becomes a Xapian document whose terms Xapian can store.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "corpus/document.h"
#include "corpus/loader.h"
#include "indexer/indexer.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using afori::corpus::Document;

void CheckOptionalDate(const std::optional<std::string>& date) {
  if (date) AFORI_FUZZ_CHECK_MSG(afori::corpus::IsValidDate(*date), *date);
}

void CheckSame(const Document& a, const Document& b) {
  AFORI_FUZZ_CHECK(a.id == b.id && a.type == b.type && a.title == b.title && a.body == b.body);
  AFORI_FUZZ_CHECK(a.summary == b.summary && a.url == b.url && a.published == b.published &&
                   a.updated == b.updated && a.deadline == b.deadline);
  AFORI_FUZZ_CHECK(a.themes == b.themes && a.organisations == b.organisations &&
                   a.region == b.region && a.tags == b.tags && a.funder == b.funder &&
                   a.amount_max_sek == b.amount_max_sek && a.source_json == b.source_json);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  afori::fuzz::Analyzer();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  int error_line = -1;
  afori::Result<Document> doc = afori::corpus::ParseDocumentText(text, &error_line);
  if (!doc.ok()) {
    AFORI_FUZZ_CHECK_MSG(doc.status().code() == afori::ErrorCode::kInvalidDocument,
                         doc.status().message());
    AFORI_FUZZ_CHECK(!doc.status().message().empty());
    std::size_t lines = 1;
    for (char c : text) lines += c == '\n';
    AFORI_FUZZ_CHECK(error_line >= 1 && static_cast<std::size_t>(error_line) <= lines);
    return 0;
  }
  AFORI_FUZZ_CHECK(afori::corpus::IsValidId(doc->id));
  AFORI_FUZZ_CHECK(!doc->title.empty() && !doc->body.empty());  // required: not blank
  CheckOptionalDate(doc->published);
  CheckOptionalDate(doc->updated);
  CheckOptionalDate(doc->deadline);
  if (doc->amount_max_sek) AFORI_FUZZ_CHECK(*doc->amount_max_sek >= 0);
  for (const auto* list : {&doc->themes, &doc->organisations, &doc->tags}) {
    for (const std::string& v : *list) AFORI_FUZZ_CHECK(!v.empty() && v.size() <= 200);
  }

  // What the index stores and the API returns is an object that reads back as the same
  // document, in valid UTF-8, and is already compact (dumping it again changes nothing).
  AFORI_FUZZ_CHECK(afori::fuzz::ValidUtf8(doc->source_json));
  const nlohmann::json stored =
      nlohmann::json::parse(doc->source_json, nullptr, /*allow_exceptions=*/false);
  AFORI_FUZZ_CHECK(stored.is_object());
  AFORI_FUZZ_CHECK(stored.dump() == doc->source_json);
  afori::Result<Document> again = afori::corpus::ParseDocument(stored);
  AFORI_FUZZ_CHECK(again.ok());
  CheckSame(*doc, *again);

  // Indexing the document: every term must fit Xapian's limit, or the whole build fails.
  Xapian::Document xdoc = afori::indexer::ToXapianDocument(*doc, afori::fuzz::Analyzer());
  for (Xapian::TermIterator t = xdoc.termlist_begin(); t != xdoc.termlist_end(); ++t) {
    const std::string term = *t;
    AFORI_FUZZ_CHECK(!term.empty());
    AFORI_FUZZ_CHECK_MSG(term.size() <= afori::fuzz::kMaxXapianTermBytes, term.substr(0, 60));
  }
  return 0;
}

// The analysis of a text as JSON, for `indexer analyze` and GET /v1/analyze: like
// Elasticsearch's _analyze, it shows what the index or a query makes of the words.
//
// For a document field ("title", "summary", "body") it lists the tokens with their stems,
// stop-word flags and compound parts, and the index terms IndexText() writes. For "query" it
// adds what query building does with each word: diacritic variants and typo corrections
// (when a database vocabulary is given), compound parts and synonyms, the suggestion, and
// Xapian's description of the final query.
//
// Thread safety: pure functions.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "stemming/query.h"

namespace afori::stemming {

// The fields `field` may name.
bool IsAnalysisField(std::string_view field);

// `context.analyzer` is required; the rest is used for field "query" only.
Result<nlohmann::ordered_json> AnalysisReport(std::string_view text, std::string_view field,
                                              const QueryContext& context);

}  // namespace afori::stemming

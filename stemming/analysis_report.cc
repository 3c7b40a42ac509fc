#include "stemming/analysis_report.h"

#include <array>

#include "common/schema.h"

namespace afori::stemming {
namespace {

using nlohmann::ordered_json;

constexpr std::array<std::string_view, 4> kFields = {"title", "summary", "body", "query"};

const char* KindName(TokenKind kind) {
  switch (kind) {
    case TokenKind::kWord: return "word";
    case TokenKind::kCompoundWhole: return "hyphenated_whole";
    case TokenKind::kCompoundPart: return "hyphenated_part";
  }
  return "word";
}

}  // namespace

bool IsAnalysisField(std::string_view field) {
  for (std::string_view f : kFields) {
    if (f == field) return true;
  }
  return false;
}

Result<ordered_json> AnalysisReport(std::string_view text, std::string_view field,
                                    const QueryContext& context) {
  if (!IsAnalysisField(field)) {
    return Status::InvalidArgument("field must be one of title, summary, body, query; got '" +
                                   std::string(field) + "'");
  }
  const Analyzer& analyzer = *context.analyzer;
  ordered_json tokens = ordered_json::array();
  for (const AnalyzedToken& a : analyzer.Analyze(text)) {
    ordered_json parts = ordered_json::array();
    for (std::size_t i = 0; i < a.parts.size(); ++i) {
      parts.push_back({{"part", a.parts[i].text}, {"stem", a.part_stems[i]}});
    }
    tokens.push_back({{"token", a.token.text},
                      {"kind", KindName(a.token.kind)},
                      {"position", a.token.position},
                      {"start", a.token.begin},
                      {"end", a.token.end},
                      {"all_caps", a.token.all_caps},
                      {"stop_word", a.stop_word},
                      {"stem", a.stop_word ? ordered_json(nullptr) : ordered_json(a.stem)},
                      {"compound_parts", std::move(parts)}});
  }
  ordered_json out = {{"text", std::string(text)},
                      {"field", std::string(field)},
                      {"analysis", analyzer.Fingerprint()},
                      {"tokens", std::move(tokens)}};
  if (field != "query") {
    Xapian::Document doc;
    Xapian::termpos pos = 1;
    analyzer.IndexText(text, 1, field == "title" ? schema::kPrefixTitle : std::string_view(),
                       &pos, &doc);
    ordered_json terms = ordered_json::array();
    for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
      terms.push_back({{"term", *it}, {"wdf", it.get_wdf()}});
    }
    out["terms"] = std::move(terms);
    return out;
  }
  const BuiltQuery built = BuildQuery(text, context, QueryOptions());
  ordered_json words = ordered_json::array();
  for (const WordExpansion& w : built.words) {
    words.push_back({{"word", w.word},
                     {"stem", w.stem},
                     {"diacritic_variants", w.diacritic_variants},
                     {"corrections", w.corrections},
                     {"compound_parts", w.compound_parts},
                     {"synonyms", w.synonyms}});
  }
  out["words"] = std::move(words);
  out["suggestion"] = built.suggestion ? ordered_json(*built.suggestion) : ordered_json(nullptr);
  out["query"] = built.query.get_description();
  return out;
}

}  // namespace afori::stemming

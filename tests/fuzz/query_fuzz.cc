// Fuzzes the analysis and query side: stemming::Tokenize, Analyzer::Analyze / IndexText,
// stemming::BuildQuery against a small real index (with its vocabulary and the shipped
// synonym table), running the query, and the highlighter (MatchTerms, HighlightHtml,
// SnippetHtml) on the result.
//
// Input: byte 0 chooses the QueryOptions (one bit each), the rest up to the first NUL byte is
// the query (at most searchd's kMaxQueryBytes), what follows the NUL is a document text to
// index and highlight (without one, the query text itself is highlighted).
//
// Invariants: token ranges lie inside the text and token texts are valid UTF-8; every term
// IndexText writes fits Xapian's limit; the suggestion for a valid UTF-8 query is valid
// UTF-8; the query runs; highlighting output is valid UTF-8, marks are balanced and not
// nested, no markup character is left unescaped, HighlightHtml gives back exactly the text
// (for valid UTF-8 without control characters), and a snippet shows at most max_chars code
// points.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <xapian.h>

#include "searchd/highlight.h"
#include "searchd/http_params.h"
#include "searchd/ranking.h"
#include "stemming/query.h"
#include "stemming/synonyms.h"
#include "stemming/tokenizer.h"
#include "stemming/vocabulary.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

namespace stemming = afori::stemming;
namespace searchd = afori::searchd;

struct State {
  std::shared_ptr<const stemming::Vocabulary> vocabulary;
  std::unique_ptr<stemming::SynonymTable> synonyms;
};

State& Shared() {
  static State state = [] {
    State s;
    s.vocabulary = stemming::Vocabulary::FromDatabase(afori::fuzz::FixtureDatabase());
    auto table = stemming::SynonymTable::Load(AFORI_SOURCE_DIR "/corpus/synonyms.txt",
                                              afori::fuzz::Analyzer().StemFunction());
    if (!table.ok()) {
      std::fprintf(stderr, "cannot load synonyms: %s\n", table.status().message().c_str());
      std::exit(1);
    }
    s.synonyms = std::make_unique<stemming::SynonymTable>(std::move(*table));
    return s;
  }();
  return state;
}

bool IsControl(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char b = static_cast<unsigned char>(text[i]);
    if ((b < 0x20 && b != '\t' && b != '\n' && b != '\f' && b != '\r') || b == 0x7F) return true;
    if (b == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) < 0xA0) {
      return true;
    }
  }
  return false;
}

// The text of highlighter HTML: marks removed (checked balanced), entities decoded.
std::string VisibleText(std::string_view html) {
  std::string out;
  bool in_mark = false;
  std::size_t i = 0;
  while (i < html.size()) {
    const char c = html[i];
    if (c == '<') {
      if (html.substr(i, 6) == "<mark>") {
        AFORI_FUZZ_CHECK(!in_mark);
        in_mark = true;
        i += 6;
      } else {
        AFORI_FUZZ_CHECK_MSG(html.substr(i, 7) == "</mark>", std::string(html));
        AFORI_FUZZ_CHECK(in_mark);
        in_mark = false;
        i += 7;
      }
      continue;
    }
    AFORI_FUZZ_CHECK(c != '>' && c != '"' && c != '\'');
    if (c == '&') {
      bool known = false;
      for (auto [entity, ch] : {std::pair<std::string_view, char>{"&amp;", '&'}, {"&lt;", '<'},
                                {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}}) {
        if (html.substr(i, entity.size()) == entity) {
          out.push_back(ch);
          i += entity.size();
          known = true;
          break;
        }
      }
      AFORI_FUZZ_CHECK_MSG(known, std::string(html.substr(i, 10)));
      continue;
    }
    out.push_back(c);
    ++i;
  }
  AFORI_FUZZ_CHECK(!in_mark);
  return out;
}

std::size_t CodePointsWithoutEllipses(std::string_view text) {
  std::size_t n = stemming::CodePointCount(text);
  for (std::size_t at = text.find("\u2026"); at != std::string_view::npos;
       at = text.find("\u2026", at + 3)) {
    --n;
  }
  return n;
}

void CheckTokens(std::string_view text) {
  for (const stemming::Token& t : stemming::Tokenize(text)) {
    AFORI_FUZZ_CHECK(!t.text.empty());
    AFORI_FUZZ_CHECK(afori::fuzz::ValidUtf8(t.text));
    AFORI_FUZZ_CHECK(t.begin < t.end && t.end <= text.size());
  }
}

void CheckIndexText(std::string_view text) {
  Xapian::Document doc;
  Xapian::termpos pos = 1;
  afori::fuzz::Analyzer().IndexText(text, 1, "S", &pos, &doc);
  for (Xapian::TermIterator t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    const std::string term = *t;
    AFORI_FUZZ_CHECK(!term.empty() && afori::fuzz::ValidUtf8(term));
    AFORI_FUZZ_CHECK_MSG(term.size() <= afori::fuzz::kMaxXapianTermBytes, term.substr(0, 60));
  }
}

void CheckHighlight(std::string_view text, const searchd::MatchTerms& terms,
                    std::size_t max_chars) {
  const stemming::Analyzer& analyzer = afori::fuzz::Analyzer();
  const std::string html = searchd::HighlightHtml(text, terms, analyzer);
  AFORI_FUZZ_CHECK(afori::fuzz::ValidUtf8(html));
  const std::string shown = VisibleText(html);
  if (afori::fuzz::ValidUtf8(text) && !IsControl(text)) {
    AFORI_FUZZ_CHECK_MSG(shown == text, shown);
  }
  const std::string snippet = searchd::SnippetHtml(text, terms, analyzer, max_chars);
  AFORI_FUZZ_CHECK(afori::fuzz::ValidUtf8(snippet));
  AFORI_FUZZ_CHECK_MSG(CodePointsWithoutEllipses(VisibleText(snippet)) <= max_chars, snippet);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  afori::fuzz::Analyzer();
  afori::fuzz::FixtureDatabase();
  Shared();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const unsigned flags = data[0];
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::size_t nul = rest.find('\0');
  std::string_view query = rest.substr(0, nul);
  const std::string_view text = nul == std::string_view::npos ? query : rest.substr(nul + 1);
  if (query.size() > searchd::kMaxQueryBytes) query = query.substr(0, searchd::kMaxQueryBytes);

  CheckTokens(query);
  if (text.data() != query.data()) CheckTokens(text);
  for (const stemming::AnalyzedToken& a : afori::fuzz::Analyzer().Analyze(text)) {
    AFORI_FUZZ_CHECK(afori::fuzz::ValidUtf8(a.stem));
    AFORI_FUZZ_CHECK(a.stop_word || !a.stem.empty());
  }
  CheckIndexText(text);

  stemming::QueryOptions options;
  options.fold_diacritics = flags & 1;
  options.typo_tolerance = flags & 2;
  options.synonyms = flags & 4;
  options.decompound = flags & 8;
  options.last_word_is_prefix = flags & 16;
  options.require_all_words = flags & 32;
  const Xapian::Database& db = afori::fuzz::FixtureDatabase();
  State& state = Shared();
  const stemming::QueryContext context{&afori::fuzz::Analyzer(), (flags & 64) ? nullptr : &db,
                                       state.vocabulary.get(), state.synonyms.get()};
  stemming::BuiltQuery built = stemming::BuildQuery(query, context, options);
  // The suggestion is the query with words replaced: as valid as the query (which the API
  // echoes as well; the JSON writers replace invalid UTF-8).
  if (built.suggestion && afori::fuzz::ValidUtf8(query)) {
    AFORI_FUZZ_CHECK(afori::fuzz::ValidUtf8(*built.suggestion));
  }
  for (const std::string& p : built.prefixes) AFORI_FUZZ_CHECK(afori::fuzz::ValidUtf8(p));
  for (const stemming::WordExpansion& w : built.words) {
    AFORI_FUZZ_CHECK(afori::fuzz::ValidUtf8(w.word) && afori::fuzz::ValidUtf8(w.stem));
  }

  if (!built.query.empty()) {
    Xapian::Enquire enquire(db);
    Xapian::Query q = built.query;
    if (!built.proximity.empty()) q = Xapian::Query(Xapian::Query::OP_AND_MAYBE, q, built.proximity);
    enquire.set_query(q);
    enquire.set_weighting_scheme(searchd::CoordinationWeight());
    Xapian::MSet mset = enquire.get_mset(0, 10);
    AFORI_FUZZ_CHECK(mset.size() <= db.get_doccount());
  }

  const searchd::MatchTerms terms(built.query, built.prefixes);
  CheckHighlight(text, terms, 1 + flags % 200);
  return 0;
}

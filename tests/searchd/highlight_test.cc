#include "searchd/highlight.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <utility>

#include "stemming/query.h"
#include "tests/test_support.h"

namespace afori::searchd {
namespace {

const stemming::Analyzer& Analyzer() { return testing::SharedAnalyzer(); }

// What searchd does: the real query builder (no index, so no typo or diacritic help), its
// query and prefixes.
MatchTerms Terms(std::string_view query, bool as_you_type = false,
                 stemming::WordCache* cache = nullptr) {
  stemming::QueryOptions options;
  options.last_word_is_prefix = as_you_type;
  const stemming::BuiltQuery built =
      stemming::BuildQuery(query, {&Analyzer(), nullptr, nullptr, nullptr}, options);
  return MatchTerms(built.query, built.prefixes, cache);
}

// A word cache as a searchd worker's is after earlier searches: every word of `text`
// analysed already (by no particular query).
std::unique_ptr<stemming::WordCache> WarmCache(std::string_view text) {
  auto cache = std::make_unique<stemming::WordCache>();
  stemming::WordCache::Word scratch;
  for (const stemming::Token& token : stemming::Tokenize(text)) {
    Analyzer().AnalyzeWord(token, cache.get(), &scratch);
  }
  return cache;
}

bool IsValidUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = b < 0x80 ? 1 : b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3
                                : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    const auto b1 = static_cast<unsigned char>(n > 1 ? s[i + 1] : 0);
    if ((b == 0xE0 && b1 < 0xA0) || (b == 0xED && b1 > 0x9F) || (b == 0xF0 && b1 < 0x90) ||
        (b == 0xF4 && b1 > 0x8F)) {
      return false;
    }
    i += n;
  }
  return true;
}

void ReplaceAll(std::string* s, std::string_view from, std::string_view to) {
  for (std::size_t at = s->find(from); at != std::string::npos;
       at = s->find(from, at + to.size())) {
    s->replace(at, from.size(), to);
  }
}

// The text a reader sees: marks (and the snippet's ellipses) removed, entities decoded.
std::string Visible(std::string html, bool keep_ellipses = false) {
  for (std::string_view markup : {"<mark>", "</mark>"}) ReplaceAll(&html, markup, "");
  if (!keep_ellipses) ReplaceAll(&html, "\u2026", "");
  const std::pair<std::string_view, std::string_view> entities[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}};
  for (const auto& [entity, c] : entities) ReplaceAll(&html, entity, c);
  return html;
}

// Output that is safe HTML: valid UTF-8, marks alternating open/close, no other markup.
void ExpectWellFormed(const std::string& html) {
  EXPECT_TRUE(IsValidUtf8(html)) << html;
  std::string rest = html;
  bool open = false;
  for (std::size_t at = rest.find('<'); at != std::string::npos; at = rest.find('<', at)) {
    const std::string_view tag = open ? "</mark>" : "<mark>";
    ASSERT_EQ(rest.compare(at, tag.size(), tag), 0) << "unexpected markup in " << html;
    rest.erase(at, tag.size());
    open = !open;
  }
  EXPECT_FALSE(open) << html;
  EXPECT_EQ(rest.find_first_of(">\"'"), std::string::npos) << html;
}

std::size_t CodePoints(std::string_view s) { return stemming::CodePointCount(s); }

std::string Repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// Every document of the shipped corpus as raw file text (JSON syntax does not disturb the
// properties tested on it).
std::vector<std::string> CorpusTexts() {
  std::vector<std::string> texts;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(AFORI_SOURCE_DIR "/corpus/data")) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    texts.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return texts;
}

// The corpus analysed once: the tests below walk it many times.
const std::vector<stemming::AnalyzedToken>& CorpusTokens() {
  static const std::vector<stemming::AnalyzedToken> tokens = [] {
    std::vector<stemming::AnalyzedToken> all;
    for (const std::string& text : CorpusTexts()) {
      for (stemming::AnalyzedToken& a : Analyzer().Analyze(text)) all.push_back(std::move(a));
    }
    return all;
  }();
  return tokens;
}

struct HighlightCase {
  std::string query;
  std::string text;
  std::string html;
  bool as_you_type = false;
};

void PrintTo(const HighlightCase& c, std::ostream* os) { *os << c.query << " | " << c.text; }

class HighlightHtmlTest : public ::testing::TestWithParam<HighlightCase> {};

TEST_P(HighlightHtmlTest, MarksWhatTheQueryMatches) {
  const HighlightCase& c = GetParam();
  const std::string html = HighlightHtml(c.text, Terms(c.query, c.as_you_type), Analyzer());
  EXPECT_EQ(html, c.html) << "query: " << c.query;
  ExpectWellFormed(html);
  const auto cache = WarmCache(c.text);
  EXPECT_EQ(HighlightHtml(c.text, Terms(c.query, c.as_you_type, cache.get()), Analyzer()), c.html)
      << "query, with a warm word cache: " << c.query;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, HighlightHtmlTest,
    ::testing::Values(
        // Inflections share the stem.
        HighlightCase{"upphandling", "Två upphandlingar och upphandlingen.",
                      "Två <mark>upphandlingar</mark> och <mark>upphandlingen</mark>."},
        HighlightCase{"upphandlingar", "En upphandling.", "En <mark>upphandling</mark>."},
        // Compounds: the query word as a part of the document's word, and the query
        // compound's parts written apart.
        HighlightCase{"upphandling", "Om innovationsupphandlingarna",
                      "Om <mark>innovationsupphandlingarna</mark>"},
        HighlightCase{"marknadsdialog", "En dialog med marknaden.",
                      "En <mark>dialog</mark> med <mark>marknaden</mark>."},
        // A hyphenated word is marked once as a whole, whether a part or the whole matched.
        HighlightCase{"upphandling", "Vår LOU-upphandling.", "Vår <mark>LOU-upphandling</mark>."},
        HighlightCase{"etjänst", "En e-tjänst.", "En <mark>e-tjänst</mark>."},
        HighlightCase{"e-tjänst", "Våra e-tjänster och etjänster",
                      "Våra <mark>e-tjänster</mark> och <mark>etjänster</mark>"},
        // Case and decomposed letters are shown as written.
        HighlightCase{"upphandling", "UPPHANDLING Upphandling",
                      "<mark>UPPHANDLING</mark> <mark>Upphandling</mark>"},
        HighlightCase{"hälsa", "God ha\u0308lsa och HA\u0308LSA",
                      "God <mark>ha\u0308lsa</mark> och <mark>HA\u0308LSA</mark>"},
        HighlightCase{"ha\u0308lsa", "God hälsa", "God <mark>hälsa</mark>"},
        // Stop words only match when the query is nothing but stop words.
        HighlightCase{"och", "Ost och bröd", "Ost <mark>och</mark> bröd"},
        HighlightCase{"lagen om upphandling", "om lagen", "om <mark>lagen</mark>"},
        // Excluded words are not marked; title: searches mark the title stem.
        HighlightCase{"upphandling -innovation", "innovation och upphandling",
                      "innovation och <mark>upphandling</mark>"},
        HighlightCase{"title:avtal", "Avtalet och avtal",
                      "<mark>Avtalet</mark> och <mark>avtal</mark>"},
        // Prefixes match the starts of words (as the index's word terms), not of parts.
        HighlightCase{"upph", "Upphandlare, upphandling, innovationsupphandling",
                      "<mark>Upphandlare</mark>, <mark>upphandling</mark>, innovationsupphandling",
                      true},
        HighlightCase{"avt*", "Avtalen och ett avtal",
                      "<mark>Avtalen</mark> och ett <mark>avtal</mark>"},
        // Everything is escaped, including quotes for attributes and marks in the text.
        HighlightCase{"upphandling", "<script>alert(\"x\")</script> & 'upphandling'",
                      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; "
                      "&#39;<mark>upphandling</mark>&#39;"},
        HighlightCase{"upphandling", "<mark>falsk</mark> upphandling",
                      "&lt;mark&gt;falsk&lt;/mark&gt; <mark>upphandling</mark>"},
        HighlightCase{"avtal", "\" onmouseover=\"alert(1)\" avtal",
                      "&quot; onmouseover=&quot;alert(1)&quot; <mark>avtal</mark>"},
        // Invalid UTF-8 and control characters become U+FFFD; whitespace stays as written.
        HighlightCase{"upphandling", "upphandling \xFF\xC3( \xE2\x82 slut\x01",
                      "<mark>upphandling</mark> \uFFFD\uFFFD( \uFFFD slut\uFFFD"},
        HighlightCase{"avtal", "Avtal\n\n  i\ttid", "<mark>Avtal</mark>\n\n  i\ttid"},
        HighlightCase{"avtal", "avtal\u0085\u2028\v.", "<mark>avtal</mark>\uFFFD\u2028\uFFFD."},
        HighlightCase{"avtal", "", ""},
        HighlightCase{"", "Inget <b>sökt</b>", "Inget &lt;b&gt;sökt&lt;/b&gt;"}),
    [](const auto& info) { return testing::ParamName(info.index, info.param.query); });

struct SnippetCase {
  std::string query;
  std::string text;
  std::size_t max_chars;
  std::string html;
};

void PrintTo(const SnippetCase& c, std::ostream* os) {
  *os << c.query << " | " << c.max_chars << " | " << c.text;
}

class SnippetHtmlTest : public ::testing::TestWithParam<SnippetCase> {};

TEST_P(SnippetHtmlTest, ShowsTheBestPassage) {
  const SnippetCase& c = GetParam();
  const std::string html = SnippetHtml(c.text, Terms(c.query), Analyzer(), c.max_chars);
  EXPECT_EQ(html, c.html) << "query: " << c.query;
  ExpectWellFormed(html);
  const auto cache = WarmCache(c.text);
  EXPECT_EQ(SnippetHtml(c.text, Terms(c.query, false, cache.get()), Analyzer(), c.max_chars),
            c.html)
      << "query, with a warm word cache: " << c.query;
  EXPECT_LE(CodePoints(Visible(html)), c.max_chars);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SnippetHtmlTest,
    ::testing::Values(
        // No match: the start, cut after a whole word.
        SnippetCase{"innovation", "Alfa beta gamma delta", 12, "Alfa beta\u2026"},
        SnippetCase{"", "Alfa beta gamma delta", 12, "Alfa beta\u2026"},
        // Short text: all of it, whitespace runs collapsed, no-break spaces kept.
        SnippetCase{"avtal", "  Alfa\n\n  avtal\t \r\n", 200, "Alfa <mark>avtal</mark>"},
        SnippetCase{"upphandling", "10\u00A0000 kr\n\u2028upphandling", 200,
                    "10\u00A0000 kr <mark>upphandling</mark>"},
        SnippetCase{"avtal", "avtal\u0085\v\u2029x\u0080", 200, "<mark>avtal</mark> x\uFFFD"},
        // A match near the end: context before, "…" only at the start.
        SnippetCase{"upphandling", "Alfa beta gamma delta epsilon zeta upphandling.", 20,
                    "\u2026zeta <mark>upphandling</mark>."},
        // A match within the first max_chars: from the start.
        SnippetCase{"upphandling", "Upphandling alfa beta gamma delta epsilon", 20,
                    "<mark>Upphandling</mark> alfa\u2026"},
        SnippetCase{"upphandling", "alfa upphandling ord ord ord ord ord", 20,
                    "alfa <mark>upphandling</mark> ord\u2026"},
        // In the middle: context on both sides, "…" at both ends.
        SnippetCase{"upphandling",
                    "a1 a2 a3 a4 a5 a6 a7 a8 upphandling b1 b2 b3 b4 b5 b6 b7 b8", 23,
                    "\u2026a7 a8 <mark>upphandling</mark> b1 b2\u2026"},
        // The passage with the most distinct query words wins over repeats of one word
        // (inflections count once), however many.
        SnippetCase{"innovation upphandling",
                    "upphandling upphandlingar upphandlingen " + Repeat("ord ", 20) +
                        "innovation och upphandling" + Repeat(" ord", 20),
                    40,
                    "\u2026ord <mark>innovation</mark> och <mark>upphandling</mark> ord ord\u2026"},
        // Ties: the earliest.
        SnippetCase{"upphandling",
                    Repeat("alfa ", 30) + "upphandling " + Repeat("beta ", 30) + "upphandling " +
                        Repeat("gamma ", 10),
                    20, "\u2026<mark>upphandling</mark> beta\u2026"},
        // A word longer than max_chars is cut inside.
        SnippetCase{"innovation", "Xxxxxxxxxxxxxxxxxxxxxxxxx yyy", 10, "Xxxxxxxxxx\u2026"},
        SnippetCase{"upphandling", "alfa innovationsupphandlingarna beta", 10,
                    "\u2026<mark>innovation</mark>\u2026"},
        // Escaping and invalid UTF-8 as in HighlightHtml.
        SnippetCase{"upphandling", "<b>upphandling</b> \xC3( slut", 200,
                    "&lt;b&gt;<mark>upphandling</mark>&lt;/b&gt; \uFFFD( slut"},
        SnippetCase{"upphandling", "", 200, ""},
        SnippetCase{"upphandling", " \n\t ", 200, ""},
        SnippetCase{"upphandling", "upphandling", 0, ""}),
    [](const auto& info) { return testing::ParamName(info.index, info.param.query); });

TEST(MatchTermsTest, ReadsStemsPartsTitlesAndWordsAndIgnoresOtherTerms) {
  const std::vector<Xapian::Query> wanted = {Xapian::Query("Zavtal"), Xapian::Query("XPdialog"),
                                             Xapian::Query("Sbudget"), Xapian::Query("och")};
  const Xapian::Query query(
      Xapian::Query::OP_FILTER,
      Xapian::Query(Xapian::Query::OP_AND_NOT,
                    Xapian::Query(Xapian::Query::OP_OR, wanted.begin(), wanted.end()),
                    Xapian::Query("Zinnovation")),
      Xapian::Query(Xapian::Query::OP_AND, Xapian::Query("XTYPE:case"), Xapian::Query("Qid")));
  const MatchTerms terms(query, {"Upph", ""});
  EXPECT_EQ(terms.key_count(), 5u);  // 3 stems, 1 word, 1 prefix
  auto matches = [&](std::string_view word) {
    for (const stemming::AnalyzedToken& a : Analyzer().Analyze(word)) {
      if (terms.Matches(a)) return true;
    }
    return false;
  };
  EXPECT_TRUE(matches("avtalen"));
  EXPECT_TRUE(matches("marknadsdialogen"));
  EXPECT_TRUE(matches("budget"));
  EXPECT_TRUE(matches("och"));
  EXPECT_TRUE(matches("upphandlare"));
  EXPECT_FALSE(matches("innovation"));
  EXPECT_FALSE(matches("case"));
  EXPECT_FALSE(matches("id"));
  EXPECT_FALSE(matches("ordning"));
}

TEST(MatchTermsTest, EmptyQueryMatchesNothing) {
  EXPECT_TRUE(MatchTerms(Xapian::Query(), {}).empty());
  EXPECT_TRUE(MatchTerms(stemming::MatchAllQuery(), {}).empty());
  EXPECT_FALSE(MatchTerms(Xapian::Query(), {"avt"}).empty());
  EXPECT_TRUE(Terms("").empty());
}

// The premises of MatchKey's shortcuts (match_terms.cc), on every word of the corpus: a stem
// is a prefix of its word, and a part's stem without its last two code points is in the word.
TEST(MatchTermsTest, ShortcutPremisesHoldOnTheCorpus) {
  std::size_t compounds = 0;
  for (const stemming::AnalyzedToken& a : CorpusTokens()) {
    EXPECT_TRUE(a.token.text.starts_with(a.stem)) << a.token.text << " -> " << a.stem;
    compounds += !a.part_stems.empty();
    for (const std::string& part_stem : a.part_stems) {
      const MatchTerms terms(Xapian::Query("XP" + part_stem), {});
      EXPECT_GE(terms.MatchKey(a.token, Analyzer()), 0) << a.token.text << " / " << part_stem;
    }
  }
  EXPECT_GT(compounds, 1000u);
}

// The lazy MatchKey must agree with Matches on the full analysis, for typed queries and for
// queries made of corpus words (30 spread over it, so stems of many shapes occur).
TEST(MatchTermsTest, LazyMatchAgreesWithFullAnalysisOnTheCorpus) {
  const std::vector<stemming::AnalyzedToken>& tokens = CorpusTokens();
  ASSERT_FALSE(tokens.empty());
  std::vector<std::string> queries = {"upphandling",  "marknadsdialog", "innovation avtal",
                                      "e-tjänst",     "lou",            "och",
                                      "energi klimat", "title:avtal",   "så"};
  for (std::size_t i = 0; i + 2 < tokens.size(); i += tokens.size() / 30) {
    queries.push_back(tokens[i].token.text + " " + tokens[i + 1].token.text + " " +
                      tokens[i + 2].token.text);
  }
  for (const std::string& query : queries) {
    const MatchTerms terms = Terms(query);
    std::size_t matched = 0;
    for (const stemming::AnalyzedToken& a : tokens) {
      const bool full = terms.Matches(a);
      ASSERT_EQ(terms.MatchKey(a.token, Analyzer()) >= 0, full) << query << ": " << a.token.text;
      matched += full;
    }
    EXPECT_GT(matched, 0u) << query;
  }
}

// One cache kept across many searches (as a searchd worker keeps it) answers every word of
// the corpus as a search without it would, whichever query first put the word there.
TEST(MatchTermsTest, AWordCacheKeptAcrossSearchesChangesNoAnswer) {
  const std::vector<stemming::AnalyzedToken>& tokens = CorpusTokens();
  ASSERT_FALSE(tokens.empty());
  std::vector<std::string> queries = {"upphandling", "marknadsdialog", "innovation avtal",
                                      "e-tjänst",    "lou",            "energi klimat",
                                      "title:avtal"};
  for (std::size_t i = 0; i + 1 < tokens.size(); i += tokens.size() / 20) {
    queries.push_back(tokens[i].token.text + " " + tokens[i + 1].token.text);
  }
  stemming::WordCache cache;
  std::size_t matched = 0;
  for (const std::string& query : queries) {
    const MatchTerms without = Terms(query);
    const MatchTerms with = Terms(query, false, &cache);
    for (const stemming::AnalyzedToken& a : tokens) {
      const int key = without.MatchKey(a.token, Analyzer());
      ASSERT_EQ(with.MatchKey(a.token, Analyzer()), key) << query << ": " << a.token.text;
      matched += key >= 0;
    }
  }
  EXPECT_GT(matched, 0u);
  EXPECT_GT(cache.size(), 1000u);  // words from earlier searches were there for later ones
}

TEST(SnippetHtmlCorpusTest, StaysWithinTheBoundAndWellFormedOnTheCorpus) {
  const std::vector<std::string> texts = CorpusTexts();
  for (std::string_view query : {"upphandling", "innovation marknadsdialog", "avtal energi"}) {
    const MatchTerms terms = Terms(query);
    for (std::size_t max_chars : {1, 7, 40, 200}) {
      for (const std::string& text : texts) {
        const std::string html = SnippetHtml(text, terms, Analyzer(), max_chars);
        ExpectWellFormed(html);
        ASSERT_LE(CodePoints(Visible(html)), max_chars) << html;
        const bool any = HighlightHtml(text, terms, Analyzer()).find("<mark>") != std::string::npos;
        if (max_chars >= 40 && any) {
          EXPECT_NE(html.find("<mark>"), std::string::npos) << query << ": " << html;
        }
      }
    }
  }
}

TEST(HighlightHtmlCorpusTest, KeepsEveryCharacterOfTheCorpus) {
  const MatchTerms terms = Terms("upphandling innovation");
  for (const std::string& text : CorpusTexts()) {
    const std::string html = HighlightHtml(text, terms, Analyzer());
    ExpectWellFormed(html);
    EXPECT_EQ(Visible(html, true), text);
  }
}

// Random mixtures of the awkward cases: whatever the text, the output is safe HTML within
// the bound.
TEST(SnippetHtmlCorpusTest, RandomTextStaysWellFormed) {
  const std::string_view pieces[] = {
      "upphandling", "Innovationsupphandlingar", "LOU-upphandling", "e-", "-", " ", "  ", "\n",
      "\t", "\xC3", "\xE2\x82", "\xFF", "a\u0308", "A\u030A", "<mark>", "&", "\"", "'", ">",
      "\u2028", "\u00A0", "10 000", "EU:s", "t.ex.", "\U0001F600", "avtal", "\x01", "\u2013"};
  const MatchTerms terms = Terms("upphandling avtal");
  std::mt19937 random(20261201);
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const int n = static_cast<int>(random() % 40);
    for (int i = 0; i < n; ++i) text += pieces[random() % std::size(pieces)];
    const std::size_t max_chars = 1 + random() % 60;
    const std::string snippet = SnippetHtml(text, terms, Analyzer(), max_chars);
    ExpectWellFormed(snippet);
    ASSERT_LE(CodePoints(Visible(snippet)), max_chars) << text;
    ExpectWellFormed(HighlightHtml(text, terms, Analyzer()));
  }
}

// A megabyte of text with thousands of matches: linear work, well within a second when
// optimised (a quadratic window search or rescan would take minutes).
TEST(SnippetHtmlCorpusTest, MegabyteTextIsFast) {
  std::string text;
  const std::vector<std::string> texts = CorpusTexts();
  while (text.size() < (1u << 20)) text += texts[text.size() % texts.size()];
  const MatchTerms terms = Terms("innovation upphandling");
  const auto started = std::chrono::steady_clock::now();
  const std::string snippet = SnippetHtml(text, terms, Analyzer());
  const std::string all = HighlightHtml(text, terms, Analyzer());
  const std::string plain = SnippetHtml(text, MatchTerms(Xapian::Query(), {}), Analyzer());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  EXPECT_LT(seconds, 10.0);
  EXPECT_NE(snippet.find("<mark>"), std::string::npos);
  EXPECT_LE(CodePoints(Visible(snippet)), 200u);
  EXPECT_EQ(Visible(all, true).size(), text.size());
  EXPECT_LE(CodePoints(Visible(plain)), 200u);
}

}  // namespace
}  // namespace afori::searchd

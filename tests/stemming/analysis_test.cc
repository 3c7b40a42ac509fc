#include "stemming/analysis.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "common/schema.h"
#include "stemming/query.h"
#include "tests/test_support.h"

namespace afori::stemming {
namespace {

const Analyzer& Shared() { return testing::SharedAnalyzer(); }

std::set<std::string> IndexedTerms(const std::string& text, std::string_view stem_prefix = {}) {
  Xapian::Document doc;
  Xapian::termpos pos = 1;
  Shared().IndexText(text, 1, stem_prefix, &pos, &doc);
  return {doc.termlist_begin(), doc.termlist_end()};
}

// The stems a query searches (its "Z" terms), without vocabulary help.
std::set<std::string> QueryStems(const std::string& text) {
  BuiltQuery q = BuildQuery(text, {&Shared(), nullptr, nullptr, nullptr}, QueryOptions());
  std::set<std::string> stems;
  for (auto it = q.query.get_unique_terms_begin(); it != q.query.get_unique_terms_end(); ++it) {
    if ((*it)[0] == 'Z') stems.insert(*it);
  }
  return stems;
}

struct SameStemCase {
  const char* indexed;  // a word as a document writes it
  const char* queried;  // the word as a visitor types it
};

class SameStemTest : public ::testing::TestWithParam<SameStemCase> {};

// What the visitor types must produce a stem that the document was indexed under.
TEST_P(SameStemTest, QueryStemMeetsIndexedStem) {
  const std::set<std::string> indexed = IndexedTerms(GetParam().indexed);
  const std::set<std::string> queried = QueryStems(GetParam().queried);
  ASSERT_FALSE(queried.empty());
  bool met = false;
  for (const std::string& term : queried) met = met || indexed.count(term);
  EXPECT_TRUE(met) << "no stem of '" << GetParam().queried << "' indexed for '"
                   << GetParam().indexed << "'";
}

INSTANTIATE_TEST_SUITE_P(
    Inflections, SameStemTest,
    ::testing::Values(SameStemCase{"upphandling", "upphandlingar"},
                      SameStemCase{"upphandlingarna", "upphandling"},
                      SameStemCase{"upphandlingen", "Upphandlingar"},  // capitalised query
                      SameStemCase{"leverantörerna", "leverantör"},
                      SameStemCase{"kommunerna", "KOMMUN"},
                      SameStemCase{"elbussar", "elbuss"},
                      SameStemCase{"skolmåltider", "Skolmåltid"},
                      SameStemCase{"ÅTERBRUK", "återbruk"},
                      SameStemCase{"anbudet", "anbud"},  // Snowball 3, not Xapian's stemmer
                      SameStemCase{"LOU", "lou"},
                      SameStemCase{"Ärenden", "ärende"},
                      SameStemCase{"CAFÉ", "café"},
                      SameStemCase{"MÜNCHEN", "münchen"},
                      // decomposed (a + U+0308) in the document, precomposed in the query
                      SameStemCase{"va\xCC\x88lfa\xCC\x88rdsteknik", "välfärdsteknik"},
                      SameStemCase{"välfärdsteknik", "va\xCC\x88lfa\xCC\x88rdsteknik"},
                      SameStemCase{"2027", "2027"}),
    [](const auto& info) { return testing::ParamName(info.index, info.param.queried); });

TEST(AnalysisTest, IndexesWordsAsWrittenAndStemsWithPositions) {
  Xapian::Document doc;
  Xapian::termpos pos = 1;
  Shared().IndexText("Upphandlingarna i Älvstad", 3, schema::kPrefixTitle, &pos, &doc);
  const std::set<std::string> terms(doc.termlist_begin(), doc.termlist_end());
  EXPECT_TRUE(terms.count("upphandlingarna"));
  EXPECT_TRUE(terms.count("Zupphandling"));
  EXPECT_TRUE(terms.count("Supphandling"));  // title: search
  EXPECT_TRUE(terms.count("älvstad"));
  // Stop words are kept as written (the vocabulary) but never stemmed into the index.
  EXPECT_TRUE(terms.count("i"));
  EXPECT_FALSE(terms.count("Zi"));
  // Stems carry positions (phrases), with the stop word's place kept.
  auto positions = [&](const std::string& term) {
    for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
      if (*it == term) return std::vector<Xapian::termpos>(it.positionlist_begin(), it.positionlist_end());
    }
    return std::vector<Xapian::termpos>{};
  };
  EXPECT_EQ(positions("Zupphandling"), std::vector<Xapian::termpos>{1});
  EXPECT_EQ(positions("Zälvst"), std::vector<Xapian::termpos>{3});
  EXPECT_GT(pos, 3u);  // the next field starts after a gap
  for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
    if (*it == "Zupphandling") {
      EXPECT_EQ(it.get_wdf(), 3u);
    }
  }
}

// Found by tests/fuzz/document_fuzz: one word over Xapian's 245-byte term limit (a hash, a
// run of letters) made the whole index build fail with "Term too long".
TEST(AnalysisTest, WordsTooLongForXapianAreLeftOutAndTheDocumentStillWrites) {
  for (const std::string& word : {std::string(243, 'x'), std::string(244, 'x'),
                                  std::string(300, 'x'), std::string(130, 'x') + "_" +
                                  std::string(130, 'y'), "energi" + std::string(240, 'e')}) {
    Xapian::Document doc;
    Xapian::termpos pos = 1;
    Shared().IndexText("Energi i skolor " + word + " och upphandling", 1, schema::kPrefixTitle,
                       &pos, &doc);
    const std::set<std::string> terms(doc.termlist_begin(), doc.termlist_end());
    for (const std::string& t : terms) EXPECT_LE(t.size(), 245u) << t.substr(0, 20);
    EXPECT_TRUE(terms.count("Zenergi"));
    EXPECT_TRUE(terms.count("Zupphandling"));
    testing::TempDir dir;
    Xapian::WritableDatabase db(dir.Join("db"), Xapian::DB_CREATE);
    EXPECT_NO_THROW(db.add_document(doc)) << word.size();
    EXPECT_NO_THROW(db.commit());
  }
}

// Every term of a document with its wdf and positions, for comparing two documents exactly.
std::string DumpTerms(const Xapian::Document& doc) {
  std::string out;
  for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
    out += *it + " wdf=" + std::to_string(it.get_wdf()) + " pos=";
    for (auto p = it.positionlist_begin(); p != it.positionlist_end(); ++p) {
      out += std::to_string(*p) + ",";
    }
    out += "\n";
  }
  return out;
}

// A WordCache only saves work: the terms, wdfs and positions are those of the uncached
// analysis, also for a word met first as a hyphenated whole (not split) and later alone
// (split), stop words, compounds, and words over Xapian's term limit.
TEST(AnalysisTest, WordCacheGivesTheSameTermsAsAnalysingEveryWord) {
  const std::vector<std::string> texts = {
      "LOU-upphandlingar och innovationsupphandlingar",
      "louupphandlingar innovationsupphandlingar i kommunerna, LOU-upphandlingar igen",
      "Innovationsupphandling och marknadsdialog: fotbollsplan, skolmåltider och e-tjänst",
      "och det i på " + std::string(250, 'x') + " energi" + std::string(240, 'e'),
      "Fo\xCC\x88rkommersiell A\xCC\x8Aterbruk, förkommersiell återbruk 10 000 kr",
  };
  stemming::WordCache cache;
  for (int round = 0; round < 2; ++round) {  // the second round is all cached
    for (const std::string& text : texts) {
      for (std::string_view prefix : {std::string_view(), schema::kPrefixTitle}) {
        Xapian::Document plain, cached;
        Xapian::termpos plain_pos = 7, cached_pos = 7;
        Shared().IndexText(text, 3, prefix, &plain_pos, &plain);
        Shared().IndexText(text, 3, prefix, &cached_pos, &cached, &cache);
        EXPECT_EQ(DumpTerms(cached), DumpTerms(plain)) << text;
        EXPECT_EQ(cached_pos, plain_pos);
      }
    }
  }
  EXPECT_GT(cache.size(), 10u);
  // A full cache analyses the words it has no room for each time, with the same result.
  stemming::WordCache tiny(2);
  for (const std::string& text : texts) {
    Xapian::Document plain, cached;
    Xapian::termpos plain_pos = 1, cached_pos = 1;
    Shared().IndexText(text, 1, {}, &plain_pos, &plain);
    Shared().IndexText(text, 1, {}, &cached_pos, &cached, &tiny);
    EXPECT_EQ(DumpTerms(cached), DumpTerms(plain)) << text;
  }
  EXPECT_EQ(tiny.size(), 2u);
}

TEST(AnalysisTest, CompoundsAreIndexedUnderTheirParts) {
  const std::set<std::string> terms = IndexedTerms("innovationsupphandlingar");
  EXPECT_TRUE(terms.count("innovationsupphandlingar"));
  EXPECT_TRUE(terms.count("Zinnovationsupphandling"));
  EXPECT_TRUE(terms.count("XPinnovation"));
  EXPECT_TRUE(terms.count("XPupphandling"));
  // A word that is not a compound has no parts.
  for (const std::string& t : IndexedTerms("kvarter upphandling")) {
    EXPECT_NE(t.rfind("XP", 0), 0u) << t;
  }
}

TEST(AnalysisTest, HyphenatedWordsAsWholeAndParts) {
  const std::set<std::string> terms = IndexedTerms("LOU-upphandling och e-tjänst");
  for (const char* t : {"louupphandling", "lou", "upphandling", "etjänst", "e", "tjänst",
                        "Zlou", "Zupphandling", "Ztjänst"}) {
    EXPECT_TRUE(terms.count(t)) << t;
  }
}

TEST(AnalysisTest, DecomposedAndPrecomposedTextIndexTheSame) {
  EXPECT_EQ(IndexedTerms("Fo\xCC\x88rkommersiell A\xCC\x8Aterbruk"),
            IndexedTerms("Förkommersiell Återbruk"));
}

TEST(AnalysisTest, StopWordsAreDroppedFromQueriesUnlessNothingElseIsLeft) {
  EXPECT_EQ(QueryStems("upphandling och avtal"), (std::set<std::string>{"Zupphandling", "Zavtal"}));
  BuiltQuery only_stop = BuildQuery("och det", {&Shared(), nullptr, nullptr, nullptr}, {});
  std::set<std::string> terms(only_stop.query.get_unique_terms_begin(),
                              only_stop.query.get_unique_terms_end());
  EXPECT_EQ(terms, (std::set<std::string>{"och", "det"}));
}

TEST(AnalysisTest, StopListIsSnowballsSwedishList) {
  std::ifstream in(AFORI_SHARED_DIR "/snowball/swedish/stop.txt");
  if (!in) GTEST_SKIP() << "../shared/snowball/swedish/stop.txt is not beside the checkout";
  std::set<std::string> snowball;
  for (std::string line; std::getline(in, line);) {
    const std::string word = line.substr(0, line.find_first_of(" \t|\r"));
    if (!word.empty()) snowball.insert(word);
  }
  const std::vector<std::string_view> ours = Analyzer::StopWords();
  EXPECT_EQ(std::set<std::string>(ours.begin(), ours.end()), snowball);
  EXPECT_TRUE(std::is_sorted(ours.begin(), ours.end()));  // IsStopWord binary-searches
  for (const std::string& w : snowball) EXPECT_TRUE(Shared().IsStopWord(w)) << w;
  for (const char* w : {"upphandling", "lou", "avtal", "innovation", "kommun"}) {
    EXPECT_FALSE(Shared().IsStopWord(w)) << w;
  }
}

TEST(AnalysisTest, LegacyStemmerIsXapiansAndDiffersOnAnbudet) {
  AnalysisConfig config = DefaultAnalysisConfig(AFORI_SOURCE_DIR);
  config.stemmer = StemmerKind::kXapianLegacy;
  config.decompound = false;
  auto legacy = Analyzer::Load(config);
  ASSERT_TRUE(legacy.ok()) << legacy.status().message();
  EXPECT_EQ((*legacy)->Stem("anbudet"), Xapian::Stem("swedish")("anbudet"));
  EXPECT_EQ(Shared().Stem("anbudet"), "anbud");
  EXPECT_NE((*legacy)->Fingerprint(), Shared().Fingerprint());
  EXPECT_TRUE((*legacy)->SplitCompound("innovationsupphandling").empty());
}

TEST(AnalysisTest, MissingLexiconIsAnErrorNamingTheFile) {
  AnalysisConfig config = DefaultAnalysisConfig(AFORI_SOURCE_DIR);
  config.lexicon_paths = {"/nonexistent/ordlista.txt"};
  auto loaded = Analyzer::Load(config);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.status().message().find("/nonexistent/ordlista.txt"), std::string::npos);
}

}  // namespace
}  // namespace afori::stemming

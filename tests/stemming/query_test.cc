#include "stemming/query.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "common/schema.h"
#include "searchd/ranking.h"
#include "tests/test_support.h"

namespace afori::stemming {
namespace {

// A few one-line documents, indexed with the real analysis into a real database.
const std::vector<std::pair<std::string, std::string>> kDocs = {
    {"innovation", "Innovationsupphandlingar i kommunen"},
    {"upphandling", "Upphandling av tjänster"},
    {"dialog", "Dialog med marknaden inför köpet"},
    {"marknadsdialog", "Tidig marknadsdialog ger bättre krav"},
    {"fku", "Förkommersiell upphandling av forskning"},
    {"pcp", "PCP i europeiska projekt"},
    {"lou", "Lagen om offentlig upphandling styr köpen"},
    {"halsa", "Hälsa och omsorg i hemtjänsten"},
    {"halsa-verbet", "Halsa inte drycken"},
    {"atervinning", "Återvinning av möbler"},
    {"fossil", "Tyst och fossilfri kollektivtrafik"},
    {"energi", "Energieffektivisering av skolor och energi"},
};

constexpr const char* kSynonyms =
    "lou | lagen om offentlig upphandling\n"
    "fku | förkommersiell upphandling | pcp\n";

class QueryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    Xapian::WritableDatabase db(dir_->Join("db"), Xapian::DB_CREATE);
    for (const auto& [id, text] : kDocs) {
      Xapian::Document doc;
      Xapian::termpos pos = 1;
      testing::SharedAnalyzer().IndexText(text, 1, {}, &pos, &doc);
      doc.set_data(id);
      db.add_document(doc);
    }
    db.commit();
    db_ = new Xapian::Database(dir_->Join("db"));
    vocabulary_ = new std::shared_ptr<const Vocabulary>(Vocabulary::FromDatabase(*db_));
    auto table = SynonymTable::Parse(kSynonyms, "test", testing::SharedAnalyzer().StemFunction());
    ASSERT_TRUE(table.ok()) << table.status().message();
    synonyms_ = new SynonymTable(std::move(*table));
  }
  static void TearDownTestSuite() {
    delete synonyms_;
    delete vocabulary_;
    delete db_;
    delete dir_;
  }

  static BuiltQuery Build(const std::string& text, QueryOptions options = {}) {
    return BuildQuery(text, {&testing::SharedAnalyzer(), db_, vocabulary_->get(), synonyms_},
                      options);
  }
  // Ids of the matching documents, best first.
  static std::vector<std::string> Ranked(const std::string& text, QueryOptions options = {}) {
    BuiltQuery q = Build(text, options);
    if (q.query.empty()) return {};
    Xapian::Enquire enquire(*db_);
    enquire.set_query(q.query);
    // searchd's ranking: documents matching more query words first (searchd/ranking.h).
    enquire.set_weighting_scheme(searchd::CoordinationWeight());
    std::vector<std::string> ids;
    const Xapian::MSet mset = enquire.get_mset(0, 100);
    for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
      ids.push_back(it.get_document().get_data());
    }
    return ids;
  }
  static bool Has(const std::vector<std::string>& ids, const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  }

  static testing::TempDir* dir_;
  static Xapian::Database* db_;
  static std::shared_ptr<const Vocabulary>* vocabulary_;
  static SynonymTable* synonyms_;
};

testing::TempDir* QueryTest::dir_ = nullptr;
Xapian::Database* QueryTest::db_ = nullptr;
std::shared_ptr<const Vocabulary>* QueryTest::vocabulary_ = nullptr;
SynonymTable* QueryTest::synonyms_ = nullptr;

struct FindCase {
  const char* query;
  const char* first;     // expected best hit, or "" when several tie
  const char* also;      // another expected hit, or ""
  const char* absent;    // a document that must not match, or ""
};

class QueryFindTest : public QueryTest, public ::testing::WithParamInterface<FindCase> {};

TEST_P(QueryFindTest, FindsAndRanks) {
  const FindCase& c = GetParam();
  const std::vector<std::string> ids = Ranked(c.query);
  ASSERT_FALSE(ids.empty()) << c.query;
  if (*c.first) {
    EXPECT_EQ(ids.front(), c.first) << c.query;
  }
  if (*c.also) {
    EXPECT_TRUE(Has(ids, c.also)) << c.query << " should also find " << c.also;
  }
  if (*c.absent) {
    EXPECT_FALSE(Has(ids, c.absent)) << c.query << " should not find " << c.absent;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, QueryFindTest,
    ::testing::Values(
        // a compound's part finds the compound, below the word itself
        FindCase{"upphandling", "", "innovation", "halsa"},
        FindCase{"upphandlingar", "", "innovation", ""},
        // a query compound finds its parts written apart
        FindCase{"marknadsdialog", "marknadsdialog", "dialog", "energi"},
        // missing å/ä/ö
        // ... and the spelling typed, where a document has it, ranks first
        FindCase{"halsa", "halsa-verbet", "halsa", "fossil"},
        FindCase{"hälsa", "halsa", "halsa-verbet", "fossil"},
        FindCase{"atervinning", "atervinning", "", ""},
        FindCase{"forkommersiell", "fku", "", ""},
        // typos within the allowed edits, transpositions included
        FindCase{"upphandlnig", "", "upphandling", "halsa"},
        FindCase{"marknadsdialg", "marknadsdialog", "", ""},
        FindCase{"kollektivtarfik", "fossil", "", ""},
        // synonyms and abbreviations, both ways
        FindCase{"LOU", "lou", "", "pcp"},
        FindCase{"lagen om offentlig upphandling", "lou", "", ""},
        FindCase{"FKU", "", "fku", "lou"},
        FindCase{"FKU", "", "pcp", "lou"},
        FindCase{"pcp", "pcp", "fku", ""},
        // phrases keep order; exclusion and NOT remove
        FindCase{"\"tyst och fossilfri\"", "fossil", "", "energi"},
        FindCase{"upphandling -tjänster -forskning", "lou", "innovation", "upphandling"},
        FindCase{"upphandling NOT tjänster NOT forskning", "lou", "", "fku"},
        // prefix search on words as written
        FindCase{"innovationsupp*", "innovation", "", "upphandling"}),
    [](const auto& info) { return testing::ParamName(info.index, info.param.query); });

TEST_F(QueryTest, CompoundPartsRankBelowTheWordItself) {
  const std::vector<std::string> ids = Ranked("upphandling");
  const auto at = [&](const char* id) { return std::find(ids.begin(), ids.end(), id) - ids.begin(); };
  for (const char* whole : {"upphandling", "fku", "lou"}) {
    EXPECT_LT(at(whole), at("innovation")) << whole;
  }
}

TEST_F(QueryTest, PhraseOrderMatters) {
  EXPECT_TRUE(Ranked("\"fossilfri och tyst\"").empty());
}

TEST_F(QueryTest, SuggestionReplacesOnlyTheMisspelledWords) {
  EXPECT_EQ(Build("upphandlnig av tjänster").suggestion, "upphandling av tjänster");
  EXPECT_EQ(Build("Tidig marknadsdialg").suggestion, "Tidig marknadsdialog");
  EXPECT_EQ(Build("forkommersiell").suggestion, "förkommersiell");
  EXPECT_FALSE(Build("upphandling av tjänster").suggestion.has_value());
  // Words under five letters get no typo help ("krva" is not corrected to "krav").
  EXPECT_FALSE(Build("krva").suggestion.has_value());
}

TEST_F(QueryTest, FeaturesCanBeSwitchedOff) {
  QueryOptions off;
  off.fold_diacritics = off.typo_tolerance = off.synonyms = off.decompound = false;
  EXPECT_EQ(Ranked("halsa", off), std::vector<std::string>{"halsa-verbet"});
  EXPECT_TRUE(Ranked("upphandlnig", off).empty());
  EXPECT_FALSE(Has(Ranked("LOU", off), "lou"));
  EXPECT_FALSE(Has(Ranked("upphandling", off), "innovation"));
}

TEST_F(QueryTest, AsYouTypeTreatsTheLastWordAsAPrefix) {
  QueryOptions typing;
  typing.last_word_is_prefix = true;
  EXPECT_TRUE(Has(Ranked("innovationsupp", typing), "innovation"));
  EXPECT_TRUE(Ranked("innovationsupp").empty());
  EXPECT_TRUE(Has(Ranked("markn", typing), "marknadsdialog"));
  EXPECT_TRUE(Has(Ranked("markn", typing), "dialog"));  // "marknaden"
}

TEST_F(QueryTest, OnlyExclusionsMatchEverythingElse) {
  BuiltQuery q = Build("-energi");
  EXPECT_TRUE(q.only_exclusions);
  const std::vector<std::string> ids = Ranked("-energi");
  EXPECT_EQ(ids.size(), kDocs.size() - 1);
  EXPECT_FALSE(Has(ids, "energi"));
}

TEST_F(QueryTest, ExplainsEachWord) {
  BuiltQuery q = Build("marknadsdialg halsa FKU");
  ASSERT_GE(q.words.size(), 3u);
  EXPECT_EQ(q.words[0].corrections, std::vector<std::string>{"marknadsdialog"});
  EXPECT_EQ(q.words[1].diacritic_variants, std::vector<std::string>{"hälsa"});
  EXPECT_NE(std::find(q.words[2].synonyms.begin(), q.words[2].synonyms.end(), "pcp"),
            q.words[2].synonyms.end());
}

// Nothing a visitor types fails: odd syntax and bytes give a query or an empty one.
TEST_F(QueryTest, NothingIsASyntaxError) {
  for (const char* text : {"\"", "(((", "-", "*", "NOT", "OR OR", "\xE2\x80\x8B", "\xFF\xFE",
                           "title:", "a\0b", "\"\"\"\"", "upphandling AND NOT (", "-\"\"",
                           "***", "title:*", "\"och\"", "- - -"}) {
    EXPECT_NO_THROW(Ranked(text)) << text;
  }
  EXPECT_FALSE(Ranked("\"upphandling").empty());  // unbalanced quote: the words
}

}  // namespace
}  // namespace afori::stemming

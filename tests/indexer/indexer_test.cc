#include "indexer/indexer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/schema.h"
#include "indexer/writer.h"
#include "tests/test_support.h"

namespace afori::indexer {
namespace {

using afori::testing::TempDir;

Xapian::Document DocumentById(const Xapian::Database& db, const std::string& id) {
  const std::string term = std::string(schema::kPrefixId) + id;
  Xapian::PostingIterator it = db.postlist_begin(term);
  if (it == db.postlist_end(term)) throw std::runtime_error("no document " + id);
  return db.get_document(*it);
}

bool HasTerm(const Xapian::Document& doc, const std::string& term) {
  Xapian::TermIterator it = doc.termlist_begin();
  it.skip_to(term);
  return it != doc.termlist_end() && *it == term;
}

class IndexerTest : public ::testing::Test {
 protected:
  void SetUp() override { db_ = Xapian::Database(testing::BuildFixtureIndex(dir_, analyzer_)); }
  TempDir dir_;
  const stemming::Analyzer& analyzer_ = testing::SharedAnalyzer();
  Xapian::Database db_;
};

TEST_F(IndexerTest, IndexesEveryFixtureDocumentAndRecordsTheSchemaVersion) {
  EXPECT_EQ(db_.get_doccount(), testing::LoadFixtureCorpus().documents.size());
  EXPECT_EQ(db_.get_metadata(std::string(schema::kSchemaVersionKey)),
            std::to_string(schema::kSchemaVersion));
}

TEST_F(IndexerTest, FieldsGiveWordsStemsTitleStemsAndCompoundParts) {
  Xapian::Document doc = DocumentById(db_, "exempel-elbussar");
  EXPECT_TRUE(HasTerm(doc, "elbussar"));                // as written (the vocabulary)
  EXPECT_TRUE(HasTerm(doc, "Zelbuss"));                 // stemmed, every field
  EXPECT_TRUE(HasTerm(doc, "Selbuss"));                 // title stem, for title:
  EXPECT_TRUE(HasTerm(doc, "funktionsupphandling"));    // summary
  EXPECT_TRUE(HasTerm(doc, "XPupphandling"));           // a part of funktionsupphandling
  EXPECT_TRUE(HasTerm(doc, "räckvidd"));                // body
  EXPECT_TRUE(HasTerm(doc, "älvstads"));                // organisation name is searchable text
  EXPECT_FALSE(HasTerm(doc, "Sräckvidd"));              // body words are not title words
}

TEST_F(IndexerTest, RecordsTheAnalysisFingerprint) {
  EXPECT_EQ(db_.get_metadata(std::string(schema::kAnalysisKey)), analyzer_.Fingerprint());
  EXPECT_NE(analyzer_.Fingerprint().find("stemmer=snowball3"), std::string::npos);
}

TEST_F(IndexerTest, TitleWordsWeighMoreThanBodyWords) {
  Xapian::Document doc = DocumentById(db_, "vagledning-lou-i-korthet");
  Xapian::TermIterator title = doc.termlist_begin();
  title.skip_to("korthet");  // only in the title
  Xapian::TermIterator body = doc.termlist_begin();
  body.skip_to("tröskelvärden");  // only in the body
  ASSERT_EQ(*title, "korthet");
  ASSERT_EQ(*body, "tröskelvärden");
  EXPECT_EQ(title.get_wdf(), schema::kTitleWeight);
  EXPECT_EQ(body.get_wdf(), schema::kBodyWeight);
}

TEST_F(IndexerTest, FacetsBecomeBooleanTermsAndCountableValues) {
  Xapian::Document doc = DocumentById(db_, "exempel-sensorer-hemtjanst");
  EXPECT_TRUE(HasTerm(doc, "XTYPE:case"));
  EXPECT_TRUE(HasTerm(doc, "XTHEME:Omsorg och välfärd"));
  EXPECT_TRUE(HasTerm(doc, "XTHEME:Digitalisering"));
  EXPECT_TRUE(HasTerm(doc, "XORG:Björkby kommun"));
  EXPECT_TRUE(HasTerm(doc, "XREGION:Skåne län"));
  EXPECT_TRUE(HasTerm(doc, "K:sensorer"));
  EXPECT_EQ(doc.get_value(schema::FindFacet("organisation")->slot),
            std::string("Björkby kommun") + schema::kFacetValueSeparator + "Region Testland");
  EXPECT_EQ(doc.get_value(schema::kSlotPublished), "20250303");
}

TEST_F(IndexerTest, FundingValuesAreSortable) {
  Xapian::Document doc = DocumentById(db_, "finans-energi");
  EXPECT_EQ(doc.get_value(schema::kSlotDeadline), "20250501");
  EXPECT_EQ(Xapian::sortable_unserialise(doc.get_value(schema::kSlotAmount)), 2000000.0);
  EXPECT_TRUE(HasTerm(doc, "XFUNDER:Energifonden"));
  EXPECT_LT(DocumentById(db_, "finans-omsorg").get_value(schema::kSlotAmount),
            doc.get_value(schema::kSlotAmount));
}

TEST_F(IndexerTest, StoredDataIsTheDocumentAsGivenWithUnknownFields) {
  nlohmann::json data = nlohmann::json::parse(DocumentById(db_, "vagledning-fku").get_data());
  EXPECT_EQ(data["internal_note"], "granskad av redaktionen");
  EXPECT_EQ(data["title"], "Förkommersiell upphandling steg för steg");
  // Unknown fields are not indexed.
  EXPECT_EQ(db_.get_termfreq("granskad"), 0u);
}

TEST_F(IndexerTest, RebuildReplacesTheWholeDatabase) {
  corpus::LoadReport one = corpus::LoadDocuments({testing::FixtureCorpusDir() + "/guides"});
  ASSERT_TRUE(BuildDatabase(dir_.Join("db"), one.documents, analyzer_).ok());
  db_.reopen();
  EXPECT_EQ(db_.get_doccount(), one.documents.size());
}

// Everything Xapian stores of a document: terms with wdf and positions, values, data.
std::string DumpDocument(const Xapian::Document& doc) {
  std::string out;
  for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
    out += *it + " wdf=" + std::to_string(it.get_wdf()) + " pos=";
    for (auto p = it.positionlist_begin(); p != it.positionlist_end(); ++p) {
      out += std::to_string(*p) + ",";
    }
    out += "\n";
  }
  for (auto it = doc.values_begin(); it != doc.values_end(); ++it) {
    out += "value " + std::to_string(it.get_valueno()) + "=" + *it + "\n";
  }
  return out + "data=" + doc.get_data();
}

// The bulk path (a WordCache, the JSON dumped once for hash and data) writes exactly the
// documents the plain path does.
TEST(IndexerDocumentTest, CachedDocumentsAreTheSameAsPlainOnes) {
  const stemming::Analyzer& analyzer = testing::SharedAnalyzer();
  const corpus::LoadReport report = testing::LoadFixtureCorpus();
  ASSERT_FALSE(report.documents.empty());
  stemming::WordCache cache;
  for (int round = 0; round < 2; ++round) {
    for (const corpus::LoadedDocument& loaded : report.documents) {
      const corpus::Document& doc = loaded.document;
      const std::string data = doc.source_json;
      const Provenance provenance{ContentHashOfJson(data, analyzer), "/x/y.json", 3};
      EXPECT_EQ(provenance.content_hash, ContentHash(doc, analyzer));
      EXPECT_EQ(DumpDocument(ToXapianDocument(doc, analyzer, provenance, &cache)),
                DumpDocument(ToXapianDocument(doc, analyzer, provenance)))
          << doc.id;
    }
  }
}

TEST(IndexerErrorsTest, UnwritablePathIsAnIoError) {
  TempDir dir;
  dir.Write("file", "x");
  const stemming::Analyzer& analyzer = testing::SharedAnalyzer();
  const std::vector<corpus::LoadedDocument> none;
  Status s = BuildDatabase(dir.Join("file/db"), none, analyzer);
  EXPECT_EQ(s.code(), ErrorCode::kIoError);
  EXPECT_NE(s.message().find(dir.Join("file/db")), std::string::npos);
}

}  // namespace
}  // namespace afori::indexer

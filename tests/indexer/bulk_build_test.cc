#include "indexer/bulk_build.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/schema.h"
#include "indexer/indexer.h"
#include "tests/test_support.h"

namespace afori::indexer {
namespace {

using afori::testing::TempDir;

// Everything a search can see of a database: each document (terms with wdf and positions,
// values, data, length), the statistics of every term and value slot, and the metadata but
// the creation time.
std::string DumpDatabase(const Xapian::Database& db) {
  std::string out = "docs=" + std::to_string(db.get_doccount()) +
                    " last=" + std::to_string(db.get_lastdocid()) +
                    " length=" + std::to_string(db.get_total_length()) + "\n";
  for (Xapian::PostingIterator d = db.postlist_begin(""); d != db.postlist_end(""); ++d) {
    const Xapian::Document doc = db.get_document(*d);
    out += "doc " + std::to_string(*d) + " len=" + std::to_string(db.get_doclength(*d)) + "\n";
    for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
      out += " " + *it + " " + std::to_string(it.get_wdf()) + ":";
      for (auto p = it.positionlist_begin(); p != it.positionlist_end(); ++p) {
        out += std::to_string(*p) + ",";
      }
      out += "\n";
    }
    for (auto it = doc.values_begin(); it != doc.values_end(); ++it) {
      out += " v" + std::to_string(it.get_valueno()) + "=" + *it + "\n";
    }
    out += " data=" + doc.get_data() + "\n";
  }
  for (auto it = db.allterms_begin(); it != db.allterms_end(); ++it) {
    out += "term " + *it + " tf=" + std::to_string(it.get_termfreq()) +
           " cf=" + std::to_string(db.get_collection_freq(*it)) + "\n";
  }
  for (Xapian::valueno slot = 0; slot < 32; ++slot) {
    out += "slot " + std::to_string(slot) + " freq=" + std::to_string(db.get_value_freq(slot)) +
           " lo=" + db.get_value_lower_bound(slot) + " hi=" + db.get_value_upper_bound(slot) +
           "\n";
  }
  for (auto it = db.metadata_keys_begin(); it != db.metadata_keys_end(); ++it) {
    if (*it != schema::kCreatedAtKey) out += "meta " + *it + "=" + db.get_metadata(*it) + "\n";
  }
  return out;
}

// The one-writer build, compacted as RebuildIndex did before bulk builds.
std::string OneWriterCompacted(const TempDir& dir, const std::vector<corpus::LoadedDocument>& docs) {
  const std::string built = dir.Join("one"), compacted = dir.Join("one-compacted");
  EXPECT_TRUE(BuildDatabase(built, docs, testing::SharedAnalyzer()).ok());
  Xapian::Database(built).compact(compacted, Xapian::DBCOMPACT_NO_RENUMBER);
  return compacted;
}

TEST(BulkBuildTest, SeveralWritersGiveTheDatabaseOneWriterGives) {
  const corpus::LoadReport report = testing::LoadFixtureCorpus();
  ASSERT_GE(report.documents.size(), 4u);
  TempDir dir;
  const Xapian::Database expected(OneWriterCompacted(dir, report.documents));
  const corpus::InMemoryDocuments documents(report.documents);
  for (std::size_t threads : {1, 2, 3}) {
    const std::string path = dir.Join("bulk-" + std::to_string(threads));
    BulkBuildOptions options;
    options.threads = threads;
    options.min_documents_per_thread = 1;
    ASSERT_EQ(BulkBuildThreads(report.documents.size(), options), threads);
    ASSERT_TRUE(BuildCompactedDatabase(path, documents, testing::SharedAnalyzer(), options).ok());
    const Xapian::Database built(path);
    EXPECT_EQ(DumpDatabase(built), DumpDatabase(expected)) << threads << " threads";
    EXPECT_EQ(built.get_revision(), expected.get_revision());
    EXPECT_FALSE(built.get_metadata(std::string(schema::kCreatedAtKey)).empty());
    for (std::size_t k = 0; k < threads; ++k) {  // the scratch databases are gone
      EXPECT_FALSE(std::filesystem::exists(path + ".part-" + std::to_string(k)));
    }
  }
}

TEST(BulkBuildTest, ShortRunsAndDocumentsReadAgainFromTheFilesGiveTheSameDatabase) {
  const corpus::LoadReport report = testing::LoadFixtureCorpus();
  const corpus::DocumentCatalog catalog = corpus::ScanDocuments(testing::FixtureInputs());
  ASSERT_EQ(catalog.size(), report.documents.size());
  TempDir dir;
  const std::string expected = DumpDatabase(Xapian::Database(OneWriterCompacted(dir, report.documents)));
  const corpus::InMemoryDocuments in_memory(report.documents);
  for (const std::size_t run : {1, 3, 7}) {
    for (const std::size_t threads : {1, 2}) {
      BulkBuildOptions options;
      options.threads = threads;
      options.min_documents_per_thread = 1;
      options.max_documents_per_run = run;
      const std::string name = std::to_string(run) + "-" + std::to_string(threads);
      const std::string from_memory = dir.Join("memory-" + name), from_files = dir.Join("files-" + name);
      ASSERT_TRUE(BuildCompactedDatabase(from_memory, in_memory, testing::SharedAnalyzer(), options).ok());
      ASSERT_TRUE(BuildCompactedDatabase(from_files, catalog, testing::SharedAnalyzer(), options).ok());
      EXPECT_EQ(DumpDatabase(Xapian::Database(from_memory)), expected) << name;
      EXPECT_EQ(DumpDatabase(Xapian::Database(from_files)), expected) << name;
      const std::size_t runs = BulkBuildRuns(report.documents.size(), options).size();
      EXPECT_GE(runs, (report.documents.size() + run - 1) / run) << name;
      for (std::size_t k = 0; k < runs; ++k) {
        EXPECT_FALSE(std::filesystem::exists(from_files + ".part-" + std::to_string(k)));
      }
    }
  }
}

TEST(BulkBuildTest, RunsCoverTheDocumentsInOrderAndRespectTheLimit) {
  struct Case {
    std::size_t documents, threads, max_run;
    std::vector<std::pair<std::size_t, std::size_t>> runs;
  };
  const std::vector<Case> cases = {
      {0, 2, 50000, {{0, 0}}},                          // one writer, nothing to write
      {10000, 2, 50000, {{0, 5000}, {5000, 10000}}},    // one run per thread
      {100000, 2, 50000, {{0, 50000}, {50000, 100000}}},
      {100001, 2, 50000, {{0, 33333}, {33333, 66667}, {66667, 100001}}},
      {300000, 2, 0, {{0, 150000}, {150000, 300000}}},  // no limit: one run per thread
      {10, 1, 4, {{0, 3}, {3, 6}, {6, 10}}},
  };
  for (const Case& c : cases) {
    BulkBuildOptions options;
    options.threads = c.threads;
    options.min_documents_per_thread = 1;
    options.max_documents_per_run = c.max_run;
    EXPECT_EQ(BulkBuildRuns(c.documents, options), c.runs) << c.documents << " documents";
  }
}

TEST(BulkBuildTest, AFileChangedDuringTheBuildFailsItAndLeavesNothing) {
  TempDir dir;
  std::string lines;
  for (int i = 0; i < 20; ++i) {
    lines += R"({"id": "d)" + std::to_string(i) +
             R"(", "type": "guide", "title": "Titel", "body": "Text om upphandling."})" + "\n";
  }
  const std::string input = dir.Write("in.jsonl", lines);
  const corpus::DocumentCatalog catalog = corpus::ScanDocuments({input});
  ASSERT_EQ(catalog.size(), 20u);
  // The same length, other bytes, in the 15th document: only a re-read can tell.
  std::string edited = lines;
  edited.replace(edited.find("d14"), 3, "e14");
  dir.Write("in.jsonl", edited);
  BulkBuildOptions options;
  options.threads = 2;
  options.min_documents_per_thread = 1;
  options.max_documents_per_run = 5;
  const Status s = BuildCompactedDatabase(dir.Join("db"), catalog, testing::SharedAnalyzer(), options);
  EXPECT_EQ(s.code(), ErrorCode::kIoError);
  EXPECT_NE(s.message().find(input + ":15:"), std::string::npos) << s.message();
  EXPECT_FALSE(std::filesystem::exists(dir.Join("db")));
  for (int k = 0; k < 4; ++k) {
    EXPECT_FALSE(std::filesystem::exists(dir.Join("db.part-" + std::to_string(k))));
  }
}

TEST(BulkBuildTest, SmallBuildsUseOneWriterAndNoDocumentsGiveAnEmptyDatabase) {
  BulkBuildOptions options;
  options.threads = 2;
  EXPECT_EQ(BulkBuildThreads(0, options), 1u);
  EXPECT_EQ(BulkBuildThreads(3999, options), 1u);
  EXPECT_EQ(BulkBuildThreads(4000, options), 2u);
  EXPECT_EQ(BulkBuildThreads(1000000, options), 2u);
  TempDir dir;
  const std::vector<corpus::LoadedDocument> none;
  ASSERT_TRUE(BuildCompactedDatabase(dir.Join("db"), corpus::InMemoryDocuments(none),
                                     testing::SharedAnalyzer(), options)
                  .ok());
  const Xapian::Database db(dir.Join("db"));
  EXPECT_EQ(db.get_doccount(), 0u);
  EXPECT_EQ(db.get_metadata(std::string(schema::kSchemaVersionKey)),
            std::to_string(schema::kSchemaVersion));
}

TEST(BulkBuildTest, UnwritablePathIsAnIoErrorAndLeavesNoScratchDatabases) {
  const corpus::LoadReport report = testing::LoadFixtureCorpus();
  TempDir dir;
  dir.Write("file", "x");
  BulkBuildOptions options;
  options.threads = 2;
  options.min_documents_per_thread = 1;
  const Status s = BuildCompactedDatabase(dir.Join("file/db"),
                                          corpus::InMemoryDocuments(report.documents),
                                          testing::SharedAnalyzer(), options);
  EXPECT_EQ(s.code(), ErrorCode::kIoError);
  EXPECT_FALSE(std::filesystem::exists(dir.Join("file/db.part-0")));
}

}  // namespace
}  // namespace afori::indexer

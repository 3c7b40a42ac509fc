#include "indexer/writer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <thread>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "common/schema.h"
#include "indexer/indexer.h"
#include "tests/test_support.h"

namespace afori::indexer {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::TempDir;

corpus::Document Doc(const std::string& id, const std::string& title,
                     const std::string& body = "Ett stycke om upphandling.") {
  auto doc = corpus::ParseDocument(json{{"id", id}, {"type", "guide"}, {"title", title},
                                        {"body", body}});
  if (!doc.ok()) throw std::runtime_error(doc.status().message());
  return *doc;
}

Change Upsert(corpus::Document doc, std::string source = "") {
  return {Change::Kind::kUpsert, std::move(doc), std::move(source), ""};
}
Change Delete(std::string id) { return {Change::Kind::kDelete, {}, "", std::move(id)}; }

Xapian::docid DocidOf(const Xapian::Database& db, const std::string& id) {
  const std::string term = std::string(schema::kPrefixId) + id;
  Xapian::PostingIterator it = db.postlist_begin(term);
  return it == db.postlist_end(term) ? 0 : *it;
}

class WriterTest : public ::testing::Test {
 protected:
  void SetUp() override { db_path_ = testing::BuildFixtureIndex(dir_, analyzer_); }
  void TearDown() override {
    if (std::filesystem::exists(db_path_ + "/iamglass")) {
      EXPECT_EQ(testing::XapianCheck(db_path_), 0) << "xapian-check " << db_path_;
    }
  }

  Result<ChangeReport> Apply(const std::vector<Change>& changes, WriteOptions options = {}) {
    return ApplyChanges(db_path_, changes, analyzer_, options);
  }
  Xapian::Database Open() const { return Xapian::Database(db_path_); }

  TempDir dir_;
  const stemming::Analyzer& analyzer_ = testing::SharedAnalyzer();
  std::string db_path_;
};

TEST_F(WriterTest, AFullBuildRecordsHashSourceAndRevisionSoAnUpdateFindsNothingToDo) {
  corpus::LoadReport loaded = testing::LoadFixtureCorpus();
  Xapian::Database db = Open();
  ASSERT_EQ(db.get_revision(), 1u);
  const Xapian::Document stored = db.get_document(DocidOf(db, "exempel-elbussar"));
  const corpus::LoadedDocument* elbussar = nullptr;
  for (const auto& d : loaded.documents) {
    if (d.document.id == "exempel-elbussar") elbussar = &d;
  }
  ASSERT_NE(elbussar, nullptr);
  EXPECT_EQ(stored.get_value(schema::kSlotContentHash), ContentHash(elbussar->document, analyzer_));
  EXPECT_EQ(stored.get_value(schema::kSlotSourcePath), SourcePathKey(elbussar->where.path));
  EXPECT_TRUE(stored.get_value(schema::kSlotSourcePath).starts_with("/"));
  EXPECT_EQ(stored.get_value(schema::kSlotWrittenAt), RevisionKey(1));

  std::vector<Change> changes;
  for (const auto& d : loaded.documents) changes.push_back(Upsert(d.document, d.where.path));
  auto report = Apply(changes);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->unchanged, loaded.documents.size());
  EXPECT_EQ(report->added + report->replaced + report->deleted, 0u);
  EXPECT_EQ(report->revision, 1u);  // nothing committed
  db.reopen();
  EXPECT_EQ(db.get_revision(), 1u);
  EXPECT_EQ(DocidOf(db, "exempel-elbussar"), stored.get_docid());  // not rewritten
}

TEST_F(WriterTest, CountsAddedReplacedUnchangedDeletedAndNotFoundInOneCommit) {
  const Xapian::Database before = Open();
  const Xapian::doccount count = before.get_doccount();
  const Xapian::docid fku = DocidOf(before, "vagledning-fku");
  auto report = Apply({Upsert(Doc("ny-vagledning", "Ny vägledning om elbussar")),
                       Upsert(Doc("exempel-skolmat", "Skolmat, omskriven")),
                       Delete("vagledning-fku"), Delete("finns-inte")});
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->added, 1u);
  EXPECT_EQ(report->replaced, 1u);
  EXPECT_EQ(report->deleted, 1u);
  EXPECT_EQ(report->not_found, 1u);
  EXPECT_EQ(report->added_ids, std::vector<std::string>{"ny-vagledning"});
  EXPECT_EQ(report->replaced_ids, std::vector<std::string>{"exempel-skolmat"});
  EXPECT_EQ(report->deleted_ids, std::vector<std::string>{"vagledning-fku"});
  EXPECT_EQ(report->not_found_ids, std::vector<std::string>{"finns-inte"});
  EXPECT_EQ(report->revision, 2u);  // one commit for all four

  Xapian::Database db = Open();
  EXPECT_EQ(db.get_revision(), 2u);
  EXPECT_EQ(db.get_doccount(), count);  // one added, one deleted
  EXPECT_EQ(DocidOf(db, "vagledning-fku"), 0u);
  EXPECT_NE(fku, 0u);
  const Xapian::Document skolmat = db.get_document(DocidOf(db, "exempel-skolmat"));
  EXPECT_EQ(json::parse(skolmat.get_data())["title"], "Skolmat, omskriven");
  EXPECT_EQ(skolmat.get_value(schema::kSlotWrittenAt), RevisionKey(2));
  EXPECT_EQ(skolmat.get_value(schema::kSlotSourcePath), "");  // the admin API's now
  EXPECT_GT(db.get_termfreq("Zelbuss"), before.get_termfreq("Zelbuss"));  // analysed
}

TEST_F(WriterTest, UpsertingTheSameContentAgainChangesNothing) {
  ASSERT_TRUE(Apply({Upsert(Doc("ny", "Ny titel"))}).ok());
  const Xapian::docid docid = DocidOf(Open(), "ny");
  auto again = Apply({Upsert(Doc("ny", "Ny titel"))});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->unchanged, 1u);
  EXPECT_EQ(again->revision, 2u);
  EXPECT_EQ(DocidOf(Open(), "ny"), docid);
  // The same content from a file it was not stored with is rewritten, to record the file.
  auto moved = Apply({Upsert(Doc("ny", "Ny titel"), dir_.Join("ny.json"))});
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->replaced, 1u);
  EXPECT_EQ(Open().get_document(DocidOf(Open(), "ny")).get_value(schema::kSlotSourcePath),
            dir_.Join("ny.json"));
}

TEST_F(WriterTest, ManyChangesAreStillOneCommitDespiteAutomaticFlushes) {
  // Xapian would commit on its own every 5 documents without the transaction.
  setenv("XAPIAN_FLUSH_THRESHOLD", "5", 1);
  std::vector<Change> changes;
  for (int i = 0; i < 23; ++i) changes.push_back(Upsert(Doc("d" + std::to_string(i), "Titel")));
  auto report = Apply(changes);
  unsetenv("XAPIAN_FLUSH_THRESHOLD");
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->added, 23u);
  EXPECT_EQ(report->revision, 2u);
  EXPECT_EQ(Open().get_revision(), 2u);
}

TEST_F(WriterTest, DeletionsLeaveAMarkerThatALaterUpsertRemoves) {
  const std::string key = std::string(schema::kDeletedKeyPrefix) + "exempel-elbussar";
  ASSERT_TRUE(Apply({Delete("exempel-elbussar")}).ok());
  EXPECT_EQ(Open().get_metadata(key), RevisionKey(2));
  auto again = Apply({Delete("exempel-elbussar")});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->not_found, 1u);
  EXPECT_EQ(again->revision, 2u);  // nothing to commit
  ASSERT_TRUE(Apply({Upsert(Doc("exempel-elbussar", "Elbussar igen"))}).ok());
  EXPECT_EQ(Open().get_metadata(key), "");
  EXPECT_NE(DocidOf(Open(), "exempel-elbussar"), 0u);
}

TEST_F(WriterTest, InvalidIdsAreRefusedBeforeAnythingIsWritten) {
  auto report = Apply({Upsert(Doc("ok", "T")), Delete("Not An Id")});
  EXPECT_EQ(report.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(DocidOf(Open(), "ok"), 0u);
  corpus::Document hand_made;
  hand_made.id = "hand-made";
  EXPECT_EQ(Apply({Upsert(hand_made)}).status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(WriterTest, AMissingIndexIsAnIoError) {
  auto report = ApplyChanges(dir_.Join("none"), {Delete("x")}, analyzer_, {});
  EXPECT_EQ(report.status().code(), ErrorCode::kIoError);
  EXPECT_NE(report.status().message().find(dir_.Join("none")), std::string::npos);
}

TEST_F(WriterTest, AnIndexOfAnotherSchemaVersionIsRefused) {
  {
    Xapian::WritableDatabase db(db_path_, Xapian::DB_OPEN);
    db.set_metadata(std::string(schema::kSchemaVersionKey), "3");
    db.commit();
  }
  auto report = Apply({Upsert(Doc("ny", "T"))});
  EXPECT_EQ(report.status().code(), ErrorCode::kSchemaMismatch);
  EXPECT_NE(report.status().message().find(db_path_), std::string::npos);
  EXPECT_EQ(DocidOf(Open(), "ny"), 0u);
}

TEST_F(WriterTest, GivesUpOnAHeldLockWithUnavailableAndChangesNothing) {
  auto other = std::make_unique<Xapian::WritableDatabase>(db_path_, Xapian::DB_OPEN);
  const auto started = std::chrono::steady_clock::now();
  auto report = Apply({Upsert(Doc("ny", "T"))}, {200ms});
  const auto waited = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(report.status().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(report.status().message(),
            "another writer holds the index lock at " + db_path_ + "; gave up after 200 ms");
  EXPECT_GE(waited, 200ms);
  EXPECT_LT(waited, 2s);
  other.reset();
  EXPECT_EQ(Open().get_revision(), 1u);
  EXPECT_EQ(DocidOf(Open(), "ny"), 0u);
}

TEST_F(WriterTest, WaitsForAWriterThatReleasesTheLockInTime) {
  auto other = std::make_unique<Xapian::WritableDatabase>(db_path_, Xapian::DB_OPEN);
  std::thread release([&] {
    std::this_thread::sleep_for(100ms);
    other.reset();
  });
  auto report = Apply({Upsert(Doc("ny", "T"))}, {2000ms});
  release.join();
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->added, 1u);
  EXPECT_NE(DocidOf(Open(), "ny"), 0u);
}

// The writer may notice the switch before it gets the first's lock (it resolves the link on
// every retry) or after (it re-checks the link once it holds a lock); either way it must
// write to the generation the link points at when it commits.
TEST_F(WriterTest, FollowsALinkSwitchedWhileItWaitedForTheLock) {
  // Two generations and a link to the first, as RebuildIndex makes them.
  const std::string first = db_path_;
  const std::string second = dir_.Join("db2");
  std::filesystem::copy(first, second, std::filesystem::copy_options::recursive);
  const std::string link = dir_.Join("live");
  std::filesystem::create_directory_symlink("db", link);

  auto holder = std::make_unique<Xapian::WritableDatabase>(first, Xapian::DB_OPEN);
  auto writer = std::async(std::launch::async, [&] {
    return ApplyChanges(link, {Upsert(Doc("ny", "T"))}, analyzer_, {5000ms});
  });
  std::this_thread::sleep_for(150ms);  // the writer is now waiting for the first's lock
  std::filesystem::create_directory_symlink("db2", link + ".tmp");
  std::filesystem::rename(link + ".tmp", link);
  holder.reset();  // it gets the lock on the first, sees the link moved, and starts over
  auto report = writer.get();
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->added, 1u);
  EXPECT_NE(DocidOf(Xapian::Database(second), "ny"), 0u);
  EXPECT_EQ(DocidOf(Xapian::Database(first), "ny"), 0u);
}

TEST_F(WriterTest, PruneDeletesDocumentsWhoseFileUnderAnInputDirectoryIsGone) {
  TempDir corpus_dir;
  const std::string a = corpus_dir.Write("a.json", Doc("a", "A").source_json);
  const std::string b = corpus_dir.Write("sub/b.json", Doc("b", "B").source_json);
  const std::string c = corpus_dir.Write("c.json", Doc("c", "C").source_json);
  const std::string lines = corpus_dir.Write("more.jsonl", Doc("l", "L").source_json + "\n");
  ASSERT_TRUE(Apply({Upsert(Doc("a", "A"), a), Upsert(Doc("b", "B"), b), Upsert(Doc("c", "C"), c),
                     Upsert(Doc("l", "L"), lines), Upsert(Doc("api", "Från API:t"))})
                  .ok());
  // This time b.json is gone, c.json was rejected and the JSONL file was not given.
  Prune prune{{corpus_dir.path()}, {c}};
  auto report = ApplyChanges(db_path_, {Upsert(Doc("a", "A"), a)}, prune, analyzer_, {});
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->deleted_ids, std::vector<std::string>{"b"});
  EXPECT_EQ(report->unchanged, 1u);
  Xapian::Database db = Open();
  EXPECT_EQ(DocidOf(db, "b"), 0u);
  for (const char* kept : {"a", "c", "l", "api", "exempel-elbussar"}) {
    EXPECT_NE(DocidOf(db, kept), 0u) << kept;
  }
}

TEST(ContentHashTest, IsStableOrderIndependentAndFollowsContentAndAnalysis) {
  const stemming::Analyzer& analyzer = testing::SharedAnalyzer();
  auto one = corpus::ParseDocument(json::parse(R"({"id":"x","type":"guide","title":"T","body":"B"})"));
  auto two = corpus::ParseDocument(json::parse(R"({"body":"B","title":"T","type":"guide","id":"x"})"));
  auto other = corpus::ParseDocument(json::parse(R"({"id":"x","type":"guide","title":"T","body":"C"})"));
  ASSERT_TRUE(one.ok() && two.ok() && other.ok());
  const std::string hash = ContentHash(*one, analyzer);
  EXPECT_EQ(hash.size(), 16u);
  EXPECT_EQ(hash.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(ContentHash(*two, analyzer), hash);
  EXPECT_NE(ContentHash(*other, analyzer), hash);
}

TEST(RevisionKeyTest, SortsLikeTheNumbers) {
  EXPECT_EQ(RevisionKey(7), "00000000000000000007");
  EXPECT_LT(RevisionKey(9), RevisionKey(10));
  EXPECT_EQ(RevisionKey(18446744073709551615ULL).size(), 20u);
}

}  // namespace
}  // namespace afori::indexer

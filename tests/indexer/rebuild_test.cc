#include "indexer/rebuild.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include <nlohmann/json.hpp>

#include "common/schema.h"
#include "indexer/indexer.h"
#include "tests/test_support.h"

namespace afori::indexer {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;
using testing::TempDir;

corpus::Document Doc(const std::string& id, const std::string& title) {
  auto doc = corpus::ParseDocument(
      json{{"id", id}, {"type", "guide"}, {"title", title}, {"body", "Om upphandling."}});
  if (!doc.ok()) throw std::runtime_error(doc.status().message());
  return *doc;
}

bool Has(const Xapian::Database& db, const std::string& id) {
  const std::string term = std::string(schema::kPrefixId) + id;
  return db.postlist_begin(term) != db.postlist_end(term);
}

std::string TitleOf(const Xapian::Database& db, const std::string& id) {
  const std::string term = std::string(schema::kPrefixId) + id;
  return json::parse(db.get_document(*db.postlist_begin(term)).get_data())["title"];
}

class RebuildTest : public ::testing::Test {
 protected:
  Result<RebuildReport> Rebuild(const RebuildOptions& options = {}) {
    return RebuildIndex(link_, corpus::InMemoryDocuments(corpus_.documents), analyzer_, options);
  }
  std::string Target() const { return fs::canonical(link_).string(); }
  void TearDown() override {
    std::error_code ec;
    if (fs::exists(link_, ec)) {
      EXPECT_EQ(testing::XapianCheck(link_), 0) << "xapian-check " << link_;
    }
  }

  TempDir dir_;
  const std::string link_ = dir_.Join("db");
  const corpus::LoadReport corpus_ = testing::LoadFixtureCorpus();
  const stemming::Analyzer& analyzer_ = testing::SharedAnalyzer();
};

TEST_F(RebuildTest, FirstBuildCreatesTheLinkAndItsGeneration) {
  auto report = Rebuild();
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_TRUE(fs::is_symlink(link_));
  // A relative target: the link and its generations can be moved together.
  EXPECT_EQ(fs::read_symlink(link_).string(), fs::path(report->new_directory).filename().string());
  EXPECT_EQ(Target(), report->new_directory);
  EXPECT_EQ(report->old_directory, "");
  EXPECT_EQ(report->documents, corpus_.documents.size());
  Xapian::Database db(link_);
  EXPECT_EQ(db.get_doccount(), corpus_.documents.size());
  EXPECT_EQ(db.get_revision(), 1u);
}

TEST_F(RebuildTest, CompactionCanBeTurnedOffAndChangesNothingButTheLayout) {
  RebuildOptions plain;
  plain.compact = false;
  auto uncompacted = Rebuild(plain);
  ASSERT_TRUE(uncompacted.ok());
  const Xapian::Database before(link_);
  auto compacted = Rebuild();
  ASSERT_TRUE(compacted.ok());
  const Xapian::Database after(link_);
  EXPECT_EQ(after.get_doccount(), before.get_doccount());
  EXPECT_EQ(after.get_revision(), 1u);
  EXPECT_EQ(after.get_total_length(), before.get_total_length());
  EXPECT_EQ(after.get_termfreq("Zelbuss"), before.get_termfreq("Zelbuss"));
  std::size_t generations = 0;
  for (const auto& e : fs::directory_iterator(dir_.path())) {
    generations += e.is_directory() && !e.is_symlink();
  }
  EXPECT_EQ(generations, 2u);  // the compaction's input is gone
}

TEST_F(RebuildTest, EachBuildSwitchesTheLinkKeepsThePreviousAndRemovesOlderGenerations) {
  auto first = Rebuild();
  ASSERT_TRUE(first.ok());
  Xapian::Database reader(first->new_directory);  // a reader of the first generation
  auto second = Rebuild();
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_NE(second->new_directory, first->new_directory);
  EXPECT_EQ(second->old_directory, first->new_directory);
  EXPECT_EQ(Target(), second->new_directory);
  EXPECT_TRUE(fs::exists(first->new_directory));  // kept: readers may still have it open
  EXPECT_EQ(second->removed_generations, 0u);
  EXPECT_EQ(reader.get_doccount(), corpus_.documents.size());

  dir_.Write("db.backup/keep.txt", "not ours");  // a sibling that is no generation
  auto third = Rebuild();
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->removed_generations, 1u);
  EXPECT_FALSE(fs::exists(first->new_directory));
  EXPECT_TRUE(fs::exists(second->new_directory));
  EXPECT_TRUE(fs::exists(third->new_directory));
  EXPECT_TRUE(fs::exists(dir_.Join("db.backup/keep.txt")));
  EXPECT_EQ(Xapian::Database(link_).get_doccount(), corpus_.documents.size());
}

TEST_F(RebuildTest, MigratesAPlainDirectoryFromAnOlderBuild) {
  ASSERT_TRUE(BuildDatabase(link_, corpus_.documents, analyzer_).ok());
  auto report = Rebuild();
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_TRUE(fs::is_symlink(link_));
  EXPECT_TRUE(report->old_directory.ends_with("-migrated")) << report->old_directory;
  EXPECT_TRUE(report->old_directory.starts_with(link_ + "."));
  EXPECT_EQ(Xapian::Database(report->old_directory).get_doccount(), corpus_.documents.size());
  EXPECT_EQ(Xapian::Database(link_).get_doccount(), corpus_.documents.size());
  // The migrated directory is an ordinary old generation from now on.
  ASSERT_TRUE(Rebuild().ok());
  auto again = Rebuild();
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(fs::exists(report->old_directory));
}

TEST_F(RebuildTest, AnEmptyDirectoryIsReplacedButSomebodysDataIsNot) {
  fs::create_directory(link_);
  ASSERT_TRUE(Rebuild().ok());
  EXPECT_TRUE(fs::is_symlink(link_));

  const std::string other = dir_.Join("other");
  dir_.Write("other/notes.txt", "data");
  auto refused = RebuildIndex(other, corpus::InMemoryDocuments(corpus_.documents), analyzer_, RebuildOptions{});
  EXPECT_EQ(refused.status().code(), ErrorCode::kIoError);
  EXPECT_NE(refused.status().message().find("holds no Xapian index"), std::string::npos);
  EXPECT_TRUE(fs::exists(dir_.Join("other/notes.txt")));
}

TEST_F(RebuildTest, ReplaysChangesCommittedToTheOldIndexDuringTheBuild) {
  ASSERT_TRUE(Rebuild().ok());
  ASSERT_TRUE(ApplyChanges(link_, {{Change::Kind::kDelete, {}, "", "vagledning-behovsanalys"}},
                           analyzer_, {})
                  .ok());  // before the rebuild: the inputs bring it back, as they should
  RebuildOptions options;
  options.before_switch = [&] {
    auto applied = ApplyChanges(
        link_,
        {{Change::Kind::kUpsert, Doc("ny-under-bygget", "Ny under bygget"), "", ""},
         {Change::Kind::kUpsert, Doc("exempel-skolmat", "Skolmat, ändrad under bygget"), "", ""},
         {Change::Kind::kDelete, {}, "", "vagledning-fku"}},
        analyzer_, {});
    ASSERT_TRUE(applied.ok()) << applied.status().message();
    EXPECT_EQ(applied->added + applied->replaced + applied->deleted, 3u);
  };
  auto report = Rebuild(options);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->replayed, 2u);
  EXPECT_EQ(report->replayed_deletions, 1u);
  Xapian::Database db(link_);
  EXPECT_TRUE(Has(db, "ny-under-bygget"));
  EXPECT_EQ(TitleOf(db, "exempel-skolmat"), "Skolmat, ändrad under bygget");
  EXPECT_FALSE(Has(db, "vagledning-fku"));
  EXPECT_TRUE(Has(db, "vagledning-behovsanalys"));
  EXPECT_EQ(db.get_doccount(), corpus_.documents.size());  // +1 added, -1 deleted
  EXPECT_EQ(db.get_revision(), 2u);  // the build, then the replay
  // Replayed documents are analysed and stamped like any other.
  const Xapian::Document replayed =
      db.get_document(*db.postlist_begin(std::string(schema::kPrefixId) + "ny-under-bygget"));
  EXPECT_EQ(replayed.get_value(schema::kSlotWrittenAt), RevisionKey(2));
  EXPECT_EQ(replayed.get_value(schema::kSlotContentHash),
            ContentHash(Doc("ny-under-bygget", "Ny under bygget"), analyzer_));
  EXPECT_GT(db.get_termfreq("Sbygget"), 0u);
}

TEST_F(RebuildTest, KeepsDocumentsOfNoFileAndDropsThoseWhoseFileIsNoInputAnyMore) {
  ASSERT_TRUE(Rebuild().ok());
  ASSERT_TRUE(ApplyChanges(link_,
                           {{Change::Kind::kUpsert, Doc("fran-api", "Från API:t"), "", ""},
                            {Change::Kind::kUpsert, Doc("exempel-skolmat", "Skolmat via API:t"),
                             "", ""},
                            {Change::Kind::kUpsert, Doc("fran-fil", "Från en fil"),
                             dir_.Join("fran-fil.json"), ""}},
                           analyzer_, {})
                  .ok());
  auto report = Rebuild();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->carried_over, 2u);
  EXPECT_EQ(report->replayed, 0u);
  Xapian::Database db(link_);
  EXPECT_TRUE(Has(db, "fran-api"));
  EXPECT_EQ(TitleOf(db, "exempel-skolmat"), "Skolmat via API:t");  // written after its file
  EXPECT_FALSE(Has(db, "fran-fil"));  // its file is not an input of this build

  RebuildOptions exact;
  exact.keep_unsourced = false;
  auto only_inputs = Rebuild(exact);
  ASSERT_TRUE(only_inputs.ok());
  EXPECT_EQ(only_inputs->carried_over, 0u);
  EXPECT_FALSE(Has(Xapian::Database(link_), "fran-api"));
}

TEST_F(RebuildTest, AChangeMarkedBeforeTheInputsWereReadIsReplayed) {
  ASSERT_TRUE(Rebuild().ok());
  RebuildOptions options;
  options.replay_after = MarkLiveIndex(link_);
  ASSERT_TRUE(options.replay_after.has_value());
  // Committed after the mark but before RebuildIndex starts (while `indexer build` loads).
  ASSERT_TRUE(ApplyChanges(link_, {{Change::Kind::kUpsert, Doc("sen", "Sen"), "", ""}},
                           analyzer_, {})
                  .ok());
  auto report = Rebuild(options);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->replayed, 1u);
  EXPECT_TRUE(Has(Xapian::Database(link_), "sen"));
}

// A writer commits as fast as it can while the index is rebuilt three times. Without
// carrying over (so that only the replay can save them), every change acknowledged after
// the last rebuild took its mark must be in the final index: committed to the old
// generation and replayed, or committed to the new one after the switch.
TEST_F(RebuildTest, NoChangeRacingWithTheSwitchIsLost) {
  using Clock = std::chrono::steady_clock;
  ASSERT_TRUE(Rebuild().ok());
  std::atomic<bool> stop = false;
  // (id, when its ApplyChanges call started): a call started after a mark commits after it.
  std::vector<std::pair<std::string, Clock::time_point>> acknowledged;
  std::thread writer([&] {
    for (int i = 0, after_stop = 0; after_stop < 5; ++i) {
      after_stop += stop;
      const std::string id = "rasande-" + std::to_string(i);
      const Clock::time_point started = Clock::now();
      auto r = ApplyChanges(link_, {{Change::Kind::kUpsert, Doc(id, "T"), "", ""}}, analyzer_,
                            {5000ms});
      if (r.ok()) acknowledged.emplace_back(id, started);
      std::this_thread::sleep_for(1ms);
    }
  });
  RebuildOptions options;
  options.keep_unsourced = false;
  Clock::time_point last_mark;
  std::size_t replayed = 0;
  for (int n = 0; n < 3; ++n) {
    options.replay_after = MarkLiveIndex(link_);
    last_mark = Clock::now();
    auto report = Rebuild(options);
    ASSERT_TRUE(report.ok()) << report.status().message();
    replayed += report->replayed;
  }
  stop = true;
  writer.join();
  Xapian::Database db(link_);
  std::size_t checked = 0;
  for (const auto& [id, when] : acknowledged) {
    if (when < last_mark) continue;
    ++checked;
    EXPECT_TRUE(Has(db, id)) << id;
  }
  EXPECT_GE(checked, 5u);
  EXPECT_GT(replayed, 0u);  // the race did happen
}

TEST_F(RebuildTest, GivesUpWhenTheOldIndexStaysLockedAndLeavesItLive) {
  auto first = Rebuild();
  ASSERT_TRUE(first.ok());
  Xapian::WritableDatabase holder(first->new_directory, Xapian::DB_OPEN);
  RebuildOptions options;
  options.write.lock_timeout = 200ms;
  auto report = Rebuild(options);
  ASSERT_EQ(report.status().code(), ErrorCode::kUnavailable);
  EXPECT_NE(report.status().message().find("another writer holds the index lock"),
            std::string::npos);
  EXPECT_EQ(Target(), first->new_directory);
  std::size_t generations = 0;
  for (const auto& e : fs::directory_iterator(dir_.path())) {
    generations += e.is_directory() && !e.is_symlink();
  }
  EXPECT_EQ(generations, 1u);  // the new one was removed
}

TEST_F(RebuildTest, ConcurrentRebuildsOfOneIndexAreSerialised) {
  ASSERT_TRUE(Rebuild().ok());
  std::thread other([&] { EXPECT_TRUE(Rebuild().ok()); });
  auto mine = Rebuild();
  other.join();
  ASSERT_TRUE(mine.ok()) << mine.status().message();
  EXPECT_EQ(Xapian::Database(link_).get_doccount(), corpus_.documents.size());
}

}  // namespace
}  // namespace afori::indexer

#include "searchd/database_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "common/schema.h"
#include "tests/test_support.h"

namespace afori::searchd {
namespace {

using afori::testing::TempDir;

TEST(DatabasePoolTest, RefusesAnotherSchemaVersionWithAClearMessage) {
  TempDir dir;
  {
    Xapian::WritableDatabase db(dir.Join("old"), Xapian::DB_CREATE);
    db.set_metadata(std::string(schema::kSchemaVersionKey), "99");
    db.commit();
  }
  Result<Xapian::Database> db = OpenDatabase(dir.Join("old"));
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), ErrorCode::kSchemaMismatch);
  EXPECT_NE(db.status().message().find("schema version 99"), std::string::npos);
  EXPECT_NE(db.status().message().find("indexer build"), std::string::npos);
}

TEST(DatabasePoolTest, MissingIndexIsAnIoErrorNamingThePath) {
  TempDir dir;
  auto pool = DatabasePool::Open(dir.Join("nothing"), 2);
  ASSERT_FALSE(pool.ok());
  EXPECT_EQ(pool.status().code(), ErrorCode::kIoError);
  EXPECT_NE(pool.status().message().find(dir.Join("nothing")), std::string::npos);
}

TEST(DatabasePoolTest, AnIndexThatGoesAwayIsUnavailableUntilItComesBack) {
  TempDir dir;
  const stemming::Analyzer& analyzer = testing::SharedAnalyzer();
  const std::string path = testing::BuildFixtureIndex(dir, analyzer);
  auto pool = DatabasePool::Open(path, 2);
  ASSERT_TRUE(pool.ok());
  auto count = [&] { return (*pool)->With([](Xapian::Database& db) { return db.get_doccount(); }); };
  const Xapian::doccount before = count();
  ASSERT_GT(before, 0u);

  std::filesystem::rename(path, dir.Join("moved"));
  for (int i = 0; i < 3; ++i) {  // every handle, not just the first one lent
    try {
      count();
      ADD_FAILURE() << "a missing index was searched";
    } catch (const IndexUnavailableError& e) {
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("missing"), std::string::npos) << e.what();
    }
  }
  std::filesystem::rename(dir.Join("moved"), path);
  EXPECT_EQ(count(), before);
  EXPECT_EQ(count(), before);

  // Damaged rather than missing: the version file unreadable as such.
  std::filesystem::rename(path + "/iamglass", dir.Join("iamglass"));
  EXPECT_THROW(count(), IndexUnavailableError);
  std::filesystem::rename(dir.Join("iamglass"), path + "/iamglass");
  EXPECT_EQ(count(), before);
}

TEST(DatabasePoolTest, SeesNewCommitsWithoutRestart) {
  TempDir dir;
  const stemming::Analyzer& analyzer = testing::SharedAnalyzer();
  const std::string path = testing::BuildFixtureIndex(dir, analyzer);
  auto pool = DatabasePool::Open(path, 2);
  ASSERT_TRUE(pool.ok());
  const IndexInfo before = (*pool)->With([](Xapian::Database& db) { return DescribeDatabase(db); });
  EXPECT_EQ(before.schema_version, schema::kSchemaVersion);
  {
    Xapian::WritableDatabase w(path);
    w.add_document(Xapian::Document());
    w.commit();
  }
  const IndexInfo after = (*pool)->With([](Xapian::Database& db) { return DescribeDatabase(db); });
  EXPECT_EQ(after.documents, before.documents + 1);
  EXPECT_GT(after.revision, before.revision);
}

TEST(DatabasePoolTest, LendsEachHandleToOneThreadAtATime) {
  TempDir dir;
  const stemming::Analyzer& analyzer = testing::SharedAnalyzer();
  auto pool = DatabasePool::Open(testing::BuildFixtureIndex(dir, analyzer), 2);
  ASSERT_TRUE(pool.ok());
  std::atomic<int> in_use{0}, max_in_use{0}, done{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        (*pool)->With([&](Xapian::Database& db) {
          int now = ++in_use;
          int seen = max_in_use.load();
          while (now > seen && !max_in_use.compare_exchange_weak(seen, now)) {
          }
          volatile auto n = db.get_doccount();
          (void)n;
          --in_use;
          return 0;
        });
        ++done;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(done.load(), 300);
  EXPECT_LE(max_in_use.load(), 2);
}

// A database at `path` with `n` documents, in the current schema.
void WriteIndex(const std::string& path, int n) {
  Xapian::WritableDatabase db(path, Xapian::DB_CREATE);
  for (int i = 0; i < n; ++i) db.add_document(Xapian::Document());
  db.set_metadata(std::string(schema::kSchemaVersionKey), std::to_string(schema::kSchemaVersion));
  db.commit();
}

TEST(DatabasePoolTest, FollowsAnAtomicSymlinkSwitchWithoutRestart) {
  TempDir dir;
  WriteIndex(dir.Join("index.1"), 3);
  WriteIndex(dir.Join("index.2"), 5);
  std::filesystem::create_symlink("index.1", dir.Join("index"));
  auto pool = DatabasePool::Open(dir.Join("index"), 2);
  ASSERT_TRUE(pool.ok());
  auto count = [&] { return (*pool)->With([](Xapian::Database& db) { return db.get_doccount(); }); };
  EXPECT_EQ(count(), 3u);
  // What `indexer build` does: a new symlink renamed over the old one.
  std::filesystem::create_symlink("index.2", dir.Join("index.tmp"));
  std::filesystem::rename(dir.Join("index.tmp"), dir.Join("index"));
  EXPECT_EQ(count(), 5u);
  EXPECT_GE((*pool)->switches(), 1u);
  // The old generation deleted after the switch: nothing breaks.
  std::filesystem::remove_all(dir.Join("index.1"));
  EXPECT_EQ(count(), 5u);
  // A target that cannot be opened (another schema) keeps the working handle serving.
  {
    Xapian::WritableDatabase bad(dir.Join("index.3"), Xapian::DB_CREATE);
    bad.set_metadata(std::string(schema::kSchemaVersionKey), "1");
    bad.commit();
  }
  std::filesystem::create_symlink("index.3", dir.Join("index.tmp"));
  std::filesystem::rename(dir.Join("index.tmp"), dir.Join("index"));
  EXPECT_EQ(count(), 5u);
}

}  // namespace
}  // namespace afori::searchd

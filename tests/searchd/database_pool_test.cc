#include "searchd/database_pool.h"

#include <gtest/gtest.h>

#include <atomic>
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

}  // namespace
}  // namespace afori::searchd

// DatabasePool over shards (searchd/database_pool.h): one view of several databases, versions
// that change with any shard, and a remote shard that cannot be reached.
#include <gtest/gtest.h>

#include <chrono>
#include <set>

#include "common/schema.h"
#include "indexer/indexer.h"
#include "searchd/database_pool.h"
#include "tests/test_support.h"

namespace afori::searchd {
namespace {

using afori::testing::TempDir;

// The fixture corpus in two shards and the stub listing them; returns the stub's directory.
std::string BuildTwoShards(const TempDir& dir) {
  const corpus::LoadReport report = testing::LoadFixtureCorpus();
  dir.Write("idx/XAPIANDB", "auto shard_0\nauto shard_1\n");  // creates idx/ too
  const Status s = indexer::BuildShards({dir.Join("idx/shard_0"), dir.Join("idx/shard_1")},
                                        corpus::InMemoryDocuments(report.documents),
                                        testing::SharedAnalyzer());
  if (!s.ok()) throw std::runtime_error(s.message());
  return dir.Join("idx");
}

IndexView ViewOf(DatabasePool& pool) {
  return pool.With([](Xapian::Database&, const IndexView& view) { return view; });
}

TEST(ShardedPoolTest, OpensAStubAsOneIndexAndVersionsItByEveryShard) {
  TempDir dir;
  const std::string idx = BuildTwoShards(dir);
  auto pool = DatabasePool::Open({idx}, 2, PoolOptions{});
  ASSERT_TRUE(pool.ok()) << pool.status().message();
  const IndexInfo info = (*pool)->With(
      [](Xapian::Database& db, const IndexView& view) { return DescribeIndex(db, view); });
  EXPECT_EQ(info.documents, testing::LoadFixtureCorpus().documents.size());
  EXPECT_EQ(info.shards, 2u);
  EXPECT_EQ(info.revision, 2u);  // one commit in each shard
  EXPECT_EQ(info.schema_version, schema::kSchemaVersion);
  const IndexView before = ViewOf(**pool);
  EXPECT_TRUE(before.missing.empty());
  {
    Xapian::WritableDatabase shard(dir.Join("idx/shard_1"));
    shard.add_document(Xapian::Document());
    shard.commit();
  }
  const IndexView after = ViewOf(**pool);
  EXPECT_NE(after.version, before.version);     // a commit to one shard changes the key
  EXPECT_EQ(after.generation, before.generation);  // ... but not the generation
  EXPECT_EQ(after.revision, before.revision + 1);

  // The same shards given as two paths are the same index.
  auto listed = DatabasePool::Open({dir.Join("idx/shard_0"), dir.Join("idx/shard_1")}, 1, {});
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(ViewOf(**listed).version, after.version);
}

TEST(ShardedPoolTest, AnUnreachableRemoteShardIsMissingNotFatal) {
  TempDir dir;
  BuildTwoShards(dir);
  const int port = testing::FreeLoopbackPort();  // nobody listens there
  dir.Write("mixed", "auto idx/shard_0\nremote 127.0.0.1:" + std::to_string(port) + "\n");
  PoolOptions options;
  options.remote_connect_timeout = std::chrono::milliseconds(500);
  options.retry_interval = std::chrono::milliseconds(1);
  auto pool = DatabasePool::Open({dir.Join("mixed")}, 1, options);
  ASSERT_TRUE(pool.ok()) << pool.status().message();
  const IndexView view = ViewOf(**pool);
  EXPECT_EQ(view.shards, 2u);
  ASSERT_EQ(view.missing.size(), 1u);
  EXPECT_EQ(view.missing[0], "127.0.0.1:" + std::to_string(port));
  EXPECT_EQ(view.remote, 0u);
  const Xapian::doccount local = Xapian::Database(dir.Join("idx/shard_0")).get_doccount();
  EXPECT_EQ((*pool)->With([](Xapian::Database& db) { return db.get_doccount(); }), local);
  // A local shard that cannot be opened is an error, not a missing shard.
  dir.Write("broken", "auto idx/shard_0\nauto nowhere\n");
  auto broken = DatabasePool::Open({dir.Join("broken")}, 1, options);
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.status().message().find("nowhere"), std::string::npos);
}

}  // namespace
}  // namespace afori::searchd

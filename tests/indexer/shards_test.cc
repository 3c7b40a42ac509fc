// Sharded indexes: the layout helpers (common/shards.h), `RebuildIndex` with shards, and
// ApplyChanges routing each change to the shard of its id.
#include "common/shards.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include <nlohmann/json.hpp>

#include "common/schema.h"
#include "indexer/rebuild.h"
#include "indexer/writer.h"
#include "tests/test_support.h"

namespace afori::indexer {
namespace {

namespace fs = std::filesystem;
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

TEST(ShardOfTest, IsStableAndSpreadsIds) {
  // Pinned: changing the hash would send updates to the wrong shard of existing indexes.
  EXPECT_EQ(shards::ShardOf("exempel-alvstrand-elbussar", 4), shards::ShardOf("exempel-alvstrand-elbussar", 4));
  EXPECT_EQ(shards::ShardOf("a", 4), 0xaf63dc4c8601ec8cULL % 4);  // FNV-1a 64 of "a"
  EXPECT_EQ(shards::ShardOf("anything", 1), 0u);
  std::vector<int> counts(4, 0);
  for (int i = 0; i < 4000; ++i) ++counts[shards::ShardOf("doc-" + std::to_string(i), 4)];
  for (int c : counts) EXPECT_NEAR(c, 1000, 100);
}

TEST(ReadShardsTest, ReadsLocalAndRemoteLinesAndRejectsOthers) {
  TempDir dir;
  fs::create_directories(dir.Join("idx/shard_0"));
  dir.Write("idx/XAPIANDB", "# two shards\nauto shard_0\nremote search2.example:7000\n");
  auto layout = shards::ReadShards(dir.Join("idx"));
  ASSERT_TRUE(layout.ok()) << layout.status().message();
  ASSERT_EQ(layout->size(), 2u);
  EXPECT_FALSE((*layout)[0].remote);
  EXPECT_EQ((*layout)[0].path, fs::canonical(dir.Join("idx/shard_0")).string());
  EXPECT_TRUE((*layout)[1].remote);
  EXPECT_EQ((*layout)[1].Name(), "search2.example:7000");
  // A plain directory is one local shard.
  auto plain = shards::ReadShards(dir.Join("idx/shard_0"));
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->size(), 1u);

  for (const std::string bad : {"remote xapian-progsrv /srv/db\n", "inmemory\n",
                                "remote host:99999\n", "\n"}) {
    dir.Write("bad", bad);
    auto r = shards::ReadShards(dir.Join("bad"));
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find(dir.Join("bad")), std::string::npos) << r.status().message();
  }
  EXPECT_FALSE(shards::ReadShards(dir.Join("missing")).ok());
}

class ShardedIndexTest : public ::testing::Test {
 protected:
  Result<RebuildReport> Rebuild(std::size_t shards) {
    RebuildOptions options;
    options.shards = shards;
    return RebuildIndex(link_, corpus::InMemoryDocuments(corpus_.documents), analyzer_, options);
  }
  std::vector<std::string> ShardDirs() const {
    std::vector<std::string> dirs;
    const Result<std::vector<shards::Shard>> layout = shards::ReadShards(link_);
    if (!layout.ok()) return dirs;
    for (const shards::Shard& s : layout.value()) dirs.push_back(s.path);
    return dirs;
  }
  // Every document is in the shard of its id and in no other.
  void ExpectRouted() const {
    const std::vector<std::string> dirs = ShardDirs();
    for (std::size_t i = 0; i < dirs.size(); ++i) {
      Xapian::Database shard(dirs[i]);
      for (auto it = shard.valuestream_begin(schema::kSlotId);
           it != shard.valuestream_end(schema::kSlotId); ++it) {
        EXPECT_EQ(shards::ShardOf(*it, dirs.size()), i) << *it;
      }
    }
  }
  void TearDown() override { EXPECT_EQ(testing::XapianCheck(link_), 0); }

  TempDir dir_;
  const std::string link_ = dir_.Join("db");
  const corpus::LoadReport corpus_ = testing::LoadFixtureCorpus();
  const stemming::Analyzer& analyzer_ = testing::SharedAnalyzer();
};

TEST_F(ShardedIndexTest, BuildWritesShardsAndAStubThatOpensAsOneDatabase) {
  auto report = Rebuild(3);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->shards, 3u);
  const fs::path generation = fs::canonical(link_);
  EXPECT_TRUE(fs::is_regular_file(generation / "XAPIANDB"));
  ASSERT_EQ(ShardDirs().size(), 3u);
  Xapian::Database db(link_);  // Xapian itself reads the stub
  EXPECT_EQ(db.get_doccount(), corpus_.documents.size());
  std::size_t total = 0;
  for (const std::string& d : ShardDirs()) {
    Xapian::Database shard(d);
    EXPECT_GT(shard.get_doccount(), 0u);
    EXPECT_EQ(shard.get_metadata(std::string(schema::kSchemaVersionKey)),
              std::to_string(schema::kSchemaVersion));
    total += shard.get_doccount();
  }
  EXPECT_EQ(total, corpus_.documents.size());
  ExpectRouted();
}

TEST_F(ShardedIndexTest, UpdatesAndDeletesGoToTheShardOfTheId) {
  ASSERT_TRUE(Rebuild(3).ok());
  auto applied = ApplyChanges(link_,
                              {{Change::Kind::kUpsert, Doc("ny-guide-1", "Ny guide"), "", ""},
                               {Change::Kind::kUpsert, Doc("ny-guide-2", "Ny guide två"), "", ""},
                               {Change::Kind::kUpsert, Doc("ny-guide-3", "Ny guide tre"), "", ""},
                               {Change::Kind::kDelete, {}, "", corpus_.documents[0].document.id}},
                              analyzer_, {});
  ASSERT_TRUE(applied.ok()) << applied.status().message();
  EXPECT_EQ(applied->added, 3u);
  EXPECT_EQ(applied->deleted, 1u);
  std::uint64_t sum = 0;
  for (const std::string& d : ShardDirs()) sum += Xapian::Database(d).get_revision();
  EXPECT_EQ(applied->revision, sum);
  Xapian::Database db(link_);
  EXPECT_EQ(db.get_doccount(), corpus_.documents.size() + 2);
  EXPECT_FALSE(Has(db, corpus_.documents[0].document.id));
  for (const std::string id : {"ny-guide-1", "ny-guide-2", "ny-guide-3"}) {
    EXPECT_TRUE(Has(Xapian::Database(ShardDirs()[shards::ShardOf(id, 3)]), id)) << id;
  }
  ExpectRouted();
  // The same upsert again changes nothing and commits nothing.
  auto again = ApplyChanges(link_, {{Change::Kind::kUpsert, Doc("ny-guide-1", "Ny guide"), "", ""}},
                            analyzer_, {});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->unchanged, 1u);
  EXPECT_EQ(again->revision, sum);
}

TEST_F(ShardedIndexTest, RebuildKeepsTheShardCountReshardsOnRequestAndReplays) {
  ASSERT_TRUE(Rebuild(2).ok());
  ASSERT_TRUE(ApplyChanges(link_, {{Change::Kind::kUpsert, Doc("fran-api", "Från API:t"), "", ""}},
                           analyzer_, {})
                  .ok());
  auto kept = Rebuild(0);  // 0: as many shards as the live index
  ASSERT_TRUE(kept.ok()) << kept.status().message();
  EXPECT_EQ(kept->shards, 2u);
  EXPECT_EQ(kept->carried_over, 1u);  // the admin API's document survives the rebuild
  EXPECT_TRUE(Has(Xapian::Database(link_), "fran-api"));

  RebuildOptions options;
  options.shards = 4;
  options.before_switch = [&] {
    auto applied = ApplyChanges(link_,
                                {{Change::Kind::kUpsert, Doc("under-bygget", "Under bygget"), "", ""},
                                 {Change::Kind::kDelete, {}, "", corpus_.documents[1].document.id}},
                                analyzer_, {});
    ASSERT_TRUE(applied.ok()) << applied.status().message();
  };
  auto resharded = RebuildIndex(link_, corpus::InMemoryDocuments(corpus_.documents), analyzer_, options);
  ASSERT_TRUE(resharded.ok()) << resharded.status().message();
  EXPECT_EQ(resharded->shards, 4u);
  EXPECT_EQ(resharded->replayed, 1u);
  EXPECT_EQ(resharded->replayed_deletions, 1u);
  ASSERT_EQ(ShardDirs().size(), 4u);
  Xapian::Database db(link_);
  EXPECT_TRUE(Has(db, "under-bygget"));
  EXPECT_TRUE(Has(db, "fran-api"));
  EXPECT_FALSE(Has(db, corpus_.documents[1].document.id));
  EXPECT_EQ(db.get_doccount(), corpus_.documents.size() + 1);
  ExpectRouted();

  auto plain = Rebuild(1);  // back to one plain database
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(fs::exists(fs::canonical(link_) / "XAPIANDB"));
  // The deletion was committed before this rebuild and its file is still an input: back it
  // comes, as in an unsharded rebuild; the two documents of no file are carried over.
  EXPECT_EQ(Xapian::Database(link_).get_doccount(), corpus_.documents.size() + 2);
}

TEST_F(ShardedIndexTest, WritesToARemoteShardAreRefusedClearly) {
  ASSERT_TRUE(Rebuild(2).ok());
  const fs::path generation = fs::canonical(link_);
  testing::TempDir other;
  const std::string stub = other.Write("XAPIANDB", "auto " + (generation / "shard_0").string() +
                                                       "\nremote 127.0.0.1:1\n");
  auto applied = ApplyChanges(other.path(), {{Change::Kind::kUpsert, Doc("x-1", "X"), "", ""}},
                              analyzer_, {});
  ASSERT_FALSE(applied.ok());
  EXPECT_NE(applied.status().message().find("remote shard 127.0.0.1:1"), std::string::npos)
      << applied.status().message();
  (void)stub;
}

}  // namespace
}  // namespace afori::indexer

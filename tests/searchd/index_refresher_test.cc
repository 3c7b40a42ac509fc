// The refresher must serve what it built before while it rebuilds for a new index version,
// never hand out facet columns of another revision, and follow new revisions and new index
// generations by itself.
#include "searchd/index_refresher.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>

#include <nlohmann/json.hpp>

#include "common/schema.h"
#include "tests/test_support.h"

namespace afori::searchd {
namespace {

using afori::testing::TempDir;

// One document: its title (for the suggestions) and one indexed word (for the vocabulary).
void Add(Xapian::WritableDatabase& db, const std::string& id, const std::string& title,
         const std::string& word) {
  Xapian::Document doc;
  doc.set_data(nlohmann::json({{"id", id}, {"title", title}}).dump());
  doc.add_term(word);
  db.add_document(doc);
  db.set_metadata(std::string(schema::kSchemaVersionKey), std::to_string(schema::kSchemaVersion));
  db.commit();
}

std::unique_ptr<DatabasePool> Pool(const std::string& path) {
  auto pool = DatabasePool::Open(path, 2);
  EXPECT_TRUE(pool.ok()) << pool.status().message();
  return std::move(*pool);
}

// What a request would get now, with the view it holds.
std::pair<DerivedState, IndexView> Ask(DatabasePool& pool, IndexRefresher& refresher) {
  return pool.With([&](Xapian::Database& db, const IndexView& view) {
    return std::make_pair(refresher.For(db, view), view);
  });
}

// Asks until `done` holds, for at most ten seconds (the builds here take milliseconds).
bool Eventually(DatabasePool& pool, IndexRefresher& refresher,
                const std::function<bool(const DerivedState&, const IndexView&)>& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    auto [state, view] = Ask(pool, refresher);
    if (done(state, view)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

// One index at dir/db holding one document, its pool and a refresher over it.
class IndexRefresherTest : public ::testing::Test {
 protected:
  IndexRefresherTest()
      : writer_(Created(dir_.Join("db"))), pool_(Pool(dir_.Join("db"))), refresher_(*pool_) {}
  static Xapian::WritableDatabase Created(const std::string& path) {
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE);
    Add(db, "a", "Elbussar i Umeå", "elbussar");
    return db;
  }
  std::pair<DerivedState, IndexView> Ask() { return searchd::Ask(*pool_, refresher_); }
  bool Eventually(const std::function<bool(const DerivedState&, const IndexView&)>& done) {
    return searchd::Eventually(*pool_, refresher_, done);
  }

  TempDir dir_;
  Xapian::WritableDatabase writer_;
  std::unique_ptr<DatabasePool> pool_;
  IndexRefresher refresher_;
};

TEST_F(IndexRefresherTest, TheFirstRequestBuildsEverythingOfItsVersion) {
  auto [state, view] = Ask();
  ASSERT_NE(state.vocabulary, nullptr);
  ASSERT_NE(state.suggestions, nullptr);
  EXPECT_EQ(state.vocabulary->Frequency("elbussar"), 1u);
  EXPECT_FALSE(state.suggestions->Complete("elb", 8).empty());
  EXPECT_EQ(state.version, view.version);
  ASSERT_NE(state.facet_columns, nullptr);
  EXPECT_EQ(state.facet_columns->last_docid(), 1u);
  EXPECT_EQ(refresher_.stats().builds, 1u);
  EXPECT_FALSE(refresher_.stats().stale);

  // The same version again: the same objects, nothing rebuilt.
  auto [again, unused] = Ask();
  EXPECT_EQ(again.vocabulary, state.vocabulary);
  EXPECT_EQ(again.facet_columns, state.facet_columns);
  EXPECT_EQ(refresher_.stats().builds, 1u);
}

TEST_F(IndexRefresherTest, ANewRevisionIsServedFromThePreviousStateUntilRebuiltOffTheRequest) {
  const DerivedState first = Ask().first;
  ASSERT_NE(first.vocabulary, nullptr);

  // The thread builds only when a request wakes it, and For() takes its answer before it
  // wakes the thread: the first request after the commit gets what was built before.
  Add(writer_, "b", "Cykelbanor i staden", "cykelbanor");
  auto [stale, view] = Ask();
  EXPECT_NE(stale.version, view.version);
  EXPECT_EQ(stale.vocabulary, first.vocabulary);  // not rebuilt on the request's thread
  EXPECT_EQ(stale.vocabulary->Frequency("cykelbanor"), 0u);
  EXPECT_TRUE(stale.suggestions->Complete("cyk", 8).empty());
  EXPECT_EQ(stale.facet_columns, nullptr);  // columns only for exactly the version asked about

  EXPECT_TRUE(Eventually([](const DerivedState& s, const IndexView& v) {
    return s.version == v.version && s.vocabulary->Frequency("cykelbanor") == 1 &&
           s.facet_columns != nullptr;
  }));
  const DerivedState fresh = Ask().first;
  EXPECT_NE(fresh.vocabulary, first.vocabulary);
  EXPECT_FALSE(fresh.suggestions->Complete("cyk", 8).empty());
  EXPECT_EQ(fresh.facet_columns->last_docid(), 2u);
  EXPECT_GE(refresher_.stats().builds, 2u);
  EXPECT_EQ(refresher_.stats().failures, 0u);
}

TEST_F(IndexRefresherTest, AnOlderHandleNeverGetsTheColumnsOfANewerRevision) {
  Xapian::Database old_handle(dir_.Join("db"));
  Add(writer_, "b", "Cykelbanor i staden", "cykelbanor");
  auto [state, view] = Ask();
  ASSERT_NE(state.facet_columns, nullptr);
  EXPECT_EQ(state.facet_columns->last_docid(), 2u);

  IndexView old_view;
  old_view.version = old_handle.get_uuid() + ":" + std::to_string(old_handle.get_revision());
  old_view.revision = old_handle.get_revision();
  ASSERT_NE(old_view.version, view.version);
  const DerivedState old_state = refresher_.For(old_handle, old_view);
  EXPECT_EQ(old_state.facet_columns, nullptr);
  EXPECT_NE(old_state.vocabulary, nullptr);  // words may be newer: only a correction differs
}

TEST(IndexRefresherLayoutTest, FollowsARebuiltGenerationWithALowerRevision) {
  TempDir dir;
  {
    Xapian::WritableDatabase old_db(dir.Join("old"), Xapian::DB_CREATE);
    Add(old_db, "a", "Elbussar i Umeå", "elbussar");
    Add(old_db, "b", "Laddstolpar", "laddstolpar");
    Add(old_db, "c", "Cykelbanor", "cykelbanor");  // revision 3
    Xapian::WritableDatabase new_db(dir.Join("new"), Xapian::DB_CREATE);
    Add(new_db, "d", "Vätgasbussar", "vätgasbussar");  // a rebuild: revision 1
  }
  std::filesystem::create_symlink("old", dir.Join("live"));
  auto pool = Pool(dir.Join("live"));
  IndexRefresher refresher(*pool);
  ASSERT_EQ(Ask(*pool, refresher).first.vocabulary->Frequency("cykelbanor"), 1u);

  // The atomic switch `indexer build` does.
  std::filesystem::create_symlink("new", dir.Join("live.next"));
  std::filesystem::rename(dir.Join("live.next"), dir.Join("live"));
  EXPECT_TRUE(Eventually(*pool, refresher, [](const DerivedState& s, const IndexView&) {
    return s.vocabulary->Frequency("vätgasbussar") == 1;
  }));
  const DerivedState rebuilt = Ask(*pool, refresher).first;
  EXPECT_EQ(rebuilt.vocabulary->Frequency("cykelbanor"), 0u);
  ASSERT_NE(rebuilt.facet_columns, nullptr);
  EXPECT_EQ(rebuilt.facet_columns->last_docid(), 1u);
}

TEST(IndexRefresherLayoutTest, ShardsGetVocabularyAndSuggestionsButNoColumns) {
  TempDir dir;
  {
    Xapian::WritableDatabase a(dir.Join("a"), Xapian::DB_CREATE);
    Add(a, "a", "Elbussar i Umeå", "elbussar");
    Xapian::WritableDatabase b(dir.Join("b"), Xapian::DB_CREATE);
    Add(b, "b", "Cykelbanor i staden", "cykelbanor");
  }
  auto pool = DatabasePool::Open({dir.Join("a"), dir.Join("b")}, 2, PoolOptions{});
  ASSERT_TRUE(pool.ok()) << pool.status().message();
  IndexRefresher refresher(**pool);
  auto [state, view] = Ask(**pool, refresher);
  EXPECT_EQ(state.vocabulary->Frequency("elbussar"), 1u);
  EXPECT_EQ(state.vocabulary->Frequency("cykelbanor"), 1u);
  EXPECT_EQ(state.facet_columns, nullptr);  // shard docids do not fit one column
  EXPECT_EQ(state.version, view.version);
  EXPECT_FALSE(refresher.stats().stale);
}

TEST_F(IndexRefresherTest, RefreshNowBuildsOnTheCallersThread) {
  EXPECT_EQ(refresher_.stats().builds, 0u);  // nothing until asked
  EXPECT_TRUE(refresher_.RefreshNow());
  EXPECT_EQ(refresher_.stats().builds, 1u);
  Add(writer_, "b", "Cykelbanor i staden", "cykelbanor");
  EXPECT_TRUE(refresher_.RefreshNow());
  const DerivedState state = Ask().first;
  EXPECT_EQ(state.vocabulary->Frequency("cykelbanor"), 1u);
  EXPECT_GE(refresher_.stats().last_build_seconds, 0.0);
}

// A server shutting down cancels the build (searchd's start-up build takes a minute at
// 1,000,000 documents, and SIGTERM must not wait for it); requests still in flight are
// answered from what was built.
TEST_F(IndexRefresherTest, AfterCancelNothingMoreIsBuiltButRequestsAreStillAnswered) {
  refresher_.Cancel();
  EXPECT_FALSE(refresher_.RefreshNow());
  EXPECT_EQ(refresher_.stats().builds, 0u);
  EXPECT_EQ(refresher_.stats().failures, 0u);  // a cancelled build is not a failure

  // Nothing built: the request builds on its own thread, as without a refresher thread.
  auto [state, view] = Ask();
  ASSERT_NE(state.vocabulary, nullptr);
  EXPECT_EQ(state.version, view.version);
  EXPECT_EQ(refresher_.stats().builds, 1u);

  Add(writer_, "b", "Cykelbanor i staden", "cykelbanor");
  EXPECT_FALSE(refresher_.RefreshNow());
  auto [stale, newer] = Ask();
  EXPECT_EQ(stale.vocabulary, state.vocabulary);  // served, though older than the index
  EXPECT_NE(stale.version, newer.version);
  EXPECT_EQ(refresher_.stats().builds, 1u);
}

}  // namespace
}  // namespace afori::searchd

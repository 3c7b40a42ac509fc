// `indexer build`, `update` and `delete` as an operator runs them, through the real binary:
// what they print, their exit status, the index they leave, and what survives a SIGKILL.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include "common/schema.h"
#include "tests/test_support.h"

namespace afori {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;
using testing::TempDir;

const std::string kIndexer = AFORI_INDEXER_BIN;

using testing::CommandRun;
using testing::Shell;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

struct IndexState {
  Xapian::doccount documents = 0;
  Xapian::rev revision = 0;
  std::string directory;
};

IndexState StateOf(const std::string& db) {
  Xapian::Database open(db);
  return {open.get_doccount(), open.get_revision(), fs::canonical(db).string()};
}

bool Has(const std::string& db, const std::string& id) {
  Xapian::Database open(db);
  const std::string term = std::string(schema::kPrefixId) + id;
  return open.postlist_begin(term) != open.postlist_end(term);
}

// Total size of a database's tables: grows as soon as a writer flushes, committed or not.
std::uintmax_t TableBytes(const fs::path& dir) {
  std::uintmax_t bytes = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".glass") bytes += e.file_size(ec);
  }
  return bytes;
}

// A JSONL file of `count` valid documents with long bodies, so that indexing it takes seconds.
std::string WriteBigInput(const TempDir& dir, int count) {
  static const char* const kWords[] = {
      "upphandling", "kommunen", "leverantören", "innovation", "elbussar", "dialog",
      "behovsanalys", "avtalet", "krav", "funktionskrav", "marknaden", "pilot",
      "skolmåltider", "energi", "omsorg", "hemtjänst", "sensorer", "vatten", "avlopp", "bidrag"};
  const std::string path = dir.Join("big.jsonl");
  std::ofstream out(path);
  for (int i = 0; i < count; ++i) {
    std::string body;
    for (int w = 0; w < 300; ++w) {
      body += std::string(kWords[(i * 7 + w * 13) % 20]) + std::to_string((i + w) % 997) + " ";
    }
    out << json{{"id", "stor-" + std::to_string(i)}, {"type", "case"},
                {"title", "Stort dokument " + std::to_string(i)}, {"body", body}}
               .dump()
        << "\n";
  }
  return path;
}

// Starts `indexer args...` with XAPIAN_FLUSH_THRESHOLD=100 (so it writes blocks to disk long
// before its one commit), waits until the tables in `watch()` have grown, and SIGKILLs it.
// Returns false if it finished before that.
template <typename Watch>
bool KillWhileWriting(const std::vector<std::string>& args, Watch watch, std::string* why) {
  const pid_t pid = fork();
  if (pid == 0) {
    setenv("XAPIAN_FLUSH_THRESHOLD", "100", 1);
    std::freopen("/dev/null", "w", stdout);
    std::vector<char*> argv;
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  bool writing = false;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid, &status, WNOHANG) == pid) {
      *why = "indexer finished (status " + std::to_string(status) + ") before it could be killed";
      return false;
    }
    if (watch()) {
      writing = true;
      break;
    }
    std::this_thread::sleep_for(5ms);
  }
  std::this_thread::sleep_for(100ms);  // a few more flushes
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  if (!writing) *why = "indexer never started writing";
  if (!WIFSIGNALED(status)) *why = "indexer was not killed (status " + std::to_string(status) + ")";
  return writing && WIFSIGNALED(status);
}

class IndexerUpdateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::copy(testing::FixtureCorpusDir(), corpus_, fs::copy_options::recursive);
    fs::remove(corpus_ + "/funding.jsonl");  // inputs: the directory and the JSONL file
    fs::copy(testing::FixtureCorpusDir() + "/funding.jsonl", jsonl_);
  }
  CommandRun Indexer(const std::string& args) { return Shell(kIndexer + " " + args); }
  std::string Inputs() const { return "--input " + corpus_ + " " + jsonl_ + " --db " + db_; }
  void Build() {
    const CommandRun build = Indexer("build " + Inputs());
    ASSERT_EQ(build.status, 0) << build.out;
  }

  TempDir dir_;
  const std::string corpus_ = dir_.Join("corpus");
  const std::string jsonl_ = dir_.Join("funding.jsonl");
  const std::string db_ = dir_.Join("db");
};

TEST_F(IndexerUpdateTest, BuildPrintsItsRateAndGenerationAndTwoUpdatesChangeNothing) {
  const CommandRun build = Indexer("build " + Inputs());
  ASSERT_EQ(build.status, 0) << build.out;
  EXPECT_TRUE(Contains(build.out, "indexed 11 documents, rejected 0")) << build.out;
  EXPECT_TRUE(Contains(build.out, "\ndocs_per_s=")) << build.out;
  EXPECT_TRUE(Contains(build.out, "generation " + db_ + ".")) << build.out;
  EXPECT_TRUE(fs::is_symlink(db_));

  for (int i = 0; i < 2; ++i) {
    const CommandRun update = Indexer("update " + Inputs());
    ASSERT_EQ(update.status, 0) << update.out;
    EXPECT_TRUE(Contains(update.out, "added 0, replaced 0, deleted 0, unchanged 11, revision 1\n"))
        << update.out;
    EXPECT_TRUE(Contains(update.out, "\nadded:\nreplaced:\ndeleted:\n")) << update.out;
  }
  EXPECT_EQ(StateOf(db_).revision, 1u);
}

TEST_F(IndexerUpdateTest, ChangedFilesAreReplacedGoneFilesPrunedAndDeleteDeletes) {
  Build();
  const std::string skolmat = corpus_ + "/cases/exempel-skolmat.json";
  json doc = json::parse(std::ifstream(skolmat));
  doc["title"] = "Skolmåltider, ny version";
  std::ofstream(skolmat) << doc.dump(2);
  fs::remove(corpus_ + "/guides/vagledning-fku.json");

  const CommandRun update = Indexer("update " + Inputs());
  ASSERT_EQ(update.status, 0) << update.out;
  EXPECT_TRUE(Contains(update.out, "added 0, replaced 1, deleted 0, unchanged 9, revision 2\n"))
      << update.out;
  EXPECT_TRUE(Contains(update.out, "\nreplaced: exempel-skolmat\n")) << update.out;
  EXPECT_TRUE(Has(db_, "vagledning-fku"));  // without --prune a gone file is kept

  const CommandRun prune = Indexer("update --prune " + Inputs());
  ASSERT_EQ(prune.status, 0) << prune.out;
  EXPECT_TRUE(Contains(prune.out, "added 0, replaced 0, deleted 1, unchanged 10, revision 3\n"))
      << prune.out;
  EXPECT_TRUE(Contains(prune.out, "\ndeleted: vagledning-fku\n")) << prune.out;
  EXPECT_FALSE(Has(db_, "vagledning-fku"));

  const CommandRun del = Indexer("delete --db " + db_ + " exempel-elbussar inget-sadant-id");
  EXPECT_EQ(del.status, 0) << del.out;
  EXPECT_TRUE(Contains(del.out, "deleted 1, not found 1, revision 4\n")) << del.out;
  EXPECT_TRUE(Contains(del.out, "\ndeleted: exempel-elbussar\nnot found: inget-sadant-id\n"))
      << del.out;
  EXPECT_FALSE(Has(db_, "exempel-elbussar"));
  EXPECT_EQ(StateOf(db_).documents, 9u);
}

TEST_F(IndexerUpdateTest, RejectedFilesAreReportedKeptByPruneAndExitOne) {
  Build();
  std::ofstream(corpus_ + "/guides/vagledning-fku.json") << "{ not json";
  const CommandRun update = Indexer("update --prune " + Inputs());
  EXPECT_EQ(update.status, 1) << update.out;
  EXPECT_TRUE(Contains(update.out, corpus_ + "/guides/vagledning-fku.json:1: ")) << update.out;
  EXPECT_TRUE(Contains(update.out, "deleted 0, unchanged 10")) << update.out;
  EXPECT_TRUE(Has(db_, "vagledning-fku"));  // the last good version stays
}

TEST_F(IndexerUpdateTest, AWriterThatCannotGetTheLockExitsWithFourAndChangesNothing) {
  Build();
  std::ofstream(corpus_ + "/guides/ny.json")
      << R"({"id": "ny", "type": "guide", "title": "Ny", "body": "Text."})";
  const IndexState before = StateOf(db_);
  {
    Xapian::WritableDatabase holder(before.directory, Xapian::DB_OPEN);
    const CommandRun update = Indexer("update --lock-timeout-ms 200 " + Inputs());
    EXPECT_EQ(update.status, 4) << update.out;
    EXPECT_TRUE(Contains(update.out, "another writer holds the index lock at " + db_ +
                                         "; gave up after 200 ms"))
        << update.out;
    const CommandRun del = Indexer("delete --lock-timeout-ms 100 --db " + db_ + " vagledning-fku");
    EXPECT_EQ(del.status, 4) << del.out;
  }
  EXPECT_EQ(StateOf(db_).revision, before.revision);
  EXPECT_FALSE(Has(db_, "ny"));
  EXPECT_EQ(Indexer("update " + Inputs()).status, 0);  // the lock is free again
  EXPECT_TRUE(Has(db_, "ny"));
}

TEST_F(IndexerUpdateTest, UsageErrors) {
  EXPECT_EQ(Indexer("update --db " + db_).status, 2);
  EXPECT_EQ(Indexer("delete --db " + db_).status, 2);
  EXPECT_EQ(Indexer("delete --db " + db_ + " 'Inte Ett Id'").status, 2);
  EXPECT_EQ(Indexer("build --prune " + Inputs()).status, 2);
  EXPECT_EQ(Indexer("update --lock-timeout-ms soon " + Inputs()).status, 2);
  const CommandRun missing = Indexer("update " + Inputs());
  EXPECT_EQ(missing.status, 3) << missing.out;
  EXPECT_TRUE(Contains(missing.out, "no index at " + db_)) << missing.out;
}

// xapian-check (Debian package xapian-tools) verifies every table of the database.
void ExpectIntact(const std::string& db, const IndexState& before) {
  const CommandRun check = Shell("xapian-check " + db);
  EXPECT_EQ(check.status, 0) << "xapian-check " << db << " (scripts/install-deps.sh installs "
                             << "xapian-tools):\n" << check.out;
  const IndexState after = StateOf(db);
  EXPECT_EQ(after.documents, before.documents);
  EXPECT_EQ(after.revision, before.revision);
  EXPECT_EQ(after.directory, before.directory);
}

TEST_F(IndexerUpdateTest, KillingAnUpdateMidWriteLeavesTheLastCommit) {
  Build();
  ASSERT_EQ(Indexer("delete --db " + db_ + " vagledning-fku").status, 0);  // revision 2
  const IndexState before = StateOf(db_);
  const std::string big = WriteBigInput(dir_, 4000);
  const std::uintmax_t bytes = TableBytes(before.directory);
  std::string why;
  ASSERT_TRUE(KillWhileWriting({kIndexer, "update", "--input", big, "--db", db_},
                               [&] { return TableBytes(before.directory) > bytes; }, &why))
      << why;
  EXPECT_GT(TableBytes(before.directory), bytes);  // uncommitted blocks were on disk
  ExpectIntact(db_, before);
  // And the index takes the next writer as if nothing had happened.
  const CommandRun update = Indexer("update " + Inputs());
  EXPECT_EQ(update.status, 0) << update.out;
  EXPECT_TRUE(Contains(update.out, "added 1, replaced 0, deleted 0, unchanged 10, revision 3"))
      << update.out;
}

TEST_F(IndexerUpdateTest, KillingABuildMidWriteLeavesTheLiveIndexAndALaterBuildCleansUp) {
  Build();
  const IndexState before = StateOf(db_);
  const std::string big = WriteBigInput(dir_, 4000);
  auto new_generation = [&]() -> std::string {
    for (const auto& e : fs::directory_iterator(dir_.path())) {
      const std::string p = e.path().string();
      if (p.starts_with(db_ + ".2") && e.is_directory() && !e.is_symlink() &&
          fs::canonical(p) != before.directory) {
        return p;
      }
    }
    return "";
  };
  std::string why;
  ASSERT_TRUE(KillWhileWriting({kIndexer, "build", "--input", big, "--db", db_}, [&] {
    const std::string g = new_generation();
    return !g.empty() && TableBytes(g) > 0;
  }, &why)) << why;
  const std::string killed = new_generation();
  ASSERT_FALSE(killed.empty());
  ExpectIntact(db_, before);

  Build();  // keeps the new generation and `before`, which it replaced; removes the killed one
  EXPECT_FALSE(fs::exists(killed));
  EXPECT_EQ(StateOf(db_).documents, 11u);
}

}  // namespace
}  // namespace afori

// Faults while indexing, through the real indexer binary: SIGKILL at random moments of
// builds and updates (50 trials), and a full disk (RLIMIT_FSIZE). After each, the live index
// opens, passes xapian-check and holds every change that was acknowledged (exit status 0).
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "tests/test_support.h"

namespace afori {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

// The indexer run as a child; killed with SIGKILL after `kill_after` unless it ended first.
// Returns its exit status, or -SIGKILL when it was killed. Output goes to `log` (or nowhere).
int RunIndexer(const std::vector<std::string>& args, std::chrono::microseconds kill_after,
               const rlimit* file_size_limit = nullptr, const std::string& log = "/dev/null") {
  const pid_t pid = fork();
  if (pid == 0) {
    if (file_size_limit) setrlimit(RLIMIT_FSIZE, file_size_limit);
    const int out = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(out, STDOUT_FILENO);
    dup2(out, STDERR_FILENO);
    std::vector<std::string> all = {AFORI_INDEXER_BIN};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  const auto deadline = Clock::now() + kill_after;
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (Clock::now() >= deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

class FaultsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const auto& loaded : corpus::LoadDocuments(testing::FixtureInputs()).documents) {
      docs_[loaded.document.id] = nlohmann::json::parse(loaded.document.source_json);
    }
    ASSERT_EQ(RunIndexer({"build", "--input", WriteAll("initial.jsonl"), "--db", db()},
                         std::chrono::minutes(2)),
              0);
    for (const auto& [id, doc] : docs_) allowed_[id] = {doc["title"].get<std::string>()};
  }

  std::string db() const { return dir_.Join("index"); }

  std::string WriteAll(const std::string& name) const {
    std::string lines;
    for (const auto& [id, doc] : docs_) lines += doc.dump() + "\n";
    return dir_.Write(name, lines);
  }

  // The index as a reader sees it: opens, passes xapian-check, has every document, and each
  // title is the acknowledged one or one of a killed write's since.
  void ExpectIntact(const std::string& when) {
    ASSERT_EQ(testing::XapianCheck(db()), 0) << when;
    Xapian::Database index(db());
    EXPECT_EQ(index.get_doccount(), docs_.size()) << when;
    for (const auto& [id, titles] : allowed_) {
      Xapian::PostingIterator p = index.postlist_begin("Q" + id);
      ASSERT_NE(p, index.postlist_end("Q" + id)) << when << ": " << id << " is gone";
      const std::string title = json::parse(index.get_document(*p).get_data())["title"];
      EXPECT_TRUE(titles.count(title)) << when << ": " << id << " has \"" << title << "\"";
    }
  }

  testing::TempDir dir_;
  std::map<std::string, json> docs_;                   // the latest version of each document
  std::map<std::string, std::set<std::string>> allowed_;  // titles a reader may see
};

TEST_F(FaultsTest, SigkillAtRandomMomentsNeverLosesAnAcknowledgedChange) {
  // How long each kind of run takes here, so that kill times spread over all of it and a
  // little past its end (the runs that end in time are the acknowledged ones).
  auto timed = [&](std::vector<std::string> args) {
    const auto started = Clock::now();
    EXPECT_EQ(RunIndexer(args, std::chrono::minutes(2)), 0);
    return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started).count();
  };
  docs_.begin()->second["title"] = "Titel före försöken";
  allowed_[docs_.begin()->first] = {"Titel före försöken"};
  const long update_run = timed({"update", "--input", WriteAll("changed.jsonl"), "--db", db()});
  const long build_run = timed({"build", "--input", WriteAll("rebuilt.jsonl"), "--db", db()});
  std::mt19937 random(20261201);
  std::uniform_int_distribution<long> update_delay(0, update_run * 3 / 2);
  std::uniform_int_distribution<long> build_delay(0, build_run * 3 / 2);
  std::vector<std::string> ids;
  for (const auto& [id, doc] : docs_) ids.push_back(id);
  int killed = 0, completed = 0;
  constexpr int kTrials = 50;
  for (int trial = 0; trial < kTrials; ++trial) {
    const std::string& id = ids[random() % ids.size()];
    const std::string title = "Titel efter försök " + std::to_string(trial);
    docs_[id]["title"] = title;
    const bool build = trial % 2 == 1;
    std::vector<std::string> args;
    if (build) {
      args = {"build", "--input", WriteAll("all-" + std::to_string(trial) + ".jsonl"), "--db", db()};
    } else {
      const std::string one =
          dir_.Write("one-" + std::to_string(trial) + ".jsonl", docs_[id].dump() + "\n");
      args = {"update", "--input", one, "--db", db(), "--lock-timeout-ms", "5000"};
    }
    // Every third run is left to finish, so that acknowledged changes keep arriving on a
    // noisy machine too; the others are killed at a random moment of a typical run (or
    // just after, when they may have finished).
    const long delay = trial % 3 == 2 ? 120'000'000
                                      : build ? build_delay(random) : update_delay(random);
    const int status = RunIndexer(args, std::chrono::microseconds(delay));
    if (status == 0) {
      ++completed;
      allowed_[id] = {title};  // acknowledged: nothing else may be seen from now on
    } else {
      ASSERT_EQ(status, -SIGKILL) << "trial " << trial << " failed on its own";
      ++killed;
      allowed_[id].insert(title);  // may or may not have been committed
    }
    ExpectIntact("after trial " + std::to_string(trial) + (build ? " (build)" : " (update)"));
    if (HasFatalFailure()) return;
  }
  // Both outcomes must have happened, or the trials tested nothing.
  EXPECT_GT(killed, 10);
  EXPECT_GE(completed, kTrials / 3);
  RecordProperty("killed", killed);
  RecordProperty("completed", completed);
  // Whatever the kills left behind, the next writer works and cleans up old generations.
  ASSERT_EQ(RunIndexer({"build", "--input", WriteAll("final.jsonl"), "--db", db()},
                       std::chrono::minutes(2)),
            0);
  for (auto& [id, titles] : allowed_) titles = {docs_[id]["title"].get<std::string>()};
  ExpectIntact("after the final build");
  int generations = 0;
  for (const auto& e : fs::directory_iterator(dir_.path())) {
    generations += e.is_directory() && !e.is_symlink() &&
                   e.path().filename().string().starts_with("index.");
  }
  EXPECT_LE(generations, 2);  // the live one and the one it replaced
}

TEST_F(FaultsTest, AFullDiskFailsClearlyAndKeepsTheLastCommit) {
  const std::string before = fs::canonical(db());
  const Xapian::rev revision = Xapian::Database(db()).get_revision();
  // A big update that cannot fit in files of at most 64 KiB.
  std::string lines;
  for (int i = 0; i < 400; ++i) {
    json doc = docs_.begin()->second;
    doc["id"] = "stor-" + std::to_string(i);
    doc["body"] = std::string(doc["body"]) + std::string(2000, ' ') + "extra text " + std::to_string(i);
    lines += doc.dump() + "\n";
  }
  const std::string big = dir_.Write("big.jsonl", lines);
  const rlimit limit{64 * 1024, 64 * 1024};
  const std::string log = dir_.Join("update.log");
  EXPECT_EQ(RunIndexer({"update", "--input", big, "--db", db()}, std::chrono::minutes(2), &limit, log), 3);
  std::ifstream in(log);
  const std::string out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(out.find("File too large"), std::string::npos) << out;
  EXPECT_NE(out.find(db()), std::string::npos) << "names the index: " << out;
  ExpectIntact("after the full-disk update");
  EXPECT_EQ(Xapian::Database(db()).get_revision(), revision);

  // A full build under the same limit: the live index stays, the failed generation goes.
  EXPECT_EQ(RunIndexer({"build", "--input", big, "--db", db()}, std::chrono::minutes(2), &limit), 3);
  EXPECT_EQ(fs::canonical(db()).string(), before);
  ExpectIntact("after the full-disk build");
  for (const auto& e : fs::directory_iterator(dir_.path())) {
    if (e.is_directory() && !e.is_symlink()) {
      EXPECT_EQ(e.path().string(), before) << "left behind";
    }
  }
}

}  // namespace
}  // namespace afori

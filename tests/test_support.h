// Helpers shared by the tests: a private temporary directory per test, the fixture corpus,
// and a fixture index built with the real indexer code.
#pragma once

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <stdexcept>
#include <thread>
#include <string>
#include <vector>

#include "corpus/loader.h"
#include "indexer/indexer.h"
#include "stemming/analysis.h"

namespace afori::testing {

// A fresh directory that no other test sees, removed when the object goes out of scope.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/afori-test-XXXXXX";
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    if (!mkdtemp(buf.data())) throw std::runtime_error("mkdtemp failed");
    path_ = buf.data();
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string Join(const std::string& name) const { return path_ + "/" + name; }

  // Writes `content` to path()/name, creating parent directories.
  std::string Write(const std::string& name, const std::string& content) const {
    const std::filesystem::path p = Join(name);
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }

 private:
  std::string path_;
};

// The project's Swedish analysis (Debian's word list plus stemming/lexicon), loaded once per
// test program: it is immutable, and loading the lexicon for every test would dominate.
inline const stemming::Analyzer& SharedAnalyzer() {
  static const std::unique_ptr<stemming::Analyzer> analyzer = [] {
    auto loaded = stemming::Analyzer::Load(stemming::DefaultAnalysisConfig(AFORI_SOURCE_DIR));
    if (!loaded.ok()) throw std::runtime_error(loaded.status().message());
    return std::move(*loaded);
  }();
  return *analyzer;
}

// A readable gtest parameter name: the ASCII letters and digits of `text` (others become
// '_'), prefixed with the index so names stay unique.
inline std::string ParamName(std::size_t index, const std::string& text) {
  std::string name = std::to_string(index) + "_";
  for (unsigned char c : text) name += std::isalnum(c) && c < 0x80 ? static_cast<char>(c) : '_';
  return name.substr(0, 60);
}

// What a shell command printed (stdout and stderr) and its exit status (-1 if it did not exit).
struct CommandRun {
  std::string out;
  int status = -1;
};

inline CommandRun Shell(const std::string& command) {
  CommandRun run;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return run;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) run.out.append(buf, n);
  const int raw = pclose(pipe);
  run.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return run;
}

// `xapian-check` (Debian xapian-tools) on a database directory or a link to one: 0 when the
// database is sound. xapian-check does not read stub files, so a sharded index
// (common/shards.h) is checked shard by shard. The tests that write run it after every test.
inline int XapianCheck(const std::string& path) {
  std::error_code ec;
  const std::filesystem::path dir = std::filesystem::canonical(path, ec);
  std::vector<std::string> shards;
  if (!ec && std::filesystem::is_regular_file(dir / "XAPIANDB", ec)) {
    std::ifstream stub(dir / "XAPIANDB");
    for (std::string type, name; stub >> type >> name;) shards.push_back((dir / name).string());
  } else {
    shards.push_back(path);
  }
  for (const std::string& shard : shards) {
    const int rc = std::system(("xapian-check '" + shard + "' >/dev/null 2>&1").c_str());
    if (rc != 0) return rc;
  }
  return 0;
}

// A child process in a process group of its own (so that killing it also kills what it
// forked, as xapian-tcpsrv forks per connection), its stdout+stderr going to `log`.
class ChildProcess {
 public:
  ChildProcess(std::vector<std::string> args, const std::string& log) : log_(log) {
    pid_ = fork();
    if (pid_ == 0) {
      setpgid(0, 0);
      FILE* f = std::fopen(log.c_str(), "w");
      dup2(fileno(f), STDOUT_FILENO);
      dup2(fileno(f), STDERR_FILENO);
      std::vector<char*> argv;
      for (std::string& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execvp(argv[0], argv.data());
      _exit(127);
    }
    if (pid_ > 0) setpgid(pid_, pid_);
  }
  ~ChildProcess() { Kill(SIGKILL); }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Signals the whole group and waits for the child.
  void Kill(int sig) {
    Signal(sig);
    Wait();
  }
  // Signals the whole group and returns at once.
  void Signal(int sig) {
    if (pid_ > 0) ::kill(-pid_, sig);
  }
  // Waits for the child to end: its exit status, or minus the signal that ended it.
  int Wait() {
    if (pid_ > 0) {
      int status = 0;
      waitpid(pid_, &status, 0);
      pid_ = -1;
      status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    }
    return status_;
  }
  // Waits for a line of the log matching `pattern`; returns its first group ("" when it never
  // came). Gives up when the child has exited or after `timeout`: a start-up that builds
  // derived state over remote shards on a loaded machine takes seconds, a crash none.
  std::string WaitFor(const std::string& pattern,
                      std::chrono::seconds timeout = std::chrono::seconds(120)) {
    const std::regex re(pattern);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (bool last = false;; last = !Running() || std::chrono::steady_clock::now() > deadline) {
      std::ifstream in(log_);
      for (std::string line; std::getline(in, line);) {
        std::smatch m;
        if (std::regex_search(line, m, re)) return m.size() > 1 ? m[1].str() : m[0].str();
      }
      if (last) return "";
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  // Whether the child is still running; reaps it (keeping its status for Wait()) if not.
  bool Running() {
    if (pid_ <= 0) return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) != pid_) return true;
    pid_ = -1;
    status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    return false;
  }

 private:
  std::string log_;
  pid_t pid_ = -1;
  int status_ = 0;
};

// A loopback TCP port free right now (for servers such as xapian-tcpsrv that cannot pick
// one themselves); 0 if none could be had.
inline int FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

inline std::string FixtureCorpusDir() { return AFORI_FIXTURES_DIR "/corpus"; }

// The fixture corpus as indexer inputs: the directory of *.json files plus the JSONL file.
inline std::vector<std::string> FixtureInputs() {
  return {FixtureCorpusDir(), FixtureCorpusDir() + "/funding.jsonl"};
}

inline corpus::LoadReport LoadFixtureCorpus() { return corpus::LoadDocuments(FixtureInputs()); }

// Builds the fixture index into dir/db and returns its path; throws if anything fails.
inline std::string BuildFixtureIndex(const TempDir& dir, const stemming::Analyzer& analyzer) {
  corpus::LoadReport report = LoadFixtureCorpus();
  if (!report.rejections.empty()) {
    throw std::runtime_error("fixture rejected: " + report.rejections[0].ToString());
  }
  const std::string db = dir.Join("db");
  Status s = indexer::BuildDatabase(db, report.documents, analyzer);
  if (!s.ok()) throw std::runtime_error(s.message());
  return db;
}

}  // namespace afori::testing

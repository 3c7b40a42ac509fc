// Process: a child program for end-to-end tests, its stdout and stderr in a log file that
// the test can wait on ("searchd: listening on ..."). Killed with SIGKILL when destroyed.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <regex>
#include <string>
#include <thread>
#include <vector>

namespace afori::testing {

// A child process whose stdout+stderr go to a file we can read.
class Process {
 public:
  Process(std::vector<std::string> args, const std::string& log) : log_(log) {
    pid_ = fork();
    if (pid_ == 0) {
      FILE* f = std::fopen(log.c_str(), "w");
      dup2(fileno(f), STDOUT_FILENO);
      dup2(fileno(f), STDERR_FILENO);
      std::vector<char*> argv;
      for (std::string& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
  }
  ~Process() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      Wait();
    }
  }
  void Kill(int sig) { kill(pid_, sig); }
  int Wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  }
  // Waits for a line matching `pattern` in the log; returns its first group.
  std::string WaitFor(const std::string& pattern) {
    const std::regex re(pattern);
    for (int i = 0; i < 200; ++i) {
      std::FILE* f = std::fopen(log_.c_str(), "r");
      char buf[4096];
      while (f && std::fgets(buf, sizeof buf, f)) {
        std::smatch m;
        const std::string line = buf;
        if (std::regex_search(line, m, re)) {
          std::fclose(f);
          return m[1];
        }
      }
      if (f) std::fclose(f);
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return "";
  }

 private:
  std::string log_;
  pid_t pid_ = -1;
};

}  // namespace afori::testing

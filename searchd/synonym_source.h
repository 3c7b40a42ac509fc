// SynonymSource: the synonym file searchd applies, reloaded when an editor changes it.
//
// Current() returns the table of the file as last read. At most once a second it checks the
// file's modification time and size, and reads it again when either changed; a file that no
// longer parses (or has gone) is reported on stderr once per change and the previous table
// stays in use, so a typo in the file never breaks search.
//
// Thread safety: thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "common/status.h"
#include "stemming/synonyms.h"

namespace afori::searchd {

class SynonymSource {
 public:
  // Reads `path`; an unreadable or invalid file is an error here, at start.
  // `key` is what alternatives are matched by (Analyzer::StemFunction()).
  static Result<std::unique_ptr<SynonymSource>> Open(const std::string& path,
                                                     stemming::SynonymTable::KeyFunction key);

  std::shared_ptr<const stemming::SynonymTable> Current();

  const std::string& path() const { return path_; }

 private:
  struct Stamp {
    std::filesystem::file_time_type mtime{};
    std::uintmax_t size = 0;
    bool operator==(const Stamp&) const = default;
  };
  static Stamp StampOf(const std::string& path);

  SynonymSource(std::string path, stemming::SynonymTable::KeyFunction key,
                stemming::SynonymTable table, Stamp stamp);

  const std::string path_;
  const stemming::SynonymTable::KeyFunction key_;
  std::mutex mu_;
  std::shared_ptr<const stemming::SynonymTable> table_;
  Stamp stamp_;
  std::chrono::steady_clock::time_point last_check_;
};

}  // namespace afori::searchd

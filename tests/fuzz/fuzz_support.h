// What the libFuzzer targets of tests/fuzz share: invariant checks that abort (so libFuzzer
// records the input), the Swedish Analyzer and a small real index of the fixture corpus, each
// built once in LLVMFuzzerInitialize. See docs/hardening.md.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include <xapian.h>

#include "common/status.h"
#include "corpus/loader.h"
#include "indexer/indexer.h"
#include "stemming/analysis.h"
#include "stemming/tokenizer.h"

namespace afori::fuzz {

[[noreturn]] inline void Fail(const char* what, const char* file, int line,
                              std::string_view detail = {}) {
  std::fprintf(stderr, "%s:%d: invariant failed: %s %.*s\n", file, line, what,
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

#define AFORI_FUZZ_CHECK(cond) \
  do { if (!(cond)) ::afori::fuzz::Fail(#cond, __FILE__, __LINE__); } while (0)
#define AFORI_FUZZ_CHECK_MSG(cond, detail) \
  do { if (!(cond)) ::afori::fuzz::Fail(#cond, __FILE__, __LINE__, (detail)); } while (0)

// A failed parse of client input: InvalidArgument with a message.
inline void CheckInvalidArgument(const Status& s) {
  AFORI_FUZZ_CHECK_MSG(s.code() == ErrorCode::kInvalidArgument, s.message());
  AFORI_FUZZ_CHECK(!s.message().empty());
}

inline const stemming::Analyzer& Analyzer() {
  static const std::unique_ptr<stemming::Analyzer> analyzer = [] {
    auto loaded = stemming::Analyzer::Load(stemming::DefaultAnalysisConfig(AFORI_SOURCE_DIR));
    if (!loaded.ok()) {
      std::fprintf(stderr, "cannot load the analyzer: %s\n", loaded.status().message().c_str());
      std::exit(1);
    }
    return std::move(*loaded);
  }();
  return *analyzer;
}

// The fixture corpus (tests/fixtures/corpus) indexed by the real indexer into a temporary
// directory that is removed at exit.
inline const Xapian::Database& FixtureDatabase() {
  static std::string dir;
  static const std::unique_ptr<Xapian::Database> db = [] {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/afori-fuzz-XXXXXX";
    if (!mkdtemp(pattern.data())) {
      std::perror("mkdtemp");
      std::exit(1);
    }
    dir = pattern;
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    });
    const std::string fixtures = AFORI_SOURCE_DIR "/tests/fixtures/corpus";
    corpus::LoadReport report = corpus::LoadDocuments({fixtures, fixtures + "/funding.jsonl"});
    if (report.documents.empty() || !report.rejections.empty()) {
      std::fprintf(stderr, "cannot load the fixture corpus\n");
      std::exit(1);
    }
    Status s = indexer::BuildDatabase(dir + "/db", report.documents, Analyzer());
    if (!s.ok()) {
      std::fprintf(stderr, "cannot build the fixture index: %s\n", s.message().c_str());
      std::exit(1);
    }
    return std::make_unique<Xapian::Database>(dir + "/db");
  }();
  return *db;
}

inline bool ValidUtf8(std::string_view s) { return stemming::IsValidUtf8(s); }

// Xapian's glass backend refuses terms longer than this (bytes, prefix included).
inline constexpr std::size_t kMaxXapianTermBytes = 245;

}  // namespace afori::fuzz

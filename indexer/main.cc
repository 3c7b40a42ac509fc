// indexer: builds the search index from documents.
//
//   indexer build --input PATH... --db DIR
//
// Exit status: 0 all documents indexed; 1 the index was built but some documents were
// rejected (each reported on stderr as "path:line: id: reason"); 2 usage error; 3 the index
// could not be written.
#include <chrono>
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "corpus/loader.h"
#include "indexer/indexer.h"
#include "stemming/analysis.h"

namespace {

constexpr int kExitRejected = 1;
constexpr int kExitUsage = 2;
constexpr int kExitFailed = 3;

constexpr std::string_view kUsage =
    "usage: indexer build --input PATH... --db DIR\n"
    "  PATH: a directory (searched recursively for *.json) or a .jsonl file\n";

struct BuildOptions {
  std::vector<std::string> inputs;
  std::string db;
};

bool ParseBuildOptions(int argc, char** argv, BuildOptions* out, std::string* error) {
  for (int i = 2; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--input") {
      while (i + 1 < argc && std::string_view(argv[i + 1]).substr(0, 2) != "--") {
        out->inputs.emplace_back(argv[++i]);
      }
    } else if (arg == "--db" && i + 1 < argc) {
      out->db = argv[++i];
    } else {
      *error = "unknown or incomplete option '" + std::string(arg) + "'";
      return false;
    }
  }
  if (out->inputs.empty()) *error = "missing --input PATH";
  if (out->db.empty()) *error = "missing --db DIR";
  return error->empty();
}

int Build(const BuildOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  afori::corpus::LoadReport report = afori::corpus::LoadDocuments(options.inputs);
  for (const afori::corpus::Rejection& r : report.rejections) {
    std::cerr << r.ToString() << "\n";
  }
  afori::stemming::Analyzer analyzer;
  afori::Status status = afori::indexer::BuildDatabase(options.db, report.documents, analyzer);
  if (!status.ok()) {
    std::cerr << "indexer: " << status.message() << "\n";
    return kExitFailed;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("indexed %zu documents, rejected %zu, in %.2f s (%.0f docs/s) into %s\n",
              report.documents.size(), report.rejections.size(), seconds,
              seconds > 0 ? report.documents.size() / seconds : 0.0, options.db.c_str());
  return report.rejections.empty() ? 0 : kExitRejected;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc < 2 || std::string_view(argv[1]) != "build") {
      std::cerr << kUsage;
      return kExitUsage;
    }
    BuildOptions options;
    std::string error;
    if (!ParseBuildOptions(argc, argv, &options, &error)) {
      std::cerr << "indexer: " << error << "\n" << kUsage;
      return kExitUsage;
    }
    return Build(options);
  } catch (const Xapian::Error& e) {
    std::cerr << "indexer: unexpected error: " << e.get_description() << "\n";
    return kExitFailed;
  } catch (const std::exception& e) {
    std::cerr << "indexer: unexpected error: " << e.what() << "\n";
    return kExitFailed;
  }
}

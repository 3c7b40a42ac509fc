// indexer: builds the search index from documents, and shows what the analysis does.
//
//   indexer build --input PATH... --db DIR [--data-dir DIR]
//   indexer analyze [--field title|summary|body|query] [--synonyms FILE] TEXT...
//   indexer analyze --stem < words          (one word a line in, its stem a line out)
//
// --data-dir is the project root holding stemming/lexicon/ (default: the source tree the
// binary was built from). `analyze` prints JSON (stemming/analysis_report.h); for the query
// field it applies the synonym file (default DATA_DIR/corpus/synonyms.txt) but, having no
// index, no typo or diacritic help.
//
// Exit status: 0 all documents indexed; 1 the index was built but some documents were
// rejected (each reported on stderr as "path:line: id: reason"); 2 usage error; 3 the index
// could not be written or the analysis could not be loaded.
#include <chrono>
#include <cstdio>
#include <exception>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "corpus/loader.h"
#include "indexer/indexer.h"
#include "stemming/analysis.h"
#include "stemming/analysis_report.h"
#include "stemming/synonyms.h"

namespace {

constexpr int kExitRejected = 1;
constexpr int kExitUsage = 2;
constexpr int kExitFailed = 3;

constexpr std::string_view kUsage =
    "usage: indexer build --input PATH... --db DIR [--data-dir DIR]\n"
    "       indexer analyze [--field title|summary|body|query] [--synonyms FILE] TEXT...\n"
    "       indexer analyze --stem < words\n"
    "  PATH: a directory (searched recursively for *.json) or a .jsonl file\n";

struct BuildOptions {
  std::vector<std::string> inputs;
  std::string db;
  std::string data_dir = AFORI_DATA_DIR;
};

struct AnalyzeOptions {
  std::string field = "query";
  std::string synonyms;  // empty: data_dir/corpus/synonyms.txt
  std::string data_dir = AFORI_DATA_DIR;
  bool stem_lines = false;
  std::string text;
};

std::unique_ptr<afori::stemming::Analyzer> LoadAnalyzer(const std::string& data_dir) {
  auto analyzer =
      afori::stemming::Analyzer::Load(afori::stemming::DefaultAnalysisConfig(data_dir));
  if (!analyzer.ok()) {
    std::cerr << "indexer: " << analyzer.status().message() << "\n";
    return nullptr;
  }
  return std::move(*analyzer);
}

bool ParseBuildOptions(int argc, char** argv, BuildOptions* out, std::string* error) {
  for (int i = 2; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--input") {
      while (i + 1 < argc && std::string_view(argv[i + 1]).substr(0, 2) != "--") {
        out->inputs.emplace_back(argv[++i]);
      }
    } else if (arg == "--db" && i + 1 < argc) {
      out->db = argv[++i];
    } else if (arg == "--data-dir" && i + 1 < argc) {
      out->data_dir = argv[++i];
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
  std::unique_ptr<afori::stemming::Analyzer> analyzer = LoadAnalyzer(options.data_dir);
  if (!analyzer) return kExitFailed;
  afori::Status status = afori::indexer::BuildDatabase(options.db, report.documents, *analyzer);
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

bool ParseAnalyzeOptions(int argc, char** argv, AnalyzeOptions* out, std::string* error) {
  for (int i = 2; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--field" && i + 1 < argc) {
      out->field = argv[++i];
      if (!afori::stemming::IsAnalysisField(out->field)) {
        *error = "--field must be title, summary, body or query, got '" + out->field + "'";
        return false;
      }
    } else if (arg == "--synonyms" && i + 1 < argc) {
      out->synonyms = argv[++i];
    } else if (arg == "--data-dir" && i + 1 < argc) {
      out->data_dir = argv[++i];
    } else if (arg == "--stem") {
      out->stem_lines = true;
    } else if (arg.starts_with("--")) {
      *error = "unknown or incomplete option '" + std::string(arg) + "'";
      return false;
    } else {
      out->text += (out->text.empty() ? "" : " ") + std::string(arg);
    }
  }
  if (!out->stem_lines && out->text.empty()) *error = "missing TEXT to analyze";
  return error->empty();
}

int Analyze(const AnalyzeOptions& options) {
  std::unique_ptr<afori::stemming::Analyzer> analyzer = LoadAnalyzer(options.data_dir);
  if (!analyzer) return kExitFailed;
  if (options.stem_lines) {
    std::string out;
    for (std::string line; std::getline(std::cin, line);) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      out.assign(analyzer->Stem(afori::stemming::Lowercase(afori::stemming::ComposeLatin(line))));
      out += '\n';
      std::fwrite(out.data(), 1, out.size(), stdout);
    }
    return 0;
  }
  afori::stemming::SynonymTable synonyms;
  if (options.field == "query") {
    const std::string path =
        options.synonyms.empty() ? options.data_dir + "/corpus/synonyms.txt" : options.synonyms;
    auto loaded = afori::stemming::SynonymTable::Load(path, analyzer->StemFunction());
    if (!loaded.ok()) {
      std::cerr << "indexer: " << loaded.status().message() << "\n";
      return kExitFailed;
    }
    synonyms = std::move(*loaded);
  }
  auto report = afori::stemming::AnalysisReport(options.text, options.field,
                                                {analyzer.get(), nullptr, nullptr, &synonyms});
  if (!report.ok()) {
    std::cerr << "indexer: " << report.status().message() << "\n";
    return kExitUsage;
  }
  std::cout << report->dump(2) << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string_view command = argc < 2 ? "" : argv[1];
    if (command == "analyze") {
      AnalyzeOptions options;
      std::string error;
      if (!ParseAnalyzeOptions(argc, argv, &options, &error)) {
        std::cerr << "indexer: " << error << "\n" << kUsage;
        return kExitUsage;
      }
      return Analyze(options);
    }
    if (command != "build") {
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

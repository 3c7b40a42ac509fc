// indexer: builds and updates the search index from documents, and shows what the analysis does.
//
//   indexer build  --input PATH... --db DIR [--shards N] [--lock-timeout-ms N] [--data-dir DIR]
//   indexer update --input PATH... --db DIR [--prune] [--lock-timeout-ms N] [--data-dir DIR]
//   indexer delete --db DIR [--lock-timeout-ms N] [--data-dir DIR] ID...
//   indexer analyze [--field title|summary|body|query] [--synonyms FILE] TEXT...
//   indexer analyze --stem < words          (one word a line in, its stem a line out)
//
// `build` rebuilds the whole index beside the live one and switches DIR (a symlink) over to
// it without downtime (indexer/rebuild.h); `update` and `delete` change the live index in one
// commit each, skipping unchanged documents (indexer/writer.h; docs/reindexing.md).
// `build --shards N` writes N shard databases and the stub file listing them (common/shards.h,
// docs/scaling.md); without it a rebuild keeps the live index's number of shards. `update`
// and `delete` route each document to its shard.
// --data-dir is the project root holding stemming/lexicon/ (default: the source tree the
// binary was built from). `analyze` prints JSON (stemming/analysis_report.h); for the query
// field it applies the synonym file (default DATA_DIR/corpus/synonyms.txt) but, having no
// index, no typo or diacritic help.
//
// Exit status: 0 done (`delete` of an unknown id included: it is reported, and the id is
// absent as asked); 1 the index was built or updated but some documents were rejected (each
// reported on stderr as "path:line: id: reason"); 2 usage error; 3 the index could not be
// written (or has another schema version), or the analysis could not be loaded; 4 another
// writer held the index lock for longer than --lock-timeout-ms (default 10000): nothing was
// changed, try again.
#include <chrono>
#include <csignal>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "corpus/loader.h"
#include "indexer/rebuild.h"
#include "indexer/writer.h"
#include "stemming/analysis.h"
#include "stemming/analysis_report.h"
#include "stemming/synonyms.h"

namespace {

constexpr int kExitRejected = 1;
constexpr int kExitUsage = 2;
constexpr int kExitFailed = 3;
constexpr int kExitBusy = 4;

constexpr std::string_view kUsage =
    "usage: indexer build  --input PATH... --db DIR [--shards N] [--lock-timeout-ms N]\n"
    "                      [--data-dir DIR]\n"
    "       indexer update --input PATH... --db DIR [--prune] [--lock-timeout-ms N]\n"
    "                      [--data-dir DIR]\n"
    "       indexer delete --db DIR [--lock-timeout-ms N] [--data-dir DIR] ID...\n"
    "       indexer analyze [--field title|summary|body|query] [--synonyms FILE] TEXT...\n"
    "       indexer analyze --stem < words\n"
    "  PATH: a directory (searched recursively for *.json) or a .jsonl file\n"
    "  --prune: also delete documents whose file under an input directory is gone\n"
    "  exit status: 0 ok, 1 documents rejected, 2 usage, 3 failed, 4 index locked (retry)\n";

// The options of build, update and delete (each accepts its own subset).
struct WriteCommandOptions {
  std::string command;
  std::vector<std::string> inputs;
  std::vector<std::string> ids;  // delete
  std::string db;
  std::string data_dir = AFORI_DATA_DIR;
  bool prune = false;
  std::size_t shards = 0;  // build: 0 keeps the live index's number of shards
  afori::indexer::WriteOptions write;
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

// Prints a failed write and picks its exit status: a lock given up on is the one a caller
// should retry, so it has a status of its own.
int ReportFailure(const afori::Status& status) {
  std::cerr << "indexer: " << status.message() << "\n";
  return status.code() == afori::ErrorCode::kUnavailable ? kExitBusy : kExitFailed;
}

bool ParseWriteOptions(int argc, char** argv, WriteCommandOptions* out, std::string* error) {
  const std::string& cmd = out->command;
  for (int i = 2; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--input" && cmd != "delete") {
      while (i + 1 < argc && std::string_view(argv[i + 1]).substr(0, 2) != "--") {
        out->inputs.emplace_back(argv[++i]);
      }
    } else if (arg == "--db" && i + 1 < argc) {
      out->db = argv[++i];
    } else if (arg == "--data-dir" && i + 1 < argc) {
      out->data_dir = argv[++i];
    } else if (arg == "--shards" && cmd == "build" && i + 1 < argc) {
      const std::string value = argv[++i];
      if (value.empty() || value.size() > 3 ||
          value.find_first_not_of("0123456789") != std::string::npos || std::stoi(value) < 1 ||
          std::stoi(value) > 256) {
        *error = "--shards must be a number from 1 to 256, got '" + value + "'";
        return false;
      }
      out->shards = std::stoul(value);
    } else if (arg == "--prune" && cmd == "update") {
      out->prune = true;
    } else if (arg == "--lock-timeout-ms" && i + 1 < argc) {
      const std::string value = argv[++i];
      if (value.empty() || value.find_first_not_of("0123456789") != std::string::npos ||
          value.size() > 9) {
        *error = "--lock-timeout-ms must be a number of milliseconds, got '" + value + "'";
        return false;
      }
      out->write.lock_timeout = std::chrono::milliseconds(std::stol(value));
    } else if (cmd == "delete" && !arg.starts_with("--")) {
      out->ids.emplace_back(arg);
    } else {
      *error = "unknown or incomplete option '" + std::string(arg) + "'";
      return false;
    }
  }
  if (cmd != "delete" && out->inputs.empty()) *error = "missing --input PATH";
  if (cmd == "delete" && out->ids.empty()) *error = "missing ID to delete";
  if (out->db.empty()) *error = "missing --db DIR";
  return error->empty();
}

void PrintRejections(const std::vector<afori::corpus::Rejection>& rejections) {
  for (const afori::corpus::Rejection& r : rejections) std::cerr << r.ToString() << "\n";
}

afori::corpus::LoadReport LoadAndReport(const std::vector<std::string>& inputs) {
  afori::corpus::LoadReport report = afori::corpus::LoadDocuments(inputs);
  PrintRejections(report.rejections);
  return report;
}

void PrintIds(const char* kind, const std::vector<std::string>& ids) {
  std::string line = std::string(kind) + ":";
  for (const std::string& id : ids) line += " " + id;
  std::printf("%s\n", line.c_str());
}

int Build(const WriteCommandOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  afori::indexer::RebuildOptions rebuild;
  rebuild.write = options.write;
  rebuild.shards = options.shards;
  // Marked before the inputs are read: whatever is committed from now on gets replayed.
  rebuild.replay_after = afori::indexer::MarkLiveIndex(options.db);
  // Validated now, read again while the build writes them: memory does not grow with the
  // documents (corpus/loader.h).
  const afori::corpus::DocumentCatalog catalog = afori::corpus::ScanDocuments(options.inputs);
  PrintRejections(catalog.rejections());
  std::unique_ptr<afori::stemming::Analyzer> analyzer = LoadAnalyzer(options.data_dir);
  if (!analyzer) return kExitFailed;
  auto result = afori::indexer::RebuildIndex(options.db, catalog, *analyzer, rebuild);
  if (!result.ok()) return ReportFailure(result.status());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const double docs_per_s = seconds > 0 ? catalog.size() / seconds : 0.0;
  std::printf("indexed %zu documents, rejected %zu, in %.2f s (%.0f docs/s) into %s\n",
              catalog.size(), catalog.rejections().size(), seconds, docs_per_s,
              options.db.c_str());
  std::printf("docs_per_s=%.0f\n", docs_per_s);
  std::printf("generation %s (%zu shard%s; replaced %s; replayed %zu documents and %zu deletions "
              "committed meanwhile; kept %zu documents of no file; writers waited %.3f s; "
              "removed %zu old generations)\n",
              result->new_directory.c_str(), result->shards, result->shards == 1 ? "" : "s",
              result->old_directory.empty() ? "nothing" : result->old_directory.c_str(),
              result->replayed, result->replayed_deletions, result->carried_over,
              result->locked_seconds, result->removed_generations);
  return catalog.rejections().empty() ? 0 : kExitRejected;
}

int Update(const WriteCommandOptions& options) {
  afori::corpus::LoadReport report = LoadAndReport(options.inputs);
  std::unique_ptr<afori::stemming::Analyzer> analyzer = LoadAnalyzer(options.data_dir);
  if (!analyzer) return kExitFailed;
  std::vector<afori::indexer::Change> changes;
  changes.reserve(report.documents.size());
  for (afori::corpus::LoadedDocument& loaded : report.documents) {
    changes.push_back({afori::indexer::Change::Kind::kUpsert, std::move(loaded.document),
                       loaded.where.path, ""});
  }
  afori::indexer::Prune prune;
  if (options.prune) {
    for (const std::string& input : options.inputs) {
      std::error_code ec;
      if (std::filesystem::is_directory(input, ec)) prune.directories.push_back(input);
    }
    for (const afori::corpus::Rejection& r : report.rejections) {
      prune.keep_sources.push_back(r.where.path);
    }
  }
  const auto started = std::chrono::steady_clock::now();
  auto result = afori::indexer::ApplyChanges(options.db, changes, prune, *analyzer, options.write);
  if (!result.ok()) return ReportFailure(result.status());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("added %zu, replaced %zu, deleted %zu, unchanged %zu, revision %llu\n",
              result->added, result->replaced, result->deleted, result->unchanged,
              static_cast<unsigned long long>(result->revision));
  PrintIds("added", result->added_ids);
  PrintIds("replaced", result->replaced_ids);
  PrintIds("deleted", result->deleted_ids);
  std::printf("applied %zu documents in %.2f s (%.0f docs/s)\n", changes.size(), seconds,
              seconds > 0 ? changes.size() / seconds : 0.0);
  return report.rejections.empty() ? 0 : kExitRejected;
}

int Delete(const WriteCommandOptions& options) {
  std::unique_ptr<afori::stemming::Analyzer> analyzer = LoadAnalyzer(options.data_dir);
  if (!analyzer) return kExitFailed;
  std::vector<afori::indexer::Change> changes;
  for (const std::string& id : options.ids) {
    changes.push_back({afori::indexer::Change::Kind::kDelete, {}, "", id});
  }
  auto result = afori::indexer::ApplyChanges(options.db, changes, *analyzer, options.write);
  if (!result.ok()) {
    if (result.status().code() == afori::ErrorCode::kInvalidArgument) {
      std::cerr << "indexer: " << result.status().message() << "\n" << kUsage;
      return kExitUsage;
    }
    return ReportFailure(result.status());
  }
  std::printf("deleted %zu, not found %zu, revision %llu\n", result->deleted,
              result->not_found, static_cast<unsigned long long>(result->revision));
  PrintIds("deleted", result->deleted_ids);
  PrintIds("not found", result->not_found_ids);
  return 0;
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
  // A file over RLIMIT_FSIZE (a quota, a full small filesystem) would otherwise kill the
  // process with SIGXFSZ; ignored, the write fails with EFBIG and Xapian reports it, so the
  // indexer says what happened and the index stays at its last commit.
  std::signal(SIGXFSZ, SIG_IGN);
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
    if (command != "build" && command != "update" && command != "delete") {
      std::cerr << kUsage;
      return kExitUsage;
    }
    WriteCommandOptions options;
    options.command = command;
    std::string error;
    if (!ParseWriteOptions(argc, argv, &options, &error)) {
      std::cerr << "indexer: " << error << "\n" << kUsage;
      return kExitUsage;
    }
    if (command == "build") return Build(options);
    if (command == "update") return Update(options);
    return Delete(options);
  } catch (const Xapian::Error& e) {
    std::cerr << "indexer: unexpected error: " << e.get_description() << "\n";
    return kExitFailed;
  } catch (const std::exception& e) {
    std::cerr << "indexer: unexpected error: " << e.what() << "\n";
    return kExitFailed;
  }
}

#include "indexer/bulk_build.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>

#include <xapian.h>

#include "common/schema.h"
#include "indexer/indexer.h"
#include "indexer/writer.h"

namespace afori::indexer {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxThreads = 4;

// Writes documents [begin, end) into a new database at `path`, document i with docid i + 1,
// in one transaction.
Status WriteRun(const std::string& path, const corpus::DocumentSource& documents,
                std::size_t begin, std::size_t end, const stemming::Analyzer& analyzer,
                const std::string& created_at, stemming::WordCache* cache) {
  try {
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OVERWRITE);
    db.begin_transaction();
    // A new database: the revision its one commit creates, as in BuildShards (1).
    const std::uint64_t revision = db.get_revision() + 1;
    const Status read = documents.ForEach(
        begin, end, [&](std::size_t i, const corpus::LoadedDocument& loaded) {
          const Provenance provenance{ContentHash(loaded.document, analyzer),
                                      SourcePathKey(loaded.where.path), revision};
          // Beyond the last docid of a new database: an add with the docid a one-writer
          // build gives it.
          db.replace_document(static_cast<Xapian::docid>(i + 1),
                              ToXapianDocument(loaded.document, analyzer, provenance, cache));
          return Status::Ok();
        });
    if (!read.ok()) return read;
    db.set_metadata(std::string(schema::kSchemaVersionKey), std::to_string(schema::kSchemaVersion));
    db.set_metadata(std::string(schema::kAnalysisKey), analyzer.Fingerprint());
    db.set_metadata(std::string(schema::kCreatedAtKey), created_at);
    db.commit_transaction();
    db.close();
    return Status::Ok();
  } catch (const Xapian::Error& e) {
    return Status::IoError("cannot write index at " + path + ": " + e.get_description());
  } catch (const std::exception& e) {
    return Status::IoError("cannot write index at " + path + ": " + e.what());
  }
}

}  // namespace

std::size_t BulkBuildThreads(std::size_t documents, const BulkBuildOptions& options) {
  std::size_t threads = options.threads;
  if (threads == 0) threads = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, kMaxThreads);
  const std::size_t per_thread = std::max<std::size_t>(1, options.min_documents_per_thread);
  return std::max<std::size_t>(1, std::min(threads, documents / per_thread));
}

std::vector<std::pair<std::size_t, std::size_t>> BulkBuildRuns(std::size_t documents,
                                                               const BulkBuildOptions& options) {
  const std::size_t threads = BulkBuildThreads(documents, options);
  std::size_t runs = threads;
  if (options.max_documents_per_run > 0) {
    const std::size_t needed =
        (documents + options.max_documents_per_run - 1) / options.max_documents_per_run;
    runs = std::max(runs, needed);
  }
  std::vector<std::pair<std::size_t, std::size_t>> out;
  for (std::size_t k = 0; k < runs; ++k) {
    out.emplace_back(documents * k / runs, documents * (k + 1) / runs);
  }
  return out;
}

Status BuildCompactedDatabase(const std::string& db_path, const corpus::DocumentSource& documents,
                              const stemming::Analyzer& analyzer,
                              const BulkBuildOptions& options) {
  const std::size_t threads = BulkBuildThreads(documents.size(), options);
  const std::vector<std::pair<std::size_t, std::size_t>> runs =
      BulkBuildRuns(documents.size(), options);
  std::vector<std::string> parts;
  for (std::size_t k = 0; k < runs.size(); ++k) {
    parts.push_back(db_path + ".part-" + std::to_string(k));
  }
  const auto remove_parts = [&parts] {
    std::error_code ec;
    for (const std::string& part : parts) fs::remove_all(part, ec);
  };

  // Thread t writes runs t, t + threads, ...: the runs are equal, so the threads finish
  // together, and each keeps its word cache from run to run.
  const std::string created_at = UtcNowRfc3339();
  std::vector<Status> results(runs.size(), Status::Ok());
  std::atomic<bool> failed{false};
  const auto write_runs = [&](std::size_t t) {
    stemming::WordCache cache;
    for (std::size_t k = t; k < runs.size() && !failed; k += threads) {
      results[k] = WriteRun(parts[k], documents, runs[k].first, runs[k].second, analyzer,
                            created_at, &cache);
      if (!results[k].ok()) failed = true;
    }
  };
  std::vector<std::thread> workers;
  for (std::size_t t = 0; t + 1 < threads; ++t) workers.emplace_back(write_runs, t);
  write_runs(threads - 1);  // the calling thread is a writer too
  for (std::thread& worker : workers) worker.join();
  for (const Status& s : results) {
    if (!s.ok()) {
      remove_parts();
      return s;
    }
  }

  try {
    Xapian::Database sources;
    for (const std::string& part : parts) sources.add_database(Xapian::Database(part));
    sources.compact(db_path, Xapian::DBCOMPACT_NO_RENUMBER);
  } catch (const Xapian::Error& e) {
    remove_parts();
    std::error_code ec;
    fs::remove_all(db_path, ec);
    return Status::IoError("cannot compact into " + db_path + ": " + e.get_description());
  }
  remove_parts();
  return Status::Ok();
}

}  // namespace afori::indexer

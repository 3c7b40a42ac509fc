#include "indexer/bulk_build.h"

#include <algorithm>
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

// Writes documents[begin, end) into a new database at `path`, document i with docid i + 1,
// in one transaction.
Status WriteRun(const std::string& path, const std::vector<corpus::LoadedDocument>& documents,
                std::size_t begin, std::size_t end, const stemming::Analyzer& analyzer,
                const std::string& created_at) {
  try {
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OVERWRITE);
    db.begin_transaction();
    // A new database: the revision its one commit creates, as in BuildShards (1).
    const std::uint64_t revision = db.get_revision() + 1;
    stemming::WordCache cache;
    for (std::size_t i = begin; i < end; ++i) {
      const corpus::LoadedDocument& loaded = documents[i];
      const Provenance provenance{ContentHash(loaded.document, analyzer),
                                  SourcePathKey(loaded.where.path), revision};
      // Beyond the last docid of a new database: an add with the docid a one-writer build
      // gives it.
      db.replace_document(static_cast<Xapian::docid>(i + 1),
                          ToXapianDocument(loaded.document, analyzer, provenance, &cache));
    }
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

Status BuildCompactedDatabase(const std::string& db_path,
                              const std::vector<corpus::LoadedDocument>& documents,
                              const stemming::Analyzer& analyzer,
                              const BulkBuildOptions& options) {
  const std::size_t threads = BulkBuildThreads(documents.size(), options);
  std::vector<std::string> parts;
  for (std::size_t k = 0; k < threads; ++k) parts.push_back(db_path + ".part-" + std::to_string(k));
  const auto remove_parts = [&parts] {
    std::error_code ec;
    for (const std::string& part : parts) fs::remove_all(part, ec);
  };

  // Runs of consecutive documents, as equal as can be.
  const std::string created_at = UtcNowRfc3339();
  std::vector<Status> results(threads, Status::Ok());
  std::vector<std::thread> workers;
  for (std::size_t k = 0; k < threads; ++k) {
    const std::size_t begin = documents.size() * k / threads;
    const std::size_t end = documents.size() * (k + 1) / threads;
    auto run = [&, k, begin, end] {
      results[k] = WriteRun(parts[k], documents, begin, end, analyzer, created_at);
    };
    if (k + 1 == threads) {
      run();  // the calling thread writes the last run
    } else {
      workers.emplace_back(run);
    }
  }
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

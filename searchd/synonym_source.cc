#include "searchd/synonym_source.h"

#include <cstdio>

namespace afori::searchd {
namespace {

constexpr std::chrono::seconds kCheckInterval{1};

}  // namespace

SynonymSource::Stamp SynonymSource::StampOf(const std::string& path) {
  std::error_code ec;
  Stamp s;
  s.mtime = std::filesystem::last_write_time(path, ec);
  s.size = ec ? 0 : std::filesystem::file_size(path, ec);
  return s;
}

Result<std::unique_ptr<SynonymSource>> SynonymSource::Open(
    const std::string& path, stemming::SynonymTable::KeyFunction key) {
  const Stamp stamp = StampOf(path);
  Result<stemming::SynonymTable> table = stemming::SynonymTable::Load(path, key);
  if (!table.ok()) return table.status();
  return std::unique_ptr<SynonymSource>(
      new SynonymSource(path, std::move(key), std::move(*table), stamp));
}

SynonymSource::SynonymSource(std::string path, stemming::SynonymTable::KeyFunction key,
                             stemming::SynonymTable table, Stamp stamp)
    : path_(std::move(path)),
      key_(std::move(key)),
      table_(std::make_shared<const stemming::SynonymTable>(std::move(table))),
      stamp_(stamp),
      last_check_(std::chrono::steady_clock::now()) {}

std::shared_ptr<const stemming::SynonymTable> SynonymSource::Current() {
  std::lock_guard<std::mutex> lock(mu_);
  const auto now = std::chrono::steady_clock::now();
  if (now - last_check_ < kCheckInterval) return table_;
  last_check_ = now;
  const Stamp stamp = StampOf(path_);
  if (stamp == stamp_) return table_;
  stamp_ = stamp;
  Result<stemming::SynonymTable> table = stemming::SynonymTable::Load(path_, key_);
  if (!table.ok()) {
    std::fprintf(stderr, "searchd: keeping the previous synonyms: %s\n",
                 table.status().message().c_str());
    return table_;
  }
  table_ = std::make_shared<const stemming::SynonymTable>(std::move(*table));
  std::fprintf(stderr, "searchd: reloaded synonyms from %s (%zu groups)\n", path_.c_str(),
               table_->groups().size());
  return table_;
}

}  // namespace afori::searchd

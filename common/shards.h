// Shards: one index split over several Xapian databases, and the stub file that lists them.
//
// `indexer build --shards N` writes a generation directory holding shard_0 ... shard_<N-1>
// and a Xapian stub file named XAPIANDB with one "auto shard_<i>" line per shard, so the
// directory (and the `--db` symlink to it) opens as one database wherever Xapian accepts a
// database path: Xapian::Database, xapian-delve, searchd. A document lives in shard
// ShardOf(id, N) (FNV-1a 64 of the id, modulo N: the same on every platform and release, so
// an update finds the document it replaces). A stub may also name a shard that xapian-tcpsrv
// serves on another host, with Xapian 1.4's line for the remote backend over TCP,
// "remote HOST:PORT" (docs/scaling.md). ReadShards() tells what a path holds.
//
// Thread safety: free functions without shared state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace afori::shards {

inline constexpr std::string_view kStubName = "XAPIANDB";
inline constexpr std::string_view kShardPrefix = "shard_";  // shard_0, shard_1, ...

inline std::size_t ShardOf(std::string_view id, std::size_t shard_count) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : id) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return shard_count <= 1 ? 0 : static_cast<std::size_t>(h % shard_count);
}

// One database of an index: a local directory, or a database served by xapian-tcpsrv.
struct Shard {
  bool remote = false;
  std::string path;  // local: the database directory (absolute when the stub's was relative)
  std::string host;  // remote
  unsigned port = 0;
  // What error messages and the API call it: the path, or "HOST:PORT".
  std::string Name() const { return remote ? host + ":" + std::to_string(port) : path; }
};

inline Result<std::vector<Shard>> ReadShards(const std::string& path, int depth = 0);

namespace internal {

inline Result<std::vector<Shard>> ParseStub(const std::string& stub, int depth) {
  std::ifstream in(stub);
  if (!in) return Status::IoError("cannot read stub file " + stub);
  const std::filesystem::path base = std::filesystem::path(stub).parent_path();
  std::vector<Shard> out;
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::istringstream words(line);
    std::string type, arg, extra;
    words >> type >> arg >> extra;
    if (type.empty() || type[0] == '#') continue;
    const std::string where = stub + ":" + std::to_string(number) + ": ";
    if ((type == "auto" || type == "glass" || type == "chert") && !arg.empty() && extra.empty()) {
      const std::filesystem::path p =
          std::filesystem::path(arg).is_absolute() ? std::filesystem::path(arg) : base / arg;
      Result<std::vector<Shard>> inner = ReadShards(p.lexically_normal().string(), depth + 1);
      if (!inner.ok()) return Status(inner.status().code(), where + inner.status().message());
      out.insert(out.end(), inner->begin(), inner->end());
    } else if (type == "remote" && extra.empty() && arg.find(':') != std::string::npos) {
      const std::size_t colon = arg.rfind(':');
      Shard shard;
      shard.remote = true;
      shard.host = arg.substr(0, colon);
      const std::string port = arg.substr(colon + 1);
      if (shard.host.empty() || port.empty() || port.size() > 5 ||
          port.find_first_not_of("0123456789") != std::string::npos || std::stoul(port) == 0 ||
          std::stoul(port) > 65535) {
        return Status::InvalidArgument(where + "expected 'remote HOST:PORT', got '" + line + "'");
      }
      shard.port = static_cast<unsigned>(std::stoul(port));
      out.push_back(std::move(shard));
    } else {
      return Status::InvalidArgument(
          where + "expected 'auto PATH' or 'remote HOST:PORT' (xapian-tcpsrv), got '" + line +
          "' (the remote program method and the inmemory backend are not supported)");
    }
  }
  if (out.empty()) return Status::InvalidArgument("stub file " + stub + " names no database");
  return out;
}

}  // namespace internal

// The shards `path` stands for (through symlinks): a file is a stub; a directory holding a
// XAPIANDB stub is the stub's shards; any other directory is one local database.
inline Result<std::vector<Shard>> ReadShards(const std::string& path, int depth) {
  if (depth > 4) return Status::InvalidArgument("stub files nested too deep at " + path);
  std::error_code ec;
  const std::filesystem::path resolved = std::filesystem::canonical(path, ec);
  if (ec) return Status::IoError("no index at " + path + " (" + ec.message() + ")");
  if (std::filesystem::is_regular_file(resolved, ec)) {
    return internal::ParseStub(resolved.string(), depth);
  }
  const std::filesystem::path stub = resolved / std::string(kStubName);
  if (std::filesystem::is_regular_file(stub, ec)) return internal::ParseStub(stub.string(), depth);
  Shard shard;
  shard.path = resolved.string();
  return std::vector<Shard>{shard};
}

// The stub text for local shards named relative to the stub's directory.
inline std::string StubText(const std::vector<std::string>& relative_paths) {
  std::string text;
  for (const std::string& p : relative_paths) text += "auto " + p + "\n";
  return text;
}

}  // namespace afori::shards

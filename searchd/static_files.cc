#include "searchd/static_files.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>
#include <utility>

namespace afori::searchd {
namespace {

namespace fs = std::filesystem;

struct TypeByExtension {
  std::string_view extension;  // lower case, with the dot
  std::string_view content_type;
};

constexpr std::array<TypeByExtension, 11> kTypes = {{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".json", "application/json; charset=utf-8"},
    {".webmanifest", "application/manifest+json"},
    {".txt", "text/plain; charset=utf-8"},
    {".woff2", "font/woff2"},
}};

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool IsPlainChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '_' || c == '.';
}

// True if `inner` is `root` followed by at least one more component.
bool IsStrictlyInside(const fs::path& inner, const fs::path& root) {
  auto r = root.begin();
  auto i = inner.begin();
  for (; r != root.end(); ++r, ++i) {
    // A trailing separator shows up as an empty last component of root: ignore it.
    if (r->empty() && std::next(r) == root.end()) break;
    if (i == inner.end() || *i != *r) return false;
  }
  return i != inner.end();
}

Status NotServed(std::string_view relative_path) {
  return Status::NotFound("no file '" + std::string(relative_path) + "' on this server");
}

}  // namespace

std::string_view StaticContentType(std::string_view file_name) {
  const std::size_t slash = file_name.rfind('/');
  const std::string_view base =
      slash == std::string_view::npos ? file_name : file_name.substr(slash + 1);
  const std::size_t dot = base.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return {};
  std::string extension(base.substr(dot));
  std::transform(extension.begin(), extension.end(), extension.begin(), AsciiLower);
  for (const TypeByExtension& t : kTypes) {
    if (t.extension == extension) return t.content_type;
  }
  return {};
}

bool IsPlainRelativePath(std::string_view relative_path) {
  if (relative_path.empty() || relative_path.size() > 255) return false;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = std::min(relative_path.find('/', start), relative_path.size());
    const std::string_view segment = relative_path.substr(start, end - start);
    // Empty segments cover a leading '/' (absolute), "//" and a trailing '/'; a leading '.'
    // covers ".", ".." and hidden files.
    if (segment.empty() || segment.front() == '.') return false;
    if (!std::all_of(segment.begin(), segment.end(), IsPlainChar)) return false;
    if (end == relative_path.size()) return true;
    start = end + 1;
  }
}

Result<StaticFile> ReadStaticFile(const std::string& web_root, std::string_view relative_path) {
  if (web_root.empty() || !IsPlainRelativePath(relative_path)) return NotServed(relative_path);
  const std::string_view content_type = StaticContentType(relative_path);
  if (content_type.empty()) return NotServed(relative_path);

  // Resolve symlinks and compare whole components, so that neither a link pointing out of
  // the root nor a sibling sharing the root's name as a prefix ("web2" for "web") gets through.
  std::error_code ec;
  const fs::path root = fs::weakly_canonical(fs::absolute(web_root, ec), ec);
  if (ec) return NotServed(relative_path);
  const fs::path file = fs::weakly_canonical(root / fs::path(relative_path), ec);
  if (ec || !IsStrictlyInside(file, root)) return NotServed(relative_path);
  if (!fs::is_regular_file(file, ec) || ec) return NotServed(relative_path);

  const std::uintmax_t size = fs::file_size(file, ec);
  if (ec) return Status::IoError("cannot read '" + std::string(relative_path) + "'");
  if (size > kMaxStaticFileBytes) {
    return Status::IoError("'" + std::string(relative_path) + "' is too large to serve");
  }
  std::ifstream in(file, std::ios::binary);
  StaticFile out;
  out.content.resize(static_cast<std::size_t>(size));
  if (!in || !in.read(out.content.data(), static_cast<std::streamsize>(size))) {
    return Status::IoError("cannot read '" + std::string(relative_path) + "'");
  }
  out.content_type = std::string(content_type);
  return out;
}

}  // namespace afori::searchd

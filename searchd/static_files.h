// The files of the site search page (web/, docs/search-page.md), read from a web root.
//
// Pure file access, no HTTP: the HTTP layer (searchd/http_api.cc) maps a URL path to a path
// relative to the web root and asks ReadStaticFile for it. Only plain names are accepted:
// slash-separated segments of ASCII letters, digits, '-', '_' and '.', none starting with
// '.', so "..", ".hidden", "%2e%2e" (whether the HTTP layer decoded it once or not),
// backslashes, NUL and absolute paths are all refused. The resolved path (symlinks followed)
// must still lie inside the web root, and only file types on an allow-list are served, each
// with its Content-Type. Every refusal is kNotFound: a client learns nothing about files it
// may not have.
//
// Thread safety: free functions, no shared state.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"

namespace afori::searchd {

struct StaticFile {
  std::string content;
  std::string content_type;  // "text/html; charset=utf-8", "text/javascript; charset=utf-8", …
};

// The Content-Type served for a file name, by its extension (case-insensitive); empty for a
// type that is not served.
std::string_view StaticContentType(std::string_view file_name);

// True if `relative_path` has the plain form described above (no traversal possible).
bool IsPlainRelativePath(std::string_view relative_path);

// Largest file served (the page's files are a few kilobytes).
inline constexpr std::size_t kMaxStaticFileBytes = 8u << 20;

// The file at web_root/relative_path. kNotFound if the path is not plain, leaves the web root,
// is not a regular file or has a type that is not served; kIoError if it cannot be read or is
// larger than kMaxStaticFileBytes.
Result<StaticFile> ReadStaticFile(const std::string& web_root, std::string_view relative_path);

}  // namespace afori::searchd

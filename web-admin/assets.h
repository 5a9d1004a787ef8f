// The web admin's files (web-admin/*.html, *.js, *.css, …), embedded into the binary at
// build time by embed.cmake: the server serves them without touching the file system.
//
// The data is immutable and static; thread-safe.
#pragma once

#include <string_view>
#include <vector>

namespace govassess::web {

struct Asset {
  std::string_view name;          // the file name relative to web-admin/: "index.html"
  std::string_view content_type;  // "text/html; charset=utf-8"
  std::string_view body;          // the file's bytes
  std::string_view etag;          // strong, quoted: the first 16 hex digits of the SHA-256
};

// Every embedded file, sorted by name.
const std::vector<Asset>& Assets();

// The asset named exactly `name` ("index.html"), or nullptr.
const Asset* FindAsset(std::string_view name);

}  // namespace govassess::web

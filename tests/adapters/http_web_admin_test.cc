// The web admin (web-admin/, embedded into the binary) as served by `govassess serve`.
#include <sodium.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/adapters/http_client.h"
#include "tests/adapters/server_process.h"
#include "tests/adapters/temp_dir.h"
#include "web-admin/assets.h"

using govassess::testing::Http;
using govassess::testing::HttpReply;
using govassess::testing::ServerProcess;
using govassess::testing::TempDir;

namespace {

const std::string kPagePolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'";

const std::filesystem::path kWebAdminDir =
    std::filesystem::path(GOVASSESS_SOURCE_DIR) / "web-admin";

// A server on a fresh database, for one test.
struct Server {
  TempDir dir;
  ServerProcess process{{"--db", dir.Path("govassess.db")}};
  HttpReply Get(const std::string& path, const std::map<std::string, std::string>& headers = {}) {
    return Http(process.port(), "GET", path, "", "", headers);
  }
};

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string Extension(std::string_view name) {
  const size_t dot = name.rfind('.');
  return dot == std::string_view::npos ? "" : std::string(name.substr(dot + 1));
}

std::string ContentTypeFor(std::string_view name) {
  static const std::map<std::string, std::string> kTypes = {
      {"html", "text/html; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"ico", "image/x-icon"},
      {"json", "application/json; charset=utf-8"}};
  auto it = kTypes.find(Extension(name));
  return it == kTypes.end() ? "" : it->second;
}

// "\"" + the first 16 hex digits of the body's SHA-256 + "\"".
std::string ExpectedETag(std::string_view body) {
  unsigned char hash[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(hash, reinterpret_cast<const unsigned char*>(body.data()), body.size());
  char hex[2 * crypto_hash_sha256_BYTES + 1];
  sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
  return "\"" + std::string(hex, 16) + "\"";
}

void CheckPageHeaders(const HttpReply& r) {
  CHECK(r.headers.count("ETag") == 1);
  CHECK(r.headers.at("Cache-Control") == "no-cache");
  CHECK(r.headers.at("Content-Security-Policy") == kPagePolicy);
  CHECK(r.headers.at("X-Content-Type-Options") == "nosniff");
  CHECK(r.headers.at("Referrer-Policy") == "no-referrer");
  CHECK(r.headers.at("X-Frame-Options") == "DENY");
}

void CheckError(const HttpReply& r, int status, const std::string& code,
                const std::string& message) {
  CHECK(r.status == status);
  CHECK(r.headers.at("Content-Type") == "application/json; charset=utf-8");
  const auto j = r.Json();
  REQUIRE(j.is_object());
  CHECK(j == nlohmann::json{
                 {"error",
                  {{"code", code}, {"message", message}, {"details", nlohmann::json::object()}}}});
}

}  // namespace

TEST_CASE("web_admin: the embedded assets are sorted, typed and tagged by their content",
          "[http][web_admin]") {
  using govassess::web::Assets;
  using govassess::web::FindAsset;
  const auto& assets = Assets();
  REQUIRE(!assets.empty());
  CHECK(std::is_sorted(assets.begin(), assets.end(),
                       [](const auto& a, const auto& b) { return a.name < b.name; }));
  std::set<std::string_view> etags;
  for (const auto& a : assets) {
    INFO(a.name);
    CHECK(a.content_type == ContentTypeFor(a.name));
    CHECK(a.etag == ExpectedETag(a.body));
    CHECK(a.body == ReadFile(kWebAdminDir / std::string(a.name)));
    CHECK(FindAsset(a.name) == &a);
    etags.insert(a.etag);
  }
  // Distinct bodies, distinct tags (a duplicate file would legitimately share one).
  std::set<std::string_view> bodies;
  for (const auto& a : assets) bodies.insert(a.body);
  CHECK(etags.size() == bodies.size());

  const auto* index = FindAsset("index.html");
  REQUIRE(index != nullptr);
  CHECK(index->content_type == "text/html; charset=utf-8");
  CHECK(FindAsset("") == nullptr);
  CHECK(FindAsset("INDEX.HTML") == nullptr);
  CHECK(FindAsset("index.htm") == nullptr);
  CHECK(FindAsset("./index.html") == nullptr);
  CHECK(FindAsset("CMakeLists.txt") == nullptr);
  CHECK(FindAsset("README.md") == nullptr);
  CHECK(FindAsset("embed.cmake") == nullptr);
  CHECK(FindAsset("assets.h") == nullptr);
}

TEST_CASE("web_admin: every page file in web-admin/ is embedded", "[http][web_admin]") {
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kWebAdminDir)) {
    const std::string name = entry.path().filename().string();
    const std::string ext = Extension(name);
    if (!entry.is_regular_file() || name.front() == '.') continue;
    if (ext != "html" && ext != "js" && ext != "css") continue;
    INFO(name);
    ++files;
    CHECK(govassess::web::FindAsset(name) != nullptr);
  }
  CHECK(files >= 3);  // index.html, app.js, style.css at least
}

TEST_CASE("web_admin: / and /admin redirect to /admin/", "[http][web_admin]") {
  Server server;
  for (const std::string path : {"/", "/admin", "/?x=1"}) {
    INFO(path);
    for (const std::string method : {"GET", "HEAD"}) {
      const auto r = Http(server.process.port(), method, path);
      CHECK(r.status == 303);
      CHECK(r.headers.at("Location") == "/admin/");
      CHECK(r.body.empty());
    }
  }
  // The server says where the pages are when it starts.
  const std::string url = "http://127.0.0.1:" + std::to_string(server.process.port());
  CHECK_THAT(server.process.Output(), Catch::Contains("web admin: " + url + "/"));
}

TEST_CASE("web_admin: /admin/ is index.html with the page's headers", "[http][web_admin]") {
  Server server;
  const std::string index = ReadFile(kWebAdminDir / "index.html");
  REQUIRE(!index.empty());
  for (const std::string path : {"/admin/", "/admin/index.html", "/admin/?lang=zh"}) {
    INFO(path);
    const auto r = server.Get(path);
    CHECK(r.status == 200);
    CHECK(r.body == index);
    CHECK(r.headers.at("Content-Type") == "text/html; charset=utf-8");
    CHECK(r.headers.at("ETag") == ExpectedETag(index));
    CheckPageHeaders(r);
  }
  // HEAD: the same headers, no body.
  const auto head = Http(server.process.port(), "HEAD", "/admin/");
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(head.headers.at("Content-Length") == std::to_string(index.size()));
  CHECK(head.headers.at("ETag") == ExpectedETag(index));
  CheckPageHeaders(head);
}

TEST_CASE("web_admin: every embedded asset is served byte-identical with its type",
          "[http][web_admin]") {
  Server server;
  for (const auto& a : govassess::web::Assets()) {
    const std::string name(a.name);
    INFO(name);
    const auto r = server.Get("/admin/" + name);
    CHECK(r.status == 200);
    CHECK(r.body == ReadFile(kWebAdminDir / name));
    CHECK(r.headers.at("Content-Type") == ContentTypeFor(name));
    CHECK(r.headers.at("ETag") == std::string(a.etag));
    CheckPageHeaders(r);
  }
}

TEST_CASE("web_admin: If-None-Match with the ETag is 304 without a body", "[http][web_admin]") {
  Server server;
  const auto first = server.Get("/admin/");
  REQUIRE(first.status == 200);
  const std::string etag = first.headers.at("ETag");
  for (const std::string& match : {etag, "W/" + etag, "\"other\", " + etag, std::string("*")}) {
    INFO(match);
    const auto r = server.Get("/admin/", {{"If-None-Match", match}});
    CHECK(r.status == 304);
    CHECK(r.body.empty());
    CHECK(r.headers.at("ETag") == etag);
    CHECK(r.headers.at("Cache-Control") == "no-cache");
  }
  for (const std::string other : {"\"0000000000000000\"", "\"\"", "garbage"}) {
    INFO(other);
    const auto r = server.Get("/admin/", {{"If-None-Match", other}});
    CHECK(r.status == 200);
    CHECK(r.body == first.body);
  }
  // Another asset's tag does not match this one.
  const auto* css = govassess::web::FindAsset("style.css");
  REQUIRE(css != nullptr);
  CHECK(server.Get("/admin/", {{"If-None-Match", std::string(css->etag)}}).status == 200);
  // The connection stays usable after a 304 (no stray body on the wire).
  CHECK(server.Get("/admin/style.css", {{"If-None-Match", std::string(css->etag)}}).status == 304);
  CHECK(server.Get("/healthz").status == 200);
}

TEST_CASE("web_admin: unknown names and escapes are 404 with the error shape",
          "[http][web_admin]") {
  Server server;
  for (const std::string path :
       {"/admin/nope.html", "/admin/../CMakeLists.txt", "/admin/%2e%2e%2fCMakeLists.txt",
        "/admin/README.md", "/admin/CMakeLists.txt", "/admin/embed.cmake", "/admin/assets.h",
        "/admin/%69ndex.html", "/admin//index.html", "/admin/index.html/", "/admin/x/index.html",
        "/admin/./index.html"}) {
    INFO(path);
    CheckError(server.Get(path), 404, "not_found", "no such page: " + path);
  }
}

TEST_CASE("web_admin: other methods are 405 with Allow: GET, HEAD", "[http][web_admin]") {
  Server server;
  for (const std::string method : {"POST", "PUT", "DELETE", "PATCH"}) {
    for (const std::string path : {"/admin/", "/admin/app.js", "/", "/admin"}) {
      INFO(method << " " << path);
      const auto r = Http(server.process.port(), method, path);
      CheckError(r, 405, "method_not_allowed", path + " answers GET, HEAD");
      CHECK(r.headers.at("Allow") == "GET, HEAD");
    }
  }
}

TEST_CASE("web_admin: the API still answers and the pages have their own route labels",
          "[http][web_admin]") {
  Server server;
  const auto health = server.Get("/healthz");
  CHECK(health.status == 200);
  CHECK(health.Json()["status"] == "ok");
  // The API keeps its own, stricter headers.
  CHECK(health.headers.at("Content-Security-Policy") ==
        "default-src 'none'; frame-ancestors 'none'");
  CHECK(health.headers.at("Cache-Control") == "no-store");
  CHECK(health.headers.count("ETag") == 0);
  CHECK(server.Get("/api/v1/nope").Json()["error"]["code"] == "not_found");
  CHECK(server.Get("/api/v1/nope").status == 404);
  CHECK(server.Get("/administrator").status == 404);
  const auto openapi = server.Get("/api/v1/openapi.json");
  REQUIRE(openapi.status == 200);
  // The pages are not API routes: the OpenAPI document does not list them. (The document
  // is held: iterating a member of the temporary Json() would read freed memory.)
  const auto document = openapi.Json();
  for (const auto& item : document["paths"].items()) {
    INFO(item.key());
    CHECK(item.key() != "/");
    CHECK(item.key().rfind("/admin", 0) != 0);
  }
  server.Get("/");
  server.Get("/admin/");
  server.Get("/admin/nope");
  const std::string metrics = server.Get("/metrics").body;
  CHECK(metrics.find("route=\"/\",status=\"303\"} 1") != std::string::npos);
  CHECK(metrics.find("route=\"/admin/{asset}\",status=\"200\"} 1") != std::string::npos);
  CHECK(metrics.find("route=\"/admin/{asset}\",status=\"404\"} 1") != std::string::npos);
}

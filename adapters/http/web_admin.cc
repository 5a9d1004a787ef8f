#include "adapters/http/web_admin.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <functional>
#include <string_view>
#include <utility>

#include "adapters/http/handler.h"
#include "web-admin/assets.h"

namespace govassess::api {
namespace {

using Poco::Net::HTTPResponse;

constexpr char kPrefix[] = "/admin/";
constexpr char kAllow[] = "GET, HEAD";
// The API's policy forbids everything; a page must load its own script, style and images
// and call the API on its own origin. Still no inline script, no framing.
constexpr char kPagePolicy[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'";

using Respond = std::function<void(HTTPServerRequest&, HTTPServerResponse&)>;

// The pages need no state: each answer is a function.
class Answer final : public HTTPRequestHandler {
 public:
  explicit Answer(Respond respond) : respond_(std::move(respond)) {}
  void handleRequest(HTTPServerRequest& req, HTTPServerResponse& res) override {
    respond_(req, res);
  }

 private:
  Respond respond_;
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// If-None-Match is "*" or a list of entity tags, compared weakly (RFC 9110, 13.1.2).
bool NoneMatchHits(std::string_view header, std::string_view etag) {
  while (true) {
    const size_t comma = header.find(',');
    std::string_view tag = Trim(header.substr(0, comma));
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
    if (comma == std::string_view::npos) return false;
    header.remove_prefix(comma + 1);
  }
}

void SendAsset(const web::Asset& asset, HTTPServerRequest& req, HTTPServerResponse& res) {
  res.set("Content-Security-Policy", kPagePolicy);
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Referrer-Policy", "no-referrer");
  res.set("X-Frame-Options", "DENY");
  // Always revalidate: a new build's page is used at once, an unchanged one costs a 304.
  res.set("Cache-Control", "no-cache");
  res.set("ETag", std::string(asset.etag));
  if (req.has("If-None-Match") && NoneMatchHits(req.get("If-None-Match"), asset.etag)) {
    res.setStatusAndReason(HTTPResponse::HTTP_NOT_MODIFIED);
    res.send();
    return;
  }
  res.setStatusAndReason(HTTPResponse::HTTP_OK);
  res.setContentType(std::string(asset.content_type));
  res.setContentLength(std::streamsize(asset.body.size()));
  res.send().write(asset.body.data(), std::streamsize(asset.body.size()));
}

HTTPRequestHandler* RedirectToAdmin() {
  return new Answer([](HTTPServerRequest&, HTTPServerResponse& res) {
    SecurityHeaders(res);
    res.set("Location", kPrefix);
    res.setStatusAndReason(HTTPResponse::HTTP_SEE_OTHER);
    res.setContentLength(0);
    res.send();
  });
}

HTTPRequestHandler* Error(int status, std::string code, std::string message) {
  return new Answer([=](HTTPServerRequest&, HTTPServerResponse& res) {
    if (status == 405) res.set("Allow", kAllow);
    SendError(res, status, code, message);
  });
}

}  // namespace

HTTPRequestHandler* RouteWebAdmin(const std::string& method, const std::string& path,
                                  std::string* route) {
  const bool under_admin = path.rfind(kPrefix, 0) == 0;
  if (path != "/" && path != "/admin" && !under_admin) return nullptr;
  *route = under_admin ? "/admin/{asset}" : path;
  if (method != "GET" && method != "HEAD") {
    return Error(405, "method_not_allowed", path + " answers " + kAllow);
  }
  if (!under_admin) return RedirectToAdmin();
  // An exact match against the embedded names: "..", %-escapes and further slashes
  // simply name nothing, and no file system is touched.
  std::string_view name = std::string_view(path).substr(sizeof kPrefix - 1);
  const web::Asset* asset = web::FindAsset(name.empty() ? "index.html" : name);
  if (asset == nullptr) return Error(404, "not_found", "no such page: " + path);
  return new Answer(
      [asset](HTTPServerRequest& req, HTTPServerResponse& res) { SendAsset(*asset, req, res); });
}

}  // namespace govassess::api

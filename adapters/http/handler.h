// The shared pieces of the API's handlers: the Handler base (body parsing with size and
// UTF-8 limits, sign-in, journaled refusals), the one error shape, the JSON views of an
// instance, and the OpenAPI helpers the route tables are written with. Used by api.cc
// and the other route files (notify_api.cc); not part of the server's public surface.
//
// Functions are pure or write only to the response they are given; thread-safe.
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NameValueCollection.h>

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "adapters/http/api.h"
#include "adapters/http/auth.h"
#include "adapters/http/server.h"

namespace govassess::api {

using Poco::Net::HTTPRequestHandler;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

// Security headers every answer carries (CSP, nosniff, Referrer-Policy, no-store).
void SecurityHeaders(HTTPServerResponse& r);
void Send(HTTPServerResponse& r, int status, const std::string& body,
          const std::string& type = "application/json; charset=utf-8");
// JSON text; invalid UTF-8 in strings is replaced, never thrown.
std::string Dump(const Json& j);
void SendJson(HTTPServerResponse& r, int status, const Json& j);
// {"error": {"code", "message", "details"}}.
void SendError(HTTPServerResponse& r, int status, const std::string& code,
               const std::string& message, Json details = Json::object());
void SendStatus(HTTPServerResponse& r, const Status& s);
bool ValidUtf8(const std::string& s);
// "2026-01-05" (00:00 UTC) or "2026-01-05T08:30:00Z" → ms; nullopt if malformed.
std::optional<int64_t> ParseTime(const std::string& t);
// "http <client address>", the origin journal events record.
std::string Origin(const HTTPServerRequest& req);

Json InstanceJson(const Instance& i);
Json InstanceSummaryJson(const Instance& i);
std::string ETagOf(int64_t version);
// An instance id as the client sent it (URL-decoded): printable UTF-8, 1..512 bytes.
// The problem, or nullopt when fine.
std::optional<std::string> CheckId(const std::string& id);
void SendNoSuchInstance(HTTPServerResponse& res, const std::string& id);
// 409 for a write that conflicted on instance `id`. With a stale `expected` version
// (If-Match) the answer carries the current version: ETag and error.details
// {id, current_version, expected_version}, and says to read again; otherwise
// `message` and details {id}.
void SendConflict(HTTPServerResponse& res, Store* store, const std::string& id,
                  std::optional<int64_t> expected, const std::string& message);
std::map<std::string, std::string> QueryOf(const HTTPServerRequest& req);
// "3", "\"3\"" or W/"3" → 3.
std::optional<int64_t> ParseIfMatch(std::string v);

// OpenAPI pieces for the route tables.
Json Ref(const std::string& schema);
Json JsonResponse(const std::string& description, const std::string& schema);
Json ErrorResponse(const std::string& description);
Json PathParam(const std::string& name, const std::string& description);
Json QueryParam(const std::string& name, const std::string& description,
                const std::string& type = "string");
Json HeaderParam(const std::string& name, const std::string& description);

class Handler : public HTTPRequestHandler {
 public:
  Handler(const ServiceContext& ctx, const ServerOptions& opt) : ctx_(ctx), opt_(opt) {}

  void handleRequest(HTTPServerRequest& req, HTTPServerResponse& res) override {
    try {
      Handle(req, res);
    } catch (const std::exception& e) {
      SendError(res, 500, "internal", "the server failed to answer; the error was logged");
    }
  }

 protected:
  virtual void Handle(HTTPServerRequest& req, HTTPServerResponse& res) = 0;

  // Reads and parses a JSON object body. On failure the error was sent.
  std::optional<Json> Body(HTTPServerRequest& req, HTTPServerResponse& res,
                           bool empty_is_object = false) {
    if (req.getContentLength() > std::streamsize(opt_.max_body_bytes)) {
      // Read (and drop) a moderately oversized body so the client sees the answer
      // rather than a reset connection; then close the connection.
      if (req.getContentLength() <= std::streamsize(8 * opt_.max_body_bytes)) {
        char sink[8192];
        while (req.stream().read(sink, sizeof sink) || req.stream().gcount() > 0) {
        }
      }
      res.setKeepAlive(false);
      SendError(res, 413, "too_large",
                "the request body is larger than " + std::to_string(opt_.max_body_bytes) + " bytes");
      return std::nullopt;
    }
    std::string text;
    char buf[8192];
    std::istream& in = req.stream();
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
      text.append(buf, size_t(in.gcount()));
      if (text.size() > opt_.max_body_bytes) {
        SendError(res, 413, "too_large",
                  "the request body is larger than " + std::to_string(opt_.max_body_bytes) + " bytes");
        return std::nullopt;
      }
    }
    if (empty_is_object && text.find_first_not_of(" \t\r\n") == std::string::npos) {
      return Json::object();
    }
    if (!ValidUtf8(text)) {
      SendError(res, 400, "invalid_utf8", "the request body is not valid UTF-8");
      return std::nullopt;
    }
    Json j = Json::parse(text, nullptr, false);
    if (j.is_discarded()) {
      SendError(res, 400, "malformed_json", "the request body is not valid JSON");
      return std::nullopt;
    }
    if (!j.is_object()) {
      SendError(res, 400, "malformed_json", "the request body must be a JSON object");
      return std::nullopt;
    }
    return j;
  }

  // The signed-in principal, from "Authorization: Bearer …" or the session cookie.
  // On failure a 401 was sent.
  std::optional<Principal> Authenticate(HTTPServerRequest& req, HTTPServerResponse& res) {
    std::string token = Token(req);
    if (token.empty()) {
      SendError(res, 401, "unauthenticated", "sign in first: POST /api/v1/session");
      return std::nullopt;
    }
    // A write authenticated by the browser's cookie must come from our own origin
    // (the cookie is SameSite=Strict too): a strict Origin check against CSRF.
    const bool by_cookie = req.get("Authorization", "").rfind("Bearer ", 0) != 0;
    const std::string method = req.getMethod();
    if (by_cookie && method != "GET" && method != "HEAD") {
      const std::string origin = req.get("Origin", "");
      const std::string host = req.getHost();
      if (origin != "http://" + host && origin != "https://" + host) {
        SendError(res, 403, "forbidden",
                  "a cookie-authenticated write must come from this server's own page (Origin " +
                      (origin.empty() ? std::string("missing") : origin) + ")");
        return std::nullopt;
      }
    }
    auto p = ctx_.auth->Authenticate(token);
    if (!p.ok()) {
      SendStatus(res, p.status());
      return std::nullopt;
    }
    if (p->must_change_password) {
      // A one-time password opens nothing but the session and the password change.
      const std::string path = req.getURI().substr(0, req.getURI().find('?'));
      if (path != "/api/v1/session" && path != "/api/v1/me/password") {
        SendError(res, 403, "password_change_required",
                  "you signed in with a one-time password: choose your own first with "
                  "PUT /api/v1/me/password {\"current\", \"new\"}");
        return std::nullopt;
      }
    }
    return *p;
  }

  // Runs `c` as a conditional write: the request's If-Match (if any) is its expected
  // version. The accepted result; otherwise the answer (400 for a malformed If-Match,
  // 409 stale — with the current version, as SendConflict —, 403/422 refusals —
  // journaled by the engine —, 503) was sent.
  std::optional<CommandResult> ExecuteWithIfMatch(HTTPServerRequest& req, HTTPServerResponse& res,
                                                  Command c) {
    if (req.has("If-Match")) {
      auto v = ParseIfMatch(req.get("If-Match"));
      if (!v) {
        SendError(res, 400, "bad_header", "If-Match is the version you read, e.g. \"3\"");
        return std::nullopt;
      }
      c.expected_version = *v;
    }
    auto r = ctx_.engine->Execute(c);
    if (!r.ok()) {
      if (r.status().code() == Code::kConflict) {
        SendConflict(res, ctx_.store, c.instance_id, c.expected_version, r.status().message());
      } else {
        SendStatus(res, r.status());
      }
      return std::nullopt;
    }
    if (!r->accepted) {
      SendError(res, HttpStatusOf(r->refusal.code()), CodeName(r->refusal.code()), r->refusal.message());
      return std::nullopt;
    }
    res.set("ETag", ETagOf(r->instance().version));
    return std::move(*r);
  }

  // Refuses `action` to `p` with 403, journaling the refusal first (every refusal is on
  // the record, also the ones the API decides before any workflow sees the request).
  void Deny(HTTPServerRequest& req, HTTPServerResponse& res, const Principal& p,
            const std::string& action, const std::string& why) {
    JournalRefusal(req, p, action, why);
    SendError(res, 403, "forbidden", why);
  }

  // Journals a refusal on "access/<action>" without answering.
  void JournalRefusal(HTTPServerRequest& req, const Principal& p, const std::string& action,
                      const std::string& why) {
    Command c;
    c.instance_id = "access/" + action;
    c.type = "access";
    c.name = action;
    c.actor = p.ToActor(Origin(req));
    c.payload = {{"why", why}, {"method", req.getMethod()},
                 {"path", req.getURI().substr(0, req.getURI().find('?'))}};
    if (ctx_.engine->FindWorkflow("access") != nullptr) ctx_.engine->Execute(c);
  }

  static std::string Token(const HTTPServerRequest& req) {
    const std::string auth = req.get("Authorization", "");
    if (auth.rfind("Bearer ", 0) == 0) return auth.substr(7);
    Poco::Net::NameValueCollection cookies;
    req.getCookies(cookies);
    return cookies.get("govassess_session", "");
  }

  const ServiceContext& ctx_;
  const ServerOptions& opt_;
};


template <typename H>
std::function<HTTPRequestHandler*(const ServiceContext&, const ServerOptions&, const PathParams&)>
Make() {
  return [](const ServiceContext& c, const ServerOptions& o, const PathParams&) -> HTTPRequestHandler* {
    return new H(c, o);
  };
}

template <typename H>
std::function<HTTPRequestHandler*(const ServiceContext&, const ServerOptions&, const PathParams&)>
MakeWithParams() {
  return [](const ServiceContext& c, const ServerOptions& o, const PathParams& p) -> HTTPRequestHandler* {
    return new H(c, o, p);
  };
}

// Adds the notification routes (inbox, preferences, deliveries, calendar feeds).
void AddNotificationRoutes(std::vector<ApiRoute>* routes);
// Adds the workflow catalogue's routes (catalogue.cc).
void AddCatalogueRoutes(std::vector<ApiRoute>* routes);

}  // namespace govassess::api

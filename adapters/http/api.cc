#include "adapters/http/api.h"

#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <ctime>
#include <map>
#include <set>
#include <functional>
#include <sstream>

namespace govassess {
namespace {

using Poco::Net::HTTPRequestHandler;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

void SecurityHeaders(HTTPServerResponse& r) {
  r.set("X-Content-Type-Options", "nosniff");
  r.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  r.set("Referrer-Policy", "no-referrer");
  r.set("Cache-Control", "no-store");
}

void Send(HTTPServerResponse& r, int status, const std::string& body,
          const std::string& type = "application/json; charset=utf-8") {
  SecurityHeaders(r);
  r.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  r.setContentType(type);
  r.setContentLength(std::streamsize(body.size()));
  r.send() << body;
}

std::string Dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

void SendJson(HTTPServerResponse& r, int status, const Json& j) { Send(r, status, Dump(j)); }

void SendError(HTTPServerResponse& r, int status, const std::string& code,
               const std::string& message, Json details = Json::object()) {
  SendJson(r, status, {{"error", {{"code", code}, {"message", message}, {"details", details}}}});
}

void SendStatus(HTTPServerResponse& r, const Status& s) {
  SendError(r, HttpStatusOf(s.code()), CodeName(s.code()), s.message());
}

bool ValidUtf8(const std::string& s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      const unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    const bool overlong = (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

// "2026-01-05" (00:00 UTC) or "2026-01-05T08:30:00Z" → ms; nullopt if malformed.
std::optional<int64_t> ParseTime(const std::string& t) {
  int y, mo, d, h = 0, mi = 0, s = 0;
  char tail = 0;
  if (t.size() == 10) {
    if (std::sscanf(t.c_str(), "%4d-%2d-%2d%c", &y, &mo, &d, &tail) != 3) return std::nullopt;
  } else if (t.size() == 20 && t.back() == 'Z') {
    if (std::sscanf(t.c_str(), "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &mo, &d, &h, &mi, &s) != 6) {
      return std::nullopt;
    }
  } else {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return int64_t(timegm(&tm)) * 1000;
}

std::string Origin(const HTTPServerRequest& req) {
  return "http " + req.clientAddress().host().toString();
}

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
  std::optional<Json> Body(HTTPServerRequest& req, HTTPServerResponse& res) {
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
    auto p = ctx_.auth->Authenticate(token);
    if (!p.ok()) {
      SendStatus(res, p.status());
      return std::nullopt;
    }
    return *p;
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

class HealthHandler final : public Handler {
 public:
  using Handler::Handler;
  void Handle(HTTPServerRequest&, HTTPServerResponse& res) override {
    auto head = ctx_.store->Head();
    Json body{{"status", head.ok() ? "ok" : "degraded"},
              {"version", GOVASSESS_VERSION},
              {"database", {{"engine", "sqlite"}, {"path", opt_.db_path}, {"ok", head.ok()}}}};
    if (head.ok()) {
      body["journal"] = {{"events", head->seq}, {"head", head->hash}};
    } else {
      body["database"]["error"] = head.status().message();
    }
    SendJson(res, head.ok() ? 200 : 503, body);
  }
};

// Ready when the database answers and the journal head can be read.
class ReadyHandler final : public Handler {
 public:
  using Handler::Handler;
  void Handle(HTTPServerRequest&, HTTPServerResponse& res) override {
    auto head = ctx_.store->Head();
    if (!head.ok()) return SendJson(res, 503, {{"ready", false}, {"reason", head.status().message()}});
    SendJson(res, 200, {{"ready", true}});
  }
};

class MetricsHandler final : public Handler {
 public:
  using Handler::Handler;
  void Handle(HTTPServerRequest&, HTTPServerResponse& res) override {
    auto timers = ctx_.store->CountPendingTimers();
    auto head = ctx_.store->Head();
    const auto& c = ctx_.engine->committer();
    Send(res, 200,
         ctx_.metrics ? ctx_.metrics->Render(c.batches(), c.transactions(), timers.ok() ? *timers : -1,
                                             head.ok() ? head->seq : -1)
                      : std::string(),
         "text/plain; version=0.0.4; charset=utf-8");
  }
};

class SessionHandler final : public Handler {
 public:
  using Handler::Handler;
  void Handle(HTTPServerRequest& req, HTTPServerResponse& res) override {
    const std::string method = req.getMethod();
    if (method == "POST") return Login(req, res);
    if (method == "DELETE") {
      const std::string token = Token(req);
      if (!token.empty()) ctx_.auth->Logout(token, Origin(req));
      Poco::Net::HTTPCookie gone("govassess_session", "");
      gone.setMaxAge(0);
      gone.setPath("/");
      res.addCookie(gone);
      SecurityHeaders(res);
      res.setStatus(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
      res.send();
      return;
    }
    if (method == "GET") {
      auto p = Authenticate(req, res);
      if (!p) return;
      SendJson(res, 200, {{"user", {{"username", p->username}, {"role", p->role}, {"unit", p->unit}}}});
      return;
    }
    SendError(res, 405, "method_not_allowed", "/api/v1/session answers GET, POST and DELETE");
  }

 private:
  void Login(HTTPServerRequest& req, HTTPServerResponse& res) {
    auto body = Body(req, res);
    if (!body) return;
    for (const auto& [key, value] : body->items()) {
      if (key != "username" && key != "password") {
        return SendError(res, 400, "unknown_field", "unknown field \"" + key + "\"",
                         {{"field", key}});
      }
      if (!value.is_string()) {
        return SendError(res, 400, "wrong_type", "\"" + key + "\" must be a string", {{"field", key}});
      }
    }
    if (!body->contains("username") || !body->contains("password")) {
      return SendError(res, 400, "missing_field", "send {\"username\": …, \"password\": …}");
    }
    auto r = ctx_.auth->Login((*body)["username"], (*body)["password"], Origin(req));
    if (!r.ok()) {
      if (r.status().code() == Code::kRateLimited) res.set("Retry-After", "30");
      return SendStatus(res, r.status());
    }
    Poco::Net::HTTPCookie cookie("govassess_session", r->token);
    cookie.setHttpOnly(true);
    cookie.setPath("/");
    cookie.setSameSite(Poco::Net::HTTPCookie::SAME_SITE_STRICT);
    cookie.setSecure(req.secure());
    res.addCookie(cookie);
    SendJson(res, 201,
             {{"token", r->token},
              {"expires_at", FormatUtcMillis(r->expires_ms)},
              {"user",
               {{"username", r->principal.username},
                {"role", r->principal.role},
                {"unit", r->principal.unit}}}});
  }
};

bool MayReadAudit(const Principal& p) {
  return p.role == "auditor" || p.role == "office" || p.role == "admin";
}

std::string CsvCell(std::string v) {
  // A cell that a spreadsheet would take for a formula is made plain text.
  if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')) v = "'" + v;
  if (v.find_first_of(",\"\n\r") != std::string::npos) {
    std::string q = "\"";
    for (char c : v) q += (c == '"') ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  }
  return v;
}

class AuditHandler final : public Handler {
 public:
  AuditHandler(const ServiceContext& c, const ServerOptions& o, std::string what)
      : Handler(c, o), what_(std::move(what)) {}
  void Handle(HTTPServerRequest& req, HTTPServerResponse& res) override {
    if (req.getMethod() != "GET") {
      return SendError(res, 405, "method_not_allowed", "the audit trail is read-only");
    }
    auto p = Authenticate(req, res);
    if (!p) return;
    if (!MayReadAudit(*p)) {
      return SendError(res, 403, "forbidden", "only auditors, the office and admins read the audit trail");
    }
    if (what_ == "head") {
      auto h = ctx_.store->Head();
      if (!h.ok()) return SendStatus(res, h.status());
      return SendJson(res, 200, {{"seq", h->seq}, {"hash", h->hash}, {"head", h->ToString()}});
    }
    Poco::URI uri(req.getURI());
    std::map<std::string, std::string> q;
    for (const auto& [k, v] : uri.getQueryParameters()) q[k] = v;
    if (what_ == "verify") {
      std::optional<ChainHead> expected;
      if (q.count("expect_head")) {
        auto h = ChainHead::Parse(q["expect_head"]);
        if (!h.ok()) return SendStatus(res, h.status());
        expected = *h;
      }
      auto v = ctx_.store->VerifyJournal(expected);
      if (!v.ok()) {
        return SendJson(res, 200, {{"ok", false}, {"error", v.status().message()}});
      }
      return SendJson(res, 200, {{"ok", true}, {"events", v->seq}, {"head", v->hash}});
    }
    static const std::set<std::string> kKnown = {"actor",  "role", "unit", "entity", "command",
                                                 "outcome", "from", "to",   "cursor", "limit",
                                                 "format"};
    for (const auto& [k, v] : q) {
      if (!kKnown.count(k)) {
        return SendError(res, 400, "unknown_parameter", "unknown query parameter \"" + k + "\"",
                         {{"parameter", k}});
      }
    }
    JournalFilter f;
    f.actor = q["actor"];
    f.role = q["role"];
    f.unit = q["unit"];
    f.entity = q["entity"];
    f.command = q["command"];
    f.outcome = q["outcome"];
    if (!f.outcome.empty() && f.outcome != "accepted" && f.outcome != "refused") {
      return SendError(res, 400, "bad_parameter", "outcome is accepted or refused");
    }
    for (auto [name, target] : {std::pair{"from", &f.from_ms}, std::pair{"to", &f.to_ms}}) {
      if (q.count(name) && !q[name].empty()) {
        auto t = ParseTime(q[name]);
        if (!t) {
          return SendError(res, 400, "bad_parameter",
                           std::string(name) + " is YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC)");
        }
        *target = *t;
      }
    }
    if (q.count("to") && q["to"].size() == 10) f.to_ms += 24 * 3600 * 1000 - 1;  // the whole day
    try {
      if (q.count("cursor")) f.after_seq = std::stoll(q["cursor"]);
      f.limit = q.count("limit") ? std::stoul(q["limit"]) : 100;
    } catch (const std::exception&) {
      return SendError(res, 400, "bad_parameter", "cursor and limit are whole numbers");
    }
    if (f.limit < 1 || f.limit > 10000) {
      return SendError(res, 400, "bad_parameter", "limit is from 1 to 10000");
    }
    const std::string format = q.count("format") ? q["format"] : "json";
    auto events = ctx_.store->QueryJournal(f);
    if (!events.ok()) return SendStatus(res, events.status());
    if (format == "csv") {
      std::string out = "\xEF\xBB\xBF";  // BOM, so spreadsheet programs read UTF-8
      out += "seq,ts,actor,role,unit,origin,command,entity,outcome,reason,hash\r\n";
      for (const auto& e : *events) {
        out += std::to_string(e.seq) + "," + FormatUtcMillis(e.ts_ms) + "," + CsvCell(e.actor.user) +
               "," + CsvCell(e.actor.role) + "," + CsvCell(e.actor.unit) + "," +
               CsvCell(e.actor.origin) + "," + CsvCell(e.command) + "," + CsvCell(e.entity) + "," +
               e.outcome + "," + CsvCell(e.reason) + "," + e.hash + "\r\n";
      }
      res.set("Content-Disposition", "attachment; filename=\"govassess-audit.csv\"");
      return Send(res, 200, out, "text/csv; charset=utf-8");
    }
    auto to_json = [](const JournalEvent& e) {
      return Json{{"seq", e.seq},         {"ts", FormatUtcMillis(e.ts_ms)},
                  {"actor", {{"user", e.actor.user}, {"role", e.actor.role}, {"unit", e.actor.unit}, {"origin", e.actor.origin}}},
                  {"command", e.command}, {"entity", e.entity}, {"entity_type", e.entity_type},
                  {"outcome", e.outcome}, {"reason", e.reason}, {"payload", e.payload},
                  {"change", e.change},   {"hash", e.hash}};
    };
    if (format == "jsonl") {
      std::string out;
      for (const auto& e : *events) out += Dump(to_json(e)) + "\n";
      return Send(res, 200, out, "application/x-ndjson; charset=utf-8");
    }
    if (format != "json") return SendError(res, 400, "bad_parameter", "format is json, jsonl or csv");
    Json list = Json::array();
    for (const auto& e : *events) list.push_back(to_json(e));
    Json next = events->size() == f.limit ? Json(events->back().seq) : Json(nullptr);
    SendJson(res, 200, {{"events", list}, {"next_cursor", next}});
  }

 private:
  std::string what_;
};

class ErrorHandler final : public HTTPRequestHandler {
 public:
  ErrorHandler(int status, std::string code, std::string message)
      : status_(status), code_(std::move(code)), message_(std::move(message)) {}
  void handleRequest(HTTPServerRequest&, HTTPServerResponse& res) override {
    SendError(res, status_, code_, message_);
  }

 private:
  int status_;
  std::string code_, message_;
};

}  // namespace

int HttpStatusOf(Code code) {
  switch (code) {
    case Code::kOk: return 200;
    case Code::kInvalidArgument: return 422;
    case Code::kNotFound: return 404;
    case Code::kConflict: return 409;
    case Code::kRefused: return 422;
    case Code::kForbidden: return 403;
    case Code::kOutOfRange: return 422;
    case Code::kUnauthenticated: return 401;
    case Code::kRateLimited: return 429;
    case Code::kUnavailable: return 503;
    case Code::kCorruption:
    case Code::kInternal: return 500;
  }
  return 500;
}

HTTPRequestHandler* Route(const HTTPServerRequest& req, const ServiceContext& ctx,
                          const ServerOptions& opt, std::string* route) {
  const std::string path = Poco::URI(req.getURI()).getPath();
  static const std::set<std::string> kRoutes = {"/healthz", "/readyz", "/metrics", "/api/v1/session",
                                                "/api/v1/audit", "/api/v1/audit/verify",
                                                "/api/v1/audit/head"};
  *route = kRoutes.count(path) ? path : "unmatched";
  if (path == "/readyz") return new ReadyHandler(ctx, opt);
  if (path == "/metrics") return new MetricsHandler(ctx, opt);
  if (path == "/healthz") {
    if (req.getMethod() != "GET" && req.getMethod() != "HEAD") {
      return new ErrorHandler(405, "method_not_allowed", "/healthz answers GET only");
    }
    return new HealthHandler(ctx, opt);
  }
  if (path == "/api/v1/session") return new SessionHandler(ctx, opt);
  if (path == "/api/v1/audit") return new AuditHandler(ctx, opt, "list");
  if (path == "/api/v1/audit/verify") return new AuditHandler(ctx, opt, "verify");
  if (path == "/api/v1/audit/head") return new AuditHandler(ctx, opt, "head");
  return new ErrorHandler(404, "not_found", "no such route: " + path);
}

}  // namespace govassess

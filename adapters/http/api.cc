#include "adapters/http/api.h"

#include "adapters/http/access.h"
#include "adapters/http/catalogue.h"
#include "adapters/http/handler.h"
#include "adapters/http/openapi.h"
#include "adapters/http/web_admin.h"
#include "engine/calendar_format.h"
#include "workflows/calendar_workflow.h"
#include "workflows/user_workflow.h"

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

using namespace api;  // NOLINT: the handlers' shared pieces

using Poco::Net::HTTPRequestHandler;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;


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
    // Before the timer count, which writes the held rows first.
    auto behind = ctx_.store->EventsBehind();
    auto timers = ctx_.store->CountPendingTimers();
    auto head = ctx_.store->Head();
    const auto& c = ctx_.engine->committer();
    Send(res, 200,
         ctx_.metrics ? ctx_.metrics->Render(c.batches(), c.transactions(), timers.ok() ? *timers : -1,
                                             head.ok() ? head->seq : -1,
                                             behind.ok() ? *behind : -1)
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
      res.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
      res.send();
      return;
    }
    if (method == "GET") {
      auto p = Authenticate(req, res);
      if (!p) return;
      SendJson(res, 200, {{"user", {{"username", p->username}, {"role", p->role}, {"unit", p->unit}}},
                          {"must_change_password", p->must_change_password}});
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
              {"must_change_password", r->principal.must_change_password},
              {"user",
               {{"username", r->principal.username},
                {"role", r->principal.role},
                {"unit", r->principal.unit}}}});
  }
};

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
    if (!MayDo(*p, "read_audit")) {
      return Deny(req, res, *p, "read_audit", "only auditors, the office and admins read the audit trail");
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
          return SendError(
              res, 400, "bad_parameter",
              std::string(name) +
                  " is YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS.mmmZ (UTC)");
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

// ---- instances -----------------------------------------------------------------


class InstanceHandler final : public Handler {
 public:
  InstanceHandler(const ServiceContext& c, const ServerOptions& o, PathParams params)
      : Handler(c, o), params_(std::move(params)) {}
  void Handle(HTTPServerRequest& req, HTTPServerResponse& res) override {
    auto p = Authenticate(req, res);
    if (!p) return;
    if (!MayDo(*p, "read_instance")) {
      return SendError(res, 403, "forbidden", "your role does not read instances");
    }
    const std::string& id = params_.at("id");
    if (auto bad = CheckId(id)) return SendError(res, 400, "bad_parameter", *bad);
    auto inst = ctx_.store->Get(id);
    if (!inst.ok()) {
      if (inst.status().code() == Code::kNotFound) return SendNoSuchInstance(res, id);
      return SendStatus(res, inst.status());
    }
    if (!MaySee(*p, *inst)) {
      // The caller learns nothing (404, as for a missing one); the auditor does.
      JournalRefusal(req, *p, "read_instance", "not visible to this user: " + id);
      return SendNoSuchInstance(res, id);
    }
    res.set("ETag", ETagOf(inst->version));
    SendJson(res, 200, InstanceJson(*inst));
  }

 private:
  PathParams params_;
};

class InstanceListHandler final : public Handler {
 public:
  InstanceListHandler(const ServiceContext& c, const ServerOptions& o, PathParams)
      : Handler(c, o) {}
  void Handle(HTTPServerRequest& req, HTTPServerResponse& res) override {
    auto p = Authenticate(req, res);
    if (!p) return;
    if (!MayDo(*p, "list_instances")) {
      return SendError(res, 403, "forbidden", "your role does not list instances");
    }
    std::map<std::string, std::string> q;
    try {
      q = QueryOf(req);
    } catch (const std::exception&) {
      return SendError(res, 400, "bad_parameter", "the query string is not valid URL encoding");
    }
    static const std::set<std::string> kKnown = {"type", "prefix", "state", "after", "limit",
                                                 "with"};
    for (const auto& [k, v] : q) {
      if (!kKnown.count(k)) {
        return SendError(res, 400, "unknown_parameter",
                         "unknown query parameter \"" + k +
                             "\"; use type, prefix, state, after, limit, with",
                         {{"parameter", k}});
      }
      if (!ValidUtf8(v)) {
        return SendError(res, 400, "invalid_utf8", "query parameter \"" + k + "\" is not valid UTF-8",
                         {{"parameter", k}});
      }
    }
    // with=data lists each instance with its data: one request for a board instead of one
    // per instance. Pages are smaller then, since data can be large (a plan: ~50 KB).
    const bool with_data = q.count("with") != 0;
    if (with_data && q["with"] != "data") {
      return SendError(res, 400, "bad_parameter", "with takes one value: data",
                       {{"parameter", "with"}});
    }
    const size_t max_limit = with_data ? 200 : 1000;
    size_t limit = 100;
    if (q.count("limit")) {
      const std::string& l = q["limit"];
      if (l.empty() || l.size() > 4 || l.find_first_not_of("0123456789") != std::string::npos ||
          std::stoul(l) < 1 || std::stoul(l) > max_limit) {
        return SendError(res, 400, "bad_parameter",
                         "limit is a whole number from 1 to " + std::to_string(max_limit) +
                             (with_data ? " with data" : ""),
                         {{"parameter", "limit"}});
      }
      limit = std::stoul(l);
    }
    InstanceFilter f;
    f.type = q["type"];
    f.id_prefix = q["prefix"];
    f.state = q["state"];
    f.after_id = q["after"];
    // Page through the store until `limit` visible instances are found or it is exhausted.
    const size_t kChunk = 500;
    Json list = Json::array();
    while (list.size() < limit) {
      f.limit = kChunk;
      auto batch = ctx_.store->List(f);
      if (!batch.ok()) return SendStatus(res, batch.status());
      for (const auto& inst : *batch) {
        if (MaySee(*p, inst)) {
          list.push_back(with_data ? InstanceJson(inst) : InstanceSummaryJson(inst));
          if (list.size() == limit) break;
        }
      }
      if (batch->size() < kChunk) break;
      f.after_id = batch->back().id;
    }
    Json next = list.size() == limit ? list.back()["id"] : Json(nullptr);
    SendJson(res, 200, {{"instances", list}, {"next_after", next}});
  }
};


bool ValidCommandName(const std::string& n) {
  if (n.empty() || n.size() > 64 || !(n[0] >= 'a' && n[0] <= 'z')) return false;
  for (char c : n) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

class CommandHandler final : public Handler {
 public:
  CommandHandler(const ServiceContext& c, const ServerOptions& o, PathParams params)
      : Handler(c, o), params_(std::move(params)) {}
  void Handle(HTTPServerRequest& req, HTTPServerResponse& res) override {
    auto p = Authenticate(req, res);
    if (!p) return;
    if (!MayDo(*p, "execute_command") || p->role == "system") {
      return SendError(res, 403, "forbidden", "your role does not send commands");
    }
    const std::string& id = params_.at("id");
    const std::string& name = params_.at("name");
    if (auto bad = CheckId(id)) return SendError(res, 400, "bad_parameter", *bad);
    if (!ValidCommandName(name)) {
      return SendError(res, 400, "bad_parameter",
                       "a command name is 1 to 64 characters of a-z, 0-9 and _, starting with a letter",
                       {{"parameter", "name"}});
    }
    Command cmd;
    cmd.instance_id = id;
    cmd.name = name;
    cmd.actor = p->ToActor(Origin(req));
    if (req.has("If-Match")) {
      auto v = ParseIfMatch(req.get("If-Match"));
      if (!v) {
        return SendError(res, 400, "bad_header",
                         "If-Match is the version you read, e.g. If-Match: \"3\" (the ETag of GET)",
                         {{"header", "If-Match"}});
      }
      cmd.expected_version = *v;
    }
    if (req.has("Idempotency-Key")) {
      const std::string key = req.get("Idempotency-Key");
      bool printable = !key.empty() && key.size() <= 200;
      for (unsigned char c : key) printable = printable && c > 0x20 && c < 0x7F;
      if (!printable) {
        return SendError(res, 400, "bad_header",
                         "Idempotency-Key is 1 to 200 printable ASCII characters without spaces",
                         {{"header", "Idempotency-Key"}});
      }
      // Scoped to the user, so one user's key never answers another user's request.
      cmd.idempotency_key = "http/" + p->username + "/" + key;
    }
    auto body = Body(req, res, /*empty_is_object=*/true);
    if (!body) return;
    for (const auto& [key, value] : body->items()) {
      if (key == "type" || key == "reason") {
        if (!value.is_string()) {
          return SendError(res, 400, "wrong_type", "\"" + key + "\" must be a string", {{"field", key}});
        }
      } else if (key == "payload") {
        if (!value.is_object()) {
          return SendError(res, 400, "wrong_type", "\"payload\" must be a JSON object",
                           {{"field", key}});
        }
      } else {
        return SendError(res, 400, "unknown_field",
                         "unknown field \"" + key + "\"; a command body has type, reason and payload",
                         {{"field", key}});
      }
    }
    cmd.type = body->value("type", "");
    cmd.reason = body->value("reason", "");
    cmd.payload = body->value("payload", Json::object());
    auto current = ctx_.store->Get(id);
    if (current.ok()) {
      if (!MaySee(*p, *current)) {
        JournalRefusal(req, *p, "execute_command", "not visible to this user: " + id);
        return SendNoSuchInstance(res, id);
      }
      if (cmd.type.empty()) cmd.type = current->type;
    } else if (current.status().code() != Code::kNotFound) {
      return SendStatus(res, current.status());
    } else if (cmd.type.empty()) {
      return SendError(res, 404, "not_found",
                       "no such instance: \"" + id +
                           "\"; to create it, send the creating command with {\"type\": …}",
                       {{"id", id}});
    }
    const bool registry = ctx_.registry != nullptr && cmd.instance_id.rfind("registry/", 0) == 0;
    auto r = registry ? ctx_.registry->Execute(cmd) : ctx_.engine->Execute(cmd);
    if (!r.ok()) {
      if (r.status().code() == Code::kConflict) {
        return SendConflict(res, ctx_.store, id, cmd.expected_version, r.status().message());
      }
      if (r.status().code() == Code::kNotFound) return SendNoSuchInstance(res, id);
      return SendStatus(res, r.status());
    }
    if (r->instance().version > 0) res.set("ETag", ETagOf(r->instance().version));
    if (r->replayed) res.set("Idempotent-Replayed", "true");
    if (r->accepted) return SendJson(res, 200, r->ToJson());
    const bool forbidden = r->refusal.code() == Code::kForbidden;
    SendError(res, forbidden ? 403 : 422, forbidden ? "forbidden" : "refused", r->refusal.message(),
              r->ToJson());
  }

 private:
  PathParams params_;
};

class OpenApiHandler final : public Handler {
 public:
  OpenApiHandler(const ServiceContext& c, const ServerOptions& o, PathParams) : Handler(c, o) {}
  void Handle(HTTPServerRequest&, HTTPServerResponse& res) override {
    static const std::string kDocument = Dump(OpenApiDocument());
    Send(res, 200, kDocument);
  }
};

class ErrorHandler final : public HTTPRequestHandler {
 public:
  ErrorHandler(int status, std::string code, std::string message, std::string allow = "")
      : status_(status), code_(std::move(code)), message_(std::move(message)),
        allow_(std::move(allow)) {}
  void handleRequest(HTTPServerRequest&, HTTPServerResponse& res) override {
    if (!allow_.empty()) res.set("Allow", allow_);
    SendError(res, status_, code_, message_);
  }

 private:
  int status_;
  std::string code_, message_, allow_;
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

namespace {

// ---- the route table's OpenAPI helpers ----------------------------------------------


std::function<HTTPRequestHandler*(const ServiceContext&, const ServerOptions&, const PathParams&)>
MakeAudit(const std::string& what) {
  return [what](const ServiceContext& c, const ServerOptions& o, const PathParams&) -> HTTPRequestHandler* {
    return new AuditHandler(c, o, what);
  };
}

// The calendar routes: signed in, a role that may use the calendar, a calendar loaded.
class CalendarRoute : public Handler {
 public:
  using Handler::Handler;

 protected:
  // False when the request was answered (401, 403 — journaled — or 503).
  bool Admitted(HTTPServerRequest& req, HTTPServerResponse& res) {
    auto p = Authenticate(req, res);
    if (!p) return false;
    if (!MayDo(*p, "use_calendar")) {
      Deny(req, res, *p, "use_calendar", "your role may not use the calendar");
      return false;
    }
    if (ctx_.calendar == nullptr) {
      SendError(res, 503, "unavailable", "no calendar loaded");
      return false;
    }
    return true;
  }
};

// Working-day arithmetic with the server's calendar (the one the deadlines use).
class CalendarHandler final : public CalendarRoute {
 public:
  using CalendarRoute::CalendarRoute;
  void Handle(HTTPServerRequest& req, HTTPServerResponse& res) override {
    if (!Admitted(req, res)) return;
    std::map<std::string, std::string> q;
    for (const auto& [k, v] : Poco::URI(req.getURI()).getQueryParameters()) q[k] = v;
    for (const auto& [k, v] : q) {
      if (k != "date" && k != "days") {
        return SendError(res, 400, "unknown_parameter", "unknown query parameter \"" + k + "\"");
      }
    }
    auto date = Date::Parse(q["date"]);
    if (!date.ok()) return SendError(res, 400, "bad_parameter", "date: " + date.status().message());
    auto working = ctx_.calendar->Now().IsWorkingDay(*date);
    if (!working.ok()) return SendStatus(res, working.status());
    Json out{{"date", date->ToString()}, {"working_day", *working}};
    if (q.count("days")) {
      int days = 0;
      try {
        size_t used = 0;
        days = std::stoi(q["days"], &used);
        if (used != q["days"].size() || days < -3650 || days > 3650) throw std::out_of_range("days");
      } catch (const std::exception&) {
        return SendError(res, 400, "bad_parameter", "days is a whole number from -3650 to 3650");
      }
      auto after = ctx_.calendar->Now().AddWorkingDays(*date, days);
      if (!after.ok()) return SendStatus(res, after.status());
      out["days"] = days;
      out["result"] = after->ToString();
    }
    SendJson(res, 200, out);
  }
};

// The calendar in force: every year it covers, where each came from (shipped with the
// server, loaded by an admin, or loaded in place of the shipped one), and its holidays.
class CalendarYearsHandler final : public CalendarRoute {
 public:
  using CalendarRoute::CalendarRoute;
  void Handle(HTTPServerRequest& req, HTTPServerResponse& res) override {
    if (!Admitted(req, res)) return;
    const auto params = Poco::URI(req.getURI()).getQueryParameters();
    if (!params.empty()) {
      return SendError(res, 400, "unknown_parameter",
                       "unknown query parameter \"" + params.front().first + "\"");
    }
    const WorkingDayCalendar& now = ctx_.calendar->Now();
    const WorkingDayCalendar& shipped = ctx_.calendar->shipped();
    const std::string id = workflows::CalendarId(shipped.region());
    Json loaded_by = Json::object();
    int64_t version = 0;
    auto stored = ctx_.engine->ReadCurrent(id);
    if (stored.ok()) {
      version = (*stored)->version;
      loaded_by = Member((*stored)->data, "loaded");
    } else if (!stored.status().IsNotFound()) {
      return SendStatus(res, stored.status());
    }
    std::set<int> loaded;
    for (const CalendarYear& y : ctx_.calendar->Loaded()) loaded.insert(y.year);
    Json document = Json::parse(SerialiseCalendar(now));
    Json years = Json::array();
    for (Json& year : document["years"]) {
      const int y = year["year"].get<int>();
      const std::string key = std::to_string(y);
      if (loaded.count(y) == 0) {
        year["origin"] = "shipped";
      } else {
        year["origin"] = shipped.Covers(y) ? "corrected" : "loaded";
        if (loaded_by.is_object() && loaded_by.contains(key)) {
          year["loaded_by"] = loaded_by[key].value("by", "");
          year["loaded_at"] = loaded_by[key].value("at", "");
        }
      }
      years.push_back(std::move(year));
    }
    SendJson(res, 200,
             Json{{"region", now.region()},
                  {"weekend", document["weekend"]},
                  {"covered", now.CoveredYearsText()},
                  {"instance", id},
                  {"version", version},
                  {"years", std::move(years)}});
  }
};

// The duplicate review of an application that is not submitted (yet).
class RegistryCheckHandler final : public Handler {
 public:
  using Handler::Handler;
  void Handle(HTTPServerRequest& req, HTTPServerResponse& res) override {
    auto p = Authenticate(req, res);
    if (!p) return;
    if (!MayDo(*p, "check_duplicates")) {
      return Deny(req, res, *p, "check_duplicates",
                  "only lead assessors, the office, leaders, the committee, auditors and admins "
                  "run duplicate reviews");
    }
    if (ctx_.registry == nullptr) return SendError(res, 503, "unavailable", "no registry loaded");
    auto body = Body(req, res);
    if (!body) return;
    for (const auto& [k, v] : body->items()) {
      if (k != "name" && k != "indicators") {
        return SendError(res, 400, "unknown_field", "unknown field \"" + k + "\"", {{"field", k}});
      }
    }
    const Json& name = (*body)["name"];
    const Json& indicators = body->value("indicators", Json::array());
    if (!name.is_string() || !indicators.is_array()) {
      return SendError(res, 400, "wrong_type",
                       "send {\"name\": \"…\", \"indicators\": [\"…\", …]}");
    }
    std::vector<std::string> list;
    for (const Json& i : indicators) {
      if (!i.is_string()) return SendError(res, 400, "wrong_type", "indicators are strings");
      list.push_back(i.get<std::string>());
    }
    auto matches = ctx_.registry->Check(name.get<std::string>(), list);
    if (!matches.ok()) return SendStatus(res, matches.status());
    Json out = Json::array();
    for (const auto& m : *matches) out.push_back(registry::MatchToJson(m));
    SendJson(res, 200, {{"matches", out}, {"compared_with", ctx_.registry->indexed()}});
  }
};

// PUT /api/v1/me/password {"current", "new"}: the user's own password change.
class PasswordHandler final : public Handler {
 public:
  using Handler::Handler;
  void Handle(HTTPServerRequest& req, HTTPServerResponse& res) override {
    auto p = Authenticate(req, res);
    if (!p) return;
    auto body = Body(req, res);
    if (!body) return;
    for (const auto& [key, value] : body->items()) {
      if (key != "current" && key != "new") {
        return SendError(res, 400, "unknown_field", "unknown field \"" + key + "\"", {{"field", key}});
      }
      if (!value.is_string()) {
        return SendError(res, 400, "wrong_type", "\"" + key + "\" must be a string", {{"field", key}});
      }
    }
    if (!body->contains("current") || !body->contains("new")) {
      return SendError(res, 400, "missing_field", "send {\"current\": …, \"new\": …}");
    }
    Status s = ctx_.auth->ChangePassword(*p, (*body)["current"], (*body)["new"], Origin(req));
    if (!s.ok()) return SendStatus(res, s);
    SecurityHeaders(res);
    res.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
    res.send();
  }
};

// POST /api/v1/users/{username}/one-time-password [{"reason"}]: an admin hands a user a
// new one-time password (journaled as set_password by the admin, without the secret;
// the user's sessions end). The password is in this answer only.
class OneTimePasswordHandler final : public Handler {
 public:
  OneTimePasswordHandler(const ServiceContext& c, const ServerOptions& o, const PathParams& params)
      : Handler(c, o), username_(params.count("username") ? params.at("username") : "") {}
  void Handle(HTTPServerRequest& req, HTTPServerResponse& res) override {
    auto p = Authenticate(req, res);
    if (!p) return;
    if (!MayDo(*p, "issue_password")) {
      return Deny(req, res, *p, "issue_password", "only an admin issues one-time passwords");
    }
    auto body = Body(req, res, /*empty_is_object=*/true);
    if (!body) return;
    for (const auto& [key, value] : body->items()) {
      if (key != "reason") {
        return SendError(res, 400, "unknown_field",
                         "unknown field \"" + key + "\"; send nothing, {} or {\"reason\": …}",
                         {{"field", key}});
      }
      if (!value.is_string()) {
        return SendError(res, 400, "wrong_type", "\"reason\" must be a string", {{"field", key}});
      }
    }
    if (Status s = workflows::CheckUsername(username_); !s.ok()) {
      return SendError(res, 400, "bad_parameter", s.message(), {{"parameter", "username"}});
    }
    auto password = ctx_.auth->IssueOneTimePassword(username_, p->ToActor(Origin(req)),
                                                    body->value("reason", ""));
    if (!password.ok()) {
      if (password.status().code() == Code::kNotFound) {
        return SendError(res, 404, "not_found",
                         "no user \"" + username_ +
                             "\"; create it first: POST "
                             "/api/v1/instances/user%2F" +
                             username_ + "/commands/create",
                         {{"username", username_}});
      }
      return SendStatus(res, password.status());
    }
    SendJson(res, 201,
             {{"username", username_},
              {"one_time_password", *password},
              {"must_change_password", true}});
  }

 private:
  std::string username_;
};

// The yearly quota of special assessments: cap, licensed, approved, pending.
class QuotaHandler final : public Handler {
 public:
  QuotaHandler(const ServiceContext& c, const ServerOptions& o, const PathParams& params)
      : Handler(c, o), year_(params.count("year") ? params.at("year") : "") {}
  void Handle(HTTPServerRequest& req, HTTPServerResponse& res) override {
    auto p = Authenticate(req, res);
    if (!p) return;
    if (!MayDo(*p, "read_quota")) {
      return Deny(req, res, *p, "read_quota",
                  "only lead assessors, the office, leaders, the committee, auditors and admins "
                  "read the special-assessment quota");
    }
    if (ctx_.registry == nullptr) return SendError(res, 503, "unavailable", "no registry loaded");
    if (year_.size() != 4 || year_.find_first_not_of("0123456789") != std::string::npos) {
      return SendError(res, 400, "bad_parameter", "year is four digits, e.g. 2026");
    }
    auto quota = ctx_.registry->Quota(std::stoi(year_));
    if (!quota.ok()) return SendStatus(res, quota.status());
    SendJson(res, 200, *quota);
  }

 private:
  std::string year_;
};

// The executeCommand description's list of commands per workflow type.
std::string CommandListMarkdown() {
  std::string out =
      "The commands of each workflow type (the instance's type, or \"type\" when creating); "
      "GET /api/v1/workflows/{type} says who may send each, in which states, whether a reason "
      "is required, and the JSON Schema of its payload (also in x-commands and "
      "components.schemas.CommandPayload.<type>.<command>). Commands marked (system) are sent "
      "by timers or the server, never by a client.\n";
  for (const Json& entry : WorkflowCatalogue()) {
    out += "\n- **" + entry["type"].get<std::string>() + "**: ";
    std::string names;
    for (const Json& c : entry["commands"]) {
      names += (names.empty() ? "" : ", ") + c["name"].get<std::string>() +
               (c["system"].get<bool>() ? " (system)" : "");
    }
    out += names.empty() ? "none (it refuses every command)" : names;
  }
  return out;
}

// x-commands of executeCommand: {type: {command: {summary, roles, states,
// reason_required, system, payload: $ref}}}.
Json CommandExtension() {
  Json out = Json::object();
  for (const Json& entry : WorkflowCatalogue()) {
    const std::string type = entry["type"];
    Json commands = Json::object();
    for (const Json& c : entry["commands"]) {
      commands[c["name"].get<std::string>()] = {
          {"summary", c["summary"]},
          {"roles", c["roles"]},
          {"states", c["states"]},
          {"creates", c["creates"]},
          {"reason_required", c["reason_required"]},
          {"system", c["system"]},
          {"payload", Ref(PayloadSchemaName(type, c["name"]))}};
    }
    out[type] = std::move(commands);
  }
  return out;
}

std::vector<ApiRoute> BuildRoutes() {
  const Json unauthorized = ErrorResponse("not signed in, or the session ended: POST /api/v1/session");
  const Json forbidden = ErrorResponse("your role may not do this");
  const Json bad_request = ErrorResponse("malformed request: the message says what to fix");
  const Json id_param = PathParam(
      "id", "the instance id, URL-encoded as ONE path segment (slashes as %2F), e.g. "
            "lifecycle%2F2026%2Fcity%2Fgx-nanning");
  std::vector<ApiRoute> r;
  auto add = [&r](ApiRoute route) { r.push_back(std::move(route)); };

  add({"GET", "/healthz", "getHealth", "operations", "Liveness and database status",
       "Status, version, database and journal head; 503 when the database does not answer.",
       false, Json::array(), nullptr,
       {{"200", JsonResponse("healthy", "Health")},
        {"405", ErrorResponse("only GET")},
        {"503", JsonResponse("degraded", "Health")}},
       Make<HealthHandler>()});
  add({"GET", "/readyz", "getReady", "operations", "Readiness",
       "Ready when the database answers and the journal head can be read.", false, Json::array(),
       nullptr,
       {{"200", JsonResponse("ready", "Ready")},
        {"405", ErrorResponse("only GET")},
        {"503", JsonResponse("not ready", "Ready")}},
       Make<ReadyHandler>()});
  add({"GET", "/metrics", "getMetrics", "operations", "Prometheus metrics",
       "Request counts and latencies, commits, pending timers, journal length (text format 0.0.4).",
       false, Json::array(), nullptr,
       {{"200", {{"description", "metrics"}, {"content", {{"text/plain", {{"schema", {{"type", "string"}}}}}}}}},
        {"405", ErrorResponse("only GET")}},
       Make<MetricsHandler>()});
  add({"GET", "/api/v1/openapi.json", "getOpenApi", "operations", "This OpenAPI document",
       "The OpenAPI 3.1 description of every route, built from the router's own table.", false,
       Json::array(), nullptr,
       {{"200", {{"description", "the document"}, {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}}},
        {"405", ErrorResponse("only GET")}},
       MakeWithParams<OpenApiHandler>()});
  add({"POST", "/api/v1/session", "createSession", "session", "Sign in",
       "Returns a session token (also set as an HttpOnly cookie). Repeated failures back off (429).",
       false, Json::array(),
       {{"required", true}, {"content", {{"application/json", {{"schema", Ref("LoginRequest")}}}}}},
       {{"201", JsonResponse("signed in", "Session")},
        {"400", bad_request},
        {"401", ErrorResponse("wrong username or password")},
        {"413", ErrorResponse("body too large")},
        {"429", ErrorResponse("too many failed attempts; see Retry-After")}},
       Make<SessionHandler>()});
  add({"GET", "/api/v1/session", "getSession", "session", "Who am I",
       "The signed-in user.", true, Json::array(), nullptr,
       {{"200", JsonResponse("the user", "SessionUser")}, {"401", unauthorized}},
       Make<SessionHandler>()});
  add({"DELETE", "/api/v1/session", "deleteSession", "session", "Sign out",
       "Ends the session; not an error when it had already ended.", false, Json::array(), nullptr,
       {{"204", {{"description", "signed out"}}}, {"400", bad_request}}, Make<SessionHandler>()});
  add({"PUT", "/api/v1/me/password", "changePassword", "session", "Change your password",
       "Checks the current password (a wrong one counts like a failed sign-in), sets the new "
       "one (12 to 1024 characters) and ends every session: sign in again. A user who signed "
       "in with a one-time password must do this before anything else (403 "
       "password_change_required).",
       true, Json::array(),
       {{"required", true}, {"content", {{"application/json", {{"schema", Ref("PasswordChange")}}}}}},
       {{"204", {{"description", "changed; sign in again"}}},
        {"400", bad_request},
        {"401", unauthorized},
        {"403", ErrorResponse("the current password is wrong (journaled)")},
        {"413", ErrorResponse("body too large")},
        {"422", ErrorResponse("the new password is too short, too long or the current one")}},
       Make<PasswordHandler>()});
  add({"POST",
       "/api/v1/users/{username}/one-time-password",
       "issueOneTimePassword",
       "session",
       "Give a user a new one-time password (admin)",
       "An admin hands out an account: create the user (POST "
       "/api/v1/instances/user%2F<name>/commands/create), then call this. The answer holds a "
       "random 16-character password, shown once and never journaled; the user must choose their "
       "own at first sign-in (PUT /api/v1/me/password). The user's sessions end. Journaled as "
       "set_password on user/<name> with the admin as the actor (and the optional reason). A "
       "disabled user is refused (422): enable it first.",
       true,
       Json::array({PathParam("username", "the user's name, e.g. nanning.clerk")}),
       {{"required", false},
        {"content", {{"application/json", {{"schema", Ref("OneTimePasswordRequest")}}}}}},
       {{"201", JsonResponse("set: hand the password to the user", "OneTimePassword")},
        {"400", bad_request},
        {"401", unauthorized},
        {"403", ErrorResponse("only an admin issues one-time passwords (journaled)")},
        {"404", ErrorResponse("no such user")},
        {"413", ErrorResponse("body too large")},
        {"422", ErrorResponse("the user is disabled: enable it first (journaled)")}},
       MakeWithParams<OneTimePasswordHandler>()});
  add({"GET", "/api/v1/instances", "listInstances", "instances", "List the instances you may see",
       "Filtered by your visibility (a unit sees its own records only). Paged by id: pass "
       "next_after as after.",
       true,
       Json::array({QueryParam("type", "workflow type, e.g. lifecycle"),
                    QueryParam("prefix", "id prefix, e.g. lifecycle/2026/city/"),
                    QueryParam("state", "current state"),
                    QueryParam("after", "paging cursor: ids greater than this"),
                    QueryParam("limit", "1 to 1000, or 1 to 200 with data (default 100)",
                               "integer"),
                    QueryParam("with", "data: each instance with its data, as GET "
                                       "/api/v1/instances/{id} gives it")}),
       nullptr,
       {{"200", JsonResponse("one page", "InstanceList")},
        {"400", bad_request},
        {"401", unauthorized},
        {"403", forbidden}},
       MakeWithParams<InstanceListHandler>()});
  add({"GET", "/api/v1/instances/{id}", "getInstance", "instances", "Read one instance",
       "The ETag is the instance version, for If-Match on commands. An instance you may not "
       "see answers 404, like a missing one.",
       true, Json::array({id_param}), nullptr,
       {{"200",
         {{"description", "the instance"},
          {"headers", {{"ETag", {{"description", "\"<version>\""}, {"schema", {{"type", "string"}}}}}}},
          {"content", {{"application/json", {{"schema", Ref("Instance")}}}}}}},
        {"400", bad_request},
        {"401", unauthorized},
        {"403", forbidden},
        {"404", ErrorResponse("no such instance (or not yours to see)")}},
       MakeWithParams<InstanceHandler>()});
  add({"POST", "/api/v1/instances/{id}/commands/{name}", "executeCommand", "instances",
       "Send a command to an instance",
       "Runs one workflow command as the signed-in user. Creating commands send \"type\". "
       "If-Match: \"<version>\" makes the write conditional (409 when stale, nothing written); "
       "Idempotency-Key makes a retry return the first answer without writing again. Refusals "
       "by the domain (422, 403) are journaled.\n\n" + CommandListMarkdown(),
       true,
       Json::array({id_param, PathParam("name", "the command, e.g. submit"),
                    HeaderParam("If-Match", "the version you read: \"3\" (or 3)"),
                    HeaderParam("Idempotency-Key", "1 to 200 printable ASCII characters")}),
       {{"required", false}, {"content", {{"application/json", {{"schema", Ref("CommandRequest")}}}}}},
       {{"200", JsonResponse("accepted (or an idempotent replay of an earlier answer)", "CommandResult")},
        {"400", bad_request},
        {"401", unauthorized},
        {"403", ErrorResponse("the domain forbids this command to your role or unit (journaled)")},
        {"404", ErrorResponse("no such instance (or not yours to see)")},
        {"409", ErrorResponse("If-Match is stale: nothing was written")},
        {"413", ErrorResponse("body too large")},
        {"422", ErrorResponse("refused by the workflow (journaled), or an invalid command")}},
       MakeWithParams<CommandHandler>()});
  r.back().extensions["x-commands"] = CommandExtension();
  add({"GET",
       "/api/v1/calendar",
       "getCalendar",
       "calendar",
       "The working-day calendar in force: every year, where it came from, its holidays",
       "The years shipped with the server and those an admin loaded (POST a load command to "
       "the calendar/<region> instance; withdraw takes one back). origin: shipped, loaded "
       "(a year the shipped file lacks) or corrected (loaded in place of a shipped year), "
       "with who loaded it and when. version: the calendar instance's (0: nothing loaded).",
       true,
       Json::array(),
       nullptr,
       {{"200", JsonResponse("the calendar", "Calendar")},
        {"400", bad_request},
        {"401", unauthorized},
        {"403", forbidden}},
       Make<CalendarYearsHandler>()});
  add({"GET", "/api/v1/calendar/day", "getCalendarDay", "calendar",
       "Is a day a working day; what day is N working days after it",
       "Counted with the server's working-day calendar (weekends, official holidays off, "
       "make-up working days on), the one every deadline uses. A year the calendar does not "
       "cover is 422, never a guess.",
       true,
       Json::array({[] {
                      Json d = QueryParam("date", "YYYY-MM-DD");
                      d["required"] = true;
                      return d;
                    }(),
                    QueryParam("days", "optional: count this many working days from date (negative: back)", "integer")}),
       nullptr,
       {{"200", JsonResponse("the day", "CalendarDay")},
        {"400", bad_request},
        {"401", unauthorized},
        {"403", forbidden},
        {"422", ErrorResponse("the calendar does not cover that year")}},
       Make<CalendarHandler>()});
  add({"POST", "/api/v1/registry/check", "checkDuplicates", "registry",
       "Duplicate review of an application",
       "Compares a name and indicators with the licensed special assessments, the pending "
       "applications and the comprehensive indicator set; best match first.",
       true, Json::array(),
       {{"required", true}, {"content", {{"application/json", {{"schema", Ref("DuplicateCheckRequest")}}}}}},
       {{"200", JsonResponse("the matches", "DuplicateCheck")},
        {"400", bad_request},
        {"401", unauthorized},
        {"403", forbidden},
        {"413", ErrorResponse("body too large")},
        {"422", ErrorResponse("the name is only boilerplate and cannot be compared")}},
       Make<RegistryCheckHandler>()});
  add({"GET", "/api/v1/registry/quota/{year}", "getQuota", "registry",
       "The year's special-assessment quota",
       "Cap, licensed, approved and pending — overall and per lead department.", true,
       Json::array({PathParam("year", "e.g. 2026")}), nullptr,
       {{"200", JsonResponse("the quota", "Quota")},
        {"400", bad_request},
        {"401", unauthorized},
        {"403", forbidden}},
       MakeWithParams<QuotaHandler>()});
  const Json audit_errors = {{"400", bad_request}, {"401", unauthorized}, {"403", forbidden}};
  Json list_responses = audit_errors;
  list_responses["200"] = {
      {"description", "events (json, jsonl or csv)"},
      {"content",
       {{"application/json", {{"schema", Ref("AuditPage")}}},
        {"application/x-ndjson", {{"schema", {{"type", "string"}}}}},
        {"text/csv", {{"schema", {{"type", "string"}}}}}}}};
  add({"GET", "/api/v1/audit", "listAuditEvents", "audit", "Review the audit trail",
       "Auditors, the office and admins filter the journal; export as csv or jsonl.", true,
       Json::array(
           {QueryParam("actor", "user name"), QueryParam("role", "actor role"),
            QueryParam("unit", "actor unit"), QueryParam("entity", "instance id"),
            QueryParam("command", "command name"), QueryParam("outcome", "accepted or refused"),
            QueryParam("from",
                       "YYYY-MM-DD, or an instant in UTC: YYYY-MM-DDTHH:MM:SS[.mmm]Z (inclusive)"),
            QueryParam("to",
                       "YYYY-MM-DD (the whole day, UTC) or YYYY-MM-DDTHH:MM:SS[.mmm]Z (inclusive)"),
            QueryParam("cursor", "paging: events after this seq", "integer"),
            QueryParam("limit", "1 to 10000 (default 100)", "integer"),
            QueryParam("format", "json (default), jsonl or csv")}),
       nullptr, list_responses, MakeAudit("list")});
  Json verify_responses = audit_errors;
  verify_responses["200"] = JsonResponse("the verification result", "AuditVerify");
  add({"GET", "/api/v1/audit/verify", "verifyAuditTrail", "audit", "Verify the hash chain",
       "Recomputes the chain; names the first altered, removed or reordered event.", true,
       Json::array({QueryParam("expect_head", "an exported head <seq>:<hash> to check against")}),
       nullptr, verify_responses, MakeAudit("verify")});
  Json head_responses = audit_errors;
  head_responses["200"] = JsonResponse("the head", "AuditHead");
  add({"GET", "/api/v1/audit/head", "getAuditHead", "audit", "The journal head",
       "The chain head to export and check later.", true, Json::array(), nullptr, head_responses,
       MakeAudit("head")});
  AddNotificationRoutes(&r);
  AddCatalogueRoutes(&r);
  return r;
}

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    const size_t slash = path.find('/', start);
    out.push_back(path.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return out;
}

// Matches raw (still URL-encoded) segments against a pattern; fills decoded params.
bool MatchRoute(const std::string& pattern, const std::vector<std::string>& raw,
                PathParams* params) {
  const auto want = SplitPath(pattern);
  if (want.size() != raw.size()) return false;
  PathParams found;
  for (size_t i = 0; i < want.size(); ++i) {
    const std::string& w = want[i];
    if (w.size() > 2 && w.front() == '{' && w.back() == '}') {
      if (raw[i].empty()) return false;
      std::string decoded;
      try {
        Poco::URI::decode(raw[i], decoded);
      } catch (const std::exception&) {
        return false;
      }
      found[w.substr(1, w.size() - 2)] = decoded;
    } else if (w != raw[i]) {
      return false;
    }
  }
  *params = std::move(found);
  return true;
}

}  // namespace

const std::vector<ApiRoute>& ApiRoutes() {
  static const std::vector<ApiRoute> kRoutes = BuildRoutes();
  return kRoutes;
}

HTTPRequestHandler* Route(const HTTPServerRequest& req, const ServiceContext& ctx,
                          const ServerOptions& opt, std::string* route) {
  std::string path = req.getURI();
  path = path.substr(0, path.find_first_of("?#"));
  const std::string method = req.getMethod();
  // The web admin's pages come first; they are not API routes (not in the OpenAPI).
  if (auto* page = api::RouteWebAdmin(method, path, route)) return page;
  const auto raw = SplitPath(path);
  std::string allow, first_pattern;
  for (const auto& r : ApiRoutes()) {
    PathParams params;
    if (!MatchRoute(r.pattern, raw, &params)) continue;
    if (r.method == method || (method == "HEAD" && r.method == "GET")) {
      *route = r.pattern;
      return r.make(ctx, opt, params);
    }
    if (first_pattern.empty()) first_pattern = r.pattern;
    allow += (allow.empty() ? "" : ", ") + r.method;
  }
  *route = first_pattern.empty() ? "unmatched" : first_pattern;
  if (!first_pattern.empty()) {
    return new ErrorHandler(405, "method_not_allowed", first_pattern + " answers " + allow, allow);
  }
  return new ErrorHandler(404, "not_found",
                          "no such route: " + path + "; see GET /api/v1/openapi.json");
}

}  // namespace govassess

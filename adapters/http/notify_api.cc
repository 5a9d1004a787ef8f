// The notification routes: the signed-in user's inbox, delivery preferences and
// calendar feeds; the office's view of deliveries and incidents; the public iCalendar
// feed behind its secret token. Thin handlers over the notification workflows
// (workflows/notify_directory.h, inbox_workflow.h, delivery_workflow.h) and the
// renderers (notice_text.h, deadlines.h, ical.h).
#include <Poco/Net/HTTPServerResponse.h>

#include <algorithm>
#include <optional>
#include <set>

#include "adapters/http/access.h"
#include "adapters/http/handler.h"
#include "workflows/china_time.h"
#include "workflows/cycle_config.h"
#include "workflows/deadlines.h"
#include "workflows/ical.h"
#include "workflows/inbox_workflow.h"
#include "workflows/lifecycle_workflow.h"
#include "workflows/notice_text.h"

namespace govassess::api {
namespace {

const std::vector<std::string> kUrgencies = {"overdue", "due_today", "urgent", "upcoming"};

// An inbox or a feed lists at most this many instances per request.
constexpr size_t kListCap = 20000;

// A query with only the named parameters; on an unknown one a 400 was sent.
std::optional<std::map<std::string, std::string>> Query(HTTPServerRequest& req, HTTPServerResponse& res,
                                                        const std::set<std::string>& known) {
  auto q = QueryOf(req);
  for (const auto& [k, v] : q) {
    if (!known.count(k)) {
      std::string names;
      for (const auto& n : known) names += (names.empty() ? "" : ", ") + n;
      SendError(res, 400, "bad_parameter",
                "unknown query parameter \"" + k + "\"; this route takes " +
                    (names.empty() ? std::string("none") : names),
                {{"parameter", k}});
      return std::nullopt;
    }
  }
  return q;
}

// An integer query parameter in [lo, hi], `fallback` when absent; nullopt (400 sent) if bad.
std::optional<int64_t> IntParam(const std::map<std::string, std::string>& q, const std::string& name,
                                int64_t lo, int64_t hi, int64_t fallback, HTTPServerResponse& res) {
  auto it = q.find(name);
  if (it == q.end()) return fallback;
  const std::string& v = it->second;
  if (v.empty() || v.size() > 9 || v.find_first_not_of("0123456789") != std::string::npos ||
      std::stoll(v) < lo || std::stoll(v) > hi) {
    SendError(res, 400, "bad_parameter",
              name + " is a whole number from " + std::to_string(lo) + " to " + std::to_string(hi),
              {{"parameter", name}});
    return std::nullopt;
  }
  return std::stoll(v);
}

std::string UserLanguage(Store* store, const std::string& username) {
  auto user = store->Get("user/" + username);
  return user.ok() ? user->data.value("language", "zh-CN") : "zh-CN";
}


Json InboxItemJson(const Instance& i, const std::string& lang) {
  const Json facts = i.data.value("facts", Json::object());
  const workflows::NoticeText text = workflows::RenderNotice(workflows::NoticeFactsFromJson(facts), lang);
  Json j{{"id", i.id},
         {"state", i.state},
         {"version", i.version},
         {"urgency", i.data.value("urgency", "")},
         {"audience", i.data.value("audience", "")},
         {"sent_at", FormatUtcMillis(i.data.value("sent_ms", int64_t(0)))},
         {"late", facts.value("late", false)},
         {"facts", facts},
         {"subject", text.subject},
         {"body", text.body}};
  if (i.data.contains("read_ms")) j["read_at"] = FormatUtcMillis(i.data.value("read_ms", int64_t(0)));
  return j;
}

Json UnreadCounts(const std::vector<Instance>& items) {
  Json by = Json::object();
  for (const auto& u : kUrgencies) by[u] = 0;
  int total = 0;
  for (const Instance& i : items) {
    if (i.state != "unread") continue;
    ++total;
    const std::string u = i.data.value("urgency", "upcoming");
    by[by.contains(u) ? u : "upcoming"] = by[by.contains(u) ? u : "upcoming"].get<int>() + 1;
  }
  return {{"total", total}, {"by_urgency", by}};
}

// GET /api/v1/inbox: the signed-in user's notices, newest first, with unread counts.
class InboxHandler final : public Handler {
 public:
  using Handler::Handler;
  void Handle(HTTPServerRequest& req, HTTPServerResponse& res) override {
    auto p = Authenticate(req, res);
    if (!p) return;
    auto q = Query(req, res, {"state", "urgency", "offset", "limit"});
    if (!q) return;
    const std::string state = q->count("state") ? q->at("state") : "all";
    if (state != "all" && state != "unread" && state != "read") {
      return SendError(res, 400, "bad_parameter", "state is unread, read or all", {{"parameter", "state"}});
    }
    const std::string urgency = q->count("urgency") ? q->at("urgency") : "";
    if (!urgency.empty() && std::find(kUrgencies.begin(), kUrgencies.end(), urgency) == kUrgencies.end()) {
      return SendError(res, 400, "bad_parameter", "urgency is overdue, due_today, urgent or upcoming",
                       {{"parameter", "urgency"}});
    }
    auto offset = IntParam(*q, "offset", 0, 1'000'000, 0, res);
    if (!offset) return;
    auto limit = IntParam(*q, "limit", 1, 500, 50, res);
    if (!limit) return;
    InstanceFilter f;
    f.type = "inbox_item";
    f.id_prefix = workflows::InboxPrefix(p->username);
    auto items = ListAll(ctx_.store, f, kListCap);
    if (!items.ok()) return SendStatus(res, items.status());
    std::vector<const Instance*> shown;
    for (const Instance& i : *items) {
      if (state != "all" && i.state != state) continue;
      if (!urgency.empty() && i.data.value("urgency", "") != urgency) continue;
      shown.push_back(&i);
    }
    std::sort(shown.begin(), shown.end(), [](const Instance* a, const Instance* b) {
      const int64_t sa = a->data.value("sent_ms", int64_t(0)), sb = b->data.value("sent_ms", int64_t(0));
      return sa != sb ? sa > sb : a->id > b->id;
    });
    const std::string lang = UserLanguage(ctx_.store, p->username);
    Json out = Json::array();
    for (size_t k = size_t(*offset); k < shown.size() && out.size() < size_t(*limit); ++k) {
      out.push_back(InboxItemJson(*shown[k], lang));
    }
    SendJson(res, 200, {{"items", out},
                        {"total", shown.size()},
                        {"offset", *offset},
                        {"limit", *limit},
                        {"unread", UnreadCounts(*items)}});
  }
};

// POST /api/v1/inbox/read {"ids": [...]} or {"all": true}: marks the user's items read.
class InboxReadHandler final : public Handler {
 public:
  using Handler::Handler;
  void Handle(HTTPServerRequest& req, HTTPServerResponse& res) override {
    auto p = Authenticate(req, res);
    if (!p) return;
    auto body = Body(req, res);
    if (!body) return;
    for (const auto& [key, value] : body->items()) {
      if (key != "ids" && key != "all") {
        return SendError(res, 400, "unknown_field", "unknown field \"" + key + "\"; send ids or all",
                         {{"field", key}});
      }
    }
    const bool all = body->value("all", Json(false)) == Json(true);
    if (body->contains("all") && !(*body)["all"].is_boolean()) {
      return SendError(res, 400, "wrong_type", "\"all\" is true or false", {{"field", "all"}});
    }
    if (all == body->contains("ids")) {
      return SendError(res, 400, "missing_field",
                       "send {\"ids\": [\"inbox/…\", …]} or {\"all\": true}");
    }
    InstanceFilter f;
    f.type = "inbox_item";
    f.id_prefix = workflows::InboxPrefix(p->username);
    auto items = ListAll(ctx_.store, f, kListCap);
    if (!items.ok()) return SendStatus(res, items.status());
    std::map<std::string, const Instance*> mine;
    for (const Instance& i : *items) mine[i.id] = &i;
    std::vector<const Instance*> targets;
    if (all) {
      for (const Instance& i : *items) {
        if (i.state == "unread") targets.push_back(&i);
      }
    } else {
      const Json& ids = (*body)["ids"];
      if (!ids.is_array() || ids.empty() || ids.size() > 500) {
        return SendError(res, 400, "wrong_type", "ids is a list of 1 to 500 inbox item ids",
                         {{"field", "ids"}});
      }
      // Every id is checked before anything is written.
      for (const Json& id : ids) {
        if (!id.is_string()) {
          return SendError(res, 400, "wrong_type", "ids are strings", {{"field", "ids"}});
        }
        auto it = mine.find(id.get<std::string>());
        if (it == mine.end()) {
          JournalRefusal(req, *p, "mark_read", "not in the user's inbox: " + id.get<std::string>());
          return SendError(res, 404, "not_found",
                           "no such item in your inbox: \"" + id.get<std::string>() +
                               "\"; nothing was marked",
                           {{"id", id}});
        }
        const bool repeated = std::find(targets.begin(), targets.end(), it->second) != targets.end();
        if (it->second->state == "unread" && !repeated) targets.push_back(it->second);
      }
    }
    int marked = 0;
    for (const Instance* i : targets) {
      Command c;
      c.instance_id = i->id;
      c.name = "mark_read";
      c.actor = p->ToActor(Origin(req));
      auto r = ctx_.engine->Execute(c);
      if (!r.ok() && !r.status().IsConflict()) return SendStatus(res, r.status());
      if (r.ok() && r->accepted) ++marked;
    }
    auto after = ListAll(ctx_.store, f, kListCap);
    if (!after.ok()) return SendStatus(res, after.status());
    SendJson(res, 200, {{"marked", marked}, {"unread", UnreadCounts(*after)}});
  }
};

Json PreferencesJson(const Json& user) {
  return {{"email", user.value("email", "")},
          {"language", user.value("language", "zh-CN")},
          {"digest", user.value("digest", false)}};
}

// GET/PUT /api/v1/me/preferences: where and how the user's reminders arrive.
class PreferencesHandler final : public Handler {
 public:
  using Handler::Handler;
  void Handle(HTTPServerRequest& req, HTTPServerResponse& res) override {
    auto p = Authenticate(req, res);
    if (!p) return;
    const std::string id = "user/" + p->username;
    if (req.getMethod() == "GET" || req.getMethod() == "HEAD") {
      auto user = ctx_.store->Get(id);
      if (!user.ok()) return SendStatus(res, user.status());
      res.set("ETag", ETagOf(user->version));  // for If-Match on PUT
      return SendJson(res, 200, PreferencesJson(user->data));
    }
    auto body = Body(req, res);
    if (!body) return;
    Command c;
    c.instance_id = id;
    c.name = "set_preferences";
    c.actor = p->ToActor(Origin(req));
    c.payload = *body;
    auto r = ExecuteWithIfMatch(req, res, std::move(c));
    if (r) SendJson(res, 200, PreferencesJson(r->instance().data));
  }
};

Json DeliveryJson(const Instance& d) {
  const Json& data = d.data;
  Json j{{"id", d.id},
         {"state", d.state},
         {"version", d.version},
         {"channel", data.value("channel", "")},
         {"digest", data.value("digest", false)},
         {"to", data.value("to", "")},
         {"urgency", data.value("urgency", "")},
         {"notice", data.value("notice", "")},
         {"attempts", data.value("attempts", 0)},
         {"failures", data.value("failures", 0)},
         {"facts", data.value("facts", Json::object())},
         {"history", data.value("history", Json::array())}};
  if (data.contains("last_error")) j["last_error"] = data["last_error"];
  if (d.state == "pending" || d.state == "held") {
    j["next_attempt_at"] = FormatUtcMillis(data.value("next_at_ms", int64_t(0)));
  }
  if (data.contains("sent_ms")) j["sent_at"] = FormatUtcMillis(data.value("sent_ms", int64_t(0)));
  if (data.contains("incident_ms")) {
    j["incident_at"] = FormatUtcMillis(data.value("incident_ms", int64_t(0)));
  }
  return j;
}

// GET /api/v1/deliveries: mails and webhook posts by state — incidents first of all.
class DeliveriesHandler final : public Handler {
 public:
  using Handler::Handler;
  void Handle(HTTPServerRequest& req, HTTPServerResponse& res) override {
    auto p = Authenticate(req, res);
    if (!p) return;
    if (!MayDo(*p, "read_deliveries")) {
      return Deny(req, res, *p, "read_deliveries",
                  "only the office, auditors and admins see the deliveries of notices");
    }
    auto q = Query(req, res, {"state", "channel", "after", "limit"});
    if (!q) return;
    InstanceFilter f;
    f.type = "delivery";
    f.state = q->count("state") ? q->at("state") : "incident";
    static const std::set<std::string> kStates = {"pending", "held", "sent", "incident"};
    if (!kStates.count(f.state)) {
      return SendError(res, 400, "bad_parameter", "state is pending, held, sent or incident",
                       {{"parameter", "state"}});
    }
    if (q->count("channel")) {
      const std::string ch = q->at("channel");
      if (ch != "email" && ch != "webhook") {
        return SendError(res, 400, "bad_parameter", "channel is email or webhook", {{"parameter", "channel"}});
      }
      f.id_prefix = "delivery/" + ch + "/";
    }
    auto limit = IntParam(*q, "limit", 1, 1000, 100, res);
    if (!limit) return;
    f.limit = size_t(*limit);
    if (q->count("after")) f.after_id = q->at("after");
    auto page = ctx_.store->List(f);
    if (!page.ok()) return SendStatus(res, page.status());
    Json out = Json::array();
    for (const Instance& d : *page) out.push_back(DeliveryJson(d));
    SendJson(res, 200, {{"deliveries", out},
                        {"next_after", page->size() == f.limit ? Json(page->back().id) : Json()}});
  }
};

// POST /api/v1/deliveries/{id}/retry: the office sends an incident again.
class DeliveryRetryHandler final : public Handler {
 public:
  DeliveryRetryHandler(const ServiceContext& c, const ServerOptions& o, const PathParams& params)
      : Handler(c, o), id_(params.count("id") ? params.at("id") : "") {}
  void Handle(HTTPServerRequest& req, HTTPServerResponse& res) override {
    auto p = Authenticate(req, res);
    if (!p) return;
    if (!MayDo(*p, "retry_delivery")) {
      return Deny(req, res, *p, "retry_delivery", "only the office or an admin retries a delivery");
    }
    auto body = Body(req, res, /*empty_is_object=*/true);
    if (!body) return;
    for (const auto& [key, value] : body->items()) {
      if (key != "reason") {
        return SendError(res, 400, "unknown_field", "unknown field \"" + key + "\"; send {\"reason\": …}",
                         {{"field", key}});
      }
      if (!value.is_string()) return SendError(res, 400, "wrong_type", "reason is a string");
    }
    auto d = ctx_.store->Get(id_);
    if (id_.rfind("delivery/", 0) != 0 || !d.ok() || d->type != "delivery") {
      JournalRefusal(req, *p, "retry_delivery", "no such delivery: " + id_);
      return SendError(res, 404, "not_found", "no such delivery: \"" + id_ + "\"", {{"id", id_}});
    }
    Command c;
    c.instance_id = id_;
    c.name = "retry";
    c.actor = p->ToActor(Origin(req));
    c.reason = body->value("reason", "");
    auto r = ExecuteWithIfMatch(req, res, std::move(c));
    if (r) SendJson(res, 200, DeliveryJson(r->instance()));
  }

 private:
  std::string id_;
};

Json FeedJson(const Json& f, const std::string& token = "") {
  Json j{{"id", f.value("id", "")},
         {"scope", f.value("scope", "")},
         {"subject", f.value("subject", "")},
         {"created_at", FormatUtcMillis(f.value("created_ms", int64_t(0)))}};
  if (!token.empty()) {
    j["token"] = token;
    j["url"] = "/feeds/" + token + ".ics";
  }
  return j;
}

// GET/POST /api/v1/feeds, DELETE /api/v1/feeds/{id}: the user's calendar feeds.
class FeedsHandler final : public Handler {
 public:
  FeedsHandler(const ServiceContext& c, const ServerOptions& o, const PathParams& params)
      : Handler(c, o), id_(params.count("id") ? params.at("id") : "") {}
  void Handle(HTTPServerRequest& req, HTTPServerResponse& res) override {
    auto p = Authenticate(req, res);
    if (!p) return;
    const std::string method = req.getMethod();
    if (method == "POST") {
      auto body = Body(req, res, /*empty_is_object=*/true);
      if (!body) return;
      for (const auto& [key, value] : body->items()) {
        if (key != "scope") {
          return SendError(res, 400, "unknown_field", "unknown field \"" + key + "\"; send {\"scope\": …}",
                           {{"field", key}});
        }
        if (!value.is_string()) return SendError(res, 400, "wrong_type", "scope is \"user\" or \"unit\"");
      }
      auto feed = ctx_.auth->IssueFeed(*p, body->value("scope", "user"), Origin(req));
      if (!feed.ok()) return SendStatus(res, feed.status());
      auto user = ctx_.store->Get("user/" + p->username);
      Json shown{{"id", feed->id}, {"scope", feed->scope}, {"subject", feed->subject}};
      if (user.ok()) {
        for (const Json& f : user->data.value("feeds", Json::array())) {
          if (f.value("id", "") == feed->id) shown = f;
        }
      }
      return SendJson(res, 201, FeedJson(shown, feed->token));
    }
    if (method == "DELETE") {
      // One's own feed; an admin revokes anyone's (journaled on its owner, the admin as
      // actor). A feed the caller may not revoke is answered like a missing one.
      std::string owner = p->username;
      if (p->role == "admin") {
        auto found = ctx_.auth->FeedOwner(id_);
        if (found.ok()) {
          owner = *found;
        } else if (!found.status().IsNotFound()) {
          return SendStatus(res, found.status());
        }
      }
      Status s = ctx_.auth->RevokeFeed(*p, owner, id_, Origin(req));
      if (!s.ok()) {
        if (s.code() == Code::kRefused) {
          return SendError(res, 404, "not_found",
                           (p->role == "admin" ? "nobody has a calendar feed \""
                                               : "you have no calendar feed \"") +
                               id_ + "\"",
                           {{"id", id_}});
        }
        return SendStatus(res, s);
      }
      SecurityHeaders(res);
      res.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
      res.send();
      return;
    }
    auto user = ctx_.store->Get("user/" + p->username);
    if (!user.ok()) return SendStatus(res, user.status());
    Json out = Json::array();
    for (const Json& f : user->data.value("feeds", Json::array())) out.push_back(FeedJson(f));
    SendJson(res, 200, {{"feeds", out}});
  }

 private:
  std::string id_;
};

// The events of one feed: every deadline of the unit's assessments (a unit feed, or a
// unit user's own), else the deadlines of every cycle.
Result<std::string> RenderFeed(const ServiceContext& ctx, const AuthService::Feed& feed,
                               int64_t now_ms) {
  const std::string lang = UserLanguage(ctx.store, feed.owner.username);
  const std::string unit =
      feed.scope == "unit" ? feed.subject : (feed.owner.role == "unit" ? feed.owner.unit : "");
  std::vector<workflows::CalendarEvent> events;
  const WorkingDayCalendar& calendar = ctx.calendar->Now();  // one calendar for the feed
  const Date today = workflows::BeijingDate(now_ms);  // windows that passed are closed
  std::map<std::string, std::optional<workflows::CycleConfig>> configs;
  auto config_of = [&](const std::string& cycle_id) -> const workflows::CycleConfig* {
    auto it = configs.find(cycle_id);
    if (it == configs.end()) {
      auto c = ctx.store->Get(cycle_id);
      std::optional<workflows::CycleConfig> parsed;
      if (c.ok()) {
        auto cfg = workflows::ParseCycleConfig(c->data.value("config", Json()));
        if (cfg.ok()) parsed = std::move(*cfg);
      }
      it = configs.emplace(cycle_id, std::move(parsed)).first;
    }
    return it->second ? &*it->second : nullptr;
  };
  std::string name;
  if (!unit.empty()) {
    InstanceFilter f;
    f.type = "lifecycle";
    f.id_prefix = "lifecycle/";
    auto lifecycles = ListAll(ctx.store, f, kListCap);
    if (!lifecycles.ok()) return lifecycles.status();
    name = unit;
    for (const Instance& l : *lifecycles) {
      if (l.data.value("unit", "") != unit) continue;
      name = l.data.value("unit_name", unit);
      const workflows::CycleConfig* config = config_of(l.data.value("cycle", ""));
      if (config == nullptr) continue;
      auto deadlines = workflows::UnitDeadlines(*config, calendar, l.id, l.data, l.state, today);
      if (!deadlines.ok()) continue;
      for (const auto& d : *deadlines) {
        events.push_back(workflows::EventFor(d, name, lang, ""));
        if (d.status == "open") workflows::SetAlarm(&events.back(), 1, calendar);
      }
    }
  } else {
    // A doer's own feed: its steps in every assessment it acts on, each an action with an
    // alarm while open (DeadlinesFor with the role as reader) — a lead assessor's scoring
    // of the assessments whose plan names its unit, the office's on-site verification and
    // results, the committee's ratification — and the cycles' other milestones as
    // information. Anyone else (leader, auditor, admin) gets the milestones alone.
    const std::string role = feed.owner.role;
    const bool doer = role == "lead_assessor" || role == "office" || role == "committee";
    name = feed.owner.username;
    if (doer) {
      InstanceFilter f;
      f.type = "lifecycle";
      f.id_prefix = "lifecycle/";
      auto lifecycles = ListAll(ctx.store, f, kListCap);
      if (!lifecycles.ok()) return lifecycles.status();
      for (const Instance& l : *lifecycles) {
        // A lead assessor's scoring follows the plan as it is now (no plan history before
        // approval: nobody scores yet).
        std::optional<workflows::PlanVersions> plan;
        if (role == "lead_assessor") {
          auto history = ctx.store->Get(workflows::PlanHistoryId(l.id));
          if (!history.ok() || !history->exists()) continue;
          auto versions = workflows::ParsePlanVersions(history->data);
          if (!versions.ok()) continue;
          plan = std::move(*versions);
        }
        const workflows::CycleConfig* config = config_of(l.data.value("cycle", ""));
        if (config == nullptr) continue;
        auto deadlines = workflows::DoerDeadlines(*config, calendar, l.id, l.data, l.state, role,
                                                  plan ? &*plan : nullptr, feed.owner.unit, today);
        if (!deadlines.ok()) continue;
        for (const auto& d : *deadlines) {
          events.push_back(workflows::EventFor(d, l.data.value("unit_name", d.unit_id), lang, ""));
          if (d.status == "open") workflows::SetAlarm(&events.back(), 1, calendar);
        }
      }
    }
    InstanceFilter f;
    f.type = "cycle";
    auto cycles = ListAll(ctx.store, f, kListCap);
    if (!cycles.ok()) return cycles.status();
    for (const Instance& c : *cycles) {
      const workflows::CycleConfig* config = config_of(c.id);
      if (config == nullptr) continue;
      auto deadlines = workflows::CycleDeadlines(*config, calendar);
      if (!deadlines.ok()) continue;
      for (const auto& d : *deadlines) {
        if (doer && d.doer == role) continue;  // listed per assessment above
        events.push_back(workflows::EventFor(d, "", lang, ""));
      }
    }
  }
  const bool en = workflows::internal::IsEnglish(lang);
  return workflows::RenderICalendar((en ? "GovAssess deadlines — " : "绩效考评截止日 — ") + name,
                                    events, now_ms);
}

// GET /feeds/{file}: the iCalendar feed; the secret token in the URL is the credential.
class FeedDownloadHandler final : public Handler {
 public:
  FeedDownloadHandler(const ServiceContext& c, const ServerOptions& o, const PathParams& params)
      : Handler(c, o), file_(params.count("file") ? params.at("file") : "") {}
  void Handle(HTTPServerRequest&, HTTPServerResponse& res) override {
    const std::string suffix = ".ics";
    const bool shaped = file_.size() == 32 + suffix.size() &&
                        file_.compare(32, suffix.size(), suffix) == 0 &&
                        file_.find_first_not_of("0123456789abcdef") == 32;
    if (!shaped) {
      return SendError(res, 404, "not_found", "no such calendar feed: feed links end in <token>.ics");
    }
    if (ctx_.calendar == nullptr) return SendError(res, 503, "unavailable", "no calendar loaded");
    auto feed = ctx_.auth->ResolveFeed(file_.substr(0, 32));
    if (!feed.ok()) return SendStatus(res, feed.status());
    auto ics = RenderFeed(ctx_, *feed, ctx_.engine->clock()->NowMs());
    if (!ics.ok()) return SendStatus(res, ics.status());
    Send(res, 200, *ics, "text/calendar; charset=utf-8");
  }

 private:
  std::string file_;
};

}  // namespace

void AddNotificationRoutes(std::vector<ApiRoute>* routes) {
  const Json unauthorized = ErrorResponse("not signed in, or the session ended: POST /api/v1/session");
  const Json forbidden = ErrorResponse("your role may not do this");
  const Json bad_request = ErrorResponse("malformed request: the message says what to fix");
  auto add = [routes](ApiRoute r) { routes->push_back(std::move(r)); };
  add({"GET", "/api/v1/inbox", "getInbox", "notifications", "Your inbox of reminders",
       "The reminders and escalations sent to you, newest first, with the subject and body in "
       "your language and the unread counts by urgency (overdue, due_today, urgent, upcoming).",
       true,
       Json::array({QueryParam("state", "unread, read or all (default)"),
                    QueryParam("urgency", "overdue, due_today, urgent or upcoming"),
                    QueryParam("offset", "skip this many (default 0)", "integer"),
                    QueryParam("limit", "1 to 500 (default 50)", "integer")}),
       nullptr,
       {{"200", JsonResponse("the inbox", "Inbox")}, {"400", bad_request}, {"401", unauthorized}},
       Make<InboxHandler>()});
  add({"POST", "/api/v1/inbox/read", "markInboxRead", "notifications", "Mark inbox items read",
       "Marks the listed items (or all unread ones) read. Every id is checked first: an id "
       "that is not in your inbox is 404 and nothing is marked.",
       true, Json::array(),
       {{"required", true}, {"content", {{"application/json", {{"schema", Ref("InboxRead")}}}}}},
       {{"200", JsonResponse("marked", "InboxReadResult")},
        {"400", bad_request},
        {"401", unauthorized},
        {"404", ErrorResponse("an id is not in your inbox; nothing was marked")},
        {"413", ErrorResponse("body too large")}},
       Make<InboxReadHandler>()});
  add({"GET", "/api/v1/me/preferences", "getPreferences", "notifications",
       "Your delivery preferences", "Mail address, language (zh-CN or en) and daily digest.",
       true, Json::array(), nullptr,
       {{"200", JsonResponse("the preferences", "Preferences")}, {"401", unauthorized}},
       Make<PreferencesHandler>()});
  add({"PUT", "/api/v1/me/preferences", "setPreferences", "notifications",
       "Change your delivery preferences",
       "Any of email (empty removes it), language and digest (one mail a day instead of one per "
       "reminder; needs an email). Journaled on your user record.",
       true, Json::array({HeaderParam("If-Match", "the user record's version: \"3\"")}),
       {{"required", true}, {"content", {{"application/json", {{"schema", Ref("Preferences")}}}}}},
       {{"200", JsonResponse("the new preferences", "Preferences")},
        {"400", bad_request},
        {"401", unauthorized},
        {"409", ErrorResponse("If-Match is stale: nothing was written")},
        {"413", ErrorResponse("body too large")},
        {"422", ErrorResponse("refused: the message says which field is wrong")}},
       Make<PreferencesHandler>()});
  add({"GET", "/api/v1/deliveries", "listDeliveries", "notifications",
       "Deliveries of notices by state",
       "Mails and webhook posts: incident (default: failed until given up — retry them), "
       "pending, held (for a daily digest) or sent, with every attempt. The office, auditors "
       "and admins.",
       true,
       Json::array({QueryParam("state", "incident (default), pending, held or sent"),
                    QueryParam("channel", "email or webhook"),
                    QueryParam("after", "paging cursor: ids greater than this"),
                    QueryParam("limit", "1 to 1000 (default 100)", "integer")}),
       nullptr,
       {{"200", JsonResponse("one page", "DeliveryList")},
        {"400", bad_request},
        {"401", unauthorized},
        {"403", forbidden}},
       Make<DeliveriesHandler>()});
  add({"POST", "/api/v1/deliveries/{id}/retry", "retryDelivery", "notifications",
       "Send an incident again",
       "The office or an admin puts a delivery that failed for good back in the queue; the "
       "back-off starts again. Journaled.",
       true,
       Json::array({PathParam("id", "the delivery id, URL-encoded as one path segment"),
                    HeaderParam("If-Match", "the delivery's version: \"7\"")}),
       {{"required", false}, {"content", {{"application/json", {{"schema", Ref("RetryRequest")}}}}}},
       {{"200", JsonResponse("queued again", "Delivery")},
        {"400", bad_request},
        {"401", unauthorized},
        {"403", forbidden},
        {"404", ErrorResponse("no such delivery")},
        {"409", ErrorResponse("If-Match is stale: nothing was written")},
        {"422", ErrorResponse("refused: only an incident is retried")}},
       MakeWithParams<DeliveryRetryHandler>()});
  add({"GET", "/api/v1/feeds", "listFeeds", "notifications", "Your calendar feeds",
       "The feeds you created (without their secret links, which are shown once).", true,
       Json::array(), nullptr,
       {{"200", JsonResponse("the feeds", "FeedList")}, {"401", unauthorized}},
       MakeWithParams<FeedsHandler>()});
  add({"POST", "/api/v1/feeds", "createFeed", "notifications", "Create a calendar feed",
       "A secret iCalendar link for your calendar app with every deadline: scope \"unit\" (your "
       "unit's assessments) or \"user\" (default: your own; for roles without a unit, every "
       "cycle's milestones). The link is shown once; revoke it when it leaks.",
       true, Json::array(),
       {{"required", false}, {"content", {{"application/json", {{"schema", Ref("FeedRequest")}}}}}},
       {{"201", JsonResponse("created: keep the url secret", "Feed")},
        {"400", bad_request},
        {"401", unauthorized},
        {"422", ErrorResponse("refused, e.g. a unit feed for a user without a unit")}},
       MakeWithParams<FeedsHandler>()});
  add({"DELETE", "/api/v1/feeds/{id}", "deleteFeed", "notifications", "Revoke a calendar feed",
       "Its link stops working at once. Your own feed; an admin may revoke any user's (journaled "
       "on that user, with the admin as the actor).",
       true, Json::array({PathParam("id", "the feed id")}), nullptr,
       {{"204", {{"description", "revoked"}}},
        {"401", unauthorized},
        {"404", ErrorResponse("you have no such feed (an admin: nobody has)")}},
       MakeWithParams<FeedsHandler>()});
  add({"GET", "/feeds/{file}", "getFeed", "notifications", "A calendar feed (iCalendar)",
       "RFC 5545 text with every deadline as an all-day event; the secret token in the link is "
       "the only credential. Unknown or revoked links are 404.",
       false, Json::array({PathParam("file", "<token>.ics")}), nullptr,
       {{"200",
         {{"description", "the feed"},
          {"content", {{"text/calendar", {{"schema", {{"type", "string"}}}}}}}}},
        {"404", ErrorResponse("no such feed")}},
       MakeWithParams<FeedDownloadHandler>()});
}

}  // namespace govassess::api

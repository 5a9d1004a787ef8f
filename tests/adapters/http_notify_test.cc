// The notification routes through HTTP against a real `govassess serve --port 0`: the
// inbox (GET /api/v1/inbox, POST /api/v1/inbox/read), preferences (/api/v1/me/
// preferences), deliveries and their retry, calendar feeds (/api/v1/feeds and the public
// /feeds/{token}.ics) and `serve --notify FILE`.
//
// The reminders fire at 2025 instants a server on the system clock never reaches, so
// each test starts its server on a copy of a database prepared in-process beforehand
// (tests/adapters/notify_fixture.h says exactly what it holds).
#include <catch2/catch.hpp>


#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <thread>

#include "tests/adapters/http_client.h"
#include "tests/adapters/notify_fixture.h"
#include "tests/adapters/run_process.h"
#include "tests/adapters/server_process.h"
#include "tests/adapters/temp_dir.h"

using namespace govassess::testing;
using nlohmann::json;

namespace {

const std::string kCli = std::string(GOVASSESS_BUILD_DIR) + "/govassess";
const std::string kNanning = "/2025/city/gx-nanning/";
const std::string kLiuzhou = "/2025/city/gx-liuzhou/";
// Nanning's notices, newest first, with their urgency.
const std::vector<std::pair<std::string, std::string>> kNanningNotices = {
    {"4-plan_due-escalation-1", "overdue"},
    {"3-plan_due-due", "due_today"},
    {"2-plan_due-before-1", "urgent"},
    {"1-plan_due-before-3", "upcoming"},
    {"0-plan_due-before-5", "upcoming"}};

std::string Item(const std::string& user, const std::string& notice,
                 const std::string& unit_path = kNanning) {
  return "inbox/" + user + unit_path + notice;
}

// The prepared database, built once per test process.
const std::string& TemplateDb() {
  static TempDir dir;
  static const std::string db = [] {
    const std::string path = dir.Path("template.db");
    PrepareNotifyDatabase(path);
    return path;
  }();
  return db;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The error shape: {"error": {"code", "message", "details"}}.
void CheckError(const HttpReply& r, int status, const std::string& code,
                const std::string& message_part) {
  INFO("answer: " << r.status << " " << r.body);
  CHECK(r.status == status);
  const json j = r.Json();
  REQUIRE(j.is_object());
  REQUIRE(j.contains("error"));
  CHECK(j["error"]["code"] == code);
  REQUIRE(j["error"]["message"].is_string());
  CHECK_THAT(j["error"]["message"].get<std::string>(), Catch::Contains(message_part));
  CHECK(j["error"]["details"].is_object());
}

// A server on a copy of the prepared database, every user signed in.
struct NotifyWorld {
  TempDir dir;
  std::string db = dir.Path("notify.db");
  std::unique_ptr<ServerProcess> server;
  std::map<std::string, std::string> token;
  int port = 0;

  NotifyWorld() {
    CopyDatabase(TemplateDb(), db);
    server = std::make_unique<ServerProcess>(std::vector<std::string>{"--db", db});
    port = server->port();
    for (const auto& [name, role_unit] : NotifyUsers()) {
      auto r = Http(port, "POST", "/api/v1/session",
                    json{{"username", name}, {"password", kNotifyPassword}}.dump());
      INFO(name << ": " << r.body);
      REQUIRE(r.status == 201);
      token[name] = r.Json()["token"];
    }
  }

  HttpReply Get(const std::string& user, const std::string& path) {
    return Http(port, "GET", path, "", user.empty() ? "" : token.at(user));
  }
  HttpReply Send(const std::string& user, const std::string& method, const std::string& path,
                 const std::string& body, const std::map<std::string, std::string>& headers = {}) {
    return Http(port, method, path, body, user.empty() ? "" : token.at(user), headers);
  }
  json Inbox(const std::string& user, const std::string& query = "") {
    auto r = Get(user, "/api/v1/inbox" + query);
    INFO(user << " GET /api/v1/inbox" << query << ": " << r.body);
    REQUIRE(r.status == 200);
    return r.Json();
  }
  json Unread(const std::string& user) { return Inbox(user)["unread"]; }
  int64_t Seq() {
    auto r = Get("root", "/api/v1/audit/head");
    REQUIRE(r.status == 200);
    return r.Json()["seq"].get<int64_t>();
  }
  // The journal events matching `query` (e.g. "entity=user%2Fnn-clerk"), read by an auditor.
  json Audit(const std::string& query) {
    auto r = Get("auditor-1", "/api/v1/audit?limit=10000&" + query);
    INFO("audit " << query << ": " << r.body.substr(0, 500));
    REQUIRE(r.status == 200);
    return r.Json()["events"];
  }
  json Instance(const std::string& user, const std::string& id) {
    auto r = Get(user, "/api/v1/instances/" + Enc(id));
    INFO(id << ": " << r.body);
    REQUIRE(r.status == 200);
    return r.Json();
  }
};

json Counts(int total, int overdue, int due_today, int urgent, int upcoming) {
  return {{"total", total},
          {"by_urgency",
           {{"overdue", overdue}, {"due_today", due_today}, {"urgent", urgent}, {"upcoming", upcoming}}}};
}

std::vector<std::string> Ids(const json& list) {
  std::vector<std::string> out;
  for (const json& i : list) out.push_back(i["id"]);
  return out;
}

}  // namespace

TEST_CASE("http notify: each user's inbox lists exactly its own reminders, newest first, in its language") {
  NotifyWorld w;
  struct Case {
    std::string user;
    std::vector<std::string> ids;  // newest first
    std::vector<std::string> urgencies;
    std::string audience;
    json unread;
    std::string newest_subject, oldest_subject, body_part;
  };
  std::vector<std::string> nn_clerk, nn_deputy, urgencies;
  for (const auto& [notice, urgency] : kNanningNotices) {
    nn_clerk.push_back(Item("nn-clerk", notice));
    nn_deputy.push_back(Item("nn-deputy", notice));
    urgencies.push_back(urgency);
  }
  const std::string zh_overdue = "【逾期督办】南宁市绩效计划报送已逾期1个工作日";
  const std::string zh_lz_overdue = "【逾期督办】柳州市绩效计划报送已逾期1个工作日";
  const std::string zh_before5 = "【绩效考评提醒】绩效计划报送将于2025年4月30日截止，还剩5个工作日";
  const std::vector<Case> cases = {
      {"nn-clerk", nn_clerk, urgencies, "unit", Counts(5, 1, 1, 1, 2), zh_overdue, zh_before5,
       "2025年4月30日（星期三）"},
      {"nn-deputy", nn_deputy, urgencies, "unit", Counts(5, 1, 1, 1, 2),
       "[Overdue] 南宁市: Performance plan filing 1 working day overdue",
       "[GovAssess reminder] Performance plan filing due 30 April 2025 - 5 working days left",
       "Wednesday, 30 April 2025"},
      // Liuzhou's lifecycle was created after its first two reminders were due.
      {"lz-clerk",
       {Item("lz-clerk", "2-plan_due-escalation-1", kLiuzhou), Item("lz-clerk", "1-plan_due-due", kLiuzhou),
        Item("lz-clerk", "0-plan_due-before-1", kLiuzhou)},
       {"overdue", "due_today", "urgent"}, "unit", Counts(3, 1, 1, 1, 0), zh_lz_overdue,
       "【绩效考评提醒】绩效计划报送将于2025年4月30日截止，还剩1个工作日", "柳州市"},
      // The office hears of both escalations (sent at the same instant: by id, descending).
      {"office-1",
       {Item("office-1", "4-plan_due-escalation-1"), Item("office-1", "2-plan_due-escalation-1", kLiuzhou)},
       {"overdue", "overdue"}, "office", Counts(2, 2, 0, 0, 0), zh_overdue, zh_lz_overdue, "绩效办："},
      {"auditor-1", {}, {}, "", Counts(0, 0, 0, 0, 0), "", "", ""},
      {"root", {}, {}, "", Counts(0, 0, 0, 0, 0), "", "", ""},
  };
  for (const Case& c : cases) {
    INFO("user " << c.user);
    const json inbox = w.Inbox(c.user);
    CHECK(Ids(inbox["items"]) == c.ids);
    CHECK(inbox["total"] == c.ids.size());
    CHECK(inbox["offset"] == 0);
    CHECK(inbox["limit"] == 50);
    CHECK(inbox["unread"] == c.unread);
    std::string previous_sent;
    for (size_t k = 0; k < inbox["items"].size(); ++k) {
      const json& item = inbox["items"][k];
      INFO("item " << item.dump());
      CHECK(item["state"] == "unread");
      CHECK(item["urgency"] == c.urgencies[k]);
      CHECK(item["audience"] == c.audience);
      CHECK(item["late"] == false);
      CHECK(item["facts"]["deadline"] == "2025-04-30");
      CHECK(item["facts"]["step"] == "plan_due");
      CHECK_FALSE(item.contains("read_at"));
      // Newest first.
      const std::string sent = item["sent_at"];
      if (k > 0) CHECK(sent <= previous_sent);
      previous_sent = sent;
      CHECK(Contains(item["body"].get<std::string>(), c.body_part));
    }
    if (!c.ids.empty()) {
      CHECK(inbox["items"].front()["subject"] == c.newest_subject);
      CHECK(inbox["items"].back()["subject"] == c.oldest_subject);
    }
  }
  // The escalation was sent at 09:30 Beijing on 6 May (01:30 UTC), the first reminder on 24 April.
  const json nn = w.Inbox("nn-clerk");
  CHECK(nn["items"].front()["sent_at"].get<std::string>().rfind("2025-05-06T01:30:00", 0) == 0);
  CHECK(nn["items"].back()["sent_at"].get<std::string>().rfind("2025-04-24T01:30:00", 0) == 0);
  CHECK(nn["items"].front()["facts"]["unit_name"] == "南宁市");
  std::set<std::string> sent_days;
  for (const json& item : nn["items"]) sent_days.insert(item["sent_at"].get<std::string>());
  CHECK(sent_days.size() == 5);  // each on its own day: the order is by time, not by id
  // Nobody sees another user's inbox item through the instance API either.
  CHECK(w.Get("lz-clerk", "/api/v1/instances/" + Enc(Item("nn-clerk", "0-plan_due-before-5"))).status == 404);
  CHECK(w.Get("nn-clerk", "/api/v1/instances/" + Enc(Item("nn-clerk", "0-plan_due-before-5"))).status == 200);
  // Not signed in: 401.
  CheckError(w.Get("", "/api/v1/inbox"), 401, "unauthenticated", "sign in");
}

TEST_CASE("http notify: inbox filters and paging work, bad parameters are 400 and journal nothing") {
  NotifyWorld w;
  struct Filter {
    std::string query;
    std::vector<std::string> notices;  // expected, in order
    size_t total;
  };
  auto all = [] {
    std::vector<std::string> v;
    for (const auto& n : kNanningNotices) v.push_back(n.first);
    return v;
  }();
  const std::vector<Filter> filters = {
      {"", all, 5},
      {"?state=all", all, 5},
      {"?state=unread", all, 5},
      {"?state=read", {}, 0},
      {"?urgency=overdue", {"4-plan_due-escalation-1"}, 1},
      {"?urgency=due_today", {"3-plan_due-due"}, 1},
      {"?urgency=urgent", {"2-plan_due-before-1"}, 1},
      {"?urgency=upcoming", {"1-plan_due-before-3", "0-plan_due-before-5"}, 2},
      {"?state=unread&urgency=upcoming&limit=1", {"1-plan_due-before-3"}, 2},
      {"?offset=1&limit=2", {"3-plan_due-due", "2-plan_due-before-1"}, 5},
      {"?offset=4&limit=500", {"0-plan_due-before-5"}, 5},
      {"?offset=5", {}, 5},
      {"?offset=1000000", {}, 5},
  };
  for (const Filter& f : filters) {
    INFO("GET /api/v1/inbox" << f.query);
    const json inbox = w.Inbox("nn-clerk", f.query);
    std::vector<std::string> want;
    for (const auto& n : f.notices) want.push_back(Item("nn-clerk", n));
    CHECK(Ids(inbox["items"]) == want);
    CHECK(inbox["total"] == f.total);
    // The counts are of the whole inbox, whatever the filter.
    CHECK(inbox["unread"] == Counts(5, 1, 1, 1, 2));
  }
  struct Bad {
    std::string query, parameter, message;
  };
  const std::vector<Bad> bad = {
      {"?state=maybe", "state", "state is unread, read or all"},
      {"?state=", "state", "state is unread, read or all"},
      {"?urgency=late", "urgency", "urgency is overdue, due_today, urgent or upcoming"},
      {"?limit=0", "limit", "limit is a whole number from 1 to 500"},
      {"?limit=501", "limit", "limit is a whole number from 1 to 500"},
      {"?limit=ten", "limit", "limit is a whole number from 1 to 500"},
      {"?limit=", "limit", "limit is a whole number from 1 to 500"},
      {"?offset=-1", "offset", "offset is a whole number from 0 to 1000000"},
      {"?offset=1000001", "offset", "offset is a whole number from 0 to 1000000"},
      {"?page=2", "page", "unknown query parameter \"page\""},
      {"?State=unread", "State", "unknown query parameter \"State\""},
  };
  const int64_t before = w.Seq();
  for (const Bad& b : bad) {
    INFO("GET /api/v1/inbox" << b.query);
    const auto r = w.Get("nn-clerk", "/api/v1/inbox" + b.query);
    CheckError(r, 400, "bad_parameter", b.message);
    CHECK(r.Json()["error"]["details"]["parameter"] == b.parameter);
  }
  CHECK(w.Seq() == before);
  CHECK(w.Unread("nn-clerk") == Counts(5, 1, 1, 1, 2));
}

TEST_CASE("http notify: marking read — another user's item is 404 and nothing is marked, then a list, then all") {
  NotifyWorld w;
  const std::string escalation = Item("nn-clerk", "4-plan_due-escalation-1");
  const std::string due = Item("nn-clerk", "3-plan_due-due");
  const std::string before1 = Item("nn-clerk", "2-plan_due-before-1");
  const std::string lz_item = Item("lz-clerk", "0-plan_due-before-1", kLiuzhou);
  const int64_t seq0 = w.Seq();

  // Ids that are not in the caller's inbox: 404 and nothing marked; each attempt is
  // journaled as a refusal on access/mark_read (every refusal is on the record).
  struct NotMine {
    std::string user;
    json ids;
    std::string missing;
  };
  const std::vector<NotMine> not_mine = {
      {"lz-clerk", {escalation}, escalation},
      {"nn-deputy", {escalation}, escalation},  // same unit, another user
      {"office-1", {escalation}, escalation},   // the office's own copy has another id
      {"nn-clerk", {escalation, due, lz_item}, lz_item},  // one bad id spoils the list
      {"nn-clerk", {Item("nn-clerk", "9-plan_due-before-5")}, Item("nn-clerk", "9-plan_due-before-5")},
  };
  for (const NotMine& c : not_mine) {
    INFO(c.user << " marks " << c.ids.dump());
    const auto r = w.Send(c.user, "POST", "/api/v1/inbox/read", json{{"ids", c.ids}}.dump());
    CheckError(r, 404, "not_found", "nothing was marked");
    CHECK(r.Json()["error"]["details"]["id"] == c.missing);
  }
  CHECK(w.Unread("nn-clerk") == Counts(5, 1, 1, 1, 2));
  CHECK(w.Unread("lz-clerk") == Counts(3, 1, 1, 1, 0));
  CHECK(w.Unread("office-1") == Counts(2, 2, 0, 0, 0));
  const json refused = w.Audit("entity=access/mark_read");
  CHECK(refused.size() == not_mine.size());
  for (const json& e : refused) CHECK(e["outcome"] == "refused");
  CHECK(w.Seq() == seq0 + int64_t(not_mine.size()));
  const int64_t seq1 = w.Seq();
  // Malformed bodies: 400.
  struct Malformed {
    std::string body, code, message;
  };
  const std::vector<Malformed> malformed = {
      {"{}", "missing_field", "send {\"ids\""},
      {R"({"all": false})", "missing_field", "send {\"ids\""},
      {R"({"all": true, "ids": ["x"]})", "missing_field", "send {\"ids\""},
      {R"({"all": "yes"})", "wrong_type", "\"all\" is true or false"},
      {R"({"ids": []})", "wrong_type", "ids is a list of 1 to 500 inbox item ids"},
      {R"({"ids": "inbox/nn-clerk"})", "wrong_type", "ids is a list of 1 to 500 inbox item ids"},
      {R"({"ids": [42]})", "wrong_type", "ids are strings"},
      {R"({"ids": ["x"], "mark": "read"})", "unknown_field", "unknown field \"mark\""},
      {"not json", "malformed_json", "not valid JSON"},
      {"[]", "malformed_json", "must be a JSON object"},
  };
  for (const Malformed& m : malformed) {
    INFO("body " << m.body);
    CheckError(w.Send("nn-clerk", "POST", "/api/v1/inbox/read", m.body), 400, m.code, m.message);
  }
  CHECK(w.Seq() == seq1);
  for (const json& e : w.Audit("command=mark_read")) CHECK(e["entity"] == "access/mark_read");

  // A list of the user's own items: marked, the counts drop.
  auto r = w.Send("nn-clerk", "POST", "/api/v1/inbox/read", json{{"ids", {escalation, due}}}.dump());
  INFO(r.body);
  REQUIRE(r.status == 200);
  CHECK(r.Json()["marked"] == 2);
  CHECK(r.Json()["unread"] == Counts(3, 0, 0, 1, 2));
  CHECK(w.Seq() == seq1 + 2);
  const json read = w.Inbox("nn-clerk", "?state=read");
  CHECK(Ids(read["items"]) == std::vector<std::string>{escalation, due});
  for (const json& item : read["items"]) {
    CHECK(item["state"] == "read");
    CHECK(item.contains("read_at"));
  }
  // Marking a read item again marks nothing and writes nothing.
  r = w.Send("nn-clerk", "POST", "/api/v1/inbox/read", json{{"ids", {escalation}}}.dump());
  CHECK(r.status == 200);
  CHECK(r.Json()["marked"] == 0);
  CHECK(w.Seq() == seq1 + 2);
  // One more (an id sent twice is the subject of its own test below).
  r = w.Send("nn-clerk", "POST", "/api/v1/inbox/read", json{{"ids", {before1}}}.dump());
  CHECK(r.status == 200);
  CHECK(r.Json()["marked"] == 1);
  CHECK(r.Json()["unread"] == Counts(2, 0, 0, 0, 2));
  const int64_t seq_list = w.Seq();
  CHECK(seq_list == seq1 + 3);
  // Everything else: {"all": true}.
  r = w.Send("nn-clerk", "POST", "/api/v1/inbox/read", R"({"all": true})");
  CHECK(r.status == 200);
  CHECK(r.Json()["marked"] == 2);
  CHECK(r.Json()["unread"] == Counts(0, 0, 0, 0, 0));
  CHECK(w.Seq() == seq_list + 2);
  CHECK(w.Inbox("nn-clerk", "?state=unread")["items"].empty());
  CHECK(w.Inbox("nn-clerk", "?state=read")["total"] == 5);
  r = w.Send("nn-clerk", "POST", "/api/v1/inbox/read", R"({"all": true})");
  CHECK(r.Json()["marked"] == 0);
  // The other inboxes are untouched.
  CHECK(w.Unread("nn-deputy") == Counts(5, 1, 1, 1, 2));
  CHECK(w.Unread("office-1") == Counts(2, 2, 0, 0, 0));
  CHECK(w.Unread("lz-clerk") == Counts(3, 1, 1, 1, 0));

  // The journal has one accepted mark_read per item, by the clerk over HTTP, and nothing else.
  json marks = json::array();
  for (const json& e : w.Audit("command=mark_read")) {
    if (e["entity"] != "access/mark_read") marks.push_back(e);
  }
  std::set<std::string> entities;
  for (const json& e : marks) {
    INFO(e.dump());
    CHECK(e["outcome"] == "accepted");
    CHECK(e["actor"]["user"] == "nn-clerk");
    CHECK(e["actor"]["origin"].get<std::string>().rfind("http ", 0) == 0);
    entities.insert(e["entity"].get<std::string>());
  }
  CHECK(marks.size() == 5);
  CHECK(entities.size() == 5);
  const json one = w.Audit("entity=" + Enc(escalation) + "&command=mark_read");
  REQUIRE(one.size() == 1);
  CHECK(one[0]["entity_type"] == "inbox_item");
}

// Regression: an id listed twice used to be executed twice, the second mark_read being
// refused by the domain ("the item is already read") and journaled as a refusal.
TEST_CASE("http notify: an unread id listed twice in one mark-read request is executed once") {
  NotifyWorld w;
  const std::string before1 = Item("nn-clerk", "2-plan_due-before-1");
  const int64_t seq0 = w.Seq();
  auto r = w.Send("nn-clerk", "POST", "/api/v1/inbox/read", json{{"ids", {before1, before1}}}.dump());
  INFO(r.body);
  REQUIRE(r.status == 200);
  CHECK(r.Json()["marked"] == 1);
  CHECK(r.Json()["unread"] == Counts(4, 1, 1, 0, 2));
  CHECK(w.Audit("command=mark_read&outcome=accepted").size() == 1);
  CHECK(w.Audit("command=mark_read&outcome=refused").empty());
  CHECK(w.Seq() == seq0 + 1);
}

TEST_CASE("http notify: preferences are read and changed — bad ones are refused, a stale If-Match is 409") {
  NotifyWorld w;
  const json clerk0 = {{"email", "nn-clerk@nanning.gov.cn"}, {"language", "zh-CN"}, {"digest", false}};
  const json deputy0 = {{"email", ""}, {"language", "en"}, {"digest", false}};
  auto prefs = [&](const std::string& user) {
    auto r = w.Get(user, "/api/v1/me/preferences");
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.Json();
  };
  CHECK(prefs("nn-clerk") == clerk0);
  CHECK(prefs("nn-deputy") == deputy0);
  CHECK(prefs("office-1") == json{{"email", "office@gxjxb.gov.cn"}, {"language", "zh-CN"}, {"digest", false}});
  CheckError(w.Get("", "/api/v1/me/preferences"), 401, "unauthenticated", "sign in");

  const int64_t v0 = w.Instance("nn-clerk", "user/nn-clerk")["version"];
  struct Bad {
    std::string user, body;
    int status;
    std::string code, message;
  };
  const std::vector<Bad> bad = {
      {"nn-clerk", R"({"email": "not-an-address"})", 422, "refused", "email \"not-an-address\" is not a mail address"},
      {"nn-clerk", R"({"email": "a@b.cn\r\nBcc: x@y.cn"})", 422, "refused", "is not a mail address"},
      {"nn-clerk", R"({"language": "fr"})", 422, "refused", "language is \"zh-CN\" or \"en\", not \"fr\""},
      {"nn-clerk", R"({"digest": "yes"})", 422, "refused", "field \"digest\" must be true or false"},
      {"nn-clerk", R"({"role": "admin"})", 422, "refused", "unknown field \"role\""},
      {"nn-clerk", R"({"language": "en", "unit": "gx-liuzhou"})", 422, "refused", "unknown field \"unit\""},
      {"nn-clerk", "{}", 422, "refused", "name at least one of email, language, digest"},
      {"nn-clerk", R"({"email": "", "digest": true})", 422, "refused", "a daily digest is mailed: set an email address first"},
      {"nn-deputy", R"({"digest": true})", 422, "refused", "a daily digest is mailed: set an email address first"},
      {"nn-clerk", "{\"language\": ", 400, "malformed_json", "not valid JSON"},
      {"nn-clerk", R"(["en"])", 400, "malformed_json", "must be a JSON object"},
      {"nn-clerk", "", 400, "malformed_json", "not valid JSON"},
  };
  for (const Bad& b : bad) {
    INFO(b.user << " PUT " << b.body);
    const int64_t before = w.Seq();
    CheckError(w.Send(b.user, "PUT", "/api/v1/me/preferences", b.body), b.status, b.code, b.message);
    // A refusal by the workflow is journaled (on the user); a malformed request is not.
    const int64_t journaled = w.Seq() - before;
    CHECK(journaled == (b.status == 422 ? 1 : 0));
    if (b.status == 422) {
      const json last = w.Audit("entity=" + Enc("user/" + b.user) + "&command=set_preferences").back();
      CHECK(last["outcome"] == "refused");
      CHECK(last["actor"]["user"] == b.user);
    }
  }
  CHECK(prefs("nn-clerk") == clerk0);
  CHECK(prefs("nn-deputy") == deputy0);
  CHECK(w.Instance("nn-clerk", "user/nn-clerk")["version"] == v0);
  CHECK(w.Instance("root", "directory/notify")["data"]["users"]["nn-clerk"]["language"] == "zh-CN");

  // A stale If-Match: 409 with the current version (ETag and details), nothing written;
  // a malformed one: 400.
  const int64_t before = w.Seq();
  auto stale = w.Send("nn-clerk", "PUT", "/api/v1/me/preferences", R"({"language": "en"})",
                      {{"If-Match", "\"" + std::to_string(v0 - 1) + "\""}});
  CheckError(stale, 409, "conflict", "GET it again and retry with If-Match: \"" + std::to_string(v0) + "\"");
  CHECK(stale.headers["ETag"] == "\"" + std::to_string(v0) + "\"");
  CHECK(stale.Json()["error"]["details"] ==
        json{{"id", "user/nn-clerk"}, {"current_version", v0}, {"expected_version", v0 - 1}});
  CheckError(w.Send("nn-clerk", "PUT", "/api/v1/me/preferences", R"({"language": "en"})",
                    {{"If-Match", "yesterday"}}),
             400, "bad_header", "If-Match");
  CHECK(w.Seq() == before);
  CHECK(prefs("nn-clerk") == clerk0);

  // The current version: changed, journaled on user/nn-clerk, in the directory too.
  auto ok = w.Send("nn-clerk", "PUT", "/api/v1/me/preferences", R"({"language": "en", "digest": true})",
                   {{"If-Match", "\"" + std::to_string(v0) + "\""}});
  INFO(ok.body);
  REQUIRE(ok.status == 200);
  const json clerk1 = {{"email", "nn-clerk@nanning.gov.cn"}, {"language", "en"}, {"digest", true}};
  CHECK(ok.Json() == clerk1);
  CHECK(ok.headers["ETag"] == "\"" + std::to_string(v0 + 1) + "\"");
  CHECK(w.Seq() == before + 1);
  CHECK(prefs("nn-clerk") == clerk1);
  const json accepted = w.Audit("entity=" + Enc("user/nn-clerk") + "&command=set_preferences&outcome=accepted");
  REQUIRE(accepted.size() == 1);
  CHECK(accepted[0]["actor"]["user"] == "nn-clerk");
  CHECK(accepted[0]["actor"]["role"] == "unit");
  CHECK(accepted[0]["payload"] == json{{"language", "en"}, {"digest", true}});
  const json entry = w.Instance("root", "directory/notify")["data"]["users"]["nn-clerk"];
  CHECK(entry["language"] == "en");
  CHECK(entry["digest"] == true);
  // The inbox now speaks English to the clerk.
  CHECK(w.Inbox("nn-clerk")["items"][0]["subject"] ==
        "[Overdue] 南宁市: Performance plan filing 1 working day overdue");
  // The old version is stale now; without If-Match the change applies.
  CHECK(w.Send("nn-clerk", "PUT", "/api/v1/me/preferences", R"({"digest": false})",
               {{"If-Match", std::to_string(v0)}}).status == 409);
  auto unset = w.Send("nn-clerk", "PUT", "/api/v1/me/preferences", R"({"digest": false, "email": ""})");
  CHECK(unset.status == 200);
  CHECK(unset.Json() == json{{"email", ""}, {"language", "en"}, {"digest", false}});
  // Another user's preferences are untouched.
  CHECK(prefs("nn-deputy") == deputy0);
}

TEST_CASE("http notify: deliveries that became incidents are listed for the office and retried") {
  NotifyWorld w;
  // Sorted by id, as the list answers.
  std::vector<std::string> lz_mails, hooks, sent;
  for (const char* n : {"0-plan_due-before-1", "1-plan_due-due", "2-plan_due-escalation-1"}) {
    lz_mails.push_back("delivery/email/lz-clerk" + kLiuzhou + n);
  }
  for (auto it = kNanningNotices.rbegin(); it != kNanningNotices.rend(); ++it) {
    hooks.push_back("delivery/webhook/oa" + kNanning + it->first);
    sent.push_back("delivery/email/nn-clerk" + kNanning + it->first);
  }
  sent.push_back("delivery/email/office-1" + kLiuzhou + "2-plan_due-escalation-1");
  sent.push_back("delivery/email/office-1" + kNanning + "4-plan_due-escalation-1");
  std::vector<std::string> incidents = lz_mails;
  incidents.insert(incidents.end(), hooks.begin(), hooks.end());
  const std::string lz_mail = lz_mails[0];

  // Who may list: the office, auditors, admins; the default state is incident.
  for (const std::string user : {"office-1", "auditor-1", "root"}) {
    INFO(user);
    auto r = w.Get(user, "/api/v1/deliveries");
    REQUIRE(r.status == 200);
    const json list = r.Json();
    CHECK(Ids(list["deliveries"]) == incidents);
    CHECK(list["next_after"].is_null());
    for (const json& d : list["deliveries"]) {
      INFO(d.dump());
      CHECK(d["state"] == "incident");
      CHECK(d["attempts"] == 1);
      CHECK(d["failures"] == 1);
      CHECK(d["incident_at"].get<std::string>().rfind("2025-05-06T02:00:00", 0) == 0);
      CHECK_FALSE(d.contains("next_attempt_at"));
      CHECK(d["history"].size() == 1);
    }
    CHECK(list["deliveries"][0]["channel"] == "email");
    CHECK(list["deliveries"][0]["to"] == "lz@liuzhou.gov.cn");
    CHECK(list["deliveries"][0]["last_error"] == "550 mailbox unavailable");
    REQUIRE(list["deliveries"].size() == 8);
    CHECK(list["deliveries"][3]["channel"] == "webhook");
    CHECK(list["deliveries"][3]["last_error"] == "HTTP 410 Gone from the OA bridge");
  }
  // A unit clerk may not: 403, and the refusal is journaled.
  for (const std::string user : {"nn-clerk", "lz-clerk"}) {
    const int64_t before = w.Seq();
    CheckError(w.Get(user, "/api/v1/deliveries"), 403, "forbidden", "only the office, auditors and admins");
    CHECK(w.Seq() == before + 1);
    const json refused = w.Audit("entity=" + Enc("access/read_deliveries") + "&actor=" + user);
    REQUIRE(refused.size() == 1);
    CHECK(refused[0]["outcome"] == "refused");
  }
  CheckError(w.Get("", "/api/v1/deliveries"), 401, "unauthenticated", "sign in");

  struct Filter {
    std::string query;
    std::vector<std::string> ids;
    json next_after;
  };
  const std::vector<Filter> filters = {
      {"?state=incident", incidents, nullptr},
      {"?state=sent", sent, nullptr},
      {"?state=pending", {}, nullptr},
      {"?state=held", {}, nullptr},
      {"?channel=webhook", hooks, nullptr},
      {"?channel=email", lz_mails, nullptr},
      {"?state=sent&channel=webhook", {}, nullptr},
      {"?limit=2", {incidents[0], incidents[1]}, incidents[1]},
      {"?limit=2&after=" + Enc(incidents[1]), {incidents[2], incidents[3]}, incidents[3]},
      {"?limit=1000&after=" + Enc(incidents[3]), {hooks[1], hooks[2], hooks[3], hooks[4]}, nullptr},
  };
  for (const Filter& f : filters) {
    INFO("GET /api/v1/deliveries" << f.query);
    auto r = w.Get("office-1", "/api/v1/deliveries" + f.query);
    REQUIRE(r.status == 200);
    CHECK(Ids(r.Json()["deliveries"]) == f.ids);
    CHECK(r.Json()["next_after"] == f.next_after);
  }
  struct Bad {
    std::string query, parameter, message;
  };
  const std::vector<Bad> bad = {
      {"?state=maybe", "state", "state is pending, held, sent or incident"},
      {"?state=failed", "state", "state is pending, held, sent or incident"},
      {"?channel=fax", "channel", "channel is email or webhook"},
      {"?limit=0", "limit", "limit is a whole number from 1 to 1000"},
      {"?limit=1001", "limit", "limit is a whole number from 1 to 1000"},
      {"?page=2", "page", "unknown query parameter \"page\""},
  };
  int64_t before = w.Seq();
  for (const Bad& b : bad) {
    INFO("GET /api/v1/deliveries" << b.query);
    auto r = w.Get("office-1", "/api/v1/deliveries" + b.query);
    CheckError(r, 400, "bad_parameter", b.message);
    CHECK(r.Json()["error"]["details"]["parameter"] == b.parameter);
  }
  CHECK(w.Seq() == before);

  auto retry_path = [](const std::string& id) { return "/api/v1/deliveries/" + Enc(id) + "/retry"; };
  // Who may not retry: 403, journaled.
  for (const std::string user : {"auditor-1", "nn-clerk"}) {
    INFO(user);
    before = w.Seq();
    CheckError(w.Send(user, "POST", retry_path(hooks[0]), ""), 403, "forbidden",
               "only the office or an admin retries a delivery");
    CHECK(w.Seq() == before + 1);
    CHECK(w.Audit("entity=" + Enc("access/retry_delivery") + "&actor=" + user).size() == 1);
  }
  // Not a delivery: 404.
  for (const std::string& id : {std::string("user/nn-clerk"), Item("nn-clerk", "0-plan_due-before-5"),
                               std::string("delivery/email/nobody/2025/city/gx-nanning/0-plan_due-before-5"),
                               std::string("lifecycle/2025/city/gx-nanning")}) {
    INFO(id);
    auto r = w.Send("office-1", "POST", retry_path(id), "");
    CheckError(r, 404, "not_found", "no such delivery");
    CHECK(r.Json()["error"]["details"]["id"] == id);
  }
  // A malformed body: 400; a delivery that was sent: 422; a stale If-Match: 409.
  CheckError(w.Send("office-1", "POST", retry_path(hooks[0]), R"({"why": "x"})"), 400, "unknown_field",
             "unknown field \"why\"");
  CheckError(w.Send("office-1", "POST", retry_path(hooks[0]), R"({"reason": 7})"), 400, "wrong_type",
             "reason is a string");
  CheckError(w.Send("office-1", "POST", retry_path(sent[0]), ""), 422, "refused",
             "only an incident is retried; this delivery is sent");
  const int64_t lz_version = w.Instance("office-1", lz_mail)["version"];
  before = w.Seq();
  auto stale = w.Send("office-1", "POST", retry_path(lz_mail), "",
                      {{"If-Match", "\"" + std::to_string(lz_version - 1) + "\""}});
  CheckError(stale, 409, "conflict", "the instance is at version " + std::to_string(lz_version));
  CHECK(stale.headers["ETag"] == "\"" + std::to_string(lz_version) + "\"");
  CHECK(stale.Json()["error"]["details"] ==
        json{{"id", lz_mail}, {"current_version", lz_version}, {"expected_version", lz_version - 1}});
  CHECK(w.Seq() == before);
  CHECK(w.Instance("office-1", lz_mail)["state"] == "incident");

  // The office retries the first webhook post: pending again, journaled.
  const std::string retried = hooks[0];
  const int64_t version = w.Instance("office-1", retried)["version"];
  auto r = w.Send("office-1", "POST", retry_path(retried), R"({"reason": "the OA bridge is back"})",
                  {{"If-Match", "\"" + std::to_string(version) + "\""}});
  INFO(r.body);
  REQUIRE(r.status == 200);
  const json d = r.Json();
  CHECK(d["id"] == retried);
  CHECK(d["state"] == "pending");
  CHECK(d["failures"] == 0);
  CHECK(d["version"] == version + 1);
  CHECK(d.contains("next_attempt_at"));
  CHECK_FALSE(d.contains("incident_at"));
  CHECK(d["history"].back()["outcome"] == "retry");
  CHECK(d["history"].back()["detail"] == "office-1: the OA bridge is back");
  CHECK(r.headers["ETag"] == "\"" + std::to_string(version + 1) + "\"");
  const json retries = w.Audit("entity=" + Enc(retried) + "&command=retry");
  REQUIRE(retries.size() == 1);
  CHECK(retries[0]["outcome"] == "accepted");
  CHECK(retries[0]["actor"]["user"] == "office-1");
  CHECK(retries[0]["reason"] == "the OA bridge is back");
  // The server's dispatcher sends it again at once; this server knows no webhook "oa",
  // so it is an incident again, after a second attempt.
  json now;
  for (int i = 0; i < 150; ++i) {
    now = w.Instance("office-1", retried);
    if (now["state"] != "pending") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  INFO(now.dump());
  CHECK(now["state"] == "incident");
  CHECK(now["data"]["attempts"] == 2);
  CHECK(now["data"]["last_error"] == "no webhook \"oa\" is configured any more");
  // The other incidents stay as they were.
  auto after = w.Get("root", "/api/v1/deliveries?state=incident");
  CHECK(Ids(after.Json()["deliveries"]) == incidents);
  CHECK(w.Get("root", "/api/v1/deliveries?state=pending").Json()["deliveries"].empty());
}

namespace {

// "A\r\n B" → "AB" (RFC 5545 unfolding).
std::string Unfold(std::string text) {
  for (size_t p = text.find("\r\n "); p != std::string::npos; p = text.find("\r\n ", p)) {
    text.erase(p, 3);
  }
  return text;
}

// The VEVENT blocks of an iCalendar text, each as its unfolded lines.
std::vector<std::vector<std::string>> Events(const std::string& ics) {
  std::vector<std::vector<std::string>> out;
  std::vector<std::string>* current = nullptr;
  const std::string text = Unfold(ics);
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find("\r\n", start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    start = end + 2;
    if (line == "BEGIN:VEVENT") {
      out.emplace_back();
      current = &out.back();
    } else if (line == "END:VEVENT") {
      current = nullptr;
    } else if (current != nullptr) {
      current->push_back(line);
    }
  }
  return out;
}

std::string Field(const std::vector<std::string>& event, const std::string& prefix) {
  for (const auto& line : event) {
    if (line.rfind(prefix, 0) == 0) return line.substr(prefix.size());
  }
  return "";
}

bool HasAlarm(const std::vector<std::string>& event) {
  return std::find(event.begin(), event.end(), "BEGIN:VALARM") != event.end();
}

const std::vector<std::string>* EventWithUid(const std::vector<std::vector<std::string>>& events,
                                             const std::string& uid) {
  for (const auto& e : events) {
    if (Field(e, "UID:") == uid) return &e;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("http notify: a calendar feed link serves the deadlines without a session until it is revoked") {
  NotifyWorld w;
  CheckError(w.Send("", "POST", "/api/v1/feeds", R"({"scope": "unit"})"), 401, "unauthenticated", "sign in");
  auto created = w.Send("nn-clerk", "POST", "/api/v1/feeds", R"({"scope": "unit"})");
  INFO(created.body);
  REQUIRE(created.status == 201);
  const json feed = created.Json();
  const std::string token = feed["token"];
  const std::string id = feed["id"];
  const std::string url = feed["url"];
  CHECK(std::regex_match(token, std::regex("[0-9a-f]{32}")));
  CHECK(std::regex_match(id, std::regex("[0-9a-f]{16}")));
  CHECK(url == "/feeds/" + token + ".ics");
  CHECK(feed["scope"] == "unit");
  CHECK(feed["subject"] == "gx-nanning");
  CHECK(feed["created_at"].get<std::string>().rfind("20", 0) == 0);

  // The link, without any session.
  auto ics = w.Get("", url);
  INFO(ics.body.substr(0, 400));
  REQUIRE(ics.status == 200);
  CHECK(ics.headers["Content-Type"].rfind("text/calendar", 0) == 0);
  const std::string& body = ics.body;
  CHECK(body.rfind("BEGIN:VCALENDAR\r\n", 0) == 0);
  CHECK(body.size() > 15);
  CHECK(body.substr(body.size() - 15) == "END:VCALENDAR\r\n");
  size_t bare_lf = 0;
  for (size_t p = 0; p < body.size(); ++p) bare_lf += body[p] == '\n' && (p == 0 || body[p - 1] != '\r');
  CHECK(bare_lf == 0);
  CHECK(Contains(Unfold(body), "X-WR-CALNAME:绩效考评截止日 — 南宁市"));
  const auto events = Events(body);
  // The cycle's nine milestones for Nanning's lifecycle, Liuzhou's none.
  CHECK(events.size() == 9);
  for (const auto& e : events) {
    CHECK(Field(e, "UID:").rfind("lifecycle/2025/city/gx-nanning/", 0) == 0);
  }
  const auto* plan = EventWithUid(events, "lifecycle/2025/city/gx-nanning/plan_due@govassess");
  REQUIRE(plan != nullptr);
  CHECK(Field(*plan, "DTSTART;VALUE=DATE:") == "20250430");
  CHECK(Field(*plan, "DTEND;VALUE=DATE:") == "20250501");
  // The lifecycle marked plan filing overdue.
  CHECK(Field(*plan, "SUMMARY:") == "南宁市：绩效计划报送截止（已逾期）");
  // The 2025 adjustment window (November 2025) is behind the server's clock: closed, no
  // alarm, and no action asked of the unit.
  const auto* window =
      EventWithUid(events, "lifecycle/2025/city/gx-nanning/adjustment_window@govassess");
  REQUIRE(window != nullptr);
  CHECK(Field(*window, "SUMMARY:").find("（已截止）") != std::string::npos);
  CHECK(Contains(Field(*window, "DESCRIPTION:"), "期限已过，不能再办理。"));
  CHECK_FALSE(HasAlarm(*window));

  // The list shows the feed, never its token.
  auto list = w.Get("nn-clerk", "/api/v1/feeds");
  REQUIRE(list.status == 200);
  CHECK(list.Json()["feeds"].size() == 1);
  CHECK(list.Json()["feeds"][0]["id"] == id);
  CHECK(list.Json()["feeds"][0]["scope"] == "unit");
  CHECK(list.Json()["feeds"][0]["subject"] == "gx-nanning");
  CHECK_FALSE(list.Json()["feeds"][0].contains("token"));
  CHECK_FALSE(list.Json()["feeds"][0].contains("url"));
  CHECK_FALSE(Contains(list.body, token));
  CHECK(w.Get("nn-deputy", "/api/v1/feeds").Json()["feeds"].empty());

  // A unit feed for a user without a unit: 422; bad requests: 400.
  struct Bad {
    std::string user, body;
    int status;
    std::string code, message;
  };
  const std::vector<Bad> bad = {
      {"office-1", R"({"scope": "unit"})", 422, "refused", "a unit feed needs a user who belongs to a unit"},
      {"nn-clerk", R"({"scope": "team"})", 422, "refused", "a feed's scope is user or unit"},
      {"nn-clerk", R"({"scope": 1})", 400, "wrong_type", "scope is \"user\" or \"unit\""},
      {"nn-clerk", R"({"scope": "unit", "name": "mine"})", 400, "unknown_field", "unknown field \"name\""},
      {"nn-clerk", "scope=unit", 400, "malformed_json", "not valid JSON"},
  };
  for (const Bad& b : bad) {
    INFO(b.user << " POST /api/v1/feeds " << b.body);
    CheckError(w.Send(b.user, "POST", "/api/v1/feeds", b.body), b.status, b.code, b.message);
  }
  CHECK(w.Get("office-1", "/api/v1/feeds").Json()["feeds"].empty());
  CHECK(w.Get("nn-clerk", "/api/v1/feeds").Json()["feeds"].size() == 1);

  // The office's own feed (scope user by default): its own steps per assessment, and the
  // cycles' other milestones.
  auto office_feed = w.Send("office-1", "POST", "/api/v1/feeds", "");
  INFO(office_feed.body);
  REQUIRE(office_feed.status == 201);
  CHECK(office_feed.Json()["scope"] == "user");
  CHECK(office_feed.Json()["subject"] == "office-1");
  const std::string office_token = office_feed.Json()["token"];
  auto office_ics = w.Get("", office_feed.Json()["url"]);
  REQUIRE(office_ics.status == 200);
  const auto cycle_events = Events(office_ics.body);
  // The cycle's six milestones of others, as information, and the office's three steps
  // (on-site verification, external scores, results) of each of the two assessments.
  CHECK(cycle_events.size() == 6 + 3 * 2);
  const auto* cycle_plan = EventWithUid(cycle_events, "cycle/2025/city/plan_due@govassess");
  REQUIRE(cycle_plan != nullptr);
  CHECK(Field(*cycle_plan, "DTSTART;VALUE=DATE:") == "20250430");
  // The office's own steps are listed per assessment, as actions with an alarm while
  // they are still to be done; the cycle's other milestones are information, no alarm.
  for (const std::string step : {"onsite_verification_due", "external_scores_due", "results_due"}) {
    INFO(step);
    const auto* own = EventWithUid(cycle_events, "lifecycle/2025/city/gx-nanning/" + step + "@govassess");
    REQUIRE(own != nullptr);
    CHECK(Field(*own, "SUMMARY:").rfind("南宁市：", 0) == 0);
    CHECK(HasAlarm(*own));
    CHECK(EventWithUid(cycle_events, "cycle/2025/city/" + step + "@govassess") == nullptr);
  }
  CHECK_FALSE(HasAlarm(*cycle_plan));
  CHECK(Field(*cycle_plan, "DESCRIPTION:").find("办理单位") != std::string::npos);

  // Only the owner revokes: another user's DELETE is 404 and the link still works.
  CheckError(w.Send("nn-deputy", "DELETE", "/api/v1/feeds/" + id, ""), 404, "not_found", id);
  CHECK(w.Get("", url).status == 200);
  auto revoked = w.Send("nn-clerk", "DELETE", "/api/v1/feeds/" + id, "");
  CHECK(revoked.status == 204);
  CHECK(revoked.body.empty());
  CheckError(w.Get("", url), 404, "not_found", "no such calendar feed");
  CheckError(w.Send("nn-clerk", "DELETE", "/api/v1/feeds/" + id, ""), 404, "not_found", id);
  CHECK(w.Get("nn-clerk", "/api/v1/feeds").Json()["feeds"].empty());
  CHECK(w.Get("", office_feed.Json()["url"]).status == 200);

  // Malformed or unknown links: 404.
  std::string upper = token;
  for (char& c : upper) c = char(std::toupper(static_cast<unsigned char>(c)));
  for (const std::string& link :
       {std::string("/feeds/abc.ics"), "/feeds/" + upper + ".ics", "/feeds/" + token,
        "/feeds/" + token + ".ical", "/feeds/" + token.substr(1) + ".ics",
        "/feeds/" + std::string(32, '0') + ".ics", "/feeds/" + office_token + "0.ics"}) {
    INFO(link);
    CHECK(w.Get("", link).status == 404);
  }

  // The journal has the feed's id, never its token.
  const json added = w.Audit("entity=" + Enc("user/nn-clerk") + "&command=add_feed&outcome=accepted");
  REQUIRE(added.size() == 1);
  CHECK(added[0]["payload"] == json{{"id", id}, {"scope", "unit"}});
  const json removed = w.Audit("entity=" + Enc("user/nn-clerk") + "&command=revoke_feed&outcome=accepted");
  REQUIRE(removed.size() == 1);
  // The second DELETE of the same feed was refused by the domain, and journaled.
  CHECK(w.Audit("entity=" + Enc("user/nn-clerk") + "&command=revoke_feed&outcome=refused").size() == 1);
  CHECK(removed[0]["payload"] == json{{"id", id}});
  // The refusals by the domain (the office's unit feed, the clerk's "team" scope) are journaled.
  const json office_refused = w.Audit("entity=" + Enc("user/office-1") + "&command=add_feed&outcome=refused");
  REQUIRE(office_refused.size() == 1);
  CHECK(office_refused[0]["reason"] == "a unit feed needs a user who belongs to a unit");
  const json clerk_refused = w.Audit("entity=" + Enc("user/nn-clerk") + "&command=add_feed&outcome=refused");
  REQUIRE(clerk_refused.size() == 1);
  CHECK(clerk_refused[0]["reason"] == "a feed's scope is user or unit");
  for (const std::string format : {"jsonl", "csv"}) {
    auto all = w.Get("auditor-1", "/api/v1/audit?limit=10000&format=" + format);
    REQUIRE(all.status == 200);
    CHECK(Contains(all.body, id));
    CHECK_FALSE(Contains(all.body, token));
    CHECK_FALSE(Contains(all.body, office_token));
  }
  CHECK_FALSE(Contains(w.server->Output(), token));
}

TEST_CASE("http notify: an admin revokes any user's calendar feed, journaled as the admin — nobody else can") {
  NotifyWorld w;
  auto created = w.Send("nn-clerk", "POST", "/api/v1/feeds", R"({"scope": "unit"})");
  REQUIRE(created.status == 201);
  const std::string id = created.Json()["id"];
  const std::string url = created.Json()["url"];
  auto deputy = w.Send("nn-deputy", "POST", "/api/v1/feeds", "");
  REQUIRE(deputy.status == 201);
  const std::string deputy_id = deputy.Json()["id"];
  const std::string deputy_url = deputy.Json()["url"];

  // Not an admin: someone else's feed is 404, like a missing one, and stays.
  for (const std::string user : {"nn-deputy", "office-1", "auditor-1", "lz-clerk"}) {
    INFO(user);
    CheckError(w.Send(user, "DELETE", "/api/v1/feeds/" + id, ""), 404, "not_found",
               "you have no calendar feed \"" + id + "\"");
  }
  CHECK(w.Get("", url).status == 200);
  CHECK(w.Get("nn-clerk", "/api/v1/feeds").Json()["feeds"].size() == 1);
  // Those attempts were refused on the callers' own records, never on nn-clerk's.
  CHECK(w.Audit("entity=" + Enc("user/nn-clerk") + "&command=revoke_feed").empty());

  // The admin: revoked, the link is dead, journaled on nn-clerk with the admin as actor.
  const int64_t before = w.Seq();
  auto revoked = w.Send("root", "DELETE", "/api/v1/feeds/" + id, "");
  INFO(revoked.body);
  CHECK(revoked.status == 204);
  CHECK(w.Seq() == before + 1);
  CheckError(w.Get("", url), 404, "not_found", "no such calendar feed");
  CHECK(w.Get("nn-clerk", "/api/v1/feeds").Json()["feeds"].empty());
  const json events = w.Audit("entity=" + Enc("user/nn-clerk") + "&command=revoke_feed");
  REQUIRE(events.size() == 1);
  CHECK(events[0]["outcome"] == "accepted");
  CHECK(events[0]["actor"]["user"] == "root");
  CHECK(events[0]["actor"]["role"] == "admin");
  CHECK(events[0]["payload"] == json{{"id", id}});
  // Again, or an id nobody has: 404 (journaled as a refusal on the admin's record).
  CheckError(w.Send("root", "DELETE", "/api/v1/feeds/" + id, ""), 404, "not_found",
             "nobody has a calendar feed \"" + id + "\"");
  CHECK(w.Audit("entity=" + Enc("user/root") + "&command=revoke_feed&outcome=refused").size() == 1);
  // The other feed is untouched; the admin revokes it too after its user is disabled.
  CHECK(w.Get("", deputy_url).status == 200);
  auto disabled = w.Send("root", "POST", "/api/v1/instances/" + Enc("user/nn-deputy") + "/commands/disable",
                         R"({"reason": "left the office"})");
  INFO(disabled.body);
  REQUIRE(disabled.status == 200);
  CHECK(w.Send("root", "DELETE", "/api/v1/feeds/" + deputy_id, "").status == 204);
  CHECK(w.Instance("root", "user/nn-deputy")["data"]["feeds"].empty());
}

TEST_CASE("http notify: a feed cannot be recorded through the generic command route") {
  NotifyWorld w;
  // It would have no secret link yet count toward the cap: only POST /api/v1/feeds adds.
  const json before = w.Instance("nn-clerk", "user/nn-clerk");
  auto r = w.Send("nn-clerk", "POST", "/api/v1/instances/" + Enc("user/nn-clerk") + "/commands/add_feed",
                  R"({"payload": {"id": "handmade-feed-1", "scope": "user"}})");
  INFO(r.body);
  CHECK(r.status == 403);
  CHECK_THAT(r.body, Catch::Contains("POST /api/v1/feeds"));
  CHECK(w.Instance("nn-clerk", "user/nn-clerk") == before);
  const json refused = w.Audit("entity=" + Enc("user/nn-clerk") + "&command=add_feed&outcome=refused");
  REQUIRE(refused.size() == 1);
  CHECK(refused[0]["actor"]["user"] == "nn-clerk");
  // Through its own route it works, recorded by the sign-in service for the clerk.
  auto made = w.Send("nn-clerk", "POST", "/api/v1/feeds", R"({"scope": "user"})");
  INFO(made.body);
  REQUIRE(made.status == 201);
  const json added = w.Audit("entity=" + Enc("user/nn-clerk") + "&command=add_feed&outcome=accepted");
  REQUIRE(added.size() == 1);
  CHECK(added[0]["actor"]["user"] == "nn-clerk");
  CHECK(added[0]["actor"]["role"] == "system");
}

namespace {

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

}  // namespace

TEST_CASE("http notify: serve --notify with a bad file exits 2 naming the file and the field") {
  TempDir dir;
  const std::string db = dir.Path("never.db");
  struct Case {
    std::string name, text;
    std::vector<std::string> says;
  };
  const std::string hook = R"({"name": "oa", "url": "https://oa.example.gov.cn/hook", )";
  const std::vector<Case> cases = {
      {"ftp.json", R"({"webhooks": [{"name": "oa", "url": "ftp://oa.example", "secret": "0123456789abcdef0"}]})",
       {"webhooks[0].url", "must start with http:// or https://"}},
      {"short.json", R"({"webhooks": [)" + hook + R"("secret": "short"}]})",
       {"webhooks[0].secret", "at least 16 characters"}},
      {"unset.json", R"({"webhooks": [)" + hook + R"("secret_env": "GOVASSESS_TEST_NEVER_SET_42"}]})",
       {"webhooks[0].secret_env", "GOVASSESS_TEST_NEVER_SET_42 is not set"}},
      {"both.json", R"({"webhooks": [)" + hook + R"("secret": "0123456789abcdef0", "secret_env": "HOME"}]})",
       {"webhooks[0]", "not both"}},
      {"typo.json", R"({"retries": {"max_attempts": 3}})", {"retries", "unknown field"}},
      {"smtp.json", R"({"smtp": {"host": "smtp.example.gov.cn", "hots": 1, "from": "a@b.cn"}})",
       {"smtp.hots", "unknown field"}},
      {"broken.json", R"({"webhooks": [)", {"not valid JSON"}},
      {"missing.json", "", {"cannot be read"}},
  };
  for (const Case& c : cases) {
    const std::string path = dir.Path(c.name);
    if (c.name != "missing.json") WriteFile(path, c.text);
    INFO(c.name << ": " << c.text);
    // `timeout` so that a file wrongly accepted fails the test instead of serving forever.
    auto r = RunProcess({"timeout", "20", kCli, "serve", "--port", "0", "--db", db, "--notify", path});
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(Contains(r.err, "govassess serve: "));
    CHECK(Contains(r.err, path));
    for (const std::string& part : c.says) CHECK(Contains(r.err, part));
  }
  // Refused before the database was opened.
  CHECK_FALSE(std::filesystem::exists(db));
}

TEST_CASE("http notify: serve --notify records the webhooks by name without secrets, and only once") {
  TempDir dir;
  const std::string db = dir.Path("hooks.db");
  auto made = RunProcess({kCli, "admin", "create-user", "--db", db, "--username", "root", "--role", "admin",
                          "--password-stdin"},
                         kNotifyPassword + "\n");
  INFO(made.err);
  REQUIRE(made.exit_code == 0);
  // The server inherits the test's environment: the secret comes from a variable.
  const std::string env_secret = "env-secret-for-the-oa-bridge-0123";
  const std::string literal_secret = "literal-secret-for-tests-0001";
  REQUIRE(setenv("GOVASSESS_TEST_OA_SECRET", env_secret.c_str(), 1) == 0);
  const std::string file = dir.Path("notify.json");
  const json config = {
      {"link_base", "https://jx.example.gov.cn"},
      {"webhooks",
       {{{"name", "oa-bridge"}, {"url", "http://127.0.0.1:9/hooks/govassess"},
         {"secret_env", "GOVASSESS_TEST_OA_SECRET"}, {"units", {"gx-nanning", "gx-liuzhou"}}},
        {{"name", "all-units"}, {"url", "https://hooks.example.gov.cn/in"}, {"secret", literal_secret}}}},
      {"retry", {{"max_attempts", 3}, {"first_delay_seconds", 30}, {"max_delay_seconds", 600}}},
      {"digest_at", "18:05"}};
  WriteFile(file, config.dump(2));

  auto start = [&] { return std::make_unique<ServerProcess>(std::vector<std::string>{"--db", db, "--notify", file}); };
  auto login = [&](int port) {
    auto r = Http(port, "POST", "/api/v1/session", json{{"username", "root"}, {"password", kNotifyPassword}}.dump());
    INFO(r.body);
    REQUIRE(r.status == 201);
    return r.Json()["token"].get<std::string>();
  };
  auto directory_events = [&](int port, const std::string& token) {
    auto r = Http(port, "GET", "/api/v1/audit?limit=10000&entity=" + Enc("directory/notify"), "", token);
    REQUIRE(r.status == 200);
    return r.Json()["events"];
  };
  const std::vector<std::string> secrets = {env_secret, literal_secret, "127.0.0.1:9", "hooks.example.gov.cn"};

  auto server = start();
  std::string token = login(server->port());
  auto dir_reply = Http(server->port(), "GET", "/api/v1/instances/directory%2Fnotify", "", token);
  INFO(dir_reply.body);
  REQUIRE(dir_reply.status == 200);
  const json data = dir_reply.Json()["data"];
  CHECK(data["webhooks"] == json::parse(R"([{"name": "oa-bridge", "units": ["gx-nanning", "gx-liuzhou"]},
                                             {"name": "all-units", "units": []}])"));
  CHECK(data["email"] == false);
  CHECK(data["digest_at"] == "18:05");
  CHECK(data["retry"] == json{{"max_attempts", 3}, {"first_delay_ms", 30000}, {"max_delay_ms", 600000}});
  const int64_t version = dir_reply.Json()["version"];
  json events = directory_events(server->port(), token);
  REQUIRE(events.size() == 1);
  CHECK(events[0]["command"] == "configure");
  CHECK(events[0]["outcome"] == "accepted");
  CHECK(events[0]["actor"]["role"] == "system");
  auto journal = Http(server->port(), "GET", "/api/v1/audit?limit=10000&format=jsonl", "", token);
  REQUIRE(journal.status == 200);
  for (const std::string& s : secrets) {
    INFO("must not appear: " << s);
    CHECK_FALSE(Contains(dir_reply.body, s));
    CHECK_FALSE(Contains(journal.body, s));
    CHECK_FALSE(Contains(server->Output(), s));
  }
  CHECK(server->Stop() == 0);

  // The same file again: nothing new for directory/notify.
  server = start();
  token = login(server->port());
  events = directory_events(server->port(), token);
  CHECK(events.size() == 1);
  CHECK(Http(server->port(), "GET", "/api/v1/instances/directory%2Fnotify", "", token).Json()["version"] ==
        version);
  CHECK(server->Stop() == 0);

  // A changed file: recorded once more.
  json changed = config;
  changed["digest_at"] = "18:10";
  WriteFile(file, changed.dump(2));
  server = start();
  token = login(server->port());
  events = directory_events(server->port(), token);
  REQUIRE(events.size() == 2);
  CHECK(events[1]["payload"]["digest_at"] == "18:10");
  unsetenv("GOVASSESS_TEST_OA_SECRET");
}

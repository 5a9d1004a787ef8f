#include "adapters/cli/demo.h"

#include <sodium.h>

#include <algorithm>
#include <fstream>
#include <ostream>
#include <sstream>

#include "workflows/china_time.h"

namespace govassess {
namespace {

Result<Json> ReadJson(const std::string& relative) {
  const std::string path = std::string(GOVASSESS_SOURCE_DIR) + "/" + relative;
  std::ifstream in(path);
  if (!in) return Status::Unavailable("the demo needs " + path);
  std::stringstream text;
  text << in.rdbuf();
  Json j = Json::parse(text.str(), nullptr, false);
  if (j.is_discarded()) return Status::Unavailable(path + " is not JSON");
  return j;
}

class Loader {
 public:
  Loader(App& app, std::ostream& out) : app_(app), out_(out) {}

  // Runs one command and insists it is accepted.
  Status Run(const std::string& id, const std::string& name, const Actor& actor,
             Json payload = Json::object(), const std::string& type = "",
             const std::string& reason = "") {
    Command c;
    c.instance_id = id;
    c.type = type;
    c.name = name;
    c.actor = actor;
    c.actor.origin = "demo";
    c.payload = std::move(payload);
    c.reason = reason;
    auto r = id.rfind("registry/", 0) == 0 ? app_.registry()->Execute(c) : app_.engine()->Execute(c);
    if (!r.ok()) return Status(r.status().code(), name + " " + id + ": " + r.status().message());
    if (!r->accepted) return Status::Internal(name + " " + id + " refused: " + r->refusal.message());
    return Status::Ok();
  }

  Status User(const std::string& name, const std::string& role, const std::string& unit,
              const std::string& display) {
    Json p{{"username", name}, {"role", role}, {"display_name", display}};
    if (!unit.empty()) p["unit"] = unit;
    Status s = Run("user/" + name, "create", Actor::System("demo"), p, "user", "demo user");
    if (!s.ok()) return s;
    const std::string password = AuthService::NewOneTimePassword();
    s = app_.auth()->SetPassword(name, password, Actor::System("demo"), /*one_time=*/true);
    if (!s.ok()) return s;
    out_ << "  " << role << std::string(14 - std::min<size_t>(13, role.size()), ' ') << name
         << std::string(16 - std::min<size_t>(15, name.size()), ' ') << password << "   "
         << display << "\n";
    return Status::Ok();
  }

 private:
  App& app_;
  std::ostream& out_;
};

#define DEMO_TRY(expr)             \
  do {                             \
    Status _s = (expr);            \
    if (!_s.ok()) return _s;       \
  } while (0)

// The UTC instant of `hh:mm` Beijing time on `date` ("YYYY-MM-DD", a valid date).
int64_t BeijingMs(const char* date, int hh, int mm) {
  return workflows::BeijingTimeMs(*Date::Parse(date), hh * 60 + mm);
}

}  // namespace

Status LoadDemo(const std::string& db_path, const std::string& calendar_path,
                std::ostream& out) {
  // The history is played on a clock of its own, on the dates an office would have
  // seen — never later than now, so that it only ever moves forward.
  const int64_t now = SystemClock().NowMs();
  ManualClock clock(now);
  auto at = [&](const char* date, int hh, int mm) {
    clock.Set(std::min(now, BeijingMs(date, hh, mm)));
  };
  auto opened = App::Open(db_path, calendar_path, &clock);
  if (!opened.ok()) return opened.status();
  App& app = **opened;

  InstanceFilter users;
  users.id_prefix = "user/";
  users.limit = 1;
  auto existing = app.store()->List(users);
  if (!existing.ok()) return existing.status();
  if (!existing->empty()) {
    out << "demo: the database already has users; nothing loaded (sign in with the passwords "
           "printed the first time, or reset one with govassess admin set-password)\n";
    return Status::Ok();
  }
  if (sodium_init() < 0) return Status::Internal("libsodium cannot start");
  auto units = ReadJson("workflows/data/units-guangxi.json");
  auto cycle = ReadJson("workflows/data/cycle-2026-city.json");
  auto plan = ReadJson("workflows/data/sample-plan-nanning-2026.json");
  auto corpus = ReadJson("tests/data/registry_corpus.json");
  for (const auto* r : {&units, &cycle, &plan, &corpus}) {
    if (!r->ok()) return r->status();
  }
  Loader l(app, out);
  const Actor admin{"admin", "admin", "", ""};
  const Actor office{"zhang.office", "office", "", ""};
  const Actor leader{"li.leader", "leader", "", ""};

  // Early March: the people, the directory, the cycle, every city's assessment and the
  // special assessments the office already runs.
  at("2026-03-02", 9, 0);
  out << "demo: loading Guangxi 2026 — users (role, name, one-time password: choose your own\n"
         "      after signing in, PUT /api/v1/me/password):\n";
  DEMO_TRY(l.User("admin", "admin", "", "系统管理员"));
  DEMO_TRY(l.User("zhang.office", "office", "", "自治区绩效办 张科长"));
  DEMO_TRY(l.User("li.leader", "leader", "", "分管领导 李副主席"));
  DEMO_TRY(l.User("committee", "committee", "", "绩效考评领导小组"));
  DEMO_TRY(l.User("audit.jw", "auditor", "", "纪检监察 审计员"));
  DEMO_TRY(l.User("nanning.clerk", "unit", "gx-nanning", "南宁市绩效办 联络员"));
  DEMO_TRY(l.User("liuzhou.clerk", "unit", "gx-liuzhou", "柳州市绩效办 联络员"));
  DEMO_TRY(
      l.User("fgw.clerk", "lead_assessor", "gx-development-reform", "自治区发展改革委 考核处"));
  DEMO_TRY(l.User("tongji.clerk", "lead_assessor", "gx-statistics", "自治区统计局 联络员"));

  DEMO_TRY(l.Run("units/guangxi", "create", admin, {{"directory", *units}}, "units",
                 "the unit directory of Guangxi"));
  DEMO_TRY(l.Run("cycle/2026/city", "create", office, {{"config", *cycle}, {"units", "units/guangxi"}},
                 "cycle", "2026 work plan for the cities"));
  struct City {
    std::string unit, id;
    Actor clerk;
  };
  std::vector<City> cities;
  for (const Json& u : (*units)["units"]) {
    if (u.value("kind", "") != "city") continue;
    const std::string unit = u["id"];
    // The two cities with demo users act as them; the others as their liaison.
    const std::string short_name = unit.rfind("gx-", 0) == 0 ? unit.substr(3) : unit;
    const bool has_user = short_name == "nanning" || short_name == "liuzhou";
    cities.push_back({unit, "lifecycle/2026/city/" + unit,
                      Actor{has_user ? short_name + ".clerk" : unit + ".liaison", "unit", unit, ""}});
    DEMO_TRY(l.Run(cities.back().id, "create", office, Json::object(), "lifecycle", "2026 assessment"));
  }
  Json licensed = Json::array();
  for (const Json& item : (*corpus)["items"]) {
    if (item.value("kind", "") != "licensed") continue;
    licensed.push_back({{"name", item["name"]}, {"lead", item["lead"]}, {"indicators", item["indicators"]}});
  }
  // Leads are named as the directory names its units (自治区统计局 → gx-statistics), so
  // that a department's clerk applies, scores and counts against its quota as one unit.
  DEMO_TRY(l.Run("registry/book/2026", "import", admin,
                 {{"items", licensed}, {"units", "units/guangxi"}}, "registry_book",
                 "special assessments already run in 2026"));

  // The second half of April: every city but the last submits its plan, one a working
  // day or so after another; the office returns one, keeps two for review, and the
  // rest are agreed, approved and issued before plan_due (30 April; seed 001: approved
  // "4月底前" and issued at once). The last city is still drafting, and late.
  static const char* const kSubmitDays[] = {"2026-04-13", "2026-04-14", "2026-04-15",
                                           "2026-04-16", "2026-04-17", "2026-04-20",
                                           "2026-04-21", "2026-04-22", "2026-04-23",
                                           "2026-04-24"};
  enum class Fate { kIssued, kReturned, kWaiting, kDraft };  // by place in the directory
  const size_t n = cities.size();
  auto fate = [n](size_t k) {
    if (k + 1 == n) return Fate::kDraft;
    if (k + 3 >= n) return Fate::kWaiting;
    return k + 4 == n ? Fate::kReturned : Fate::kIssued;
  };
  for (size_t k = 0; k < n; ++k) {
    if (fate(k) == Fate::kDraft) continue;
    at(kSubmitDays[k * 10 / n], 9, int(15 * k));
    Json p = *plan;
    p["unit_id"] = cities[k].unit;
    DEMO_TRY(l.Run(cities[k].id, "submit", cities[k].clerk, {{"plan", p}}, "",
                   "2026 performance plan"));
  }
  at("2026-04-24", 16, 0);
  for (size_t k = 0; k < n; ++k) {
    if (fate(k) != Fate::kReturned) continue;
    DEMO_TRY(l.Run(cities[k].id, "return", office, Json::object(), "",
                   "营商环境指标的目标值低于上年实际完成值，请调整后重新报送"));
  }
  struct Step {
    const char* command;
    const char* date;
    int hour, minutes_apart;
    const Actor* by;
    const char* reason;
  };
  int issued = 0;
  for (const Step& step : {Step{"office_agree", "2026-04-27", 9, 20, &office, ""},
                           Step{"approve", "2026-04-28", 10, 10, &leader, "同意"},
                           Step{"issue", "2026-04-29", 9, 10, &office, "印发"}}) {
    issued = 0;
    for (size_t k = 0; k < n; ++k) {
      if (fate(k) != Fate::kIssued) continue;
      at(step.date, step.hour, int(step.minutes_apart * k));
      DEMO_TRY(l.Run(cities[k].id, step.command, *step.by, Json::object(), "", step.reason));
      ++issued;
    }
  }

  // The mid-year check in July: Guilin's findings become two rectification items; it
  // reports one put right in August, which the office closes; the other is still open,
  // past its day.
  const size_t guilin = 2;
  if (guilin < n && fate(guilin) == Fate::kIssued) {
    const std::string& id = cities[guilin].id;
    at("2026-07-15", 15, 0);
    DEMO_TRY(l.Run(id, "record_midyear", office,
                   {{"findings",
                     {{{"finding", "重点项目建设进度滞后于年度计划"}, {"rectify_by", "2026-09-30"}},
                      {{"finding", "地区生产总值指标统计台账不完整"},
                       {"indicator", "functional.1.1.1.1"},
                       {"rectify_by", "2026-08-31"}}}}},
                   "", "7月中期核验"));
    at("2026-08-10", 10, 0);
    DEMO_TRY(l.Run(id, "report_rectification", cities[guilin].clerk,
                   {{"item", "rect-2"}, {"evidence", {"2026年1-7月统计台账", "台账整改说明"}}}, "",
                   "已补齐1-7月统计台账并建立月度核对制度"));
    at("2026-08-12", 9, 30);
    DEMO_TRY(l.Run(id, "close_rectification", office, {{"item", "rect-2"}}, "", "经核实，已整改到位"));
  }

  // Today: new applications for 2027. The server's timer loop then catches up with
  // the months in between: the late cities are marked overdue and reminded, the office
  // escalated for the plans it still holds, the issued ones told of the adjustment
  // window.
  clock.Set(now);
  const Actor fgw{"fgw.clerk", "lead_assessor", "gx-development-reform", ""};
  struct Application { const char* id; const char* name; std::vector<std::string> indicators; bool submit; };
  for (const Application& a : std::vector<Application>{
           {"app-biz-2027", "2027年全区优化营商环境专项考评", {"营商环境评价指标得分", "企业开办时间", "政务服务事项网上可办率"}, true},
           {"app-lowalt-2027", "低空经济发展专项考核", {"低空基础设施建设进度", "通用航空飞行小时数"}, true},
           {"app-draft-2027", "重大项目前期工作考核", {"项目前期工作完成率"}, false}}) {
    const std::string id = std::string("registry/item/") + a.id;
    DEMO_TRY(l.Run(id, "create", fgw,
                   {{"name", a.name}, {"basis", "《广西壮族自治区专项考核管理办法》"}, {"indicators", a.indicators}},
                   "special_assessment", "application"));
    if (a.submit) DEMO_TRY(l.Run(id, "submit", fgw, Json::object(), "", "apply"));
  }
  out << "demo: " << cities.size() << " cities (" << issued << " plans issued in April, 2 "
      << "submitted, 1 returned, 1 draft), " << licensed.size() << " licensed special "
      << "assessments, 3 new applications (one a likely duplicate). Sign in: POST "
      << "/api/v1/session {\"username\", \"password\"}.\n";
  return Status::Ok();
}

}  // namespace govassess

#include "workflows/cycle_workflow.h"

#include <algorithm>
#include <map>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "engine/canonical_json.h"
#include "workflows/scoring.h"
#include "workflows/units.h"

namespace govassess::workflows {
namespace {

bool RoleIn(const Actor& a, std::initializer_list<const char*> roles) {
  for (const char* r : roles) {
    if (a.role == r) return true;
  }
  return false;
}

Decision Forbidden(const Command& c, const std::string& who) {
  return Decision::Forbid("only " + who + " may " + c.name + "; " + c.actor.user + " acts as " +
                          c.actor.role);
}

}  // namespace

std::string CycleId(int year, Scheme scheme) {
  return "cycle/" + std::to_string(year) + "/" + SchemeName(scheme);
}

Decision UnitsWorkflow::Decide(const Instance& cur, const Command& cmd,
                               const DecideContext&) const {
  if (cmd.name != "create" && cmd.name != "replace") {
    return Decision::Refuse("a unit directory knows create and replace, not \"" + cmd.name + "\"");
  }
  if (cmd.name == "create" && !RoleIn(cmd.actor, {"admin", "office"})) {
    return Forbidden(cmd, "an admin or the office");
  }
  if (cmd.name == "replace" && !RoleIn(cmd.actor, {"admin"})) return Forbidden(cmd, "an admin");
  if (cmd.name == "create" && cur.exists()) return Decision::Refuse(cur.id + " already exists");
  if (cmd.name == "replace" && !cur.exists()) return Decision::Refuse("no unit directory " + cmd.instance_id);
  const Json& dir = Member(cmd.payload, "directory");
  auto units = ParseUnits(dir);
  if (!units.ok()) return Decision::Refuse("payload.directory." + units.status().message());
  Decision d = Decision::Accept("active", dir);
  d.result = {{"units", units->size()}};
  return d;
}

Decision CycleWorkflow::Decide(const Instance& cur, const Command& cmd,
                               const DecideContext& ctx) const {
  if (cmd.actor.role == "auditor") {
    return Decision::Forbid("an auditor reads everything and changes nothing");
  }
  if (cmd.name == "create") {
    if (!RoleIn(cmd.actor, {"admin", "office"})) return Forbidden(cmd, "an admin or the office");
    if (cur.exists()) return Decision::Refuse(cur.id + " already exists");
    auto config = ParseCycleConfig(Member(cmd.payload, "config"));
    if (!config.ok()) return Decision::Refuse("payload.config." + config.status().message());
    const std::string want = CycleId(config->year, config->scheme);
    if (cmd.instance_id != want) {
      return Decision::Refuse("the cycle of " + std::to_string(config->year) + " " +
                              SchemeName(config->scheme) + " is the instance " + want + ", not " +
                              cmd.instance_id);
    }
    const std::string units_id = cmd.payload.value("units", "");
    auto units_instance = ctx.load(units_id);
    if (!units_instance.ok() || units_instance->type != "units") {
      return Decision::Refuse("payload.units: no unit directory \"" + units_id + "\"");
    }
    auto units = ParseUnits(units_instance->data);
    if (!units.ok()) return Decision::Refuse("the unit directory is damaged: " + units.status().message());
    return Decision::Accept("open", Json{{"config", CycleConfigToJson(*config)},
                                         {"units", units_id},
                                         {"overrides", Json::array()},
                                         {"grades", Json::object()}});
  }
  if (!cur.exists()) return Decision::Refuse("no cycle " + cmd.instance_id);
  auto parsed = cycles_.Parse(cur);  // parsed once per version
  if (!parsed.ok()) return Decision::Refuse(parsed.status().message());
  const CycleConfig* config = &(*parsed)->config;

  if (cmd.name == "record_override") {
    if (!RoleIn(cmd.actor, {"office", "committee"})) return Forbidden(cmd, "the office or the committee");
    if (cmd.reason.empty()) return Decision::Refuse("an override needs a reason");
    const std::string kind = cmd.payload.value("kind", "");
    const std::string unit = cmd.payload.value("unit", "");
    const std::string area = cmd.payload.value("area", "");
    const std::string approver = cmd.payload.value("approver", "");
    if (kind != "affirmation" && kind != "downgrade") {
      return Decision::Refuse("payload.kind must be \"affirmation\" (一票肯定) or \"downgrade\" (降等)");
    }
    if (approver.empty()) return Decision::Refuse("payload.approver: an override needs an approver");
    if (kind == "downgrade") {
      const auto& areas = config->grade_rules.downgrade_areas;
      if (std::find(areas.begin(), areas.end(), area) == areas.end()) {
        std::string list;
        for (const auto& a : areas) list += (list.empty() ? "" : ", ") + a;
        return Decision::Refuse("payload.area: a downgrade is for a major problem in one of: " + list);
      }
    } else if (!area.empty()) {
      return Decision::Refuse("payload.area: an affirmation names no area");
    }
    auto units = cycles_.Units(ctx, cur.data.value("units", ""));
    if (!units.ok() && units.status().IsNotFound()) {
      return Decision::Refuse("the cycle's unit directory is missing");
    }
    if (!units.ok() || (*units)->Find(unit) == nullptr) {
      return Decision::Refuse("payload.unit: no unit \"" + unit + "\"");
    }
    Json data = cur.data;
    data["overrides"].push_back({{"kind", kind},
                                 {"unit", unit},
                                 {"area", area},
                                 {"approver", approver},
                                 {"reason", cmd.reason},
                                 {"recorded_by", cmd.actor.user}});
    return Decision::Accept(cur.state, std::move(data));
  }

  if (cmd.name == "grade") {
    if (!RoleIn(cmd.actor, {"office"})) return Forbidden(cmd, "the office");
    const std::string category = cmd.payload.value("category", "");
    if (config->FindCategory(category) == nullptr) {
      return Decision::Refuse("payload.category: \"" + category + "\" is not a category of " + cur.id);
    }
    auto units = cycles_.Units(ctx, cur.data.value("units", ""));
    if (!units.ok()) {
      return Decision::Refuse(units.status().IsNotFound()
                                  ? "the cycle's unit directory is missing"
                                  : "the unit directory is damaged: " + units.status().message());
    }
    std::vector<ScoredUnit> scored;
    std::vector<std::shared_ptr<const Instance>> lifecycles;  // shared: not copied to read
    std::vector<std::string> not_ready;
    const std::string prefix = "lifecycle/" + std::to_string(config->year) + "/" +
                               SchemeName(config->scheme) + "/";
    for (const Unit* u : (*units)->InCategory(category)) {
      auto lc = ctx.load_shared(prefix + u->id);
      if (!lc.ok()) {
        not_ready.push_back(u->id + " (no assessment)");
        continue;
      }
      const Instance& l = **lc;
      if (l.state != "ready_for_ratification" || !l.data.contains("total")) {
        not_ready.push_back(u->id + " (" + l.state + ")");
        continue;
      }
      ScoredUnit s;
      s.unit_id = u->id;
      s.category_id = category;
      s.category_name = config->FindCategory(category)->name;
      s.total = l.data["total"].get<double>();
      scored.push_back(s);
      lifecycles.push_back(std::move(*lc));
    }
    if (!not_ready.empty()) {
      std::string list;
      for (size_t i = 0; i < not_ready.size() && i < 10; ++i) list += (i ? ", " : "") + not_ready[i];
      if (not_ready.size() > 10) list += ", … (" + std::to_string(not_ready.size()) + " in all)";
      return Decision::Refuse("category " + category + " cannot be graded until every unit is "
                              "ready_for_ratification; not yet: " + list);
    }
    std::vector<Override> overrides;
    for (const Json& o : cur.data["overrides"]) {
      if ((*units)->Find(o.value("unit", "")) == nullptr ||
          (*units)->Find(o.value("unit", ""))->category_id != category) {
        continue;
      }
      Override ov;
      ov.kind = o.value("kind", "") == "downgrade" ? OverrideKind::kDowngrade : OverrideKind::kAffirmation;
      ov.unit_id = o.value("unit", "");
      ov.area = o.value("area", "");
      ov.reason = o.value("reason", "");
      ov.approver = o.value("approver", "");
      overrides.push_back(ov);
    }
    auto grades = AssignGrades(scored, config->grade_rules, overrides);
    if (!grades.ok()) return Decision::Refuse("grading failed: " + grades.status().message());
    // Each unit's row is built once and copied twice, into its assessment and into the
    // cycle's table; the result takes the table itself.
    Json table = Json::array();
    std::map<std::string, size_t> row_of;  // unit → its row in `table`
    for (const GradeResult& g : *grades) {
      row_of[g.unit_id] = table.size();
      table.push_back(Json{{"unit", g.unit_id},
                           {"total", g.total},
                           {"rank", g.rank},
                           {"category_size", g.category_size},
                           {"grade_by_rank", GradeId(g.grade_before_overrides)},
                           {"grade", GradeId(g.final_grade)},
                           {"grade_name", GradeName(g.final_grade)},
                           {"reasons", g.reasons}});
    }
    Decision d = Decision::Accept(cur.state, cur.data);
    d.data["grades"][category] = table;
    std::vector<size_t> rows(lifecycles.size());
    for (size_t n = 0; n < lifecycles.size(); ++n) {
      const auto row = row_of.find(scored[n].unit_id);
      if (row == row_of.end()) {
        return Decision::Refuse("grading failed: no grade for " + scored[n].unit_id);
      }
      rows[n] = row->second;
    }
    // Each assessment copied once, with its grade row: the largest part of grading a
    // large category, so split over two threads from kParallelFrom assessments on.
    d.other_writes.resize(lifecycles.size());
    const Json& grade_rows = table;  // read by both threads, written by neither
    auto write = [&](size_t from, size_t to) {
      for (size_t n = from; n < to; ++n) {
        const Instance& lc = *lifecycles[n];
        InstanceWrite& w = d.other_writes[n];
        w.after = lc;  // the one copy: the new row
        Json& grade = w.after.data["grade"];
        grade = grade_rows[rows[n]];
        grade["graded_by"] = cmd.actor.user;
        w.expected_version = lc.version;
      }
    };
    constexpr size_t kParallelFrom = 256;
    size_t half = lifecycles.size() >= kParallelFrom ? lifecycles.size() / 2 : 0;
    std::thread other;
    if (half > 0) {
      try {
        other = std::thread(write, 0, half);
      } catch (const std::system_error&) {
        half = 0;  // no thread to be had: all on this one
      }
    }
    write(half, lifecycles.size());
    if (other.joinable()) other.join();
    d.result = {{"category", category}, {"grades", std::move(table)}};
    return d;
  }
  return Decision::Refuse("a cycle knows create, record_override and grade, not \"" + cmd.name + "\"");
}

Result<std::shared_ptr<const UnitDirectory>> CycleCache::Units(const DecideContext& ctx,
                                                               const std::string& id) const {
  auto inst = ctx.load_shared(id);
  if (!inst.ok()) return inst.status();
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = units_.find(id);
    if (it != units_.end() && it->second.first == (*inst)->version) return it->second.second;
  }
  auto units = ParseUnits((*inst)->data);
  if (!units.ok()) return units.status();
  auto shared = std::make_shared<const UnitDirectory>(std::move(*units));
  std::lock_guard<std::mutex> lock(mu_);
  units_[id] = {(*inst)->version, shared};
  return shared;
}

Result<std::shared_ptr<const LoadedCycle>> CycleCache::Load(const DecideContext& ctx,
                                                            const std::string& id) const {
  auto shared = ctx.load_shared(id);
  if (!shared.ok()) return shared.status();
  return Parse(**shared);
}

Result<std::shared_ptr<const LoadedCycle>> CycleCache::Parse(const Instance& cycle) const {
  const Instance* inst = &cycle;
  const std::string& id = cycle.id;
  if (inst->type != "cycle") return Status::InvalidArgument(id + " is not a cycle");
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cache_.find(id);
    if (it != cache_.end() && it->second->version == inst->version) return it->second;
  }
  auto config = ParseCycleConfig(Member(inst->data, "config"));
  if (!config.ok()) return Status::InvalidArgument("the stored cycle is damaged: " + config.status().message());
  auto loaded = std::make_shared<LoadedCycle>();
  loaded->id = id;
  loaded->version = inst->version;
  loaded->config = std::move(*config);
  loaded->units_id = inst->data.value("units", "");
  std::lock_guard<std::mutex> lock(mu_);
  cache_[id] = loaded;
  return std::shared_ptr<const LoadedCycle>(loaded);
}

}  // namespace govassess::workflows

#include "workflows/notices_workflow.h"

namespace govassess::workflows {

namespace {
constexpr int64_t kLateAfterMs = 60 * 60 * 1000;  // a notice an hour past its time is late
}  // namespace

std::string NoticesId(const std::string& lifecycle_id) {
  const std::string prefix = "lifecycle/";
  return "notices/" + (lifecycle_id.compare(0, prefix.size(), prefix) == 0
                           ? lifecycle_id.substr(prefix.size())
                           : lifecycle_id);
}

Decision NoticesWorkflow::Decide(const Instance& cur, const Command& cmd,
                                 const DecideContext& ctx) const {
  if (!cur.exists()) {
    return Decision::Refuse("notices are created with their assessment, not by a command");
  }
  if (cmd.name == "remind") {
    if (cmd.actor.role != "system") return Decision::Forbid("reminders are sent by timers only");
    const Json& p = cmd.payload;
    const int64_t due = p.value("due_ms", int64_t(0));
    Json entry{{"step", p.value("step", "")},
               {"reminder", p.value("reminder", "")},
               {"kind", p.value("kind", "")},
               {"deadline", p.value("deadline", "")},
               {"due_ms", due},
               {"sent_ms", ctx.now_ms},
               {"late", ctx.now_ms - due > kLateAfterMs}};
    if (p.value("kind", "") == "escalation") {
      // To the unit's superior and the office (the brief's escalation).
      entry["escalate_to"] = {"superior", "office"};
    }
    Json data = cur.data;
    data["entries"].push_back(std::move(entry));
    Decision d = Decision::Accept(cur.state, std::move(data));
    d.result = {{"entries", d.data["entries"].size()}};
    return d;
  }
  if (cmd.name == "mark_read") {
    const std::string& role = cmd.actor.role;
    const bool own = role == "unit" && cmd.actor.unit == cur.data.value("unit", "");
    if (!own && role != "office" && role != "admin") {
      return Decision::Forbid("only the unit's own users, the office or an admin mark its notices read");
    }
    const size_t total = cur.data.value("entries", Json::array()).size();
    const Json upto = cmd.payload.value("upto", Json(total));
    if (!upto.is_number_unsigned() || upto.get<size_t>() > total) {
      return Decision::Refuse("payload.upto is the number of notices read, from 0 to " +
                              std::to_string(total));
    }
    Json data = cur.data;
    data["read_upto"] = std::max(upto.get<size_t>(), data.value("read_upto", size_t(0)));
    return Decision::Accept(cur.state, std::move(data));
  }
  return Decision::Refuse("notices know remind and mark_read, not \"" + cmd.name + "\"");
}

}  // namespace govassess::workflows

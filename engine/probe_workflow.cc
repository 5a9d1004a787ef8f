#include "engine/probe_workflow.h"

namespace govassess {

Decision ProbeWorkflow::Decide(const Instance& cur, const Command& cmd,
                               const DecideContext& ctx) const {
  if (cmd.name == "create") {
    if (cur.exists()) return Decision::Refuse("probe \"" + cur.id + "\" already exists");
    return Decision::Accept("open", Json{{"count", 0}, {"rings", 0}});
  }
  if (!cur.exists()) return Decision::Refuse("probe \"" + cmd.instance_id + "\" does not exist");
  if (cmd.name == "ring") {
    if (cur.state == "closed") return Decision::Refuse("probe \"" + cur.id + "\" is closed");
    Json data = cur.data;
    data["rings"] = data.value("rings", 0) + 1;
    return Decision::Accept(cur.state, std::move(data));
  }
  if (cur.state == "closed") return Decision::Refuse("probe \"" + cur.id + "\" is closed");
  if (cmd.name == "step") {
    if (cmd.payload.value("refuse", false)) return Decision::Refuse("asked to refuse");
    Json data = cur.data;
    data["count"] = data.value("count", 0) + 1;
    if (cmd.payload.contains("note")) data["last_note"] = cmd.payload["note"];
    if (cmd.payload.contains("append")) data["log"].push_back(cmd.payload["append"]);
    Decision d = Decision::Accept("open", std::move(data));
    if (cmd.payload.contains("timer")) {
      const Json& t = cmd.payload["timer"];
      d.timers_set.push_back(Timer{t.value("id", cur.id + "#ring"), cur.id, "ring",
                                   t.value("due_ms", ctx.now_ms), Json::object()});
    }
    d.result = {{"count", d.data["count"]}};
    return d;
  }
  if (cmd.name == "cancel") {
    Decision d = Decision::Accept(cur.state, cur.data);
    d.timers_cancelled.push_back(cmd.payload.value("id", cur.id + "#ring"));
    return d;
  }
  if (cmd.name == "close") return Decision::Accept("closed", cur.data);
  return Decision::Refuse("probe does not know the command \"" + cmd.name + "\"");
}

}  // namespace govassess

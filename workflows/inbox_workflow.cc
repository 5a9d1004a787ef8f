#include "workflows/inbox_workflow.h"

namespace govassess::workflows {

std::string InboxPrefix(const std::string& username) { return "inbox/" + username + "/"; }

Decision InboxItemWorkflow::Decide(const Instance& cur, const Command& cmd,
                                   const DecideContext& ctx) const {
  if (!cur.exists()) return Decision::Refuse("inbox items come from reminders, not from a command");
  if (cmd.name != "mark_read" && cmd.name != "mark_unread") {
    return Decision::Refuse("an inbox item knows mark_read and mark_unread, not \"" + cmd.name +
                            "\"");
  }
  if (cmd.actor.user != cur.data.value("user", "")) {
    return Decision::Forbid("only the user it was sent to marks an inbox item");
  }
  const std::string to = cmd.name == "mark_read" ? "read" : "unread";
  if (cur.state == to) return Decision::Refuse("the item is already " + to);
  Json data = cur.data;
  if (to == "read") data["read_ms"] = ctx.now_ms;
  return Decision::Accept(to, std::move(data));
}

}  // namespace govassess::workflows

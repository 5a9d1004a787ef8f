#include "workflows/delivery_workflow.h"

#include <algorithm>

#include "workflows/notify_directory.h"

namespace govassess::workflows {

namespace {

constexpr size_t kHistoryKept = 50;  // the journal keeps every attempt; the row the last 50

void Record(Json* data, int64_t at_ms, const std::string& outcome, const std::string& detail) {
  Json& history = (*data)["history"];
  if (!history.is_array()) history = Json::array();
  history.push_back({{"at_ms", at_ms}, {"outcome", outcome}, {"detail", detail}});
  if (history.size() > kHistoryKept) history.erase(history.begin());
}

RetryPolicy PolicyOf(const Json& data) {
  RetryPolicy p;
  const Json r = data.value("retry", Json::object());
  p.max_attempts = r.value("max_attempts", p.max_attempts);
  p.first_delay_ms = r.value("first_delay_ms", p.first_delay_ms);
  p.max_delay_ms = r.value("max_delay_ms", p.max_delay_ms);
  return p;
}

}  // namespace

Decision DeliveryWorkflow::Decide(const Instance& cur, const Command& cmd,
                                  const DecideContext& ctx) const {
  if (!cur.exists()) return Decision::Refuse("deliveries come from notices, not from a command");
  const bool system = cmd.actor.role == "system";
  if (cmd.name == "sent" || cmd.name == "failed") {
    if (!system) return Decision::Forbid("only the delivery dispatcher records " + cmd.name);
    if (cur.state != "pending" && cur.state != "held") {
      return Decision::Refuse("the delivery is " + cur.state + ", not waiting to be sent");
    }
    Json data = cur.data;
    data["attempts"] = data.value("attempts", 0) + 1;
    if (cmd.name == "sent") {
      data["sent_ms"] = ctx.now_ms;
      data["failures"] = 0;
      Record(&data, ctx.now_ms, "sent", cmd.payload.value("detail", ""));
      return Decision::Accept("sent", std::move(data));
    }
    const std::string error = cmd.payload.value("error", "");
    if (error.empty()) return Decision::Refuse("payload.error says why the delivery failed");
    const int failures = data.value("failures", 0) + 1;
    const RetryPolicy policy = PolicyOf(data);
    data["failures"] = failures;
    data["last_error"] = error;
    Record(&data, ctx.now_ms, "failed", error);
    if (cmd.payload.value("permanent", false) || failures >= policy.max_attempts) {
      data["incident_ms"] = ctx.now_ms;
      return Decision::Accept("incident", std::move(data));
    }
    data["next_at_ms"] = ctx.now_ms + policy.DelayAfter(failures);
    return Decision::Accept(cur.state, std::move(data));
  }
  if (cmd.name == "retry") {
    if (cmd.actor.role != "office" && cmd.actor.role != "admin") {
      return Decision::Forbid("the office or an admin retries a failed delivery");
    }
    if (cur.state != "incident") {
      return Decision::Refuse("only an incident is retried; this delivery is " + cur.state);
    }
    Json data = cur.data;
    data["failures"] = 0;
    data["next_at_ms"] = ctx.now_ms;
    data.erase("incident_ms");
    Record(&data, ctx.now_ms, "retry", cmd.actor.user + (cmd.reason.empty() ? "" : ": " + cmd.reason));
    // A digest item that failed goes out on its own: the digest it belonged to is past.
    data["digest"] = false;
    return Decision::Accept("pending", std::move(data));
  }
  return Decision::Refuse("a delivery knows sent, failed and retry, not \"" + cmd.name + "\"");
}

}  // namespace govassess::workflows

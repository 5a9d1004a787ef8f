#include "workflows/notices_workflow.h"

#include <set>

#include "workflows/china_time.h"
#include "workflows/inbox_workflow.h"
#include "workflows/notice_text.h"
#include "workflows/notify_directory.h"

namespace govassess::workflows {

namespace {

constexpr int64_t kLateAfterMs = 60 * 60 * 1000;  // a notice an hour past its time is late

// "before-5" → 5, "escalation-1" → 1, "due" → 0.
int WorkingDaysOf(const std::string& reminder) {
  const size_t dash = reminder.rfind('-');
  if (dash == std::string::npos) return 0;
  try {
    return std::stoi(reminder.substr(dash + 1));
  } catch (...) {
    return 0;
  }
}

// "notices/2026/city/gx-nanning" → {"2026", "city", "gx-nanning"} (empty when malformed).
std::vector<std::string> NoticesParts(const std::string& id) {
  std::vector<std::string> parts;
  size_t start = id.find('/');
  while (start != std::string::npos) {
    const size_t next = id.find('/', start + 1);
    parts.push_back(id.substr(start + 1, next == std::string::npos ? std::string::npos : next - start - 1));
    start = next;
  }
  return parts.size() == 3 ? parts : std::vector<std::string>{};
}

// The next daily digest instant after now: today's digest time (Beijing), else tomorrow's.
int64_t NextDigestMs(int64_t now_ms, int digest_at_minutes) {
  const int64_t day_start = BeijingDate(now_ms).DaysSinceEpoch() * kMsPerDay - kBeijingOffsetMs;
  int64_t at = day_start + int64_t(digest_at_minutes) * 60'000;
  if (at <= now_ms) at += kMsPerDay;
  return at;
}

struct Recipient {
  const Contact* contact;
  std::string audience;  // "unit", "superior", "office"
};

// The unit's own users; for an escalation also the superior unit's users and the office.
// A reminder of the office's own step (office_step) goes to the office alone.
std::vector<Recipient> RecipientsOf(const NotifyDirectory& dir, const std::string& unit,
                                    const std::string& superior, bool escalation,
                                    bool office_step) {
  std::vector<Recipient> out;
  std::set<std::string> seen;
  auto add = [&](const Contact& c, const char* audience) {
    if (c.active && seen.insert(c.username).second) out.push_back({&c, audience});
  };
  if (office_step) {
    for (const Contact& c : dir.users) {
      if (c.role == "office") add(c, "office");
    }
    return out;
  }
  for (const Contact& c : dir.users) {
    if (c.role == "unit" && c.unit == unit) add(c, "unit");
  }
  if (!escalation) return out;
  for (const Contact& c : dir.users) {
    if (!superior.empty() && c.unit == superior && c.role != "auditor" && c.role != "admin") {
      add(c, "superior");
    }
  }
  for (const Contact& c : dir.users) {
    if (c.role == "office") add(c, "office");
  }
  return out;
}

InstanceWrite Create(std::string id, const char* type, const char* state, Json data) {
  InstanceWrite w;
  w.after.id = std::move(id);
  w.after.type = type;
  w.after.state = state;
  w.after.data = std::move(data);
  w.expected_version = 0;
  return w;
}

}  // namespace

std::string NoticesId(const std::string& lifecycle_id) {
  const std::string prefix = "lifecycle/";
  return "notices/" + (lifecycle_id.compare(0, prefix.size(), prefix) == 0
                           ? lifecycle_id.substr(prefix.size())
                           : lifecycle_id);
}

std::shared_ptr<const NotifyDirectory> NoticesWorkflow::Directory(const DecideContext& ctx) const {
  const auto loaded = ctx.load_shared(kNotifyDirectoryId);  // version-checked at commit
  const int64_t version = loaded.ok() ? (*loaded)->version : 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (directory_ && directory_version_ == version) return directory_;
  }
  auto parsed = std::make_shared<const NotifyDirectory>(
      loaded.ok() ? ParseNotifyDirectory((*loaded)->data) : NotifyDirectory{});
  std::lock_guard<std::mutex> lock(mu_);
  directory_version_ = version;
  directory_ = parsed;
  return parsed;
}

Decision NoticesWorkflow::Remind(const Instance& cur, const Command& cmd,
                                 const DecideContext& ctx) const {
  if (cmd.actor.role != "system") return Decision::Forbid("reminders are sent by timers only");
  const Json& p = cmd.payload;
  const std::vector<std::string> parts = NoticesParts(cur.id);
  if (parts.empty()) return Decision::Refuse("a notices id is notices/<year>/<scheme>/<unit>");
  const std::string& unit = parts[2];

  // Names and the superior from the cycle's unit tree; a missing tree only loses them.
  std::string unit_name = unit;
  std::string superior;
  if (auto cycle = cycles_.Load(ctx, "cycle/" + parts[0] + "/" + parts[1]); cycle.ok()) {
    if (auto units = cycles_.Units(ctx, (*cycle)->units_id); units.ok()) {
      if (const Unit* u = (*units)->Find(unit)) unit_name = u->name;
      if (auto target = (*units)->EscalationTarget(unit); target.ok() && *target != nullptr) {
        superior = (*target)->id;
      }
    }
  }

  const int64_t due = p.value("due_ms", int64_t(0));
  const std::string kind = p.value("kind", "");
  const std::string step = p.value("step", "");
  const std::string reminder = p.value("reminder", "");
  const int working_days = WorkingDaysOf(reminder);
  const bool late = ctx.now_ms - due > kLateAfterMs;
  const bool escalation = kind == "escalation";
  // "office": a step of the office's own (plan_review), for the office only.
  const bool office_step = p.value("audience", "") == "office";
  const size_t n = cur.data.value("entries", Json::array()).size();

  Json data = cur.data;
  Json entry{{"n", n},
             {"step", step},
             {"reminder", reminder},
             {"kind", kind},
             {"working_days", working_days},
             {"deadline", p.value("deadline", "")},
             {"due_ms", due},
             {"sent_ms", ctx.now_ms},
             {"late", late}};
  if (office_step) {
    entry["audience"] = "office";
  } else if (escalation) {
    // To the unit's superior and the office (the brief's escalation).
    entry["escalate_to"] = {"superior", "office"};
    entry["superior_unit"] = superior;
  }

  const std::shared_ptr<const NotifyDirectory> directory = Directory(ctx);
  const NotifyDirectory& dir = *directory;
  const std::string notice = cur.id + "#" + std::to_string(n);
  const std::string suffix =
      parts[0] + "/" + parts[1] + "/" + unit + "/" + std::to_string(n) + "-" + step + "-" + reminder;
  const std::string urgency = Urgency(kind, working_days);
  const Json retry{{"max_attempts", dir.retry.max_attempts},
                   {"first_delay_ms", dir.retry.first_delay_ms},
                   {"max_delay_ms", dir.retry.max_delay_ms}};
  Json facts{{"unit_id", unit},          {"unit_name", unit_name}, {"year", parts[0]},
             {"scheme", parts[1]},       {"step", step},           {"reminder", reminder},
             {"kind", kind},             {"working_days", working_days},
             {"deadline", entry["deadline"]}, {"late", late}};

  Decision d;
  Json recipients = Json::array();
  for (const Recipient& r : RecipientsOf(dir, unit, superior, escalation, office_step)) {
    const Contact& c = *r.contact;
    recipients.push_back(c.username);
    facts["audience"] = r.audience;
    d.other_writes.push_back(Create("inbox/" + c.username + "/" + suffix, "inbox_item", "unread",
                                    Json{{"user", c.username},
                                         {"audience", r.audience},
                                         {"urgency", urgency},
                                         {"notice", notice},
                                         {"sent_ms", ctx.now_ms},
                                         {"facts", facts}}));
    if (!dir.email || c.email.empty()) continue;
    d.other_writes.push_back(Create(
        "delivery/email/" + c.username + "/" + suffix, "delivery", c.digest ? "held" : "pending",
        Json{{"channel", "email"},
             {"digest", c.digest},
             {"to", c.email},
             {"user", c.username},
             {"language", c.language},
             {"notice", notice},
             {"urgency", urgency},
             {"facts", facts},
             {"next_at_ms", c.digest ? NextDigestMs(ctx.now_ms, dir.digest_at_minutes) : ctx.now_ms},
             {"attempts", 0},
             {"failures", 0},
             {"retry", retry},
             {"history", Json::array()}}));
  }
  facts["audience"] = escalation || office_step ? "office" : "unit";
  for (const WebhookRoute& w : dir.webhooks) {
    if (!w.Covers(unit)) continue;
    d.other_writes.push_back(Create("delivery/webhook/" + w.name + "/" + suffix, "delivery",
                                    "pending",
                                    Json{{"channel", "webhook"},
                                         {"digest", false},
                                         {"to", w.name},
                                         {"notice", notice},
                                         {"urgency", urgency},
                                         {"facts", facts},
                                         {"next_at_ms", ctx.now_ms},
                                         {"attempts", 0},
                                         {"failures", 0},
                                         {"retry", retry},
                                         {"history", Json::array()}}));
  }
  entry["recipients"] = std::move(recipients);
  data["entries"].push_back(std::move(entry));
  d.accepted = true;
  d.state = cur.state;
  d.data = std::move(data);
  d.result = {{"entries", d.data["entries"].size()}, {"deliveries", d.other_writes.size()}};
  return d;
}

Decision NoticesWorkflow::Decide(const Instance& cur, const Command& cmd,
                                 const DecideContext& ctx) const {
  if (!cur.exists()) {
    return Decision::Refuse("notices are created with their assessment, not by a command");
  }
  if (cmd.name == "remind") return Remind(cur, cmd, ctx);
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

#include "workflows/notices_workflow.h"

#include <optional>
#include <set>

#include "workflows/china_time.h"
#include "workflows/inbox_workflow.h"
#include "workflows/indicator_tree.h"
#include "workflows/lifecycle_workflow.h"
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

// The reminder of a chain's link, if the link is well formed.
std::optional<ChainedReminder> ReadLink(const Json& link) {
  if (!link.is_object()) return std::nullopt;
  const auto due = link.find("due_ms");
  const auto kind = link.find("kind");
  const auto reminder = link.find("reminder");
  if (due == link.end() || !due->is_number_integer() || kind == link.end() || !kind->is_string() ||
      reminder == link.end() || !reminder->is_string() ||
      reminder->get_ref<const std::string&>().empty()) {
    return std::nullopt;
  }
  return ChainedReminder{due->get<int64_t>(), kind->get<std::string>(), reminder->get<std::string>()};
}

// The timer of reminder `k` of `chain` (ChainOf(payload), k ≥ 1): "<notices id>#<step>/
// <reminder>", due at its due_ms, with the payload of that reminder and the reminders
// after it. Nothing when there is no such reminder.
std::optional<Timer> ChainLink(const std::string& notices_id, const Json& payload,
                               const std::vector<ChainedReminder>& chain, size_t k) {
  if (k == 0 || k >= chain.size()) return std::nullopt;
  const ChainedReminder& r = chain[k];
  Json next = Json::object();
  for (const auto& [key, value] : payload.items()) {
    if (key != "then") next[key] = value;
  }
  next["due_ms"] = r.due_ms;
  next["kind"] = r.kind;
  next["reminder"] = r.reminder;
  if (k + 1 < chain.size()) {
    Json then = Json::array();
    for (size_t i = k + 1; i < chain.size(); ++i) then.push_back(ChainLinkJson(chain[i]));
    next["then"] = std::move(then);
  }
  return Timer{ReminderTimerId(notices_id, payload.value("step", ""), r.reminder), notices_id,
               "remind", r.due_ms, std::move(next)};
}

// The next daily digest instant after now: today's digest time (Beijing), else tomorrow's.
int64_t NextDigestMs(int64_t now_ms, int digest_at_minutes) {
  int64_t at = BeijingTimeMs(BeijingDate(now_ms), digest_at_minutes);
  if (at <= now_ms) at += kMsPerDay;
  return at;
}

struct Recipient {
  const Contact* contact;
  std::string audience;  // "unit", "superior", "office", "lead_assessor", "committee"
};

// Who a notice goes to: the doer of its step (StepDoer, lifecycle_workflow.h) and, for an
// escalation, whom it is escalated to.
struct Addressees {
  std::string doer = "unit";  // "unit", "office", "lead_assessor", "committee"
  // doer "lead_assessor": the lead assessors' units named in the unit's plan.
  std::set<std::string> lead_units;
};

// The doers of the step: a unit's step to its own users, for an escalation also the
// superior unit's users and the office; the office's step (plan_review, on-site
// verification, results, an appeal to decide) to the office alone; the lead assessors'
// step to the users with role lead_assessor of the units its plan names (when none is
// known, the office, so that somebody hears of it), escalated to the office; the
// committee's step to the users with role committee, escalated to the office.
std::vector<Recipient> RecipientsOf(const NotifyDirectory& dir, const std::string& unit,
                                    const std::string& superior, bool escalation,
                                    const Addressees& to) {
  std::vector<Recipient> out;
  std::set<std::string> seen;
  auto add = [&](const Contact& c, const char* audience) {
    if (c.active && seen.insert(c.username).second) out.push_back({&c, audience});
  };
  auto office = [&] {
    for (const Contact& c : dir.users) {
      if (c.role == "office") add(c, "office");
    }
  };
  if (to.doer == "office") {
    office();
    return out;
  }
  if (to.doer == "lead_assessor") {
    for (const Contact& c : dir.users) {
      if (c.role == "lead_assessor" && to.lead_units.count(c.unit) > 0) add(c, "lead_assessor");
    }
    if (escalation || to.lead_units.empty()) office();
    return out;
  }
  if (to.doer == "committee") {
    for (const Contact& c : dir.users) {
      if (c.role == "committee") add(c, "committee");
    }
    if (escalation) office();
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
  office();
  return out;
}

// The units whose webhooks carry a notice: the assessed unit for a notice to it (and its
// escalation); for a step of somebody else's, the units of those it goes to — the lead
// assessors' units, the office's, the committee's — not the assessed unit's, which has
// nothing to do about it. A webhook without units covers every unit.
std::set<std::string> WebhookUnits(const std::vector<Recipient>& recipients,
                                   const std::string& unit, const Addressees& to) {
  if (to.doer == "unit") return {unit};
  std::set<std::string> units = to.lead_units;
  for (const Recipient& r : recipients) {
    if (!r.contact->unit.empty()) units.insert(r.contact->unit);
  }
  return units;
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

// One notice on its way out, as every channel gets it.
struct Outgoing {
  std::string notice;   // "<notices id>#<n>"
  std::string suffix;   // "<year>/<scheme>/<unit>/<n>-<step>-<reminder>": unique per notice
  std::string urgency;  // notice_text.h
  Json facts;           // NoticeFacts as JSON, but for the recipient's audience
  std::string webhook_audience;  // whom the webhook receiver should take it to be for
};

// Hands one notice to every channel, as writes in the notice's commit: an inbox item
// per recipient, a mail delivery per recipient with an address when mail is on (held
// for the digest when the user chose one), a webhook delivery per webhook covering one of
// `webhook_units` (WebhookUnits). Returns the recipients' user names.
Json FanOut(const NotifyDirectory& dir, const std::vector<Recipient>& recipients,
            const std::set<std::string>& webhook_units, Outgoing out, int64_t now_ms,
            std::vector<InstanceWrite>* writes) {
  const Json retry{{"max_attempts", dir.retry.max_attempts},
                   {"first_delay_ms", dir.retry.first_delay_ms},
                   {"max_delay_ms", dir.retry.max_delay_ms}};
  Json names = Json::array();
  for (const Recipient& r : recipients) {
    const Contact& c = *r.contact;
    names.push_back(c.username);
    out.facts["audience"] = r.audience;
    writes->push_back(Create("inbox/" + c.username + "/" + out.suffix, "inbox_item", "unread",
                             Json{{"user", c.username},
                                  {"audience", r.audience},
                                  {"urgency", out.urgency},
                                  {"notice", out.notice},
                                  {"sent_ms", now_ms},
                                  {"facts", out.facts}}));
    if (!dir.email || c.email.empty()) continue;
    writes->push_back(
        Create("delivery/email/" + c.username + "/" + out.suffix, "delivery",
               c.digest ? "held" : "pending",
               Json{{"channel", "email"},
                    {"digest", c.digest},
                    {"to", c.email},
                    {"user", c.username},
                    {"language", c.language},
                    {"notice", out.notice},
                    {"urgency", out.urgency},
                    {"facts", out.facts},
                    {"next_at_ms", c.digest ? NextDigestMs(now_ms, dir.digest_at_minutes) : now_ms},
                    {"attempts", 0},
                    {"failures", 0},
                    {"retry", retry},
                    {"history", Json::array()}}));
  }
  out.facts["audience"] = out.webhook_audience;
  for (const WebhookRoute& w : dir.webhooks) {
    bool covers = w.units.empty();
    for (const std::string& u : webhook_units) covers = covers || w.Covers(u);
    if (!covers) continue;
    writes->push_back(Create("delivery/webhook/" + w.name + "/" + out.suffix, "delivery", "pending",
                             Json{{"channel", "webhook"},
                                  {"digest", false},
                                  {"to", w.name},
                                  {"notice", out.notice},
                                  {"urgency", out.urgency},
                                  {"facts", out.facts},
                                  {"next_at_ms", now_ms},
                                  {"attempts", 0},
                                  {"failures", 0},
                                  {"retry", retry},
                                  {"history", Json::array()}}));
  }
  return names;
}

// Appends `entry` (with its recipients) to the notices and accepts, with the writes of
// its fan-out.
Decision Append(const Instance& cur, Json entry, Json recipients,
                std::vector<InstanceWrite> writes) {
  Decision d;
  entry["recipients"] = std::move(recipients);
  d.data = cur.data;
  d.data["entries"].push_back(std::move(entry));
  d.accepted = true;
  d.state = cur.state;
  d.other_writes = std::move(writes);
  d.result = {{"entries", d.data["entries"].size()}, {"deliveries", d.other_writes.size()}};
  return d;
}

// The reminders of a chain before link k, which do not go out while link k may: each
// recorded on the notices (data.skipped: which, when and why, so that the unit's record
// and the journal's patch say it) and accepted, setting link k's timer in the same
// commit — a refusal only consumes, and would end the chain. Result {sent: false,
// reason, next}.
Decision SkipTo(const Instance& cur, const Json& payload, const std::vector<ChainedReminder>& chain,
                size_t k, const std::string& why, int64_t now_ms) {
  std::optional<Timer> next = ChainLink(cur.id, payload, chain, k);
  Decision d = Decision::Accept(cur.state, cur.data);
  Json& skipped = d.data["skipped"];
  if (!skipped.is_array()) skipped = Json::array();
  for (size_t i = 0; i < k; ++i) {
    skipped.push_back({{"step", payload.value("step", "")},
                       {"reminder", chain[i].reminder},
                       {"due_ms", chain[i].due_ms},
                       {"skipped_ms", now_ms},
                       {"reason", why},
                       {"next", chain[k].reminder}});
  }
  d.result = {{"sent", false}, {"reason", why}, {"next", next->id}};
  d.timers_set.push_back(std::move(*next));
  return d;
}

// The lifecycle a notices instance belongs to: recorded when both were created; from
// the id for an instance that lacks the record.
std::string LifecycleOf(const Instance& notices) {
  const auto it = notices.data.find("lifecycle");
  if (it != notices.data.end() && it->is_string() && !it->get<std::string>().empty()) {
    return it->get<std::string>();
  }
  const std::string prefix = "notices/";
  return "lifecycle/" +
         (notices.id.rfind(prefix, 0) == 0 ? notices.id.substr(prefix.size()) : notices.id);
}

// How many notices the instance holds, without copying them (json::value copies).
size_t EntryCount(const Json& data) {
  const auto it = data.find("entries");
  return it != data.end() && it->is_array() ? it->size() : 0;
}

}  // namespace

std::string NoticesId(const std::string& lifecycle_id) {
  return CompanionId("notices", lifecycle_id);
}

std::string ReminderTimerId(const std::string& notices_id, const std::string& step,
                            const std::string& reminder) {
  return notices_id + "#" + step + "/" + reminder;
}

Json ChainLinkJson(const ChainedReminder& link) {
  // Built member by member, in key order (a braced Json literal costs several times as
  // much, and the lifecycle writes one per planned reminder).
  Json out = Json::object();
  auto& o = out.get_ref<Json::object_t&>();
  o.emplace_hint(o.end(), "due_ms", link.due_ms);
  o.emplace_hint(o.end(), "kind", link.kind);
  o.emplace_hint(o.end(), "reminder", link.reminder);
  return out;
}

std::vector<ChainedReminder> ChainOf(const Json& payload) {
  std::vector<ChainedReminder> chain;
  if (!payload.is_object()) return chain;
  auto own = ReadLink(payload);
  if (!own) return chain;
  chain.push_back(std::move(*own));
  const auto then = payload.find("then");
  if (then == payload.end() || !then->is_array()) return chain;
  for (const Json& link : *then) {
    auto r = ReadLink(link);
    if (!r) break;
    chain.push_back(std::move(*r));
  }
  return chain;
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

std::optional<NoticesWorkflow::NoticeScope> NoticesWorkflow::Scope(const Instance& cur,
                                                                   const DecideContext& ctx) const {
  const std::vector<std::string> parts = NoticesParts(cur.id);
  if (parts.empty()) return std::nullopt;
  NoticeScope s{parts[0], parts[1], parts[2], parts[2], ""};
  // Names and the superior from the cycle's unit tree; a missing tree only loses them.
  if (auto cycle = cycles_.Load(ctx, "cycle/" + s.year + "/" + s.scheme); cycle.ok()) {
    if (auto units = cycles_.Units(ctx, (*cycle)->units_id); units.ok()) {
      if (const Unit* u = (*units)->Find(s.unit)) s.unit_name = u->name;
      if (auto target = (*units)->EscalationTarget(s.unit); target.ok() && *target != nullptr) {
        s.superior = (*target)->id;
      }
    }
  }
  return s;
}

Decision NoticesWorkflow::Remind(const Instance& cur, const Command& cmd,
                                 const DecideContext& ctx) const {
  if (cmd.actor.role != "system") return Decision::Forbid("reminders are sent by timers only");
  const Json& p = cmd.payload;
  const std::optional<NoticeScope> scope = Scope(cur, ctx);
  if (!scope) return Decision::Refuse("a notices id is notices/<year>/<scheme>/<unit>");

  const int64_t due = p.value("due_ms", int64_t(0));
  const std::string kind = p.value("kind", "");
  const std::string step = p.value("step", "");
  const std::string reminder = p.value("reminder", "");

  // Only a step still open is reminded of, as the lifecycle says now (CheckReminderDue,
  // lifecycle_workflow.h). The lifecycle is read through the context, so the commit is
  // checked against the version read: a transition committed in between (a plan
  // submitted, the appeal window closed by its timer) makes it a Conflict, and the timer
  // fires again on the next round against the new state. A reminder of a step done or
  // closed — timers left by older code or an older reminder policy, a window's last
  // reminders fired after it ended — is refused: journaled, the timer consumed, no
  // entry, no inbox item, mail or webhook.
  const std::string lifecycle_id = LifecycleOf(cur);
  const auto lifecycle = ctx.load_shared(lifecycle_id);
  if (!lifecycle.ok()) {
    return Decision::Refuse("no reminder sent: the assessment " + lifecycle_id +
                            " cannot be read (" + lifecycle.status().message() + ")");
  }
  const std::string deadline = p.value("deadline", "");
  const std::vector<ChainedReminder> chain = ChainOf(p);
  auto may_go = [&](const std::string& link_kind) {
    return CheckReminderDue(**lifecycle, step, link_kind, deadline, ctx.now_ms).ok();
  };
  if (Status open = CheckReminderDue(**lifecycle, step, kind, deadline, ctx.now_ms); !open.ok()) {
    // The chain goes on past a reminder that cannot go out only to one after it that
    // still may: a window's escalation after its last reminders, which the clock refuses
    // once the window has ended (fired late, after a down time).
    for (size_t k = 1; k < chain.size(); ++k) {
      if (may_go(chain[k].kind)) return SkipTo(cur, p, chain, k, open.message(), ctx.now_ms);
    }
    return Decision::Refuse("no reminder sent: " + open.message());
  }
  // After a down time several reminders of a deadline fall due at once. Only the latest
  // goes out: "5 working days left" is wrong once "1 working day left" is due too, and
  // five late notices in a row say less than one. The others are skipped, on record.
  size_t latest = 0;
  for (size_t k = 1; k < chain.size() && chain[k].due_ms <= ctx.now_ms; ++k) {
    if (may_go(chain[k].kind)) latest = k;
  }
  if (latest > 0) {
    return SkipTo(cur, p, chain, latest,
                  "superseded: the " + chain[latest].reminder +
                      " reminder of the same deadline is due too (fired late, after a down time)",
                  ctx.now_ms);
  }
  const int working_days = WorkingDaysOf(reminder);
  const bool late = ctx.now_ms - due > kLateAfterMs;
  const bool escalation = kind == "escalation";
  // Whose step it is, from the step itself (StepDoer) rather than from the timer's
  // payload, so that reminders planned by older code (without "audience") reach the
  // doers too. Recipients are resolved now, when the reminder fires, not when it was
  // planned: users come and go, change unit or are disabled in between, and the
  // notification directory says who they are today (read version-checked, like the
  // lifecycle). The lead assessors are those of the plan as it is now (its history is
  // read through the context, version-checked at commit: an adjustment committed in
  // between makes this a Conflict, decided again on the next round).
  Addressees to;
  to.doer = StepDoer(step);
  Json lead_units = Json::array();
  if (to.doer == "lead_assessor") {
    if (auto plan = plans_.Load(ctx, PlanHistoryId(lifecycle_id)); plan.ok()) {
      to.lead_units = LeadAssessorUnits(*plan->first);
    }
    for (const std::string& u : to.lead_units) lead_units.push_back(u);
  }
  const bool unit_step = to.doer == "unit";
  const size_t n = EntryCount(cur.data);

  Json entry{{"n", n},
             {"step", step},
             {"reminder", reminder},
             {"kind", kind},
             {"working_days", working_days},
             {"deadline", deadline},
             {"due_ms", due},
             {"sent_ms", ctx.now_ms},
             {"late", late}};
  // A step of somebody else's is recorded here too (the unit's record of what was sent
  // about its assessment, where its timers live), with the doer as its audience: the
  // unit's users get no inbox item, mail or webhook for it.
  if (!unit_step) entry["audience"] = to.doer;
  if (to.doer == "lead_assessor") {
    entry["lead_assessor_units"] = lead_units;
    if (escalation || to.lead_units.empty()) entry["escalate_to"] = {"office"};
  } else if (to.doer == "committee" && escalation) {
    entry["escalate_to"] = {"office"};
  } else if (unit_step && escalation) {
    // To the unit's superior and the office (the brief's escalation).
    entry["escalate_to"] = {"superior", "office"};
    entry["superior_unit"] = scope->superior;
  }

  Outgoing out;
  out.notice = cur.id + "#" + std::to_string(n);
  out.suffix = scope->year + "/" + scope->scheme + "/" + scope->unit + "/" + std::to_string(n) +
               "-" + step + "-" + reminder;
  out.urgency = Urgency(kind, working_days);
  out.facts = {{"unit_id", scope->unit},
               {"unit_name", scope->unit_name},
               {"year", scope->year},
               {"scheme", scope->scheme},
               {"step", step},
               {"reminder", reminder},
               {"kind", kind},
               {"working_days", working_days},
               {"deadline", entry["deadline"]},
               {"late", late}};
  // The webhook is addressed to the doer, an escalation to the office.
  out.webhook_audience = escalation ? "office" : to.doer;

  const std::shared_ptr<const NotifyDirectory> dir = Directory(ctx);
  std::vector<InstanceWrite> writes;
  const std::vector<Recipient> people = RecipientsOf(*dir, scope->unit, scope->superior, escalation, to);
  Json recipients = FanOut(*dir, people, WebhookUnits(people, scope->unit, to), std::move(out),
                           ctx.now_ms, &writes);
  Decision d = Append(cur, std::move(entry), std::move(recipients), std::move(writes));
  // The next reminder of the chain, in the same commit.
  if (auto next = ChainLink(cur.id, p, chain, 1)) d.timers_set.push_back(std::move(*next));
  return d;
}

Decision NoticesWorkflow::Announce(const Instance& cur, const Command& cmd,
                                   const DecideContext& ctx) const {
  if (cmd.actor.role != "system") return Decision::Forbid("event notices are sent by timers only");
  const Json& p = cmd.payload;
  const std::string event = p.value("event", "");
  if (event.empty()) return Decision::Refuse("announce needs payload.event: what happened");
  const std::optional<NoticeScope> scope = Scope(cur, ctx);
  if (!scope) return Decision::Refuse("a notices id is notices/<year>/<scheme>/<unit>");

  const int64_t due = p.value("due_ms", int64_t(0));
  const bool late = ctx.now_ms - due > kLateAfterMs;
  // "office": the office must act on it (an appeal to decide); otherwise the unit's.
  const bool to_office = p.value("audience", "") == "office";
  const std::string audience = to_office ? "office" : "unit";
  const size_t n = EntryCount(cur.data);
  const Json details = p.value("details", Json::object());

  Json entry{{"n", n},
             {"kind", "event"},
             {"event", event},
             {"lifecycle_version", p.value("lifecycle_version", int64_t(0))},
             {"actor_role", p.value("actor_role", "")},
             {"reason", p.value("reason", "")},
             {"on", p.value("on", "")},
             {"deadline", p.value("deadline", "")},
             {"details", details},
             {"audience", audience},
             {"due_ms", due},
             {"sent_ms", ctx.now_ms},
             {"late", late}};

  Outgoing out;
  out.notice = cur.id + "#" + std::to_string(n);
  out.suffix = scope->year + "/" + scope->scheme + "/" + scope->unit + "/" + std::to_string(n) +
               "-event-" + event;
  out.urgency = EventUrgency(event);
  out.facts = {{"unit_id", scope->unit},
               {"unit_name", scope->unit_name},
               {"year", scope->year},
               {"scheme", scope->scheme},
               {"step", event},
               {"reminder", ""},
               {"kind", "event"},
               {"working_days", 0},
               {"deadline", entry["deadline"]},
               {"late", late},
               {"event", event},
               {"reason", entry["reason"]},
               {"actor_role", entry["actor_role"]},
               {"on", entry["on"]},
               {"details", details}};
  out.webhook_audience = audience;

  const std::shared_ptr<const NotifyDirectory> dir = Directory(ctx);
  std::vector<InstanceWrite> writes;
  Addressees to;
  to.doer = audience;
  // Webhooks are routed like a reminder's: the unit's own events (returned, published,
  // …) to the webhooks covering the assessed unit; an event addressed to the office (an
  // appeal to decide) to the webhooks covering the office users' units, not the
  // assessed unit's, which has nothing to do about it. A webhook without units covers
  // every unit.
  const std::vector<Recipient> people = RecipientsOf(*dir, scope->unit, scope->superior, false, to);
  Json recipients = FanOut(*dir, people, WebhookUnits(people, scope->unit, to), std::move(out),
                           ctx.now_ms, &writes);
  return Append(cur, std::move(entry), std::move(recipients), std::move(writes));
}

Decision NoticesWorkflow::Decide(const Instance& cur, const Command& cmd,
                                 const DecideContext& ctx) const {
  if (!cur.exists()) {
    return Decision::Refuse("notices are created with their assessment, not by a command");
  }
  if (cmd.name == "remind") return Remind(cur, cmd, ctx);
  if (cmd.name == "announce") return Announce(cur, cmd, ctx);
  if (cmd.name == "mark_read") {
    const std::string& role = cmd.actor.role;
    const bool own = role == "unit" && cmd.actor.unit == cur.data.value("unit", "");
    if (!own && role != "office" && role != "admin") {
      return Decision::Forbid("only the unit's own users, the office or an admin mark its notices read");
    }
    const size_t total = EntryCount(cur.data);
    const Json upto = cmd.payload.value("upto", Json(total));
    if (!upto.is_number_unsigned() || upto.get<size_t>() > total) {
      return Decision::Refuse("payload.upto is the number of notices read, from 0 to " +
                              std::to_string(total));
    }
    Json data = cur.data;
    data["read_upto"] = std::max(upto.get<size_t>(), data.value("read_upto", size_t(0)));
    return Decision::Accept(cur.state, std::move(data));
  }
  return Decision::Refuse("notices know remind, announce and mark_read, not \"" + cmd.name + "\"");
}

}  // namespace govassess::workflows

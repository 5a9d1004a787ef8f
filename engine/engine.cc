#include "engine/engine.h"

#include "engine/canonical_json.h"
#include "engine/command_chains.h"
#include "engine/sha256.h"

#include <atomic>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace govassess {
namespace {

constexpr int kMaxRetries = 3;  // conflicts retried when the caller gave no version
// Due timers: threads deciding them, and instances with a timer on its way at once.
constexpr size_t kTimerThreads = 2;
constexpr size_t kTimersInFlight = 64;

Status CheckCommand(const Command& c) {
  if (c.instance_id.empty()) return Status::InvalidArgument("the command names no instance");
  if (c.instance_id.size() > 200) {
    return Status::InvalidArgument("instance ids are at most 200 bytes");
  }
  if (c.name.empty()) return Status::InvalidArgument("the command has no name");
  if (c.actor.user.empty() || c.actor.role.empty()) {
    return Status::InvalidArgument("the command names no actor (user and role)");
  }
  if (!c.payload.is_object()) return Status::InvalidArgument("the payload must be a JSON object");
  if (c.expected_version && *c.expected_version < 0) {
    return Status::InvalidArgument("the expected version cannot be negative");
  }
  return Status::Ok();
}

// The journal's record of one instance write (JournalEvent::change), as canonical
// text: {create|patch, from, id, to, type, type_version, version} in key order.
// `after_data_json` is the canonical text of after.data (also the stored row), read
// only for a creation. For a change, *approx_growth is set to how much the data's
// ApproxTextBytes grew (AppendJsonDiff), for the cache.
void AppendWrite(std::string* out, const Instance& before, const Instance& after,
                 const std::string& after_data_json, std::ptrdiff_t* approx_growth) {
  if (before.exists()) {
    out->append("{\"from\":");
    AppendJsonString(out, before.state);
  } else {
    out->append("{\"create\":");
    out->append(after_data_json);
    out->append(",\"from\":null");
  }
  out->append(",\"id\":");
  AppendJsonString(out, after.id);
  if (before.exists()) {
    out->append(",\"patch\":");
    AppendJsonDiff(out, before.data, after.data, approx_growth);
  }
  out->append(",\"to\":");
  AppendJsonString(out, after.state);
  out->append(",\"type\":");
  AppendJsonString(out, after.type);
  out->append(",\"type_version\":");
  AppendJsonInt(out, after.type_version);
  out->append(",\"version\":");
  AppendJsonInt(out, after.version);
  out->push_back('}');
}

// A timer as the journal records it (ToJson(const Timer&)), as canonical text; its
// payload's text also goes to *payload_json (the stored row's, WriteBatch).
void AppendTimer(std::string* out, const Timer& t, std::string* payload_json) {
  out->append("{\"command\":");
  AppendJsonString(out, t.command);
  out->append(",\"due\":");
  AppendJsonInt(out, t.due_ms);
  out->append(",\"id\":");
  AppendJsonString(out, t.id);
  out->append(",\"instance\":");
  AppendJsonString(out, t.instance_id);
  out->append(",\"payload\":");
  const size_t from = out->size();
  AppendJson(out, t.payload);
  payload_json->assign(*out, from, out->size() - from);
  out->push_back('}');
}

void AppendIds(std::string* out, const char* key, const std::vector<std::string>& ids) {
  if (out->back() != '{') out->push_back(',');
  out->push_back('"');
  out->append(key);
  out->append("\":[");
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) out->push_back(',');
    AppendJsonString(out, ids[i]);
  }
  out->push_back(']');
}

// ,"timers":{"cancel":[…],"consumed":[…],"set":[…]} with the lists that are not empty;
// nothing when all are. *payloads gets the text of each set timer's payload.
void AppendTimers(std::string* out, const std::vector<Timer>& set,
                  const std::vector<std::string>& cancelled,
                  const std::vector<std::string>& consumed, std::vector<std::string>* payloads) {
  if (set.empty() && cancelled.empty() && consumed.empty()) return;
  if (out->back() != '{') out->push_back(',');
  out->append("\"timers\":{");
  if (!cancelled.empty()) AppendIds(out, "cancel", cancelled);
  if (!consumed.empty()) AppendIds(out, "consumed", consumed);
  if (!set.empty()) {
    if (out->back() != '{') out->push_back(',');
    out->append("\"set\":[");
    payloads->resize(set.size());
    for (size_t i = 0; i < set.size(); ++i) {
      if (i > 0) out->push_back(',');
      AppendTimer(out, set[i], &(*payloads)[i]);
    }
    out->push_back(']');
  }
  out->push_back('}');
}

}  // namespace

const std::shared_ptr<const Instance>& CommandResult::NoInstance() {
  static const auto* none = new std::shared_ptr<const Instance>(std::make_shared<const Instance>());
  return *none;
}

Json CommandResult::ToJson() const {
  const Instance& i = instance();
  Json j{{"accepted", accepted},
         {"instance",
          {{"id", i.id}, {"type", i.type}, {"state", i.state}, {"version", i.version}}},
         {"event", {{"seq", event.seq}, {"hash", event.hash}}},
         {"result", result}};
  if (!accepted) {
    j["refusal"] = {{"code", CodeName(refusal.code())}, {"reason", refusal.message()}};
  }
  return j;
}

CommandResult CommandResult::FromJson(const Json& j) {
  CommandResult r;
  r.accepted = j.at("accepted").get<bool>();
  const Json& i = j.at("instance");
  auto header = std::make_shared<Instance>();
  header->id = i.at("id").get<std::string>();
  header->type = i.at("type").get<std::string>();
  header->state = i.at("state").get<std::string>();
  header->version = i.at("version").get<int64_t>();
  r.instance_ptr = std::move(header);
  r.event.seq = j.at("event").at("seq").get<int64_t>();
  r.event.hash = j.at("event").at("hash").get<std::string>();
  r.result = j.value("result", Json::object());
  if (!r.accepted) {
    const std::string code = j.at("refusal").at("code").get<std::string>();
    std::string reason = j.at("refusal").at("reason").get<std::string>();
    r.refusal = code == "forbidden" ? Status::Forbidden(reason) : Status::Refused(reason);
  }
  return r;
}

std::string CommandFingerprint(const Command& c) {
  Json j{{"instance", c.instance_id}, {"type", c.type},       {"name", c.name},
         {"user", c.actor.user},      {"reason", c.reason},   {"payload", c.payload},
         {"expected", c.expected_version ? Json(*c.expected_version) : Json(nullptr)}};
  return Sha256Hex(j.dump(-1, ' ', false, Json::error_handler_t::replace));
}

Engine::Engine(Store* store, const Clock* clock, size_t cache_capacity, size_t cache_text_bytes)
    : store_(store), clock_(clock), committer_(store), cache_(cache_capacity, cache_text_bytes) {}

Result<std::shared_ptr<const Instance>> Engine::Load(const std::string& id, bool* from_cache) {
  if (auto cached = cache_.Get(id)) {
    *from_cache = true;
    return cached;
  }
  *from_cache = false;
  auto loaded = store_->Get(id);
  if (loaded.ok()) {
    auto shared = std::make_shared<const Instance>(std::move(*loaded));
    cache_.Put(shared);
    return shared;
  }
  if (!loaded.status().IsNotFound()) return loaded.status();
  auto absent = std::make_shared<Instance>();
  absent->id = id;
  return std::shared_ptr<const Instance>(std::move(absent));
}

Result<std::shared_ptr<const Instance>> Engine::ReadCurrent(const std::string& id) {
  auto version = store_->VersionOf(id);
  if (!version.ok()) return version.status();
  if (*version == 0) return Status::NotFound("no instance \"" + id + "\"");
  if (auto cached = cache_.Get(id); cached != nullptr && cached->version == *version) {
    return cached;
  }
  auto loaded = store_->Get(id);  // may be newer still: that is the current one then
  if (!loaded.ok()) return loaded.status();
  auto shared = std::make_shared<const Instance>(std::move(*loaded));
  cache_.Put(shared);
  return shared;
}

void Engine::Register(std::unique_ptr<Workflow> workflow) {
  std::string type = workflow->type();
  workflows_[type] = std::move(workflow);
}

std::vector<std::string> Engine::Types() const {
  std::vector<std::string> types;
  types.reserve(workflows_.size());
  for (const auto& [type, workflow] : workflows_) types.push_back(type);
  return types;
}

const Workflow* Engine::FindWorkflow(const std::string& type) const {
  auto it = workflows_.find(type);
  return it == workflows_.end() ? nullptr : it->second.get();
}

Result<std::optional<CommandResult>> Engine::Admit(const Command& command,
                                                   std::string* fingerprint_out) {
  Status s = CheckCommand(command);
  if (!s.ok()) return s;
  std::string& fingerprint = *fingerprint_out;
  if (!command.idempotency_key.empty()) {
    if (command.idempotency_key.size() > 200) {
      return Status::InvalidArgument("idempotency keys are at most 200 bytes");
    }
    fingerprint = CommandFingerprint(command);
    auto stored = store_->LookupIdempotency(command.idempotency_key);
    if (!stored.ok()) return stored.status();
    if (stored->has_value()) {
      if ((*stored)->fingerprint != fingerprint) {
        return Status::InvalidArgument("the idempotency key \"" + command.idempotency_key +
                                       "\" was already used for a different request; use a "
                                       "new key for a new request");
      }
      CommandResult r = CommandResult::FromJson((*stored)->reply);
      r.replayed = true;
      return std::optional<CommandResult>(std::move(r));
    }
  }
  return std::optional<CommandResult>();
}

bool Engine::DecideAgain(const Command& command, const Status& status, bool instance_moved,
                         int attempt) {
  // A caller that named no version means "the current one": re-read and re-decide.
  // So does a timer's firing when an instance it read moved meanwhile (its timer is
  // still pending), but not when the timer itself is gone: another process fired it.
  return status.IsConflict() && !command.expected_version &&
         (command.consume_timer.empty() || instance_moved) && attempt < kMaxRetries;
}

Result<CommandResult> Engine::Execute(const Command& command) {
  std::string fingerprint;
  auto admitted = Admit(command, &fingerprint);
  if (!admitted.ok()) return admitted.status();
  if (admitted->has_value()) return std::move(**admitted);
  // A batch is on its way: a group-commit leader may wait a little for it.
  const GroupCommitter::Announcement announced = committer_.Announce();
  for (int attempt = 0;; ++attempt) {
    bool instance_moved = false;
    auto r = ExecuteOnce(command, fingerprint, &instance_moved);
    if (!r.ok() && DecideAgain(command, r.status(), instance_moved, attempt)) continue;
    return r;
  }
}

struct Engine::Pending {
  WriteBatch batch;
  CommandResult result;
  std::string fingerprint;
  // Each written instance's size for the cache: a created row's text size, or how much a
  // changed instance's data grew (InstanceCache::PutNext).
  struct CacheSize {
    size_t text_bytes = 0;  // 0: no text (a change)
    std::ptrdiff_t growth = 0;
  };
  std::vector<CacheSize> cache_sizes;
  std::function<void()> after_commit;  // Decision::after_commit
};

Result<CommandResult> Engine::ExecuteOnce(const Command& command, const std::string& fingerprint,
                                          bool* instance_moved) {
  Pending pending;
  Status decided = Decide(command, fingerprint, &pending);
  if (!decided.ok()) return decided;
  CommitOutcome outcome = committer_.Commit(&pending.batch);
  return Finish(&pending, std::move(outcome), instance_moved);
}

struct Engine::AsyncCommand {
  Command command;
  std::string fingerprint;
  Done done;
  Resume resume;  // may be empty: the answer is finished where it committed
  int attempt = 0;
};

void Engine::ExecuteAsync(Command command, Done done, Resume resume) {
  auto async = std::make_shared<AsyncCommand>();
  auto admitted = Admit(command, &async->fingerprint);
  if (!admitted.ok()) return done(admitted.status());
  if (admitted->has_value()) return done(std::move(**admitted));
  async->command = std::move(command);
  async->done = std::move(done);
  async->resume = std::move(resume);
  SubmitAsync(std::move(async));
}

void Engine::SubmitAsync(std::shared_ptr<AsyncCommand> async) {
  auto pending = std::make_shared<Pending>();
  Status decided = Decide(async->command, async->fingerprint, pending.get());
  if (!decided.ok()) {
    if (DecideAgain(async->command, decided, false, async->attempt)) {
      ++async->attempt;
      return SubmitAsync(std::move(async));
    }
    return async->done(decided);
  }
  WriteBatch* batch = &pending->batch;
  committer_.CommitAsync(batch, [this, async, pending](CommitOutcome outcome) mutable {
    if (async->resume) {
      const std::shared_ptr<AsyncCommand> self = async;  // holds `resume` while it runs
      return self->resume([this, async = std::move(async), pending = std::move(pending),
                           outcome = std::move(outcome)]() mutable {
        AnswerAsync(std::move(async), std::move(pending), std::move(outcome));
      });
    }
    AnswerAsync(std::move(async), std::move(pending), std::move(outcome));
  });
}

void Engine::AnswerAsync(std::shared_ptr<AsyncCommand> async, std::shared_ptr<Pending> pending,
                         CommitOutcome outcome) {
  bool instance_moved = false;
  auto r = Finish(pending.get(), std::move(outcome), &instance_moved);
  pending.reset();
  if (!r.ok() && DecideAgain(async->command, r.status(), instance_moved, async->attempt)) {
    ++async->attempt;
    return SubmitAsync(std::move(async));  // decided again here, committed with the next group
  }
  async->done(std::move(r));
}

Status Engine::Decide(const Command& command, const std::string& fingerprint, Pending* pending) {
  pending->fingerprint = fingerprint;
  bool from_cache = false;
  auto loaded = Load(command.instance_id, &from_cache);
  if (!loaded.ok()) return loaded.status();
  std::shared_ptr<const Instance> current_ptr = std::move(*loaded);
  if (from_cache && command.expected_version &&
      *command.expected_version != current_ptr->version) {
    // The cache may be behind another process: ask the store before saying Conflict.
    cache_.Erase(command.instance_id);
    loaded = Load(command.instance_id, &from_cache);
    if (!loaded.ok()) return loaded.status();
    current_ptr = std::move(*loaded);
  }
  const Instance& current = *current_ptr;
  if (!current.exists()) {
    if (command.type.empty()) {
      return Status::NotFound("no instance \"" + command.instance_id + "\"");
    }
  } else if (!command.type.empty() && command.type != current.type) {
    return Status::InvalidArgument("instance \"" + current.id + "\" is a " + current.type +
                                   ", not a " + command.type);
  }
  if (command.expected_version && *command.expected_version != current.version) {
    return Status::Conflict("instance \"" + command.instance_id + "\" is at version " +
                            std::to_string(current.version) + ", not " +
                            std::to_string(*command.expected_version) +
                            "; reload it and try again");
  }
  const std::string type = current.exists() ? current.type : command.type;
  const Workflow* workflow = FindWorkflow(type);
  if (workflow == nullptr) return Status::InvalidArgument("unknown workflow type \"" + type + "\"");

  const int64_t now = clock_->NowMs();
  // Whatever the decision reads must be unchanged when it commits (VersionCheck). A
  // decision reads a handful of instances: a vector beats a map.
  std::vector<VersionCheck> reads;
  std::unordered_map<std::string, size_t> read_index;  // only for decisions that read many
  auto note_read = [&reads, &read_index](const std::string& id, int64_t version) {
    constexpr size_t kLinear = 16;
    if (reads.size() < kLinear) {
      for (VersionCheck& c : reads) {
        if (c.id == id) {
          c.version = version;
          return;
        }
      }
      reads.push_back(VersionCheck{id, version});
      if (reads.size() == kLinear) {
        for (size_t i = 0; i < reads.size(); ++i) read_index.emplace(reads[i].id, i);
      }
      return;
    }
    auto [it, added] = read_index.emplace(id, reads.size());
    if (added) {
      reads.push_back(VersionCheck{id, version});
    } else {
      reads[it->second].version = version;
    }
  };
  DecideContext ctx;
  ctx.now_ms = now;
  ctx.load_shared = [this, &note_read](
                        const std::string& id) -> Result<std::shared_ptr<const Instance>> {
    bool cached = false;
    auto r = Load(id, &cached);
    if (!r.ok()) return r.status();
    note_read(id, (*r)->version);
    if (!(*r)->exists()) return Status::NotFound("no instance \"" + id + "\"");
    return r;
  };
  ctx.version_of = [this, &note_read](const std::string& id) -> Result<int64_t> {
    // The cache answers as it does for load_shared: a hint, checked at commit.
    int64_t version = 0;
    if (auto cached = cache_.Get(id)) {
      version = cached->version;
    } else {
      auto stored = store_->VersionOf(id);
      if (!stored.ok()) return stored.status();
      version = *stored;
    }
    note_read(id, version);
    return version;
  };
  ctx.load = [&ctx](const std::string& id) -> Result<Instance> {
    auto r = ctx.load_shared(id);
    if (!r.ok()) return r.status();
    return Instance(**r);
  };
  Decision d = workflow->Decide(current, command, ctx);

  WriteBatch& batch = pending->batch;
  JournalEvent& e = batch.event;
  e.ts_ms = now;
  e.actor = command.actor;
  e.command = command.name;
  e.entity = command.instance_id;
  e.entity_type = type;
  e.idempotency_key = command.idempotency_key;
  if (!command.consume_timer.empty()) batch.timers_consumed.push_back(command.consume_timer);

  CommandResult& result = pending->result;
  result.accepted = d.accepted;
  if (d.accepted) pending->after_commit = std::move(d.after_commit);
  // The change goes into the event as canonical text, written once: a created
  // instance's data is serialised once for both the event and the row
  // (WriteBatch::instance_data_json); patches are written while comparing
  // (canonical_json.h). A changed instance's row text is left to the store, which
  // writes it when it writes the row (SqliteStore: once per row held back, not once per
  // version).
  std::string change = "{";
  if (d.accepted) {
    batch.instances.reserve(1 + d.other_writes.size());
    batch.instance_data_json.reserve(1 + d.other_writes.size());
    InstanceWrite own;
    Instance& after = own.after;
    after.id = current.id;
    after.type = type;
    after.type_version = current.exists() ? current.type_version : workflow->version();
    after.created_ms = current.exists() ? current.created_ms : now;
    after.state = std::move(d.state);
    after.data = std::move(d.data);
    after.version = current.version + 1;
    after.updated_ms = now;
    own.expected_version = current.version;
    change += "\"instances\":[";
    batch.instance_data_json.push_back(current.exists() ? std::string()
                                                        : CanonicalJson(after.data));
    pending->cache_sizes.emplace_back();
    AppendWrite(&change, current, after, batch.instance_data_json.back(),
                &pending->cache_sizes.back().growth);
    batch.instances.push_back(std::move(own));
    for (InstanceWrite& w : d.other_writes) {
      // What it was, for the journal's patch (shared: no copy of the data).
      static const Instance kAbsent;
      std::shared_ptr<const Instance> loaded_before;
      if (w.expected_version > 0) {
        bool cached = false;
        auto b = Load(w.after.id, &cached);
        if (b.ok()) loaded_before = std::move(*b);
      }
      const Instance& before = loaded_before ? *loaded_before : kAbsent;
      w.after.version = w.expected_version + 1;
      w.after.updated_ms = now;
      if (w.expected_version == 0) w.after.created_ms = now;
      batch.instance_data_json.push_back(before.exists() ? std::string()
                                                         : CanonicalJson(w.after.data));
      change.push_back(',');
      pending->cache_sizes.emplace_back();
      AppendWrite(&change, before, w.after, batch.instance_data_json.back(),
                  &pending->cache_sizes.back().growth);
      batch.instances.push_back(std::move(w));
    }
    change.push_back(']');
    // The payloads' text is written once, for the journal and the stored rows alike.
    AppendTimers(&change, d.timers_set, d.timers_cancelled, batch.timers_consumed,
                 &batch.timer_payload_json);
    batch.timers_set = std::move(d.timers_set);
    batch.timers_cancelled = std::move(d.timers_cancelled);
    e.outcome = "accepted";
    e.reason = command.reason;
    // The header is enough for the idempotent reply; the data is copied on success.
    const Instance& written = batch.instances.front().after;
    auto header = std::make_shared<Instance>();
    header->id = written.id;
    header->type = written.type;
    header->state = written.state;
    header->version = written.version;
    result.instance_ptr = std::move(header);
  } else {
    e.outcome = "refused";
    e.refusal_code = CodeName(d.refusal_code);
    e.reason = d.reason;
    AppendTimers(&change, {}, {}, batch.timers_consumed, &batch.timer_payload_json);
    result.refusal = Status(d.refusal_code, d.reason);
    result.instance_ptr = current_ptr;
  }
  change.push_back('}');
  PrepareEventBody(&e, change, command.payload);
  result.result = std::move(d.result);
  note_read(current.id, current.version);  // a refusal, too, rests on what it read
  // An instance the batch writes is checked by the write's expected version.
  std::unordered_set<std::string_view> written;
  if (batch.instances.size() > 4) {
    for (const InstanceWrite& w : batch.instances) written.insert(w.after.id);
  }
  auto is_written = [&](const std::string& id) {
    if (batch.instances.size() > 4) return written.count(id) > 0;
    for (const InstanceWrite& w : batch.instances) {
      if (w.after.id == id) return true;
    }
    return false;
  };
  for (VersionCheck& c : reads) {
    if (!is_written(c.id)) batch.reads.push_back(std::move(c));
  }
  if (!command.idempotency_key.empty()) {
    // The store adds the sealed event's seq and hash to the reply (store.h).
    batch.idempotency_key = command.idempotency_key;
    batch.idempotent_reply.fingerprint = fingerprint;
    batch.idempotent_reply.reply = result.ToJson();
  }

  // The created rows' sizes for the cache, taken now: the store may move the text away.
  for (size_t n = 0; n < batch.instance_data_json.size() && n < pending->cache_sizes.size(); ++n) {
    pending->cache_sizes[n].text_bytes = batch.instance_data_json[n].size();
  }
  return Status::Ok();
}

Result<CommandResult> Engine::Finish(Pending* pending, CommitOutcome outcome,
                                     bool* instance_moved) {
  const std::string& fingerprint = pending->fingerprint;
  WriteBatch& batch = pending->batch;
  CommandResult& result = pending->result;
  if (outcome.replayed) {
    if (outcome.replayed->fingerprint != fingerprint) {
      return Status::InvalidArgument("the idempotency key \"" + batch.idempotency_key +
                                     "\" was already used for a different request");
    }
    CommandResult r = CommandResult::FromJson(outcome.replayed->reply);
    r.replayed = true;
    return r;
  }
  if (!outcome.status.ok()) {
    if (outcome.status.IsConflict()) {
      *instance_moved = !outcome.stale_id.empty();
      // Drop what was stale, not everything the command read: a shared instance that
      // every command reads (the notification directory, a cycle) would otherwise be
      // re-read and re-parsed after every conflict on some other instance.
      if (!outcome.stale_id.empty()) {
        cache_.Erase(outcome.stale_id);
      } else {
        for (const VersionCheck& c : batch.reads) cache_.Erase(c.id);
        for (const InstanceWrite& w : batch.instances) cache_.Erase(w.after.id);
      }
    }
    return outcome.status;
  }
  for (size_t n = 0; n < batch.instances.size(); ++n) {
    // The store's own shared copy when it kept one (WriteBatch::committed).
    std::shared_ptr<const Instance> written =
        n < batch.committed.size() && batch.committed[n]
            ? std::move(batch.committed[n])
            : std::make_shared<const Instance>(std::move(batch.instances[n].after));
    if (n == 0 && result.accepted) result.instance_ptr = written;  // shared, not copied
    const Pending::CacheSize size =
        n < pending->cache_sizes.size() ? pending->cache_sizes[n] : Pending::CacheSize{};
    if (size.text_bytes > 0) {
      cache_.Put(std::move(written), size.text_bytes);
    } else {
      cache_.PutNext(std::move(written), size.growth);
    }
  }
  if (pending->after_commit) std::exchange(pending->after_commit, nullptr)();
  result.event = outcome.head;
  return std::move(result);
}

Command TimerCommand(const Timer& timer) {
  Command c;
  c.instance_id = timer.instance_id;
  c.name = timer.command;
  c.actor = Actor::System("timer");
  c.payload = timer.payload;
  c.payload["timer"] = timer.id;
  c.payload["due_ms"] = timer.due_ms;
  c.consume_timer = timer.id;
  return c;
}

Result<int> Engine::FireDueTimers(int64_t now_ms, size_t limit) {
  auto due = store_->DueTimers(now_ms, limit);
  if (!due.ok()) return due.status();
  // Due timers are submitted without waiting, many at once, so that their commits share
  // fsyncs (a server that was down may find thousands due); the timers of one instance
  // fire one after the other, in due order, so they never conflict with each other.
  // Each commits alone and exactly once.
  std::vector<std::vector<const Timer*>> groups;
  {
    std::map<std::string, size_t> group_of;
    for (const Timer& t : *due) {
      auto [it, added] = group_of.emplace(t.instance_id, groups.size());
      if (added) groups.emplace_back();
      groups[it->second].push_back(&t);
    }
  }
  std::atomic<int> fired{0};
  std::atomic<bool> failed{false};
  Status failure;
  std::mutex failure_mu;
  CommandChains::Options options;
  options.threads = kTimerThreads;
  options.in_flight = kTimersInFlight;
  CommandChains::Run(
      this, groups.size(),
      [&](size_t g, size_t k) -> std::optional<Command> {
        if (failed || k >= groups[g].size()) return std::nullopt;
        return TimerCommand(*groups[g][k]);
      },
      [&](size_t, size_t, const Result<CommandResult>& r) {
        // A Conflict on what the decision read (a timer of another instance committed
        // in this round moved it: a lifecycle closed its window while its reminder was
        // deciding) is decided again inside the engine, so the instance's later timers
        // do not overtake this one; a timer another process consumed stays a Conflict,
        // and one still pending fires on the next round.
        if (r.ok()) {
          ++fired;
        } else if (!r.status().IsConflict() && !r.status().IsNotFound()) {
          // Storage trouble: start nothing more and let the caller retry later.
          std::lock_guard<std::mutex> lock(failure_mu);
          if (failure.ok()) failure = r.status();
          failed = true;
          return false;
        }
        return true;
      },
      options);
  if (!failure.ok()) return failure;
  return fired.load();
}

}  // namespace govassess

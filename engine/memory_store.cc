#include "engine/memory_store.h"

#include <cstdint>

namespace govassess {

void MemoryState::SetTimer(const Timer& t) {
  EraseTimer(t.id);
  timers[t.id] = t;
  timers_by_due.emplace(t.due_ms, t.id);
}

bool MemoryState::EraseTimer(const std::string& id) {
  auto it = timers.find(id);
  if (it == timers.end()) return false;
  timers_by_due.erase({it->second.due_ms, id});
  timers.erase(it);
  return true;
}

Result<Instance> MemoryStore::Get(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = state_.instances.find(id);
  if (it == state_.instances.end()) return Status::NotFound("no instance \"" + id + "\"");
  return it->second;
}

Result<std::vector<Instance>> MemoryStore::List(const InstanceFilter& f) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Instance> out;
  auto it = f.after_id.empty() ? state_.instances.lower_bound(f.id_prefix)
                               : state_.instances.upper_bound(f.after_id);
  for (; it != state_.instances.end() && out.size() < f.limit; ++it) {
    const Instance& i = it->second;
    if (i.id.compare(0, f.id_prefix.size(), f.id_prefix) != 0) {
      if (i.id > f.id_prefix) break;
      continue;
    }
    if (!f.type.empty() && i.type != f.type) continue;
    if (!f.state.empty() && i.state != f.state) continue;
    out.push_back(i);
  }
  return out;
}

Result<std::optional<IdempotentReply>> MemoryStore::LookupIdempotency(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = idempotency_.find(key);
  if (it == idempotency_.end()) return std::optional<IdempotentReply>();
  return std::optional<IdempotentReply>(it->second);
}

CommitOutcome MemoryStore::ApplyOne(WriteBatch* b) {
  CommitOutcome out;
  if (!b->idempotency_key.empty()) {
    auto it = idempotency_.find(b->idempotency_key);
    if (it != idempotency_.end()) {
      out.replayed = it->second;
      return out;
    }
  }
  for (const InstanceWrite& w : b->instances) {
    auto it = state_.instances.find(w.after.id);
    int64_t current = it == state_.instances.end() ? 0 : it->second.version;
    if (current != w.expected_version) {
      out.status = Status::Conflict("instance \"" + w.after.id + "\" is at version " +
                                    std::to_string(current) + ", not " +
                                    std::to_string(w.expected_version));
      out.stale_id = w.after.id;
      return out;
    }
  }
  for (const VersionCheck& c : b->reads) {
    auto it = state_.instances.find(c.id);
    int64_t current = it == state_.instances.end() ? 0 : it->second.version;
    if (current != c.version) {
      out.status = Status::Conflict("instance \"" + c.id + "\" changed (version " +
                                    std::to_string(current) + ", read at " +
                                    std::to_string(c.version) + ")");
      out.stale_id = c.id;
      return out;
    }
  }
  for (const std::string& id : b->timers_consumed) {
    if (!state_.timers.count(id)) {
      out.status = Status::Conflict("timer \"" + id + "\" already fired or was cancelled");
      return out;
    }
  }
  for (const InstanceWrite& w : b->instances) state_.instances[w.after.id] = w.after;
  for (const std::string& id : b->timers_consumed) state_.EraseTimer(id);
  for (const std::string& id : b->timers_cancelled) state_.EraseTimer(id);
  for (const Timer& t : b->timers_set) state_.SetTimer(t);
  const std::string prev = journal_.empty() ? kGenesisHash : journal_.back().second;
  std::string body = SealEvent(&b->event, int64_t(journal_.size()) + 1, prev);
  journal_.emplace_back(std::move(body), b->event.hash);
  if (!b->idempotency_key.empty()) {
    b->idempotent_reply.reply["event"] = {{"seq", b->event.seq}, {"hash", b->event.hash}};
    idempotency_[b->idempotency_key] = b->idempotent_reply;
  }
  out.head = ChainHead{b->event.seq, b->event.hash};
  return out;
}

Status MemoryStore::ApplyGroup(const std::vector<WriteBatch*>& group,
                               std::vector<CommitOutcome>* outcomes) {
  std::lock_guard<std::mutex> lock(mu_);
  outcomes->resize(group.size());
  for (size_t i = 0; i < group.size(); ++i) (*outcomes)[i] = ApplyOne(group[i]);
  return Status::Ok();
}

Result<std::vector<JournalEvent>> MemoryStore::ReadJournal(int64_t after_seq, size_t limit) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<JournalEvent> out;
  for (size_t i = size_t(std::max<int64_t>(after_seq, 0)); i < journal_.size() && out.size() < limit;
       ++i) {
    auto e = ParseEventBody(journal_[i].first);
    if (!e.ok()) return e.status();
    e->hash = journal_[i].second;
    e->prev_hash = i == 0 ? kGenesisHash : journal_[i - 1].second;
    out.push_back(std::move(*e));
  }
  return out;
}

Result<std::vector<JournalEvent>> MemoryStore::QueryJournal(const JournalFilter& f) {
  auto all = ReadJournal(f.after_seq, SIZE_MAX);
  if (!all.ok()) return all.status();
  std::vector<JournalEvent> out;
  for (auto& e : *all) {
    if (out.size() >= f.limit) break;
    if (Matches(f, e)) out.push_back(std::move(e));
  }
  return out;
}

Result<ChainHead> MemoryStore::Head() {
  std::lock_guard<std::mutex> lock(mu_);
  if (journal_.empty()) return ChainHead{};
  return ChainHead{int64_t(journal_.size()), journal_.back().second};
}

Result<ChainHead> MemoryStore::VerifyJournal(const std::optional<ChainHead>& exported) {
  std::lock_guard<std::mutex> lock(mu_);
  ChainVerifier v;
  if (exported) v.WatchSeq(exported->seq);
  for (size_t i = 0; i < journal_.size(); ++i) {
    Status s = v.Feed(int64_t(i) + 1, journal_[i].first, journal_[i].second);
    if (!s.ok()) return s;
  }
  if (exported) {
    Status s = v.CheckExported(*exported);
    if (!s.ok()) return s;
  }
  return v.head();
}

Result<std::vector<Timer>> MemoryStore::DueTimers(int64_t now_ms, size_t limit) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Timer> out;
  for (auto it = state_.timers_by_due.begin();
       it != state_.timers_by_due.end() && it->first <= now_ms && out.size() < limit; ++it) {
    out.push_back(state_.timers.at(it->second));
  }
  return out;
}

Result<std::optional<Timer>> MemoryStore::NextTimer() {
  std::lock_guard<std::mutex> lock(mu_);
  if (state_.timers_by_due.empty()) return std::optional<Timer>();
  return std::optional<Timer>(state_.timers.at(state_.timers_by_due.begin()->second));
}

Result<std::vector<Timer>> MemoryStore::TimersOf(const std::string& instance_id) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Timer> out;
  for (const auto& [id, t] : state_.timers) {
    if (t.instance_id == instance_id) out.push_back(t);
  }
  return out;
}

Result<int64_t> MemoryStore::CountPendingTimers() {
  std::lock_guard<std::mutex> lock(mu_);
  return int64_t(state_.timers.size());
}

MemoryState MemoryStore::Snapshot() {
  std::lock_guard<std::mutex> lock(mu_);
  return state_;
}

}  // namespace govassess

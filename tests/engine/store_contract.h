// The behaviour every Store must show through the Engine. Included by the memory-store
// tests (tests/engine) and the SQLite tests (tests/adapters) so both run the same cases.
#pragma once

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "engine/clock.h"
#include "engine/engine.h"
#include "engine/memory_store.h"
#include "engine/probe_workflow.h"
#include "engine/replay.h"

namespace govassess::testing {

using StoreFactory = std::function<std::unique_ptr<Store>()>;

inline Actor Clerk() { return Actor{"clerk1", "unit", "nanning", "test"}; }

inline Command Cmd(const std::string& id, const std::string& name, Json payload = Json::object()) {
  Command c;
  c.instance_id = id;
  c.name = name;
  c.actor = Clerk();
  c.payload = std::move(payload);
  if (name == "create") c.type = "probe";
  return c;
}

// A MemoryStore whose transactions take a while, like an fsync, and that can be told to
// fail them (Unavailable, nothing written), like a disk that went away.
class SlowStore : public MemoryStore {
 public:
  explicit SlowStore(std::chrono::microseconds delay = std::chrono::microseconds(500))
      : delay_(delay) {}
  Status ApplyGroup(const std::vector<WriteBatch*>& g, std::vector<CommitOutcome>* o) override {
    std::this_thread::sleep_for(delay_);
    if (failing) return Status::Unavailable("the disk is gone");
    return MemoryStore::ApplyGroup(g, o);
  }
  std::atomic<bool> failing{false};

 private:
  const std::chrono::microseconds delay_;
};

struct Rig {
  explicit Rig(std::unique_ptr<Store> s) : store(std::move(s)), clock(1'700'000'000'000), engine(store.get(), &clock) {
    engine.Register(std::make_unique<ProbeWorkflow>());
  }
  CommandResult Run(const Command& c) {
    auto r = engine.Execute(c);
    INFO(r.status().ToString());
    REQUIRE(r.ok());
    return *r;
  }
  int64_t HeadSeq() { return store->Head()->seq; }

  std::unique_ptr<Store> store;
  ManualClock clock;
  Engine engine;
};

// The ids a listing returns, in its order.
inline std::vector<std::string> ListedIds(Store* store, const InstanceFilter& filter) {
  auto listed = store->List(filter);
  REQUIRE(listed.ok());
  std::vector<std::string> ids;
  for (const Instance& i : *listed) ids.push_back(i.id);
  return ids;
}

inline void ContractCreateAndStep(const StoreFactory& make) {
  Rig rig(make());
  auto created = rig.Run(Cmd("p1", "create"));
  CHECK(created.accepted);
  CHECK(created.instance().version == 1);
  CHECK(created.event.seq == 1);
  auto stepped = rig.Run(Cmd("p1", "step", {{"note", "第一步"}}));
  CHECK(stepped.instance().version == 2);
  CHECK(stepped.result["count"] == 1);
  auto got = rig.store->Get("p1");
  REQUIRE(got.ok());
  CHECK(got->data["last_note"] == "第一步");
  CHECK(got->state == "open");
  CHECK(rig.store->Get("nope").status().IsNotFound());
  // A command to a missing instance that does not create it: NotFound, nothing written.
  auto missing = rig.engine.Execute(Cmd("nope", "step"));
  CHECK(missing.status().IsNotFound());
  CHECK(rig.HeadSeq() == 2);
}

// List by id prefix and state, paged by id; a prefix ending in byte 0xFF too.
inline void ContractListByPrefix(const StoreFactory& make) {
  Rig rig(make());
  const std::vector<std::string> ids = {"a/1", "a/2", "a/10", "a0", "b/1", "a/\xff", "a/\xff/x",
                                        "a\xff", "南宁/1", "南宁/2", "南/1"};
  for (const std::string& id : ids) rig.Run(Cmd(id, "create"));
  rig.Run(Cmd("a/2", "close"));
  auto list = [&](const std::string& prefix, const std::string& state = "",
                  const std::string& after = "", size_t limit = 1000) {
    InstanceFilter f;
    f.id_prefix = prefix;
    f.state = state;
    f.after_id = after;
    f.limit = limit;
    return ListedIds(rig.store.get(), f);
  };
  using V = std::vector<std::string>;
  CHECK(list("a/") == V{"a/1", "a/10", "a/2", "a/\xff", "a/\xff/x"});
  CHECK(list("a/\xff") == V{"a/\xff", "a/\xff/x"});
  CHECK(list("a") == V{"a/1", "a/10", "a/2", "a/\xff", "a/\xff/x", "a0", "a\xff"});
  CHECK(list("南宁/") == V{"南宁/1", "南宁/2"});
  CHECK(list("a/", "closed") == V{"a/2"});
  CHECK(list("a/", "", "a/10") == V{"a/2", "a/\xff", "a/\xff/x"});
  // A cursor before the prefix starts at the prefix; one past it finds nothing.
  CHECK(list("a/", "", "a") == V{"a/1", "a/10", "a/2", "a/\xff", "a/\xff/x"});
  CHECK(list("a/", "", "a/\xff/x").empty());
  CHECK(list("a/", "", "b").empty());
  CHECK(list("", "", "b/1") == V{"南/1", "南宁/1", "南宁/2"});
  CHECK(list("a/", "", "", 2) == V{"a/1", "a/10"});
  CHECK(list("c").empty());
  CHECK(list("").size() == ids.size());
}

inline void ContractStaleVersion(const StoreFactory& make) {
  Rig rig(make());
  rig.Run(Cmd("p1", "create"));
  rig.Run(Cmd("p1", "step"));
  const auto before = *rig.store->Get("p1");
  const auto head = *rig.store->Head();
  Command stale = Cmd("p1", "step");
  stale.expected_version = 1;  // it is at 2
  auto r = rig.engine.Execute(stale);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().IsConflict());
  CHECK(r.status().message().find("version 2, not 1") != std::string::npos);
  CHECK(*rig.store->Get("p1") == before);
  CHECK(rig.store->Head()->hash == head.hash);
  Command fresh = Cmd("p1", "step");
  fresh.expected_version = 2;
  CHECK(rig.Run(fresh).instance().version == 3);
  CHECK(*rig.store->VersionOf("p1") == 3);
  CHECK(*rig.store->VersionOf("nobody") == 0);
  // Creating what exists with expected version 0 is a conflict too.
  Command again = Cmd("p1", "create");
  again.expected_version = 0;
  CHECK(rig.engine.Execute(again).status().IsConflict());
}

// A conflict names the instance that was stale, so a cache can drop that entry alone.
inline void ContractConflictNamesStale(const StoreFactory& make) {
  Rig rig(make());
  rig.Run(Cmd("p1", "create"));
  rig.Run(Cmd("p2", "create"));
  rig.Run(Cmd("p2", "step"));
  auto batch = [&](int64_t write_expected, int64_t read_version, const std::string& timer) {
    auto b = std::make_unique<WriteBatch>();
    InstanceWrite w;
    w.after = *rig.store->Get("p1");
    w.expected_version = write_expected;
    w.after.version = write_expected + 1;
    b->instances.push_back(w);
    b->reads.push_back(VersionCheck{"p2", read_version});
    if (!timer.empty()) b->timers_consumed.push_back(timer);
    b->event.command = "contract";
    b->event.entity = "p1";
    b->event.outcome = "accepted";
    PrepareEventBody(&b->event);
    return b;
  };
  auto apply = [&](WriteBatch* b) {
    std::vector<CommitOutcome> out;
    REQUIRE(rig.store->ApplyGroup({b}, &out).ok());
    REQUIRE(out.size() == 1);
    return out[0];
  };
  const auto head = *rig.store->Head();
  auto stale_write = batch(0, 2, "");
  auto o = apply(stale_write.get());
  CHECK(o.status.IsConflict());
  CHECK(o.stale_id == "p1");
  auto stale_read = batch(1, 1, "");
  o = apply(stale_read.get());
  CHECK(o.status.IsConflict());
  CHECK(o.stale_id == "p2");
  auto gone_timer = batch(1, 2, "p1#never-set");
  o = apply(gone_timer.get());
  CHECK(o.status.IsConflict());
  CHECK(o.stale_id.empty());
  CHECK(rig.store->Head()->hash == head.hash);  // none of them wrote
  auto good = batch(1, 2, "");
  o = apply(good.get());
  CHECK(o.status.ok());
  CHECK(o.stale_id.empty());
}

inline void ContractIdempotency(const StoreFactory& make) {
  Rig rig(make());
  rig.Run(Cmd("p1", "create"));
  Command c = Cmd("p1", "step", {{"note", "once"}});
  c.idempotency_key = "key-1";
  auto first = rig.Run(c);
  CHECK_FALSE(first.replayed);
  const int64_t head = rig.HeadSeq();
  auto second = rig.Run(c);
  CHECK(second.replayed);
  CHECK(second.instance().version == first.instance().version);
  CHECK(second.event.seq == first.event.seq);
  CHECK(second.event.hash == first.event.hash);
  CHECK(second.result == first.result);
  CHECK(rig.HeadSeq() == head);
  CHECK(rig.store->Get("p1")->data["count"] == 1);
  // The same key for another request: refused, nothing written.
  Command other = Cmd("p1", "step", {{"note", "twice"}});
  other.idempotency_key = "key-1";
  auto r = rig.engine.Execute(other);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kInvalidArgument);
  CHECK(rig.HeadSeq() == head);
  // A refusal under a key is remembered as a refusal.
  Command refuse = Cmd("p1", "step", {{"refuse", true}});
  refuse.idempotency_key = "key-2";
  auto rf1 = rig.Run(refuse);
  auto rf2 = rig.Run(refuse);
  CHECK_FALSE(rf1.accepted);
  CHECK_FALSE(rf2.accepted);
  CHECK(rf2.replayed);
  CHECK(rf2.refusal.message() == "asked to refuse");
}

inline void ContractRefusalJournaled(const StoreFactory& make) {
  Rig rig(make());
  rig.Run(Cmd("p1", "create"));
  const auto before = *rig.store->Get("p1");
  auto r = rig.Run(Cmd("p1", "step", {{"refuse", true}}));
  CHECK_FALSE(r.accepted);
  CHECK(r.refusal.IsRefused());
  CHECK(r.refusal.message() == "asked to refuse");
  CHECK(*rig.store->Get("p1") == before);
  auto events = *rig.store->ReadJournal(0, 100);
  REQUIRE(events.size() == 2);
  CHECK(events[1].outcome == "refused");
  CHECK(events[1].reason == "asked to refuse");
  CHECK(events[1].actor.user == "clerk1");
  CHECK(events[1].command == "step");
  CHECK(events[1].prev_hash == events[0].hash);
}

// Twenty instances through five rounds of steps, refusals, timers set, cancelled and
// fired, and a close.
inline void RunMixedWorkload(Rig& rig) {
  for (int i = 0; i < 20; ++i) rig.Run(Cmd("p" + std::to_string(i), "create"));
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < 20; ++i) {
      const std::string id = "p" + std::to_string(i);
      rig.clock.Advance(1000);
      if ((i + round) % 7 == 0) {
        rig.Run(Cmd(id, "step", {{"refuse", true}}));
      } else if ((i + round) % 5 == 0) {
        rig.Run(Cmd(id, "step",
                    {{"timer", {{"id", id + "#t" + std::to_string(round)},
                                {"due_ms", rig.clock.NowMs() + 500 * i}}}}));
      } else if ((i + round) % 11 == 0) {
        rig.Run(Cmd(id, "cancel", {{"id", id + "#t" + std::to_string(round - 1)}}));
      } else {
        rig.Run(Cmd(id, "step", {{"note", {{"round", round}, {"文字", "中文"}}}}));
      }
    }
    if (round == 3) rig.Run(Cmd("p4", "close"));
    REQUIRE(rig.engine.FireDueTimers(rig.clock.NowMs()).ok());
  }
}

// The instances and pending timers in `store` are what replaying its journal makes.
inline void CheckLiveEqualsReplay(Store* store) {
  auto events = *store->ReadJournal(0, 100000);
  auto replayed = Replay(events);
  REQUIRE(replayed.ok());
  auto live = *store->List(InstanceFilter{});
  REQUIRE(live.size() == replayed->instances.size());
  for (const Instance& i : live) {
    INFO(i.id);
    REQUIRE(replayed->instances.count(i.id));
    CHECK(replayed->instances.at(i.id) == i);
    CHECK(*store->Get(i.id) == i);
  }
  CHECK(*store->CountPendingTimers() == int64_t(replayed->timers.size()));
  for (const auto& [id, t] : replayed->timers) {
    auto of = *store->TimersOf(t.instance_id);
    bool found = false;
    for (const Timer& x : of) found = found || x == t;
    CHECK(found);
  }
  CHECK(store->VerifyJournal(std::nullopt).ok());
}

inline void ContractReplayEqualsLive(const StoreFactory& make) {
  Rig rig(make());
  RunMixedWorkload(rig);
  CheckLiveEqualsReplay(rig.store.get());
}

inline void ContractTimersFireOnce(const StoreFactory& make) {
  Rig rig(make());
  const int64_t now = rig.clock.NowMs();
  for (int i = 0; i < 30; ++i) {
    const std::string id = "t" + std::to_string(i);
    rig.Run(Cmd(id, "create"));
    rig.Run(Cmd(id, "step", {{"timer", {{"id", id + "#ring"}, {"due_ms", now + 1000 + i}}}}));
  }
  CHECK(*rig.store->CountPendingTimers() == 30);
  auto next = *rig.store->NextTimer();
  REQUIRE(next.has_value());
  CHECK(next->id == "t0#ring");
  CHECK(rig.engine.FireDueTimers(now + 999).value() == 0);
  // Two engines on one store race for the same due timers: each fires exactly once.
  Engine second(rig.store.get(), &rig.clock);
  second.Register(std::make_unique<ProbeWorkflow>());
  std::atomic<int> fired{0};
  std::thread a([&] { fired += rig.engine.FireDueTimers(now + 5000).value(); });
  std::thread b([&] { fired += second.FireDueTimers(now + 5000).value(); });
  a.join();
  b.join();
  CHECK(fired == 30);
  for (int i = 0; i < 30; ++i) CHECK(rig.store->Get("t" + std::to_string(i))->data["rings"] == 1);
  CHECK(*rig.store->CountPendingTimers() == 0);
  CHECK(rig.engine.FireDueTimers(now + 10000).value() == 0);
  // A cancelled timer never fires.
  rig.Run(Cmd("t0", "step", {{"timer", {{"id", "late"}, {"due_ms", now + 20000}}}}));
  rig.Run(Cmd("t0", "cancel", {{"id", "late"}}));
  CHECK(rig.engine.FireDueTimers(now + 30000).value() == 0);
}

inline void ContractConcurrentWriters(const StoreFactory& make) {
  Rig rig(make());
  constexpr int kThreads = 8, kPerThread = 60;
  for (int t = 0; t < kThreads; ++t) rig.Run(Cmd("c" + std::to_string(t), "create"));
  rig.Run(Cmd("shared", "create"));
  std::atomic<int> shared_ok{0}, failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto r = rig.engine.Execute(Cmd("c" + std::to_string(t), "step"));
        if (!r.ok()) ++failures;  // Catch2 assertions are not thread-safe
        // Everyone also bumps one shared instance without a version: no lost update.
        auto s = rig.engine.Execute(Cmd("shared", "step"));
        if (s.ok()) ++shared_ok;
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(failures == 0);
  for (int t = 0; t < kThreads; ++t) {
    CHECK(rig.store->Get("c" + std::to_string(t))->data["count"] == kPerThread);
  }
  // Each accepted shared step is counted exactly once.
  CHECK(rig.store->Get("shared")->data["count"] == shared_ok.load());
  auto head = rig.store->VerifyJournal(std::nullopt);
  REQUIRE(head.ok());
  CHECK(head->seq == kThreads + 1 + kThreads * kPerThread + shared_ok.load());
}

}  // namespace govassess::testing

#define GOVASSESS_STORE_CONTRACT(prefix, factory)                                         \
  TEST_CASE(prefix " creates and steps instances") { ::govassess::testing::ContractCreateAndStep(factory); } \
  TEST_CASE(prefix " lists by id prefix, state and page") { ::govassess::testing::ContractListByPrefix(factory); } \
  TEST_CASE(prefix " refuses a stale version and writes nothing") { ::govassess::testing::ContractStaleVersion(factory); } \
  TEST_CASE(prefix " names the stale instance of a conflict") { ::govassess::testing::ContractConflictNamesStale(factory); } \
  TEST_CASE(prefix " answers an idempotent repeat without writing") { ::govassess::testing::ContractIdempotency(factory); } \
  TEST_CASE(prefix " journals refusals without changing state") { ::govassess::testing::ContractRefusalJournaled(factory); } \
  TEST_CASE(prefix " rebuilds the live state by replaying the journal") { ::govassess::testing::ContractReplayEqualsLive(factory); } \
  TEST_CASE(prefix " fires each timer exactly once across engines") { ::govassess::testing::ContractTimersFireOnce(factory); } \
  TEST_CASE(prefix " loses no update under concurrent writers") { ::govassess::testing::ContractConcurrentWriters(factory); }

// A registry on a MemoryStore and a ManualClock for the registry tests: actors, a
// command helper and shortcuts for the usual steps. Header-only (tests/CMakeLists.txt
// builds only *_test.cc files). Not thread-safe apart from Engine/RegistryService.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "engine/clock.h"
#include "engine/date.h"
#include "engine/engine.h"
#include "engine/memory_store.h"
#include "registry/registry_service.h"
#include "registry/special_assessment_workflow.h"

namespace govassess::registry::testing {

inline int64_t MsOf(int y, int m, int d) { return Date(y, m, d).DaysSinceEpoch() * 86400000 + 3600000; }

inline Actor Lead(const std::string& unit) { return Actor{"clerk@" + unit, "lead_assessor", unit, "test"}; }
inline Actor Office() { return Actor{"zhang", "office", "绩效办", "test"}; }
inline Actor Committee() { return Actor{"committee", "committee", "", "test"}; }
inline Actor Auditor() { return Actor{"jiwei", "auditor", "", "test"}; }
inline Actor Admin() { return Actor{"root", "admin", "", "test"}; }

inline Command Cmd(const std::string& id, const std::string& name, const Actor& actor,
                   Json payload = Json::object(), const std::string& reason = "") {
  Command c;
  c.instance_id = id.rfind("registry/", 0) == 0 ? id : ItemInstanceId(id);
  c.name = name;
  c.actor = actor;
  c.payload = payload.is_null() ? Json::object() : std::move(payload);
  c.reason = reason;
  if (name == "create") c.type = kItemType;
  if (c.instance_id.rfind(kBookPrefix, 0) == 0) c.type = kBookType;
  return c;
}

inline RegistryConfig TestConfig() {
  RegistryConfig c;
  c.quota.overall = 5;
  c.quota.per_lead = 1;
  return c;
}

struct RegistryRig {
  explicit RegistryRig(RegistryConfig config = TestConfig())
      : clock(MsOf(2026, 3, 2)), engine(&store, &clock), service(&store, &engine, config) {
    RegisterRegistryWorkflows(&engine, config);
  }

  // Runs through the service; REQUIREs that the engine answered (accepted or refused).
  CommandResult Run(const Command& c) {
    auto r = service.Execute(c);
    INFO(c.name << " " << c.instance_id << ": " << r.status().ToString());
    REQUIRE(r.ok());
    return *r;
  }
  CommandResult Accept(const Command& c) {
    CommandResult r = Run(c);
    INFO(c.name << " " << c.instance_id << " refused: " << r.refusal.message());
    REQUIRE(r.accepted);
    return r;
  }
  Instance Get(const std::string& id) {
    auto r = store.Get(id.rfind("registry/", 0) == 0 ? id : ItemInstanceId(id));
    REQUIRE(r.ok());
    return *r;
  }
  JournalEvent LastEvent() {
    auto head = store.Head();
    auto events = store.ReadJournal(head->seq - 1, 1);
    REQUIRE(events.ok());
    REQUIRE(events->size() == 1);
    return events->front();
  }

  // create + submit by `lead`.
  CommandResult Apply(const std::string& id, const std::string& lead, const std::string& name,
                      std::vector<std::string> indicators, Json extra = Json::object()) {
    Json p{{"name", name}, {"basis", "《关于规范专项考核的通知》"}, {"indicators", indicators}};
    for (auto& [k, v] : extra.items()) p[k] = v;
    Accept(Cmd(id, "create", Lead(lead), p));
    return Run(Cmd(id, "submit", Lead(lead)));
  }
  // Apply, approve (with an override when needed) and license.
  CommandResult ApplyAndLicense(const std::string& id, const std::string& lead,
                                const std::string& name, std::vector<std::string> indicators) {
    REQUIRE(Apply(id, lead, name, indicators).accepted);
    Accept(Cmd(id, "approve", Office(), {{"override_reason", "test"}}));
    return Accept(Cmd(id, "license", Committee()));
  }

  MemoryStore store;
  ManualClock clock;
  Engine engine;
  RegistryService service;
};

}  // namespace govassess::registry::testing

#include "engine/replay.h"

namespace govassess {

Status ApplyEvent(const JournalEvent& e, MemoryState* state, bool skip_applied) {
  if (e.outcome != "accepted") {
    // A refusal changes no instance, but a timer it consumed is gone.
    if (e.change.contains("timers")) {
      for (const Json& id : e.change["timers"].value("consumed", Json::array())) {
        state->EraseTimer(id.get<std::string>());
      }
    }
    return Status::Ok();
  }
  try {
    for (const Json& c : e.change.value("instances", Json::array())) {
      const std::string id = c.at("id").get<std::string>();
      Instance& inst = state->instances[id];
      if (skip_applied && inst.version > 0 && c.at("version").get<int64_t>() <= inst.version) {
        continue;  // the row has it already
      }
      if (c.contains("create")) {
        inst = Instance{};
        inst.id = id;
        inst.type = c.at("type").get<std::string>();
        inst.type_version = c.at("type_version").get<int>();
        inst.data = c.at("create");
        inst.created_ms = e.ts_ms;
      } else {
        if (inst.version == 0) {
          return Status::Corruption("event " + std::to_string(e.seq) + " changes instance \"" +
                                    id + "\" that was never created");
        }
        inst.data = inst.data.patch(c.at("patch"));
      }
      inst.state = c.at("to").get<std::string>();
      inst.version = c.at("version").get<int64_t>();
      inst.updated_ms = e.ts_ms;
    }
    const Json timers = e.change.value("timers", Json::object());
    for (const char* key : {"consumed", "cancel"}) {
      for (const Json& id : timers.value(key, Json::array())) state->EraseTimer(id.get<std::string>());
    }
    for (const Json& t : timers.value("set", Json::array())) state->SetTimer(TimerFromJson(t));
  } catch (const Json::exception& ex) {
    return Status::Corruption("event " + std::to_string(e.seq) + " cannot be replayed: " +
                              ex.what());
  }
  return Status::Ok();
}

Result<MemoryState> Replay(const std::vector<JournalEvent>& events) {
  MemoryState state;
  for (const JournalEvent& e : events) {
    Status s = ApplyEvent(e, &state);
    if (!s.ok()) return s;
  }
  return state;
}

}  // namespace govassess

// App: the composition root. Opens the database and wires the store, the engine with
// every workflow, credentials and sign-in — the one place that knows all the parts.
// The CLI sub-commands and the server start from it. Not copyable; thread-safe to use
// once opened.
#pragma once

#include <memory>
#include <string>

#include "adapters/http/auth.h"
#include "adapters/sqlite/credential_store.h"
#include "adapters/sqlite/sqlite_store.h"
#include "engine/calendar.h"
#include "engine/calendar_in_force.h"
#include "engine/clock.h"
#include "engine/engine.h"
#include "registry/registry_service.h"

namespace govassess {

class App {
 public:
  // Unavailable when the database cannot be opened; InvalidArgument when the calendar
  // file (empty: the default, see calendar_command.h) cannot be read. `clock` (not
  // owned; null: the system clock) is what the engine, timers and sessions go by —
  // the scenario runner and tests pass a simulated one.
  static Result<std::unique_ptr<App>> Open(const std::string& db_path,
                                           const std::string& calendar_path = "",
                                           const Clock* clock = nullptr);

  SqliteStore* store() { return store_.get(); }
  // The calendar deadlines count with now: the shipped file's years and those an admin
  // loaded (workflows/calendar_workflow.h).
  const WorkingDayCalendar& calendar() const { return calendar_->Now(); }
  CalendarInForce* calendar_in_force() { return calendar_.get(); }
  Engine* engine() { return engine_.get(); }
  CredentialStore* credentials() { return credentials_.get(); }
  AuthService* auth() { return auth_.get(); }
  registry::RegistryService* registry() { return registry_.get(); }

 private:
  App() = default;

  std::unique_ptr<CalendarInForce> calendar_;  // before the engine: workflows use it
  std::unique_ptr<SqliteStore> store_;
  SystemClock system_clock_;
  const Clock* clock_ = nullptr;  // system_clock_ or the caller's
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<CredentialStore> credentials_;
  std::unique_ptr<AuthService> auth_;
  std::unique_ptr<registry::RegistryService> registry_;
};

}  // namespace govassess

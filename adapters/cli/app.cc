#include "adapters/cli/app.h"

#include "adapters/cli/calendar_command.h"
#include "registry/special_assessment_workflow.h"
#include "workflows/calendar_workflow.h"
#include "workflows/lifecycle_workflow.h"
#include "workflows/notify_directory.h"
#include "workflows/user_workflow.h"

namespace govassess {

Result<std::unique_ptr<App>> App::Open(const std::string& db_path,
                                       const std::string& calendar_path, const Clock* clock) {
  std::unique_ptr<App> app(new App());
  app->clock_ = clock != nullptr ? clock : &app->system_clock_;
  std::string path = calendar_path;
  if (path.empty()) {
    auto found = DefaultCalendarPath();
    if (!found.ok()) return found.status();
    path = *found;
  }
  auto calendar = LoadCalendarFile(path);
  if (!calendar.ok()) return calendar.status();
  app->calendar_ = std::make_unique<CalendarInForce>(std::move(*calendar));
  auto store = SqliteStore::Open(db_path);
  if (!store.ok()) return store.status();
  app->store_ = std::move(*store);
  auto credentials = CredentialStore::Open(db_path);
  if (!credentials.ok()) return credentials.status();
  app->credentials_ = std::move(*credentials);
  app->engine_ = std::make_unique<Engine>(app->store_.get(), app->clock_);
  app->engine_->Register(std::make_unique<workflows::UserWorkflow>());
  app->engine_->Register(std::make_unique<workflows::AccessWorkflow>());
  for (auto& w : workflows::MakeAssessmentWorkflows(app->calendar_.get())) {
    app->engine_->Register(std::move(w));
  }
  for (auto& w : workflows::MakeNotificationWorkflows()) app->engine_->Register(std::move(w));
  const registry::RegistryConfig registry_config;  // the registry's defaults (quota, format)
  registry::RegisterRegistryWorkflows(app->engine_.get(), registry_config);
  app->auth_ = std::make_unique<AuthService>(app->credentials_.get(), app->engine_.get());
  app->registry_ = std::make_unique<registry::RegistryService>(app->store_.get(),
                                                               app->engine_.get(), registry_config);
  Status loaded = app->registry_->Load();
  if (!loaded.ok()) return loaded;
  // The years an admin loaded into this database, on top of the file's.
  Status in_force = workflows::PutStoredCalendar(app->engine_.get(), app->calendar_.get());
  if (!in_force.ok()) return in_force;
  return app;
}

}  // namespace govassess

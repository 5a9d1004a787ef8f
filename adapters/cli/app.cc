#include "adapters/cli/app.h"

#include "workflows/user_workflow.h"

namespace govassess {

Result<std::unique_ptr<App>> App::Open(const std::string& db_path) {
  std::unique_ptr<App> app(new App());
  auto store = SqliteStore::Open(db_path);
  if (!store.ok()) return store.status();
  app->store_ = std::move(*store);
  auto credentials = CredentialStore::Open(db_path);
  if (!credentials.ok()) return credentials.status();
  app->credentials_ = std::move(*credentials);
  app->engine_ = std::make_unique<Engine>(app->store_.get(), &app->clock_);
  app->engine_->Register(std::make_unique<workflows::UserWorkflow>());
  app->auth_ = std::make_unique<AuthService>(app->credentials_.get(), app->engine_.get());
  return app;
}

}  // namespace govassess

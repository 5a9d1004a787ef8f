// The workflow catalogue and its routes: GET /api/v1/workflows and
// GET /api/v1/workflows/{type}. Documentation: any signed-in user may read it.
#include "adapters/http/catalogue.h"

#include <algorithm>

#include "adapters/http/access.h"
#include "adapters/http/handler.h"
#include "registry/command_catalog.h"
#include "workflows/command_catalog.h"

namespace govassess {

const Json& WorkflowCatalogue() {
  static const Json kCatalogue = [] {
    std::vector<Json> all;
    for (const Json* part : {&workflows::CommandCatalog(), &registry::RegistryCommandCatalog()}) {
      for (const Json& entry : *part) all.push_back(entry);
    }
    std::sort(all.begin(), all.end(), [](const Json& a, const Json& b) {
      return a["type"].get<std::string>() < b["type"].get<std::string>();
    });
    return Json(all);
  }();
  return kCatalogue;
}

const Json* FindWorkflowEntry(const std::string& type) {
  for (const Json& entry : WorkflowCatalogue()) {
    if (entry["type"] == type) return &entry;
  }
  return nullptr;
}

std::string PayloadSchemaName(const std::string& type, const std::string& command) {
  return "CommandPayload." + type + "." + command;
}

namespace api {
namespace {

std::string KnownTypes() {
  std::string out;
  for (const Json& entry : WorkflowCatalogue()) {
    out += (out.empty() ? "" : ", ") + entry["type"].get<std::string>();
  }
  return out;
}

// GET /api/v1/workflows and GET /api/v1/workflows/{type}.
class WorkflowsHandler final : public Handler {
 public:
  WorkflowsHandler(const ServiceContext& c, const ServerOptions& o, const PathParams& params)
      : Handler(c, o), all_(params.count("type") == 0), type_(all_ ? "" : params.at("type")) {}
  void Handle(HTTPServerRequest& req, HTTPServerResponse& res) override {
    auto p = Authenticate(req, res);
    if (!p) return;
    if (!MayDo(*p, "read_workflows")) {
      return Deny(req, res, *p, "read_workflows", "your role may not read the workflow catalogue");
    }
    if (!QueryOf(req).empty()) {
      return SendError(res, 400, "bad_parameter", "this route takes no query parameters");
    }
    if (all_) {
      static const std::string kAll = Dump(
          {{"json_schema_dialect", kCatalogueSchemaDialect}, {"workflows", WorkflowCatalogue()}});
      return Send(res, 200, kAll);
    }
    const Json* entry = FindWorkflowEntry(type_);
    if (entry == nullptr) {
      return SendError(res, 404, "not_found",
                       "no workflow type \"" + type_ + "\"; the types are " + KnownTypes(),
                       {{"type", type_}});
    }
    SendJson(res, 200, *entry);
  }

 private:
  const bool all_;  // the list route has no {type}
  const std::string type_;
};

}  // namespace

void AddCatalogueRoutes(std::vector<ApiRoute>* routes) {
  const Json unauthorized =
      ErrorResponse("not signed in, or the session ended: POST /api/v1/session");
  const Json bad_request = ErrorResponse("malformed request: the message says what to fix");
  routes->push_back(
      {"GET",
       "/api/v1/workflows",
       "listWorkflows",
       "workflows",
       "Every workflow type and its commands",
       "The command catalogue: for every workflow type the server runs, each command with a "
       "summary, the roles that may send it (\"system\": timers or the server, never an HTTP "
       "client), the states it is accepted in, whether a reason is required and the JSON Schema "
       "(2020-12) of its payload. Send commands with POST "
       "/api/v1/instances/{id}/commands/{name}; the workflow still decides each one.",
       true,
       Json::array(),
       nullptr,
       {{"200", JsonResponse("the catalogue", "WorkflowCatalogue")},
        {"400", bad_request},
        {"401", unauthorized}},
       MakeWithParams<WorkflowsHandler>()});
  routes->push_back({"GET",
                     "/api/v1/workflows/{type}",
                     "getWorkflow",
                     "workflows",
                     "One workflow type",
                     "The catalogue entry of one workflow type: its states and commands.",
                     true,
                     Json::array({PathParam("type", "a workflow type, e.g. lifecycle")}),
                     nullptr,
                     {{"200", JsonResponse("the workflow type", "WorkflowType")},
                      {"400", bad_request},
                      {"401", unauthorized},
                      {"404", ErrorResponse("no such workflow type")}},
                     MakeWithParams<WorkflowsHandler>()});
}

}  // namespace api
}  // namespace govassess

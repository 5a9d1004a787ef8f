// The command catalogue of the registry's workflows, "special_assessment" (one item,
// registry/item/<id>) and "registry_book" (one year, registry/book/<year>): every
// command, who may send it, in which states, whether it needs a reason and the JSON
// Schema (draft 2020-12) of its payload, written from special_assessment_workflow.cc.
// Documentation as data, served by the HTTP API (GET /api/v1/workflows) next to the
// assessment workflows' catalogue; the shape is the one workflows/command_catalog.h
// describes (a JSON array of {type, summary, instance_id, states, commands: [{name,
// summary, roles, who, states, creates, reason_required, system, timer, payload}]}).
//
// A registry command may carry its reason as payload.reason instead of the command's
// reason; "reason_required" means one of the two. A submit sent through the API gets
// payload.review from the registry service (registry_service.h).
//
// Pure data (no I/O). Built once; thread-safe.
#pragma once

#include "engine/types.h"

namespace govassess::registry {

// The catalogue of "registry_book" and "special_assessment", in type order.
const Json& RegistryCommandCatalog();

}  // namespace govassess::registry

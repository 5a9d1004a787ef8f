// The workflow catalogue the API serves at GET /api/v1/workflows and puts into its
// OpenAPI document: the assessment and notification workflows' catalogue
// (workflows/command_catalog.h) and the registry's (registry/command_catalog.h), one
// list in type order. It says, for every workflow type the server runs, which commands
// exist, who may send them, in which states, whether a reason is needed and the JSON
// Schema of each payload; the workflows still decide every command.
//
// Built once; thread-safe.
#pragma once

#include <string>

#include "engine/types.h"

namespace govassess {

// The JSON Schema dialect of the payload schemas.
inline constexpr char kCatalogueSchemaDialect[] = "https://json-schema.org/draft/2020-12/schema";

// Every workflow entry, in type order (the shape of workflows/command_catalog.h).
const Json& WorkflowCatalogue();

// The entry of `type`, or nullptr when the server runs no such workflow.
const Json* FindWorkflowEntry(const std::string& type);

// The OpenAPI component name of a command's payload schema:
// "CommandPayload.lifecycle.submit".
std::string PayloadSchemaName(const std::string& type, const std::string& command);

}  // namespace govassess

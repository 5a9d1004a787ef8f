// The command catalogue of the assessment and notification workflows: for every
// workflow type this library registers — MakeAssessmentWorkflows ("units", "cycle",
// "lifecycle", "plan", "notices"), MakeNotificationWorkflows ("directory",
// "inbox_item", "delivery"), "user" and "access" — every command it knows, who may
// send it, in which states, whether it needs a reason, and the JSON Schema of its
// payload, written from what each Decide reads. Documentation as data: the HTTP API
// serves it (GET /api/v1/workflows) and puts the payload schemas into its OpenAPI
// document. The registry's workflows have their own, in the same shape
// (registry/command_catalog.h).
//
// The catalogue is a JSON array of workflow entries, one per type, in type order:
//
//   {"type": "lifecycle",
//    "summary": "one line",
//    "instance_id": "lifecycle/<year>/<scheme>/<unit>",   how its ids are formed
//    "states": ["drafting", …],      every state, in order ([] when the type has none)
//    "commands": [{                  in the order of the workflow's story
//       "name": "submit",
//       "summary": "one line",
//       "roles": ["unit"],           roles that may send it; "system" is the engine's
//                                    timers or the server itself, never an HTTP client
//       "who": "…",                  the ownership rule in words ("" when none)
//       "states": ["drafting", …],   the states it is accepted in ([] for a command
//                                    that only creates the instance)
//       "creates": false,            true: it creates the instance (send "type")
//       "reason_required": false,    true: refused without the command's reason
//       "system": false,             true: only the engine or the server sends it
//       "timer": false,              true: a timer sends it (when it fires)
//       "payload": {JSON Schema}}]}  draft 2020-12: {"type": "object", "properties",
//                                    "required"?, "additionalProperties": false only
//                                    where the workflow refuses unknown fields (other
//                                    fields are ignored, but journaled)}
//
// A command not in the catalogue is refused by its workflow as unknown (the tests hold
// the two together, tests/workflows/command_catalog_test.cc). The rules themselves —
// guards, windows, content checks — stay in the workflows; the catalogue says what to
// send, not whether it will be accepted.
//
// Pure data (no I/O). Built once; thread-safe.
#pragma once

#include "engine/types.h"

namespace govassess::workflows {

// The catalogue of the workflow types above (the shape described at the top).
const Json& CommandCatalog();

}  // namespace govassess::workflows

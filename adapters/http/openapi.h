// The OpenAPI 3.1 document of the HTTP API, built from the route table (ApiRoutes)
// plus the shared schemas, so every routed path is documented and nothing else is.
// Served at GET /api/v1/openapi.json.
//
// Pure; thread-safe.
#pragma once

#include "engine/types.h"

namespace govassess {

Json OpenApiDocument();

}  // namespace govassess

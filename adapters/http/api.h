// The request handlers of /healthz and /api/v1. Each parses the request, calls the
// domain and maps the result to a response; none holds business rules.
//
// Errors always look like {"error": {"code", "message", "details"}} with the status
// that fits (400/401/403/404/405/409/413/422/429/500/503).
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>

#include <string>

#include "adapters/http/server.h"

namespace govassess {

// Returns the handler for `request` (never null; unknown routes get a 404 handler) and
// sets `route` to the route pattern for metrics. The caller owns the handler.
Poco::Net::HTTPRequestHandler* Route(const Poco::Net::HTTPServerRequest& request,
                                     const ServiceContext& context, const ServerOptions& options,
                                     std::string* route);

// The HTTP status that fits a Status code.
int HttpStatusOf(Code code);

}  // namespace govassess

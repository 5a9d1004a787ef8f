// The routes of the HTTP server and their handlers: /healthz, /readyz, /metrics and
// the JSON API under /api/v1. Each handler parses the request, calls the domain and
// maps the result to a response; none holds business rules (authorisation and
// visibility are in access.h).
//
// The route table (ApiRoutes) is the one place a route is declared: the router
// dispatches from it and the OpenAPI document (openapi.h) is built from it, so the
// two cannot drift.
//
// Errors always look like {"error": {"code", "message", "details"}} with the status
// that fits (400/401/403/404/405/409/413/422/429/500/503).
//
// The table is immutable after first use; thread-safe.
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "adapters/http/server.h"

namespace govassess {

using PathParams = std::map<std::string, std::string>;

// One route: what the router matches and what the OpenAPI document says about it.
struct ApiRoute {
  std::string method;        // GET, POST or DELETE (a GET route also answers HEAD)
  std::string pattern;       // "/api/v1/instances/{id}"; a {name} is one path segment
  std::string operation_id;  // unique, camelCase
  std::string tag;
  std::string summary;
  std::string description;
  bool requires_session = true;  // false: public
  Json parameters = Json::array();  // OpenAPI parameter objects (path, query, header)
  Json request_body = nullptr;      // OpenAPI requestBody object, or null
  Json responses = Json::object();  // OpenAPI responses object ("200": {...}, ...)
  // Makes the handler; the path parameters are URL-decoded.
  std::function<Poco::Net::HTTPRequestHandler*(const ServiceContext&, const ServerOptions&,
                                               const PathParams&)>
      make;
  Json extensions = Json::object();  // "x-…" members added to the OpenAPI operation
};

// Every route the server answers, in matching order.
const std::vector<ApiRoute>& ApiRoutes();

// Returns the handler for `request` (never null; unknown routes get a 404 handler,
// wrong methods a 405) and sets `route` to the route pattern for metrics ("unmatched"
// when no route matched). The caller owns the handler.
Poco::Net::HTTPRequestHandler* Route(const Poco::Net::HTTPServerRequest& request,
                                     const ServiceContext& context, const ServerOptions& options,
                                     std::string* route);

// The HTTP status that fits a Status code.
int HttpStatusOf(Code code);

}  // namespace govassess

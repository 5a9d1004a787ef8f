// The web admin's pages (web-admin/, embedded into the binary): "/" and "/admin" redirect
// to "/admin/", "/admin/" is index.html and "/admin/<name>" the embedded file <name>.
// These are pages, not API routes: they are not in ApiRoutes() nor in the OpenAPI document.
//
// Stateless; thread-safe.
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

#include <string>

namespace govassess::api {

// The handler for a request to `path` (without the query) when it is one of the web
// admin's paths, with `*route` set to the label for metrics and the request log
// ("/" or "/admin/{asset}"); nullptr, and `*route` untouched, for any other path.
// The caller owns the handler.
Poco::Net::HTTPRequestHandler* RouteWebAdmin(const std::string& method, const std::string& path,
                                             std::string* route);

}  // namespace govassess::api

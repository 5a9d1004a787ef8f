// The HTTP adapter: a Poco HTTPServer in front of the engine.
//
// The request-handler factory only routes; handlers parse, call the domain, and map
// the result to a response. This surface is GET /healthz; the /api/v1 routes
// come with the API.
//
// HttpService is thread-safe for Start/Stop from one owning thread.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>

#include "engine/status.h"

namespace govassess {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (tests)
  std::string db_path = "var/govassess.db";
  int threads = 16;
};

class HttpService {
 public:
  // Opens the database and starts listening. Unavailable when the port or the
  // database cannot be opened.
  static Result<std::unique_ptr<HttpService>> Start(const ServerOptions& options);
  virtual ~HttpService() = default;
  virtual int port() const = 0;
  // Stops accepting, finishes requests in flight, closes the database.
  virtual void Stop() = 0;
};

// Runs the server until SIGTERM or SIGINT (Poco ServerApplication), printing
// "listening on http://HOST:PORT" to `out` once ready. Returns the process exit code.
int RunServer(const ServerOptions& options, std::ostream& out, std::ostream& err);

}  // namespace govassess

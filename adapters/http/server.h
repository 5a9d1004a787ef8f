// The HTTP adapter: a Poco HTTPServer in front of the engine.
//
// The request-handler factory only routes; handlers (api.h) parse, call the domain,
// and map the result to a response with one error shape. HttpService is started and
// stopped by one owning thread; request handling is concurrent.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>

#include "adapters/http/auth.h"
#include "adapters/http/metrics.h"
#include "engine/calendar_in_force.h"
#include "engine/engine.h"
#include "engine/status.h"
#include "registry/registry_service.h"

namespace govassess {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (tests)
  std::string db_path = "var/govassess.db";
  int threads = 16;
  size_t max_body_bytes = 1 << 20;  // larger bodies get 413
};

// What the handlers work with. Not owned; must outlive the service.
struct ServiceContext {
  Store* store = nullptr;
  Engine* engine = nullptr;
  AuthService* auth = nullptr;
  Metrics* metrics = nullptr;
  std::ostream* log = nullptr;  // one JSON line per request; null: no request log
  // Commands on "registry/…" instances go through the registry service, which computes
  // the duplicate review of a submission itself (a client cannot supply one). Null:
  // they go to the engine directly.
  registry::RegistryService* registry = nullptr;
  // The working-day calendar the workflows use (Now(): the one in force, which an
  // admin's load changes while the server runs); null: the calendar routes answer 503.
  const CalendarInForce* calendar = nullptr;
};

class HttpService {
 public:
  // Starts listening. Unavailable when the port cannot be bound.
  static Result<std::unique_ptr<HttpService>> Start(const ServerOptions& options,
                                                    const ServiceContext& context);
  virtual ~HttpService() = default;
  virtual int port() const = 0;
  // Stops accepting and finishes the requests in flight.
  virtual void Stop() = 0;
};

// Runs the server until SIGTERM or SIGINT (Poco ServerApplication), printing
// "listening on http://HOST:PORT" to `out` once ready. Returns the process exit code.
int RunServer(const ServerOptions& options, const ServiceContext& context, std::ostream& out,
              std::ostream& err);

}  // namespace govassess

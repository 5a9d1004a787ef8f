#include "adapters/http/server.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/URI.h>
#include <Poco/Util/ServerApplication.h>

#include <ostream>

#include "adapters/sqlite/sqlite_store.h"
#include "engine/types.h"

namespace govassess {
namespace {

using Poco::Net::HTTPRequestHandler;
using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

void SendJson(HTTPServerResponse& response, HTTPResponse::HTTPStatus status, const Json& body) {
  const std::string text = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  response.setStatus(status);
  response.setContentType("application/json; charset=utf-8");
  response.set("X-Content-Type-Options", "nosniff");
  response.set("Cache-Control", "no-store");
  response.setContentLength(std::streamsize(text.size()));
  response.send() << text;
}

Json ErrorBody(const std::string& code, const std::string& message) {
  return Json{{"error", {{"code", code}, {"message", message}, {"details", Json::object()}}}};
}

class HealthHandler final : public HTTPRequestHandler {
 public:
  HealthHandler(Store* store, std::string db_path) : store_(store), db_path_(std::move(db_path)) {}
  void handleRequest(HTTPServerRequest&, HTTPServerResponse& response) override {
    auto head = store_->Head();
    Json body{{"status", head.ok() ? "ok" : "degraded"},
              {"version", GOVASSESS_VERSION},
              {"database", {{"engine", "sqlite"}, {"path", db_path_}, {"ok", head.ok()}}}};
    if (head.ok()) {
      body["journal"] = {{"events", head->seq}, {"head", head->hash}};
    } else {
      body["database"]["error"] = head.status().message();
    }
    SendJson(response, head.ok() ? HTTPResponse::HTTP_OK : HTTPResponse::HTTP_SERVICE_UNAVAILABLE,
             body);
  }

 private:
  Store* store_;  // not owned
  std::string db_path_;
};

class ErrorHandler final : public HTTPRequestHandler {
 public:
  ErrorHandler(HTTPResponse::HTTPStatus status, std::string code, std::string message)
      : status_(status), code_(std::move(code)), message_(std::move(message)) {}
  void handleRequest(HTTPServerRequest&, HTTPServerResponse& response) override {
    SendJson(response, status_, ErrorBody(code_, message_));
  }

 private:
  HTTPResponse::HTTPStatus status_;
  std::string code_, message_;
};

// Routes only; no logic here.
class Router final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Router(Store* store, std::string db_path) : store_(store), db_path_(std::move(db_path)) {}
  HTTPRequestHandler* createRequestHandler(const HTTPServerRequest& request) override {
    const std::string path = Poco::URI(request.getURI()).getPath();
    if (path == "/healthz") {
      if (request.getMethod() != "GET" && request.getMethod() != "HEAD") {
        return new ErrorHandler(HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "method_not_allowed",
                                "/healthz answers GET only");
      }
      return new HealthHandler(store_, db_path_);
    }
    return new ErrorHandler(HTTPResponse::HTTP_NOT_FOUND, "not_found",
                            "no such route: " + path + " (see /healthz)");
  }

 private:
  Store* store_;  // not owned
  std::string db_path_;
};

class PocoHttpService final : public HttpService {
 public:
  PocoHttpService(std::unique_ptr<SqliteStore> store, const ServerOptions& options,
                  Poco::Net::ServerSocket socket)
      : store_(std::move(store)) {
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(options.threads);
    params->setMaxQueued(1024);
    params->setKeepAlive(true);
    port_ = socket.address().port();
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Router(store_.get(), options.db_path),
                                                      socket, params);
    server_->start();
  }
  ~PocoHttpService() override { Stop(); }
  int port() const override { return port_; }
  void Stop() override {
    if (server_) {
      server_->stopAll(false);
      server_.reset();
    }
  }

 private:
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  int port_ = 0;
};

class ServerApp final : public Poco::Util::ServerApplication {
 public:
  ServerApp(const ServerOptions& options, std::ostream& out, std::ostream& err)
      : options_(options), out_(out), err_(err) {}

 protected:
  int main(const std::vector<std::string>&) override {
    auto service = HttpService::Start(options_);
    if (!service.ok()) {
      err_ << "govassess serve: " << service.status().message() << "\n";
      return 1;
    }
    out_ << "listening on http://" << options_.host << ":" << (*service)->port()
         << " (database " << options_.db_path << ")" << std::endl;
    waitForTerminationRequest();
    (*service)->Stop();
    out_ << "stopped" << std::endl;
    return 0;
  }

 private:
  ServerOptions options_;
  std::ostream& out_;
  std::ostream& err_;
};

}  // namespace

Result<std::unique_ptr<HttpService>> HttpService::Start(const ServerOptions& options) {
  auto store = SqliteStore::Open(options.db_path);
  if (!store.ok()) return store.status();
  try {
    // SO_REUSEADDR so a restart can bind at once, but not SO_REUSEPORT: a second server
    // on the same port must fail loudly instead of silently sharing it.
    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress(options.host, Poco::UInt16(options.port)),
                /*reuseAddress=*/true, /*reusePort=*/false);
    socket.listen(128);
    return std::unique_ptr<HttpService>(
        std::make_unique<PocoHttpService>(std::move(*store), options, std::move(socket)));
  } catch (const Poco::Exception& e) {
    return Status::Unavailable("cannot listen on " + options.host + ":" +
                               std::to_string(options.port) + ": " + e.displayText());
  }
}

int RunServer(const ServerOptions& options, std::ostream& out, std::ostream& err) {
  ServerApp app(options, out, err);
  return app.run(std::vector<std::string>{"govassess"});
}

}  // namespace govassess

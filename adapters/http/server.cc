#include "adapters/http/server.h"

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Util/ServerApplication.h>

#include <chrono>
#include <cmath>
#include <mutex>
#include <ostream>

#include "adapters/http/api.h"

namespace govassess {
namespace {

// Times a handler and records the request in the metrics and the request log.
class Observed final : public Poco::Net::HTTPRequestHandler {
 public:
  Observed(Poco::Net::HTTPRequestHandler* inner, std::string route, const ServiceContext& ctx)
      : inner_(inner), route_(std::move(route)), ctx_(ctx) {}
  void handleRequest(Poco::Net::HTTPServerRequest& req,
                     Poco::Net::HTTPServerResponse& res) override {
    const auto start = std::chrono::steady_clock::now();
    inner_->handleRequest(req, res);
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const int status = int(res.getStatus());
    if (ctx_.metrics) ctx_.metrics->ObserveRequest(req.getMethod(), route_, status, secs);
    if (ctx_.log) {
      Json line{{"ts", FormatUtcMillis(ctx_.engine->clock()->NowMs())},
                {"level", status >= 500 ? "error" : "info"},
                {"msg", "request"},
                {"method", req.getMethod()},
                {"route", route_},
                {"status", status},
                {"ms", std::round(secs * 100000) / 100},
                {"client", req.clientAddress().host().toString()}};
      std::lock_guard<std::mutex> lock(LogMutex());
      *ctx_.log << line.dump(-1, ' ', false, Json::error_handler_t::replace) << "\n";
      ctx_.log->flush();
    }
  }

 private:
  static std::mutex& LogMutex() {
    static std::mutex mu;
    return mu;
  }
  std::unique_ptr<Poco::Net::HTTPRequestHandler> inner_;
  std::string route_;
  const ServiceContext& ctx_;
};

// Routes only; the handlers are in api.cc.
class Router final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Router(ServiceContext ctx, ServerOptions opt) : ctx_(ctx), opt_(std::move(opt)) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest& request) override {
    std::string route;
    auto* handler = Route(request, ctx_, opt_, &route);
    return new Observed(handler, route, ctx_);
  }

 private:
  const ServiceContext ctx_;
  const ServerOptions opt_;
};

class PocoHttpService final : public HttpService {
 public:
  PocoHttpService(const ServerOptions& options, const ServiceContext& ctx,
                  Poco::Net::ServerSocket socket) {
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(options.threads);
    params->setMaxQueued(1024);
    params->setKeepAlive(true);
    port_ = socket.address().port();
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Router(ctx, options), socket, params);
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
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  int port_ = 0;
};

class ServerApp final : public Poco::Util::ServerApplication {
 public:
  ServerApp(const ServerOptions& options, const ServiceContext& ctx, std::ostream& out,
            std::ostream& err)
      : options_(options), ctx_(ctx), out_(out), err_(err) {}

 protected:
  int main(const std::vector<std::string>&) override {
    auto service = HttpService::Start(options_, ctx_);
    if (!service.ok()) {
      err_ << "govassess serve: " << service.status().message() << "\n";
      return 1;
    }
    const std::string url = "http://" + options_.host + ":" + std::to_string((*service)->port());
    out_ << "listening on " << url << " (database " << options_.db_path << ")\n"
         << "web admin: " << url << "/ (API: " << url << "/api/v1/openapi.json)" << std::endl;
    waitForTerminationRequest();
    (*service)->Stop();
    out_ << "stopped" << std::endl;
    return 0;
  }

 private:
  ServerOptions options_;
  ServiceContext ctx_;
  std::ostream& out_;
  std::ostream& err_;
};

}  // namespace

Result<std::unique_ptr<HttpService>> HttpService::Start(const ServerOptions& options,
                                                        const ServiceContext& context) {
  try {
    // SO_REUSEADDR so a restart can bind at once, but not SO_REUSEPORT: a second server
    // on the same port must fail loudly instead of silently sharing it.
    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress(options.host, Poco::UInt16(options.port)),
                /*reuseAddress=*/true, /*reusePort=*/false);
    socket.listen(128);
    return std::unique_ptr<HttpService>(
        std::make_unique<PocoHttpService>(options, context, std::move(socket)));
  } catch (const Poco::Exception& e) {
    return Status::Unavailable("cannot listen on " + options.host + ":" +
                               std::to_string(options.port) + ": " + e.displayText());
  }
}

int RunServer(const ServerOptions& options, const ServiceContext& context, std::ostream& out,
              std::ostream& err) {
  ServerApp app(options, context, out, err);
  return app.run(std::vector<std::string>{"govassess"});
}

}  // namespace govassess

// A webhook receiver for tests: a Poco HTTPServer on 127.0.0.1 (HTTPS when given a
// TLS context) that records every request and answers with a programmed sequence of
// statuses. Header-only. Thread-safe.
#pragma once

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/StreamCopier.h>

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace govassess::testing {

struct Recorded {
  std::string method, uri, body;
  std::map<std::string, std::string> headers;  // as received; names as sent
};

// An HTTP receiver on 127.0.0.1: answers the i-th request with statuses[i] (200 once
// they run out) and a body of `reply_body`; HTTPS when given a server TLS context.
// Thread-safe.
class Receiver {
 public:
  explicit Receiver(std::vector<int> statuses, std::string reply_body = "ok",
                    Poco::Net::Context::Ptr tls = nullptr)
      : statuses_(statuses.begin(), statuses.end()), reply_body_(std::move(reply_body)) {
    const Poco::Net::SocketAddress address("127.0.0.1", 0);
    Poco::Net::ServerSocket socket =
        tls ? Poco::Net::SecureServerSocket(address, 64, tls) : Poco::Net::ServerSocket(address);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(this), socket,
                                                      new Poco::Net::HTTPServerParams);
    server_->start();
  }
  ~Receiver() { server_->stopAll(true); }

  int port() const { return server_->port(); }
  std::vector<Recorded> Requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  class Handler : public Poco::Net::HTTPRequestHandler {
   public:
    explicit Handler(Receiver* receiver) : receiver_(receiver) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
      Recorded r;
      r.method = request.getMethod();
      r.uri = request.getURI();
      for (const auto& [name, value] : request) r.headers[name] = value;
      Poco::StreamCopier::copyToString(request.stream(), r.body);
      int status = 200;
      {
        std::lock_guard<std::mutex> lock(receiver_->mu_);
        receiver_->requests_.push_back(r);
        if (!receiver_->statuses_.empty()) {
          status = receiver_->statuses_.front();
          receiver_->statuses_.pop_front();
        }
      }
      response.setStatus(Poco::Net::HTTPResponse::HTTPStatus(status));
      response.setContentType("text/plain; charset=utf-8");
      response.sendBuffer(receiver_->reply_body_.data(), receiver_->reply_body_.size());
    }

   private:
    Receiver* receiver_;
  };
  class Factory : public Poco::Net::HTTPRequestHandlerFactory {
   public:
    explicit Factory(Receiver* receiver) : receiver_(receiver) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
      return new Handler(receiver_);
    }

   private:
    Receiver* receiver_;
  };

  std::mutex mu_;
  std::deque<int> statuses_;
  std::vector<Recorded> requests_;
  const std::string reply_body_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace govassess::testing

// A small blocking HTTP client for tests against a server on 127.0.0.1.
#pragma once

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace govassess::testing {

// An instance id as one URL path segment ("lifecycle/2026/…" → "lifecycle%2F2026%2F…").
inline std::string Enc(const std::string& id) {
  std::string out;
  Poco::URI::encode(id, "/?#%&+ ;=", out);
  return out;
}

struct HttpReply {
  int status = 0;
  std::string reason;  // the status line's reason phrase
  std::string body;
  std::map<std::string, std::string> headers;
  nlohmann::json Json() const { return nlohmann::json::parse(body, nullptr, false); }
};

inline HttpReply Http(int port, const std::string& method, const std::string& path,
                      const std::string& body = "", const std::string& token = "",
                      const std::map<std::string, std::string>& headers = {}) {
  Poco::Net::HTTPClientSession session("127.0.0.1", Poco::UInt16(port));
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  if (!token.empty()) request.set("Authorization", "Bearer " + token);
  for (const auto& [k, v] : headers) request.set(k, v);
  if (!body.empty() || method == "POST") {
    request.setContentType("application/json");
    request.setContentLength(std::streamsize(body.size()));
    session.sendRequest(request) << body;
  } else {
    session.sendRequest(request);
  }
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  HttpReply reply;
  reply.status = int(response.getStatus());
  reply.reason = response.getReason();
  Poco::StreamCopier::copyToString(in, reply.body);
  for (const auto& [k, v] : response) reply.headers[k] = v;
  return reply;
}

}  // namespace govassess::testing

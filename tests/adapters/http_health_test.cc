#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include "tests/adapters/http_client.h"
#include "tests/adapters/server_process.h"
#include "tests/adapters/temp_dir.h"

using govassess::testing::ServerProcess;
using govassess::testing::TempDir;

namespace {

std::pair<int, std::string> Get(int port, const std::string& path, const std::string& method = "GET") {
  Poco::Net::HTTPClientSession session("127.0.0.1", Poco::UInt16(port));
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::istream& body = session.receiveResponse(response);
  std::string text;
  Poco::StreamCopier::copyToString(body, text);
  return {int(response.getStatus()), text};
}

}  // namespace

TEST_CASE("serve: /healthz reports status, version, database and journal head") {
  TempDir dir;
  ServerProcess server({"--db", dir.Path("var/govassess.db")});
  auto [status, text] = Get(server.port(), "/healthz");
  CHECK(status == 200);
  auto j = nlohmann::json::parse(text);
  CHECK(j["status"] == "ok");
  CHECK(j["version"] == GOVASSESS_VERSION);
  CHECK(j["database"]["ok"] == true);
  CHECK(j["database"]["path"] == dir.Path("var/govassess.db"));
  CHECK(j["journal"]["events"] == 0);
  CHECK(j["journal"]["head"].get<std::string>().size() == 64);
  // Unknown routes and wrong methods get the one error shape.
  auto [nf, nf_text] = Get(server.port(), "/nope");
  CHECK(nf == 404);
  CHECK(nlohmann::json::parse(nf_text)["error"]["code"] == "not_found");
  auto [bad, bad_text] = Get(server.port(), "/healthz", "DELETE");
  CHECK(bad == 405);
  CHECK(nlohmann::json::parse(bad_text)["error"]["message"].get<std::string>().size() > 0);
  auto [ready, ready_text] = Get(server.port(), "/readyz");
  CHECK(ready == 200);
  CHECK(nlohmann::json::parse(ready_text)["ready"] == true);
  auto [mstatus, metrics] = Get(server.port(), "/metrics");
  CHECK(mstatus == 200);
  CHECK(metrics.find("govassess_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1") != std::string::npos);
  CHECK(metrics.find("govassess_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1") != std::string::npos);
  CHECK(metrics.find("govassess_http_request_seconds_bucket{method=\"GET\",route=\"/healthz\",le=\"+Inf\"} 1") != std::string::npos);
  CHECK(metrics.find("govassess_pending_timers 0") != std::string::npos);
  CHECK(metrics.find("govassess_rows_behind_events 0") != std::string::npos);
  // One JSON log line per request.
  const std::string log = server.Output();
  CHECK(log.find("\"route\":\"/healthz\"") != std::string::npos);
  CHECK(log.find("\"status\":404") != std::string::npos);
  // SIGTERM shuts down cleanly.
  int st = server.Stop();
  CHECK(WIFEXITED(st));
  CHECK(WEXITSTATUS(st) == 0);
}

TEST_CASE("serve: a port in use is a clear error and not a crash") {
  TempDir dir;
  ServerProcess first({"--db", dir.Path("a.db")});
  std::string cmd = std::string(GOVASSESS_BUILD_DIR) + "/govassess serve --port " +
                    std::to_string(first.port()) + " --db " + dir.Path("b.db") + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  char buf[512];
  while (fgets(buf, sizeof buf, p)) out += buf;
  int st = pclose(p);
  CHECK(WEXITSTATUS(st) != 0);
  CHECK(out.find("cannot listen") != std::string::npos);
}

TEST_CASE("serve: every status line carries its own reason phrase, not \"OK\"") {
  TempDir dir;
  ServerProcess server({"--db", dir.Path("var/govassess.db")});
  using govassess::testing::Http;
  const struct {
    const char* method;
    const char* path;
    const char* body;
    int status;
    const char* reason;
  } cases[] = {
      {"GET", "/healthz", "", 200, "OK"},
      {"GET", "/nope", "", 404, "Not Found"},
      {"DELETE", "/healthz", "", 405, "Method Not Allowed"},
      {"GET", "/api/v1/instances", "", 401, "Unauthorized"},
      {"POST", "/api/v1/session", "{not json", 400, "Bad Request"},
      {"DELETE", "/api/v1/session", "", 204, "No Content"},
      {"GET", "/", "", 303, "See Other"},
  };
  for (const auto& c : cases) {
    INFO(c.method << " " << c.path);
    const auto reply = Http(server.port(), c.method, c.path, c.body);
    CHECK(reply.status == c.status);
    CHECK(reply.reason == c.reason);
  }
}

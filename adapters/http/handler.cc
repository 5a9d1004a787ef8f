#include "adapters/http/handler.h"

#include <Poco/URI.h>

#include <cstdio>
#include <ctime>

namespace govassess::api {

void SecurityHeaders(HTTPServerResponse& r) {
  r.set("X-Content-Type-Options", "nosniff");
  r.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  r.set("Referrer-Policy", "no-referrer");
  r.set("Cache-Control", "no-store");
}

void Send(HTTPServerResponse& r, int status, const std::string& body,
          const std::string& type) {
  SecurityHeaders(r);
  r.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  r.setContentType(type);
  r.setContentLength(std::streamsize(body.size()));
  r.send() << body;
}

std::string Dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

void SendJson(HTTPServerResponse& r, int status, const Json& j) { Send(r, status, Dump(j)); }

void SendError(HTTPServerResponse& r, int status, const std::string& code,
               const std::string& message, Json details) {
  SendJson(r, status, {{"error", {{"code", code}, {"message", message}, {"details", details}}}});
}

void SendStatus(HTTPServerResponse& r, const Status& s) {
  SendError(r, HttpStatusOf(s.code()), CodeName(s.code()), s.message());
}

bool ValidUtf8(const std::string& s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      const unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    const bool overlong = (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

// "2026-01-05" (00:00 UTC), "2026-01-05T08:30:00Z" or, as the API writes times,
// "2026-01-05T08:30:00.250Z" → ms; nullopt if malformed.
std::optional<int64_t> ParseTime(const std::string& t) {
  int y, mo, d, h = 0, mi = 0, s = 0, ms = 0;
  char tail = 0;
  if (t.size() == 10) {
    if (std::sscanf(t.c_str(), "%4d-%2d-%2d%c", &y, &mo, &d, &tail) != 3) return std::nullopt;
  } else if (t.size() == 20 && t.back() == 'Z') {
    if (std::sscanf(t.c_str(), "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &mo, &d, &h, &mi, &s) != 6) {
      return std::nullopt;
    }
  } else if (t.size() == 24 && t.back() == 'Z' && t[19] == '.') {
    for (size_t i = 20; i < 23; ++i) {
      if (t[i] < '0' || t[i] > '9') return std::nullopt;
    }
    if (std::sscanf(t.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &y, &mo, &d, &h, &mi, &s, &ms) !=
        7) {
      return std::nullopt;
    }
  } else {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return int64_t(timegm(&tm)) * 1000 + ms;
}

std::string Origin(const HTTPServerRequest& req) {
  return "http " + req.clientAddress().host().toString();
}

Json InstanceJson(const Instance& i) {
  return Json{{"id", i.id},
              {"type", i.type},
              {"type_version", i.type_version},
              {"state", i.state},
              {"version", i.version},
              {"data", i.data},
              {"created_at", FormatUtcMillis(i.created_ms)},
              {"updated_at", FormatUtcMillis(i.updated_ms)}};
}

Json InstanceSummaryJson(const Instance& i) {
  return Json{{"id", i.id},
              {"type", i.type},
              {"state", i.state},
              {"version", i.version},
              {"created_at", FormatUtcMillis(i.created_ms)},
              {"updated_at", FormatUtcMillis(i.updated_ms)}};
}

std::string ETagOf(int64_t version) { return "\"" + std::to_string(version) + "\""; }

// An instance id as the client sent it (URL-decoded): printable UTF-8, 1..512 bytes.
std::optional<std::string> CheckId(const std::string& id) {
  if (id.empty() || id.size() > 512) return "an instance id has 1 to 512 bytes";
  if (!ValidUtf8(id)) return "the instance id is not valid UTF-8";
  for (unsigned char c : id) {
    if (c < 0x20 || c == 0x7F) return "the instance id contains a control character";
  }
  return std::nullopt;
}

void SendNoSuchInstance(HTTPServerResponse& res, const std::string& id) {
  SendError(res, 404, "not_found",
            "no such instance: \"" + id +
                "\"; list the instances you may see with GET /api/v1/instances",
            {{"id", id}});
}

void SendConflict(HTTPServerResponse& res, Store* store, const std::string& id,
                  std::optional<int64_t> expected, const std::string& message) {
  Json details = {{"id", id}};
  std::string msg = message;
  auto now = store->Get(id);
  if (now.ok() && expected) {
    details["current_version"] = now->version;
    details["expected_version"] = *expected;
    msg = "the instance is at version " + std::to_string(now->version) + ", not " +
          std::to_string(*expected) +
          ": someone changed it since you read it; GET it again and retry with If-Match: \"" +
          std::to_string(now->version) + "\"";
    res.set("ETag", ETagOf(now->version));
  }
  SendError(res, 409, "conflict", msg, details);
}

std::map<std::string, std::string> QueryOf(const HTTPServerRequest& req) {
  std::map<std::string, std::string> q;
  for (const auto& [k, v] : Poco::URI(req.getURI()).getQueryParameters()) q[k] = v;
  return q;
}

// "3", "\"3\"" or W/"3" → 3.
std::optional<int64_t> ParseIfMatch(std::string v) {
  while (!v.empty() && v.front() == ' ') v.erase(v.begin());
  while (!v.empty() && v.back() == ' ') v.pop_back();
  if (v.rfind("W/", 0) == 0) v = v.substr(2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  if (v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoll(v);
}

Json Ref(const std::string& schema) { return {{"$ref", "#/components/schemas/" + schema}}; }

Json JsonResponse(const std::string& description, const std::string& schema) {
  return {{"description", description},
          {"content", {{"application/json", {{"schema", Ref(schema)}}}}}};
}

Json ErrorResponse(const std::string& description) { return JsonResponse(description, "Error"); }

Json PathParam(const std::string& name, const std::string& description) {
  return {{"name", name}, {"in", "path"}, {"required", true}, {"description", description},
          {"schema", {{"type", "string"}}}};
}

Json QueryParam(const std::string& name, const std::string& description,
                const std::string& type) {
  return {{"name", name}, {"in", "query"}, {"required", false}, {"description", description},
          {"schema", {{"type", type}}}};
}

Json HeaderParam(const std::string& name, const std::string& description) {
  return {{"name", name}, {"in", "header"}, {"required", false}, {"description", description},
          {"schema", {{"type", "string"}}}};
}


}  // namespace govassess::api

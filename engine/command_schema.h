// Pieces for describing a workflow's commands: JSON Schema (2020-12) fragments and the
// catalogue entry of one command, as the API serves them (GET /api/v1/workflows). The
// domain folders write their catalogues with these (workflows/command_catalog.cc,
// registry/command_catalog.cc). Pure values; thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace govassess::catalog {

using Json = nlohmann::json;
using Names = std::vector<std::string>;

inline Json Described(Json schema, const std::string& description) {
  if (!description.empty()) schema["description"] = description;
  return schema;
}
inline Json Str(const std::string& description = "") {
  return Described({{"type", "string"}}, description);
}
inline Json NonEmptyStr(const std::string& description = "") {
  return Described({{"type", "string"}, {"minLength", 1}}, description);
}
inline Json Num(const std::string& description = "") {
  return Described({{"type", "number"}}, description);
}
inline Json Int(const std::string& description = "") {
  return Described({{"type", "integer"}}, description);
}
inline Json Bool(const std::string& description = "") {
  return Described({{"type", "boolean"}}, description);
}
// A calendar day, YYYY-MM-DD.
inline Json Day(const std::string& description = "") {
  return Described({{"type", "string"}, {"pattern", "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}}, description);
}
inline Json OneOf(const Names& values, const std::string& description = "") {
  return Described({{"type", "string"}, {"enum", values}}, description);
}
inline Json List(Json items, const std::string& description = "", int min_items = 0) {
  Json j{{"type", "array"}, {"items", std::move(items)}};
  if (min_items > 0) j["minItems"] = min_items;
  return Described(std::move(j), description);
}
// Anything (free form), described.
inline Json Any(const std::string& description) { return Json{{"description", description}}; }
// An object schema. `closed`: the workflow refuses fields not listed.
inline Json Obj(Json properties, Names required = {}, bool closed = false,
                const std::string& description = "") {
  Json j{{"type", "object"},
         {"properties", properties.is_null() ? Json::object() : std::move(properties)}};
  if (!required.empty()) j["required"] = required;
  if (closed) j["additionalProperties"] = false;
  return Described(std::move(j), description);
}
// A command that reads no payload (fields sent are ignored, but journaled).
inline Json NoPayload() { return Obj(Json::object(), {}, false, "no payload is read"); }

// One command's entry, built as a table row: Cmd("approve", "…").Roles({…}).States({…}).
class Cmd {
 public:
  Cmd(const std::string& name, const std::string& summary, Json payload = NoPayload())
      : j_{{"name", name},
           {"summary", summary},
           {"roles", Json::array()},
           {"who", ""},
           {"states", Json::array()},
           {"creates", false},
           {"reason_required", false},
           {"system", false},
           {"timer", false},
           {"payload", std::move(payload)}} {}
  Cmd& Roles(const Names& roles) { return Set("roles", roles); }
  Cmd& Who(const std::string& who) { return Set("who", who); }
  Cmd& States(const Names& states) { return Set("states", states); }
  Cmd& Creates() { return Set("creates", true); }
  Cmd& Reason() { return Set("reason_required", true); }
  // Sent only by the engine or the server.
  Cmd& System() { return Set("system", true); }
  Cmd& Timer() { return Set("timer", true); }
  Cmd& Payload(Json schema) { return Set("payload", std::move(schema)); }
  operator Json() const { return j_; }  // NOLINT: reads as a table row

 private:
  Cmd& Set(const char* key, Json value) {
    j_[key] = std::move(value);
    return *this;
  }
  Json j_;
};

}  // namespace govassess::catalog

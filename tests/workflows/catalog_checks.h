// Checks for the command catalogues (workflows/command_catalog.h,
// registry/command_catalog.h): the shape of an entry, the JSON Schema subset the payload
// schemas use, and a small validator for that subset (type, enum, properties, required,
// additionalProperties, items, min/max items, length, properties, minimum, maximum,
// pattern). Header-only (tests/CMakeLists.txt builds only *_test.cc). Each function
// returns "" when fine, else the first problem with its path.
#pragma once

#include <regex>
#include <set>
#include <string>
#include <vector>

#include "engine/types.h"

namespace govassess::testing {

inline bool IsStringList(const Json& j) {
  if (!j.is_array()) return false;
  for (const Json& e : j) {
    if (!e.is_string()) return false;
  }
  return true;
}

inline std::set<std::string> StringSet(const Json& j) {
  std::set<std::string> out;
  for (const Json& e : j) out.insert(e.get<std::string>());
  return out;
}

// A schema of the subset the catalogues use; `path` names it in the answer.
inline std::string CheckSchema(const Json& schema, const std::string& path) {
  static const std::set<std::string> kKeywords = {
      "type",      "properties",    "required",    "additionalProperties",
      "items",     "minItems",      "maxItems",    "minLength",
      "maxLength", "minProperties", "minimum",     "maximum",
      "pattern",   "enum",          "description", "title"};
  static const std::set<std::string> kTypes = {"object",  "array",   "string", "number",
                                               "integer", "boolean", "null"};
  if (!schema.is_object()) return path + ": a schema is a JSON object";
  for (const auto& [key, value] : schema.items()) {
    if (!kKeywords.count(key)) return path + ": unknown keyword \"" + key + "\"";
  }
  if (schema.contains("type")) {
    const Json& t = schema["type"];
    const Json types = t.is_array() ? t : Json::array({t});
    if (types.empty() || !IsStringList(types)) return path + ".type: a type name or a list of them";
    for (const Json& name : types) {
      if (!kTypes.count(name.get<std::string>()))
        return path + ".type: unknown type " + name.dump();
    }
  }
  if (schema.contains("properties")) {
    if (!schema["properties"].is_object()) return path + ".properties: an object";
    for (const auto& [key, sub] : schema["properties"].items()) {
      std::string bad = CheckSchema(sub, path + ".properties." + key);
      if (!bad.empty()) return bad;
    }
  }
  if (schema.contains("required")) {
    if (!IsStringList(schema["required"])) return path + ".required: a list of names";
    for (const Json& name : schema["required"]) {
      if (!schema.contains("properties") ||
          !schema["properties"].contains(name.get<std::string>())) {
        return path + ".required: " + name.dump() + " is not among the properties";
      }
    }
  }
  if (schema.contains("additionalProperties")) {
    const Json& a = schema["additionalProperties"];
    if (!a.is_boolean()) {
      std::string bad = CheckSchema(a, path + ".additionalProperties");
      if (!bad.empty()) return bad;
    }
  }
  if (schema.contains("items")) {
    std::string bad = CheckSchema(schema["items"], path + ".items");
    if (!bad.empty()) return bad;
  }
  for (const char* k : {"minItems", "maxItems", "minLength", "maxLength", "minProperties"}) {
    if (schema.contains(k) && !(schema[k].is_number_integer() && schema[k].get<int64_t>() >= 0)) {
      return path + "." + k + ": a whole number >= 0";
    }
  }
  for (const char* k : {"minimum", "maximum"}) {
    if (schema.contains(k) && !schema[k].is_number()) return path + "." + k + ": a number";
  }
  if (schema.contains("pattern")) {
    if (!schema["pattern"].is_string()) return path + ".pattern: a string";
    try {
      std::regex re(schema["pattern"].get<std::string>());
    } catch (const std::regex_error&) {
      return path + ".pattern: not a regular expression";
    }
  }
  if (schema.contains("enum") && (!schema["enum"].is_array() || schema["enum"].empty())) {
    return path + ".enum: a non-empty list";
  }
  for (const char* k : {"description", "title"}) {
    if (schema.contains(k) && !schema[k].is_string()) return path + "." + k + ": a string";
  }
  return "";
}

// A top-level payload schema: an object schema with properties.
inline std::string CheckPayloadSchema(const Json& schema, const std::string& path) {
  if (!schema.is_object() || schema.value("type", Json()) != "object") {
    return path + ": a payload schema has \"type\": \"object\"";
  }
  if (!schema.contains("properties")) return path + ": a payload schema lists its properties";
  return CheckSchema(schema, path);
}

inline bool HasType(const Json& value, const std::string& type) {
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "string") return value.is_string();
  if (type == "boolean") return value.is_boolean();
  if (type == "null") return value.is_null();
  if (type == "number") return value.is_number();
  if (type == "integer") {
    return value.is_number_integer() ||
           (value.is_number_float() &&
            value.get<double>() == static_cast<double>(static_cast<int64_t>(value.get<double>())));
  }
  return false;
}

inline size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Whether `value` satisfies `schema` (the subset above).
inline std::string ValidateAgainst(const Json& value, const Json& schema, const std::string& path) {
  if (schema.contains("type")) {
    const Json types = schema["type"].is_array() ? schema["type"] : Json::array({schema["type"]});
    bool any = false;
    for (const Json& t : types) any = any || HasType(value, t.get<std::string>());
    if (!any) return path + ": " + value.dump().substr(0, 80) + " is not " + schema["type"].dump();
  }
  if (schema.contains("enum")) {
    bool found = false;
    for (const Json& e : schema["enum"]) found = found || e == value;
    if (!found) return path + ": " + value.dump() + " is not one of " + schema["enum"].dump();
  }
  if (value.is_object()) {
    const Json props = schema.value("properties", Json::object());
    for (const Json& name : schema.value("required", Json::array())) {
      if (!value.contains(name.get<std::string>()))
        return path + ": " + name.dump() + " is missing";
    }
    for (const auto& [key, sub] : value.items()) {
      if (props.contains(key)) {
        std::string bad = ValidateAgainst(sub, props[key], path + "." + key);
        if (!bad.empty()) return bad;
      } else if (schema.contains("additionalProperties")) {
        const Json& a = schema["additionalProperties"];
        if (a.is_boolean() && !a.get<bool>()) return path + ": unknown field \"" + key + "\"";
        if (a.is_object()) {
          std::string bad = ValidateAgainst(sub, a, path + "." + key);
          if (!bad.empty()) return bad;
        }
      }
    }
    if (schema.contains("minProperties") && value.size() < schema["minProperties"].get<size_t>()) {
      return path + ": too few fields";
    }
  }
  if (value.is_array()) {
    if (schema.contains("minItems") && value.size() < schema["minItems"].get<size_t>()) {
      return path + ": too few items";
    }
    if (schema.contains("maxItems") && value.size() > schema["maxItems"].get<size_t>()) {
      return path + ": too many items";
    }
    if (schema.contains("items")) {
      for (size_t i = 0; i < value.size(); ++i) {
        std::string bad =
            ValidateAgainst(value[i], schema["items"], path + "[" + std::to_string(i) + "]");
        if (!bad.empty()) return bad;
      }
    }
  }
  if (value.is_string()) {
    const std::string s = value.get<std::string>();
    if (schema.contains("minLength") && CodePoints(s) < schema["minLength"].get<size_t>()) {
      return path + ": too short";
    }
    if (schema.contains("maxLength") && CodePoints(s) > schema["maxLength"].get<size_t>()) {
      return path + ": too long";
    }
    if (schema.contains("pattern") &&
        !std::regex_search(s, std::regex(schema["pattern"].get<std::string>()))) {
      return path + ": \"" + s + "\" does not match " + schema["pattern"].get<std::string>();
    }
  }
  if (value.is_number()) {
    if (schema.contains("minimum") && value.get<double>() < schema["minimum"].get<double>()) {
      return path + ": below the minimum";
    }
    if (schema.contains("maximum") && value.get<double>() > schema["maximum"].get<double>()) {
      return path + ": above the maximum";
    }
  }
  return "";
}

// One workflow entry of a catalogue: the documented keys and types, unique command
// names, command states among the type's, a creating or stateful command, system
// commands sent by "system" only, roles among the brief's, valid payload schemas.
inline std::string CheckCatalogueEntry(const Json& entry) {
  static const std::set<std::string> kEntryKeys = {"type", "summary", "instance_id", "states",
                                                   "commands"};
  static const std::set<std::string> kCommandKeys = {
      "name",    "summary",         "roles",  "who",   "states",
      "creates", "reason_required", "system", "timer", "payload"};
  static const std::set<std::string> kRoles = {"unit",      "lead_assessor", "office", "leader",
                                               "committee", "auditor",       "admin",  "system"};
  if (!entry.is_object()) return "an entry is an object";
  std::set<std::string> keys;
  for (const auto& [k, v] : entry.items()) keys.insert(k);
  if (keys != kEntryKeys)
    return "an entry has exactly type, summary, instance_id, states, commands";
  const std::string type = entry["type"].is_string() ? entry["type"].get<std::string>() : "?";
  for (const char* k : {"type", "summary", "instance_id"}) {
    if (!entry[k].is_string() || entry[k].get<std::string>().empty())
      return type + "." + k + ": a non-empty string";
  }
  if (!IsStringList(entry["states"])) return type + ".states: a list of names";
  if (!entry["commands"].is_array()) return type + ".commands: a list";
  const std::set<std::string> states = StringSet(entry["states"]);
  std::set<std::string> names;
  for (const Json& c : entry["commands"]) {
    std::set<std::string> ckeys;
    if (!c.is_object()) return type + ": a command is an object";
    for (const auto& [k, v] : c.items()) ckeys.insert(k);
    if (ckeys != kCommandKeys)
      return type + ": a command has exactly the documented keys: " + c.dump().substr(0, 200);
    const std::string name = c["name"].is_string() ? c["name"].get<std::string>() : "?";
    const std::string at = type + "." + name;
    if (!c["name"].is_string() || !std::regex_match(name, std::regex("[a-z][a-z0-9_]{0,63}"))) {
      return at + ": a command name is a-z, 0-9 and _";
    }
    if (!names.insert(name).second) return at + ": listed twice";
    if (!c["summary"].is_string() || c["summary"].get<std::string>().empty())
      return at + ".summary: one line";
    if (c["summary"].get<std::string>().find('\n') != std::string::npos)
      return at + ".summary: one line";
    if (!c["who"].is_string()) return at + ".who: a string";
    for (const char* k : {"creates", "reason_required", "system", "timer"}) {
      if (!c[k].is_boolean()) return at + "." + k + ": true or false";
    }
    if (!IsStringList(c["roles"]) || c["roles"].empty()) return at + ".roles: a non-empty list";
    for (const std::string& r : StringSet(c["roles"])) {
      if (!kRoles.count(r)) return at + ".roles: unknown role \"" + r + "\"";
    }
    if (StringSet(c["roles"]).size() != c["roles"].size()) return at + ".roles: listed twice";
    if (c["system"].get<bool>() != (StringSet(c["roles"]) == std::set<std::string>{"system"})) {
      return at + ": system exactly when only \"system\" sends it";
    }
    if (c["timer"].get<bool>() && !StringSet(c["roles"]).count("system")) {
      return at + ": a timer command is sent by \"system\"";
    }
    if (!IsStringList(c["states"])) return at + ".states: a list of names";
    for (const std::string& s : StringSet(c["states"])) {
      if (!states.count(s)) return at + ".states: \"" + s + "\" is not a state of " + type;
    }
    if (c["states"].empty() && !c["creates"].get<bool>()) {
      return at + ": accepted in no state and creates nothing";
    }
    std::string bad = CheckPayloadSchema(c["payload"], at + ".payload");
    if (!bad.empty()) return bad;
  }
  return "";
}

}  // namespace govassess::testing

#include "adapters/http/openapi.h"

#include "adapters/http/api.h"
#include "adapters/http/catalogue.h"

namespace govassess {
namespace {

Json Str(const std::string& description = "") {
  Json j{{"type", "string"}};
  if (!description.empty()) j["description"] = description;
  return j;
}
Json Int(const std::string& description = "") {
  Json j{{"type", "integer"}};
  if (!description.empty()) j["description"] = description;
  return j;
}
Json Obj(Json properties, Json required = Json::array(), bool closed = false) {
  Json j{{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) j["required"] = std::move(required);
  if (closed) j["additionalProperties"] = false;
  return j;
}
Json Ref(const std::string& schema) { return {{"$ref", "#/components/schemas/" + schema}}; }

std::string Joined(const Json& names) {
  std::string out;
  for (const Json& n : names) out += (out.empty() ? "" : ", ") + n.get<std::string>();
  return out;
}

// The command catalogue's schemas: one payload schema per (workflow type, command),
// "CommandPayload" (any of them: the path's command and the instance's type select one),
// and the catalogue's own shape (GET /api/v1/workflows).
void AddCatalogueSchemas(Json* s) {
  Json payloads = Json::array();
  for (const Json& entry : WorkflowCatalogue()) {
    const std::string type = entry["type"];
    for (const Json& c : entry["commands"]) {
      const std::string name = c["name"];
      Json schema = c["payload"];
      schema["title"] = type + " · " + name;
      std::string about = c["summary"].get<std::string>() + ". Roles: " + Joined(c["roles"]);
      if (!c["states"].empty()) about += "; in " + Joined(c["states"]);
      if (c["reason_required"].get<bool>()) about += "; reason required";
      about += ".";
      if (schema.contains("description")) about += " " + schema["description"].get<std::string>();
      schema["description"] = about;
      (*s)[PayloadSchemaName(type, name)] = std::move(schema);
      payloads.push_back(Ref(PayloadSchemaName(type, name)));
    }
  }
  (*s)["CommandPayload"] = {
      {"description",
       "The payload of the command named in the path, for the instance's workflow type: "
       "CommandPayload.<type>.<command> (GET /api/v1/workflows lists them). Default {}."},
      {"anyOf", payloads}};
  auto names = [](const std::string& description) {
    return Json{{"type", "array"}, {"items", Str()}, {"description", description}};
  };
  auto flag = [](const std::string& description) {
    return Json{{"type", "boolean"}, {"description", description}};
  };
  (*s)["CommandSpec"] =
      Obj({{"name", Str()},
           {"summary", Str()},
           {"roles", names("who may send it; \"system\": timers or the server, never a client")},
           {"who", Str("the ownership rule in words; empty when the roles say it all")},
           {"states", names("the states it is accepted in (empty: it only creates the instance)")},
           {"creates", flag("it creates the instance: send \"type\"")},
           {"reason_required", flag("refused without a reason")},
           {"system", flag("sent only by timers or the server")},
           {"timer", flag("a timer sends it")},
           {"payload", {{"type", "object"}, {"description", "the JSON Schema of its payload"}}}},
          {"name", "summary", "roles", "who", "states", "creates", "reason_required", "system",
           "timer", "payload"});
  (*s)["WorkflowType"] = Obj({{"type", Str("the workflow type, e.g. lifecycle")},
                              {"summary", Str()},
                              {"instance_id", Str("how its instance ids are formed")},
                              {"states", names("every state, in order")},
                              {"commands", {{"type", "array"}, {"items", Ref("CommandSpec")}}}},
                             {"type", "summary", "instance_id", "states", "commands"});
  (*s)["WorkflowCatalogue"] =
      Obj({{"json_schema_dialect", Str("the dialect of the payload schemas")},
           {"workflows", {{"type", "array"}, {"items", Ref("WorkflowType")}}}},
          {"json_schema_dialect", "workflows"});
}

Json Schemas() {
  Json s;
  s["Error"] = Obj({{"error", Obj({{"code", Str("machine-readable, e.g. conflict, refused")},
                                   {"message", Str("what happened and what to do")},
                                   {"details", {{"type", "object"}}}},
                                  {"code", "message", "details"})}},
                   {"error"});
  s["Health"] = Obj({{"status", Str("ok or degraded")},
                     {"version", Str()},
                     {"database", {{"type", "object"}}},
                     {"journal", Obj({{"events", Int()}, {"head", Str()}})}});
  s["CalendarDay"] = Obj({{"date", Str("YYYY-MM-DD")},
                          {"working_day", {{"type", "boolean"}}},
                          {"days", Int("as asked")},
                          {"result", Str("the day that many working days from date")}},
                         {"date", "working_day"});
  s["Calendar"] =
      Obj({{"region", Str("e.g. cn")},
           {"weekend", {{"type", "array"}, {"items", Str("mon … sun")}}},
           {"covered", Str("the years covered, e.g. 2007–2027")},
           {"instance", Str("the instance admins load years into, e.g. calendar/cn")},
           {"version", Int("that instance's version; 0: nothing loaded")},
           {"years",
            {{"type", "array"},
             {"items", Obj({{"year", Int()},
                            {"source", Str("the notice")},
                            {"origin", Str("shipped, loaded or corrected")},
                            {"loaded_by", Str()},
                            {"loaded_at", Str()},
                            {"holidays", {{"type", "array"}, {"items", {{"type", "object"}}}}}},
                           {"year", "source", "origin", "holidays"})}}}},
          {"region", "weekend", "covered", "instance", "version", "years"});
  s["DuplicateCheckRequest"] =
      Obj({{"name", Str("the application's name")},
           {"indicators", {{"type", "array"}, {"items", Str()}}}},
          {"name"}, true);
  s["DuplicateCheck"] = Obj({{"matches", {{"type", "array"}, {"items", {{"type", "object"}}}}},
                             {"compared_with", Int("items in the index")}},
                            {"matches"});
  s["Quota"] = Obj({{"overall", {{"type", "object"}}}, {"leads", {{"type", "object"}}}});
  s["Ready"] = Obj({{"ready", {{"type", "boolean"}}}, {"reason", Str()}}, {"ready"});
  s["PasswordChange"] = Obj({{"current", Str()}, {"new", Str("12 to 1024 characters")}},
                            {"current", "new"}, true);
  s["OneTimePasswordRequest"] =
      Obj({{"reason", Str("why (journaled with the set_password event)")}}, Json::array(), true);
  s["OneTimePassword"] =
      Obj({{"username", Str()},
           {"one_time_password", Str("16 characters; shown only here: hand it to the user")},
           {"must_change_password",
            {{"type", "boolean"},
             {"description", "always true: the user chooses their own at first sign-in"}}}},
          {"username", "one_time_password", "must_change_password"});
  s["LoginRequest"] = Obj({{"username", Str()}, {"password", Str()}}, {"username", "password"}, true);
  s["User"] = Obj({{"username", Str()}, {"role", Str()}, {"unit", Str()}});
  s["Session"] = Obj({{"token", Str("send as Authorization: Bearer <token>")},
                      {"expires_at", Str("UTC")},
                      {"must_change_password",
                       {{"type", "boolean"}, {"description", "signed in with a one-time password: PUT /api/v1/me/password first"}}},
                      {"user", Ref("User")}});
  s["SessionUser"] = Obj({{"user", Ref("User")}}, {"user"});
  s["Instance"] = Obj({{"id", Str()},
                       {"type", Str()},
                       {"type_version", Int()},
                       {"state", Str()},
                       {"version", Int("accepted commands so far; the ETag")},
                       {"data", {{"type", "object"}}},
                       {"created_at", Str()},
                       {"updated_at", Str()}},
                      {"id", "type", "state", "version", "data"});
  s["InstanceSummary"] = Obj({{"id", Str()},
                              {"type", Str()},
                              {"state", Str()},
                              {"version", Int()},
                              {"created_at", Str()},
                              {"updated_at", Str()},
                              {"type_version", Int("with=data only")},
                              {"data", {{"description", "with=data only"}}}});
  s["InstanceList"] = Obj({{"instances", {{"type", "array"}, {"items", Ref("InstanceSummary")}}},
                           {"next_after", {{"type", {"string", "null"}}}}},
                          {"instances", "next_after"});
  s["CommandRequest"] = Obj({{"type", Str("workflow type; required when the command creates the instance")},
                             {"reason", Str("why (some commands require it)")},
                             {"payload", Ref("CommandPayload")}},
                            Json::array(), true);
  AddCatalogueSchemas(&s);
  s["CommandResult"] =
      Obj({{"accepted", {{"type", "boolean"}}},
           {"instance", Obj({{"id", Str()}, {"type", Str()}, {"state", Str()}, {"version", Int()}})},
           {"event", Obj({{"seq", Int()}, {"hash", Str()}})},
           {"result", {{"type", "object"}}},
           {"refusal", Obj({{"code", Str()}, {"reason", Str()}})}},
          {"accepted", "instance", "event"});
  s["AuditEvent"] = Obj({{"seq", Int()},
                         {"ts", Str()},
                         {"actor", Obj({{"user", Str()}, {"role", Str()}, {"unit", Str()}, {"origin", Str()}})},
                         {"command", Str()},
                         {"entity", Str()},
                         {"entity_type", Str()},
                         {"outcome", Str("accepted or refused")},
                         {"reason", Str()},
                         {"payload", Json::object()},
                         {"change", Json::object()},
                         {"hash", Str()}});
  s["AuditPage"] = Obj({{"events", {{"type", "array"}, {"items", Ref("AuditEvent")}}},
                        {"next_cursor", {{"type", {"integer", "null"}}}}});
  // Notifications.
  const Json bool_t = {{"type", "boolean"}};
  const Json counts = Obj({{"total", Int("unread items")},
                           {"by_urgency", Obj({{"overdue", Int()}, {"due_today", Int()},
                                               {"urgent", Int()}, {"upcoming", Int()}})}});
  s["InboxItem"] = Obj({{"id", Str()},
                        {"state", Str("unread or read")},
                        {"version", Int()},
                        {"urgency", Str("overdue, due_today, urgent or upcoming")},
                        {"audience", Str("unit, superior or office: why it was sent to you")},
                        {"sent_at", Str("UTC")},
                        {"read_at", Str("UTC")},
                        {"late", {{"type", "boolean"}, {"description", "sent after its time (the server was down)"}}},
                        {"facts", {{"type", "object"}, {"description", "unit, step, deadline, kind, working_days…"}}},
                        {"subject", Str("in your language")},
                        {"body", Str("in your language")}},
                       {"id", "state", "urgency", "subject"});
  s["Inbox"] = Obj({{"items", {{"type", "array"}, {"items", Ref("InboxItem")}}},
                    {"total", Int("items matching the filter")},
                    {"offset", Int()},
                    {"limit", Int()},
                    {"unread", counts}},
                   {"items", "total", "unread"});
  s["InboxRead"] = Obj({{"ids", {{"type", "array"}, {"items", Str()}, {"maxItems", 500}}},
                        {"all", bool_t}},
                       Json::array(), true);
  s["InboxReadResult"] = Obj({{"marked", Int()}, {"unread", counts}}, {"marked", "unread"});
  s["Preferences"] = Obj({{"email", Str("where reminders are mailed; empty: none")},
                          {"language", Str("zh-CN or en")},
                          {"digest", {{"type", "boolean"}, {"description", "one daily mail instead of one per reminder"}}}},
                         Json::array(), true);
  s["Delivery"] = Obj({{"id", Str("also the Message-ID / Idempotency-Key receivers see")},
                       {"state", Str("pending, held, sent or incident")},
                       {"version", Int()},
                       {"channel", Str("email or webhook")},
                       {"digest", bool_t},
                       {"to", Str("mail address or webhook name")},
                       {"urgency", Str()},
                       {"notice", Str()},
                       {"attempts", Int()},
                       {"failures", Int("in a row")},
                       {"last_error", Str()},
                       {"next_attempt_at", Str("UTC")},
                       {"sent_at", Str("UTC")},
                       {"incident_at", Str("UTC")},
                       {"facts", {{"type", "object"}}},
                       {"history", {{"type", "array"}, {"items", {{"type", "object"}}}}}},
                      {"id", "state", "channel", "to"});
  s["DeliveryList"] = Obj({{"deliveries", {{"type", "array"}, {"items", Ref("Delivery")}}},
                           {"next_after", {{"type", {"string", "null"}}}}},
                          {"deliveries", "next_after"});
  s["RetryRequest"] = Obj({{"reason", Str()}}, Json::array(), true);
  s["FeedRequest"] = Obj({{"scope", Str("user (default) or unit")}}, Json::array(), true);
  s["Feed"] = Obj({{"id", Str()},
                   {"scope", Str()},
                   {"subject", Str("the username or the unit id")},
                   {"created_at", Str("UTC")},
                   {"token", Str("only when created")},
                   {"url", Str("only when created: the secret link, relative to this server")}},
                  {"id", "scope"});
  s["FeedList"] = Obj({{"feeds", {{"type", "array"}, {"items", Ref("Feed")}}}}, {"feeds"});
  s["AuditHead"] = Obj({{"seq", Int()}, {"hash", Str()}, {"head", Str()}});
  s["AuditVerify"] = Obj({{"ok", {{"type", "boolean"}}}, {"events", Int()}, {"head", Str()}, {"error", Str()}},
                         {"ok"});
  return s;
}

}  // namespace

Json OpenApiDocument() {
  Json paths = Json::object();
  for (const auto& r : ApiRoutes()) {
    std::string method = r.method;
    for (auto& c : method) c = char(std::tolower(static_cast<unsigned char>(c)));
    Json op{{"operationId", r.operation_id},
            {"summary", r.summary},
            {"description", r.description},
            {"tags", Json::array({r.tag})},
            {"responses", r.responses}};
    if (!r.parameters.empty()) op["parameters"] = r.parameters;
    if (!r.request_body.is_null()) op["requestBody"] = r.request_body;
    for (const auto& [key, value] : r.extensions.items()) op[key] = value;
    if (!r.requires_session) op["security"] = Json::array();
    paths[r.pattern][method] = op;
  }
  return Json{
      {"openapi", "3.1.0"},
      {"info",
       {{"title", "GovAssess API"},
        {"version", GOVASSESS_VERSION},
        {"description",
         "The JSON API of GovAssess (docs/api.md). Errors: {\"error\": {\"code\", \"message\", "
         "\"details\"}}. Instance ids contain slashes: send them URL-encoded as one path segment."},
        {"license", {{"name", "Proprietary"}, {"url", "https://example.invalid/govassess/license"}}}}},
      {"servers", Json::array({{{"url", "http://127.0.0.1:8080"}, {"description", "govassess serve (default)"}}})},
      {"security", Json::array({{{"bearerAuth", Json::array()}}, {{"sessionCookie", Json::array()}}})},
      {"tags", Json::array({{{"name", "operations"}, {"description", "health, readiness, metrics, this document"}},
                            {{"name", "session"}, {"description", "sign in and out"}},
                            {{"name", "instances"}, {"description", "workflow instances and their commands"}},
                            {{"name", "workflows"},
                             {"description", "the command catalogue: every workflow type, its "
                                             "commands and their payloads"}},
                            {{"name", "audit"}, {"description", "the audit trail"}}})},
      {"paths", paths},
      {"components",
       {{"schemas", Schemas()},
        {"securitySchemes",
         {{"bearerAuth", {{"type", "http"}, {"scheme", "bearer"}}},
          {"sessionCookie", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "govassess_session"}}}}}}}};
}

}  // namespace govassess

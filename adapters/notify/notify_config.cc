#include "adapters/notify/notify_config.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <set>
#include <sstream>

namespace govassess::notify {

namespace {

constexpr int kMinTimeoutMs = 100;
constexpr int kMaxTimeoutMs = 600000;
constexpr size_t kMinSecretBytes = 16;

Status Bad(const std::string& field, const std::string& what) {
  return Status::InvalidArgument(field + ": " + what);
}

// The value as JSON text, shortened, for messages.
std::string Shown(const nlohmann::json& value) {
  std::string text = value.dump();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

// Unknown keys of the object `object` at `field` are errors.
Status OnlyKnownKeys(const nlohmann::json& object, const std::string& field,
                     std::initializer_list<const char*> known) {
  for (const auto& item : object.items()) {
    if (std::none_of(known.begin(), known.end(), [&](const char* k) { return item.key() == k; })) {
      std::string list;
      for (const char* k : known) list += std::string(list.empty() ? "" : ", ") + k;
      return Bad(field.empty() ? item.key() : field + "." + item.key(),
                 "unknown field (known: " + list + ")");
    }
  }
  return Status::Ok();
}

Status GetString(const nlohmann::json& object, const char* key, const std::string& field,
                 std::string* out) {
  if (!object.contains(key)) return Status::Ok();
  const nlohmann::json& v = object.at(key);
  if (!v.is_string()) return Bad(field, "must be a string, not " + Shown(v));
  *out = v.get<std::string>();
  return Status::Ok();
}

Status GetInt(const nlohmann::json& object, const char* key, const std::string& field, int min,
              int max, int* out) {
  if (!object.contains(key)) return Status::Ok();
  const nlohmann::json& v = object.at(key);
  const std::string range =
      "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max);
  if (!v.is_number_integer()) return Bad(field, range + ", not " + Shown(v));
  if (v.is_number_unsigned()
          ? (v.get<uint64_t>() > uint64_t(max) || int64_t(v.get<uint64_t>()) < int64_t(min))
          : (v.get<int64_t>() < min || v.get<int64_t>() > max)) {
    return Bad(field, range + ", not " + Shown(v));
  }
  *out = v.get<int>();
  return Status::Ok();
}

Status GetBool(const nlohmann::json& object, const char* key, const std::string& field, bool* out) {
  if (!object.contains(key)) return Status::Ok();
  const nlohmann::json& v = object.at(key);
  if (!v.is_boolean()) return Bad(field, "must be true or false, not " + Shown(v));
  *out = v.get<bool>();
  return Status::Ok();
}

bool IsEnvName(const std::string& name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool HasSpaceOrControl(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return uint8_t(c) <= ' ' || c == 127; });
}

// An e-mail address as the mailer accepts it: local@domain, no spaces or brackets.
bool IsAddress(const std::string& a) {
  const size_t at = a.find('@');
  return at != std::string::npos && at > 0 && at + 1 < a.size() &&
         a.find('@', at + 1) == std::string::npos && !HasSpaceOrControl(a) &&
         a.find_first_of("<>\"(),;\\") == std::string::npos && a.size() <= 254;
}

bool IsWebhookName(const std::string& name) {
  return !name.empty() && name.size() <= 40 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// "http(s)://host…"; returns the error, or Ok.
Status CheckUrl(const std::string& url, const std::string& field) {
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
    return Bad(field, "must start with http:// or https://, not \"" + url + "\"");
  }
  if (HasSpaceOrControl(url)) return Bad(field, "must not contain spaces");
  try {
    Poco::URI uri(url);
    if (uri.getHost().empty()) return Bad(field, "has no host: \"" + url + "\"");
    if (!uri.getUserInfo().empty()) {
      return Bad(field, "must not carry a user name or password; use the secret");
    }
  } catch (const Poco::Exception& e) {
    return Bad(field, "is not a valid URL: " + e.message());
  }
  return Status::Ok();
}

// A secret from `<key>_env` (an environment variable) or the literal `<key>`.
// `found` tells whether either was given.
Status GetSecret(const nlohmann::json& object, const std::string& key, const std::string& field,
                 const EnvLookup& getenv, std::string* out, bool* found) {
  const std::string env_key = key + "_env";
  const bool literal = object.contains(key), from_env = object.contains(env_key);
  *found = literal || from_env;
  if (literal && from_env) {
    return Bad(field, "give either " + key + " or " + env_key + ", not both");
  }
  if (literal) return GetString(object, key.c_str(), field + "." + key, out);
  if (!from_env) return Status::Ok();
  std::string name;
  Status s = GetString(object, env_key.c_str(), field + "." + env_key, &name);
  if (!s.ok()) return s;
  if (!IsEnvName(name)) {
    return Bad(field + "." + env_key, "\"" + name + "\" is not an environment variable name");
  }
  std::optional<std::string> value = getenv ? getenv(name) : std::nullopt;
  if (!value || value->empty()) {
    return Bad(field + "." + env_key, "the environment variable " + name + " is not set");
  }
  *out = *value;
  return Status::Ok();
}

Status ParseSmtp(const nlohmann::json& j, const EnvLookup& getenv, SmtpConfig* smtp) {
  const std::string f = "smtp";
  if (!j.is_object()) return Bad(f, "must be an object, not " + Shown(j));
  Status s = OnlyKnownKeys(j, f,
                           {"host", "port", "starttls", "username", "password", "password_env",
                            "from", "from_name", "timeout_ms", "helo"});
  if (!s.ok()) return s;
  bool has_password = false;
  for (Status t :
       {GetString(j, "host", f + ".host", &smtp->host),
        GetInt(j, "port", f + ".port", 1, 65535, &smtp->port),
        GetBool(j, "starttls", f + ".starttls", &smtp->starttls),
        GetString(j, "username", f + ".username", &smtp->username),
        GetSecret(j, "password", f, getenv, &smtp->password, &has_password),
        GetString(j, "from", f + ".from", &smtp->from_address),
        GetString(j, "from_name", f + ".from_name", &smtp->from_name),
        GetInt(j, "timeout_ms", f + ".timeout_ms", kMinTimeoutMs, kMaxTimeoutMs, &smtp->timeout_ms),
        GetString(j, "helo", f + ".helo", &smtp->helo)}) {
    if (!t.ok()) return t;
  }
  if (smtp->host.empty() || HasSpaceOrControl(smtp->host)) {
    return Bad(f + ".host", "must be a host name or address, not \"" + smtp->host + "\"");
  }
  if (smtp->helo.empty() || HasSpaceOrControl(smtp->helo)) {
    return Bad(f + ".helo", "must be one word, not \"" + smtp->helo + "\"");
  }
  if (!j.contains("from")) return Bad(f + ".from", "is required: the sender's address");
  if (!IsAddress(smtp->from_address)) {
    return Bad(f + ".from",
               "must be a plain address like pmo@gx.gov.cn, not \"" + smtp->from_address + "\"");
  }
  if (smtp->from_name.find_first_of("\r\n") != std::string::npos) {
    return Bad(f + ".from_name", "must be one line");
  }
  if (HasSpaceOrControl(smtp->username) && !smtp->username.empty()) {
    return Bad(f + ".username", "must not contain spaces");
  }
  if (!smtp->username.empty() && !has_password) {
    return Bad(f + ".username", "is set but there is no password_env (or password)");
  }
  if (smtp->username.empty() && has_password) {
    return Bad(f + ".password", "is set but there is no username");
  }
  return Status::Ok();
}

Status ParseWebhook(const nlohmann::json& j, const std::string& f, const EnvLookup& getenv,
                    WebhookSubscription* hook) {
  if (!j.is_object()) return Bad(f, "must be an object, not " + Shown(j));
  Status s = OnlyKnownKeys(j, f, {"name", "url", "secret", "secret_env", "units", "timeout_ms"});
  if (!s.ok()) return s;
  bool has_secret = false;
  WebhookTarget& t = hook->target;
  for (Status r :
       {GetString(j, "name", f + ".name", &t.name), GetString(j, "url", f + ".url", &t.url),
        GetSecret(j, "secret", f, getenv, &t.secret, &has_secret),
        GetInt(j, "timeout_ms", f + ".timeout_ms", kMinTimeoutMs, kMaxTimeoutMs, &t.timeout_ms)}) {
    if (!r.ok()) return r;
  }
  if (!j.contains("name")) return Bad(f + ".name", "is required");
  if (!IsWebhookName(t.name)) {
    return Bad(f + ".name", "must be 1-40 of a-z, 0-9 and '-', not \"" + t.name + "\"");
  }
  if (!j.contains("url")) return Bad(f + ".url", "is required");
  s = CheckUrl(t.url, f + ".url");
  if (!s.ok()) return s;
  if (!has_secret) return Bad(f + ".secret_env", "is required (or secret, for tests)");
  if (t.secret.size() < kMinSecretBytes) {
    return Bad(f + (j.contains("secret") ? ".secret" : ".secret_env"),
               "the secret must be at least " + std::to_string(kMinSecretBytes) + " characters");
  }
  if (j.contains("units")) {
    const nlohmann::json& units = j.at("units");
    if (!units.is_array()) return Bad(f + ".units", "must be a list of unit ids");
    for (size_t i = 0; i < units.size(); ++i) {
      const std::string uf = f + ".units[" + std::to_string(i) + "]";
      if (!units[i].is_string() || units[i].get<std::string>().empty() ||
          HasSpaceOrControl(units[i].get<std::string>())) {
        return Bad(uf, "must be a unit id like \"gx-nanning\", not " + Shown(units[i]));
      }
      hook->units.push_back(units[i].get<std::string>());
    }
  }
  return Status::Ok();
}

Status ParseRetry(const nlohmann::json& j, RetryPolicy* retry) {
  const std::string f = "retry";
  if (!j.is_object()) return Bad(f, "must be an object, not " + Shown(j));
  Status s = OnlyKnownKeys(j, f, {"max_attempts", "first_delay_seconds", "max_delay_seconds"});
  if (!s.ok()) return s;
  int first_s = int(retry->first_delay_ms / 1000), max_s = int(retry->max_delay_ms / 1000);
  for (Status r : {GetInt(j, "max_attempts", f + ".max_attempts", 1, 100, &retry->max_attempts),
                   GetInt(j, "first_delay_seconds", f + ".first_delay_seconds", 1, 86400, &first_s),
                   GetInt(j, "max_delay_seconds", f + ".max_delay_seconds", 1, 7 * 86400, &max_s)}) {
    if (!r.ok()) return r;
  }
  if (max_s < first_s) {
    return Bad(f + ".max_delay_seconds",
               "must not be less than first_delay_seconds (" + std::to_string(first_s) + ")");
  }
  retry->first_delay_ms = int64_t(first_s) * 1000;
  retry->max_delay_ms = int64_t(max_s) * 1000;
  return Status::Ok();
}

Status ParseDigestAt(const nlohmann::json& j, int* minute) {
  const std::string f = "digest_at";
  const std::string what = "must be a time of day like \"17:30\" (Beijing time), not ";
  if (!j.is_string()) return Bad(f, what + Shown(j));
  const std::string s = j.get<std::string>();
  if (s.size() != 5 || s[2] != ':' ||
      !std::all_of(s.begin(), s.end(), [](char c) { return c == ':' || (c >= '0' && c <= '9'); })) {
    return Bad(f, what + Shown(j));
  }
  const int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 23 || m > 59) return Bad(f, what + Shown(j));
  *minute = h * 60 + m;
  return Status::Ok();
}

}  // namespace

bool WebhookSubscription::Covers(const std::string& unit) const {
  return workflows::WebhookRoute{target.name, units}.Covers(unit);  // the domain's rule
}

std::optional<std::string> ProcessEnvironment(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

Result<NotifyConfig> ParseNotifyConfig(const nlohmann::json& json, const EnvLookup& getenv) {
  if (!json.is_object()) {
    return Status::InvalidArgument("the notify configuration must be a JSON object, not " +
                                   Shown(json));
  }
  Status s = OnlyKnownKeys(json, "", {"link_base", "smtp", "webhooks", "retry", "digest_at"});
  if (!s.ok()) return s;
  NotifyConfig config;

  s = GetString(json, "link_base", "link_base", &config.link_base);
  if (!s.ok()) return s;
  if (!config.link_base.empty()) {
    s = CheckUrl(config.link_base, "link_base");
    if (!s.ok()) return s;
    while (!config.link_base.empty() && config.link_base.back() == '/') config.link_base.pop_back();
  }

  if (json.contains("smtp")) {
    SmtpConfig smtp;
    s = ParseSmtp(json.at("smtp"), getenv, &smtp);
    if (!s.ok()) return s;
    config.smtp = std::move(smtp);
  }

  if (json.contains("webhooks")) {
    const nlohmann::json& hooks = json.at("webhooks");
    if (!hooks.is_array()) return Bad("webhooks", "must be a list, not " + Shown(hooks));
    std::set<std::string> names;
    for (size_t i = 0; i < hooks.size(); ++i) {
      const std::string f = "webhooks[" + std::to_string(i) + "]";
      WebhookSubscription hook;
      s = ParseWebhook(hooks[i], f, getenv, &hook);
      if (!s.ok()) return s;
      if (!names.insert(hook.target.name).second) {
        return Bad(f + ".name", "\"" + hook.target.name + "\" is used by an earlier webhook");
      }
      config.webhooks.push_back(std::move(hook));
    }
  }

  if (json.contains("retry")) {
    s = ParseRetry(json.at("retry"), &config.retry);
    if (!s.ok()) return s;
  }
  if (json.contains("digest_at")) {
    s = ParseDigestAt(json.at("digest_at"), &config.digest_minute);
    if (!s.ok()) return s;
  }
  return config;
}

Result<NotifyConfig> LoadNotifyConfigFile(const std::string& path, const EnvLookup& getenv) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("the notify configuration " + path + " cannot be read");
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json json = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    // Parse again with exceptions only to say where the syntax is wrong.
    try {
      json = nlohmann::json::parse(text.str());
    } catch (const nlohmann::json::parse_error& e) {
      return Status::InvalidArgument(path + ": not valid JSON: " + e.what());
    }
  }
  Result<NotifyConfig> config = ParseNotifyConfig(json, getenv);
  if (!config.ok()) return Status::InvalidArgument(path + ": " + config.status().message());
  return config;
}

}  // namespace govassess::notify

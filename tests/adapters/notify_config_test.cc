#include "adapters/notify/notify_config.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "tests/adapters/temp_dir.h"

using govassess::Code;
using govassess::Result;
using govassess::notify::EnvLookup;
using govassess::notify::LoadNotifyConfigFile;
using govassess::notify::NotifyConfig;
using govassess::notify::ParseNotifyConfig;
using govassess::testing::TempDir;

namespace {

// A fixed environment instead of the process's.
EnvLookup Env(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

const EnvLookup kEnv =
    Env({{"SMTP_PASSWORD", "smtp-pass"}, {"OA_SECRET", "0123456789abcdef-oa"}, {"EMPTY", ""}});

Result<NotifyConfig> Parse(const std::string& text) {
  return ParseNotifyConfig(nlohmann::json::parse(text), kEnv);
}

}  // namespace

TEST_CASE("notify config: a complete file is read with secrets from the environment") {
  const auto config = Parse(R"({
    "link_base": "https://govassess.example.gov.cn/",
    "smtp": {"host": "smtp.gx.gov.cn", "port": 587, "starttls": true,
             "username": "govassess", "password_env": "SMTP_PASSWORD",
             "from": "pmo@gx.gov.cn", "from_name": "广西绩效办", "timeout_ms": 20000,
             "helo": "govassess.gx.gov.cn"},
    "webhooks": [
      {"name": "oa-bridge", "url": "https://oa.gx.gov.cn/hooks/govassess",
       "secret_env": "OA_SECRET", "units": ["gx-nanning", "gx-liuzhou"]},
      {"name": "dingtalk-2", "url": "http://10.0.0.5:8080/in", "secret": "a-test-secret-16b",
       "timeout_ms": 3000}
    ],
    "retry": {"max_attempts": 8, "first_delay_seconds": 30, "max_delay_seconds": 3600},
    "digest_at": "08:05"
  })");
  INFO(config.status().ToString());
  REQUIRE(config.ok());
  CHECK(config->link_base == "https://govassess.example.gov.cn");
  REQUIRE(config->smtp.has_value());
  CHECK(config->smtp->host == "smtp.gx.gov.cn");
  CHECK(config->smtp->port == 587);
  CHECK(config->smtp->starttls);
  CHECK(config->smtp->username == "govassess");
  CHECK(config->smtp->password == "smtp-pass");
  CHECK(config->smtp->from_address == "pmo@gx.gov.cn");
  CHECK(config->smtp->from_name == "广西绩效办");
  CHECK(config->smtp->timeout_ms == 20000);
  CHECK(config->smtp->helo == "govassess.gx.gov.cn");
  REQUIRE(config->webhooks.size() == 2);
  CHECK(config->webhooks[0].target.name == "oa-bridge");
  CHECK(config->webhooks[0].target.url == "https://oa.gx.gov.cn/hooks/govassess");
  CHECK(config->webhooks[0].target.secret == "0123456789abcdef-oa");
  CHECK(config->webhooks[0].target.timeout_ms == 10000);
  CHECK(config->webhooks[0].Covers("gx-nanning"));
  CHECK_FALSE(config->webhooks[0].Covers("gx-guilin"));
  CHECK(config->webhooks[1].target.secret == "a-test-secret-16b");
  CHECK(config->webhooks[1].target.timeout_ms == 3000);
  CHECK(config->webhooks[1].Covers("gx-guilin"));  // no units: all of them
  CHECK(config->retry.max_attempts == 8);
  CHECK(config->retry.first_delay_ms == 30'000);
  CHECK(config->retry.max_delay_ms == 3'600'000);
  CHECK(config->digest_minute == 8 * 60 + 5);
}

TEST_CASE("notify config: everything is optional — the defaults") {
  const auto config = Parse("{}");
  REQUIRE(config.ok());
  CHECK(config->link_base.empty());
  CHECK_FALSE(config->smtp.has_value());
  CHECK(config->webhooks.empty());
  CHECK(config->retry.max_attempts == 6);
  CHECK(config->retry.first_delay_ms == 60'000);
  CHECK(config->retry.max_delay_ms == 21'600'000);
  CHECK(config->digest_minute == 17 * 60 + 30);

  const auto smtp = Parse(R"({"smtp": {"from": "pmo@gx.gov.cn"}})");
  REQUIRE(smtp.ok());
  CHECK(smtp->smtp->host == "127.0.0.1");
  CHECK(smtp->smtp->port == 25);
  CHECK_FALSE(smtp->smtp->starttls);
  CHECK(smtp->smtp->username.empty());
  CHECK(smtp->smtp->timeout_ms == 10000);
}

TEST_CASE("notify config: mistakes are refused with the field and the reason") {
  struct Case {
    const char* json;
    const char* error;  // a part of the message
  };
  // clang-format off
  const std::vector<Case> cases = {
      {R"([])",                                           "must be a JSON object"},
      {R"({"smpt": {}})",                                 "smpt: unknown field"},
      {R"({"link_base": "govassess.example.gov.cn"})",    "link_base: must start with http:// or https://"},
      {R"({"link_base": 5})",                             "link_base: must be a string, not 5"},
      {R"({"smtp": "smtp.gx.gov.cn"})",                   "smtp: must be an object"},
      {R"({"smtp": {"from": "pmo@gx.gov.cn", "hots": "x"}})", "smtp.hots: unknown field"},
      {R"({"smtp": {"host": "smtp.gx.gov.cn"}})",         "smtp.from: is required"},
      {R"({"smtp": {"from": "广西绩效办 <pmo@gx.gov.cn>"}})", "smtp.from: must be a plain address"},
      {R"({"smtp": {"from": "pmo"}})",                    "smtp.from: must be a plain address"},
      {R"({"smtp": {"from": "pmo@gx.gov.cn", "host": ""}})", "smtp.host: must be a host name"},
      {R"({"smtp": {"from": "pmo@gx.gov.cn", "port": 0}})", "smtp.port: must be a whole number from 1 to 65535, not 0"},
      {R"({"smtp": {"from": "pmo@gx.gov.cn", "port": 70000}})", "smtp.port: must be a whole number from 1 to 65535"},
      {R"({"smtp": {"from": "pmo@gx.gov.cn", "port": "25"}})", "smtp.port: must be a whole number"},
      {R"({"smtp": {"from": "pmo@gx.gov.cn", "port": 25.5}})", "smtp.port: must be a whole number"},
      {R"({"smtp": {"from": "pmo@gx.gov.cn", "starttls": "yes"}})", "smtp.starttls: must be true or false"},
      {R"({"smtp": {"from": "pmo@gx.gov.cn", "timeout_ms": 10}})", "smtp.timeout_ms: must be a whole number from 100 to 600000"},
      {R"({"smtp": {"from": "pmo@gx.gov.cn", "username": "u"}})", "smtp.username: is set but there is no password_env"},
      {R"({"smtp": {"from": "pmo@gx.gov.cn", "password": "p"}})", "smtp.password: is set but there is no username"},
      {R"({"smtp": {"from": "pmo@gx.gov.cn", "username": "u", "password": "p", "password_env": "SMTP_PASSWORD"}})",
                                                          "smtp: give either password or password_env, not both"},
      {R"({"smtp": {"from": "pmo@gx.gov.cn", "username": "u", "password_env": "NOT_SET"}})",
                                                          "smtp.password_env: the environment variable NOT_SET is not set"},
      {R"({"smtp": {"from": "pmo@gx.gov.cn", "username": "u", "password_env": "EMPTY"}})",
                                                          "smtp.password_env: the environment variable EMPTY is not set"},
      {R"({"smtp": {"from": "pmo@gx.gov.cn", "username": "u", "password_env": "$PASS"}})",
                                                          "smtp.password_env: \"$PASS\" is not an environment variable name"},
      {R"({"smtp": {"from": "pmo@gx.gov.cn", "helo": "two words"}})", "smtp.helo: must be one word"},
      {R"({"webhooks": {}})",                             "webhooks: must be a list"},
      {R"({"webhooks": ["x"]})",                          "webhooks[0]: must be an object"},
      {R"({"webhooks": [{"url": "https://a.cn/h", "secret_env": "OA_SECRET"}]})", "webhooks[0].name: is required"},
      {R"({"webhooks": [{"name": "OA", "url": "https://a.cn/h", "secret_env": "OA_SECRET"}]})",
                                                          "webhooks[0].name: must be 1-40 of a-z, 0-9 and '-', not \"OA\""},
      {R"({"webhooks": [{"name": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "url": "https://a.cn/h", "secret_env": "OA_SECRET"}]})",
                                                          "webhooks[0].name: must be 1-40"},
      {R"({"webhooks": [{"name": "oa", "secret_env": "OA_SECRET"}]})", "webhooks[0].url: is required"},
      {R"({"webhooks": [{"name": "oa", "url": "https://a.cn/h", "secret_env": "OA_SECRET"},
                        {"name": "im", "url": "ftp://x", "secret_env": "OA_SECRET"}]})",
                                                          "webhooks[1].url: must start with http:// or https://, not \"ftp://x\""},
      {R"({"webhooks": [{"name": "oa", "url": "https://", "secret_env": "OA_SECRET"}]})", "webhooks[0].url: has no host"},
      {R"({"webhooks": [{"name": "oa", "url": "https://u:p@a.cn/h", "secret_env": "OA_SECRET"}]})",
                                                          "webhooks[0].url: must not carry a user name or password"},
      {R"({"webhooks": [{"name": "oa", "url": "https://a.cn/h"}]})", "webhooks[0].secret_env: is required"},
      {R"({"webhooks": [{"name": "oa", "url": "https://a.cn/h", "secret": "short"}]})",
                                                          "webhooks[0].secret: the secret must be at least 16 characters"},
      {R"({"webhooks": [{"name": "oa", "url": "https://a.cn/h", "secret_env": "NOPE"}]})",
                                                          "webhooks[0].secret_env: the environment variable NOPE is not set"},
      {R"({"webhooks": [{"name": "oa", "url": "https://a.cn/h", "secret_env": "OA_SECRET", "secret": "0123456789abcdef"}]})",
                                                          "webhooks[0]: give either secret or secret_env, not both"},
      {R"({"webhooks": [{"name": "oa", "url": "https://a.cn/h", "secret_env": "OA_SECRET", "units": "gx-nanning"}]})",
                                                          "webhooks[0].units: must be a list of unit ids"},
      {R"({"webhooks": [{"name": "oa", "url": "https://a.cn/h", "secret_env": "OA_SECRET", "units": ["gx-nanning", ""]}]})",
                                                          "webhooks[0].units[1]: must be a unit id"},
      {R"({"webhooks": [{"name": "oa", "url": "https://a.cn/h", "secret_env": "OA_SECRET", "unit": ["gx-nanning"]}]})",
                                                          "webhooks[0].unit: unknown field"},
      {R"({"webhooks": [{"name": "oa", "url": "https://a.cn/h", "secret_env": "OA_SECRET"},
                        {"name": "oa", "url": "https://b.cn/h", "secret_env": "OA_SECRET"}]})",
                                                          "webhooks[1].name: \"oa\" is used by an earlier webhook"},
      {R"({"retry": []})",                                "retry: must be an object"},
      {R"({"retry": {"max_attempts": 0}})",               "retry.max_attempts: must be a whole number from 1 to 100, not 0"},
      {R"({"retry": {"first_delay_seconds": -5}})",       "retry.first_delay_seconds: must be a whole number from 1 to 86400"},
      {R"({"retry": {"first_delay_seconds": 600, "max_delay_seconds": 60}})",
                                                          "retry.max_delay_seconds: must not be less than first_delay_seconds (600)"},
      {R"({"retry": {"attempts": 3}})",                   "retry.attempts: unknown field"},
      {R"({"digest_at": "5:30 pm"})",                     "digest_at: must be a time of day like \"17:30\""},
      {R"({"digest_at": "24:00"})",                       "digest_at: must be a time of day"},
      {R"({"digest_at": "17:60"})",                       "digest_at: must be a time of day"},
      {R"({"digest_at": 1730})",                          "digest_at: must be a time of day"},
  };
  // clang-format on
  for (const auto& c : cases) {
    INFO(c.json);
    const auto config = Parse(c.json);
    REQUIRE_FALSE(config.ok());
    INFO(config.status().message());
    CHECK(config.status().code() == Code::kInvalidArgument);
    CHECK(config.status().message().find(c.error) != std::string::npos);
  }
}

TEST_CASE("notify config: error messages never show a secret") {
  const auto config =
      Parse(R"({"webhooks": [{"name": "oa", "url": "https://a.cn/h", "secret": "tiny-secret"}]})");
  REQUIRE_FALSE(config.ok());
  CHECK(config.status().message().find("tiny-secret") == std::string::npos);
}

TEST_CASE("notify config: LoadNotifyConfigFile names the file in its errors") {
  TempDir dir;
  const std::string good = dir.Path("notify.json"), broken = dir.Path("broken.json"),
                    invalid = dir.Path("invalid.json");
  std::ofstream(good) << R"({"webhooks": [{"name": "oa", "url": "https://a.cn/h",
                              "secret_env": "OA_SECRET"}]})";
  std::ofstream(broken) << R"({"webhooks": [)";
  std::ofstream(invalid) << R"({"digest_at": "noon"})";

  const auto loaded = LoadNotifyConfigFile(good, kEnv);
  INFO(loaded.status().ToString());
  REQUIRE(loaded.ok());
  CHECK(loaded->webhooks.at(0).target.secret == "0123456789abcdef-oa");

  const auto missing = LoadNotifyConfigFile(dir.Path("nope.json"), kEnv);
  CHECK(missing.status().code() == Code::kNotFound);
  CHECK(missing.status().message().find("nope.json") != std::string::npos);

  const auto not_json = LoadNotifyConfigFile(broken, kEnv);
  CHECK(not_json.status().code() == Code::kInvalidArgument);
  CHECK(not_json.status().message().find(broken + ": not valid JSON") != std::string::npos);

  const auto not_valid = LoadNotifyConfigFile(invalid, kEnv);
  CHECK(not_valid.status().code() == Code::kInvalidArgument);
  CHECK(not_valid.status().message().find(invalid + ": digest_at:") != std::string::npos);
}

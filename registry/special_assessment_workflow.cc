#include "registry/special_assessment_workflow.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "engine/canonical_json.h"
#include "engine/date.h"
#include "registry/duplicate_review.h"
#include "registry/licence.h"

namespace govassess::registry {
namespace {

// ---- Small helpers -----------------------------------------------------------------

// An item's own id, at creation or import: one URL path segment that reads the same
// everywhere (the API, the journal, a licence list): no slash, space or character that
// needs escaping.
bool IsSlug(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_' || c == '.';
  });
}

bool IsOneOf(const std::string& s, std::initializer_list<const char*> options) {
  for (const char* o : options) {
    if (s == o) return true;
  }
  return false;
}

std::string ReasonOf(const Command& cmd) {
  if (!cmd.reason.empty()) return cmd.reason;
  const Json& r = Member(cmd.payload, "reason");
  return r.is_string() ? r.get<std::string>() : "";
}

Json DecisionRecord(const Command& cmd, const DecideContext& ctx) {
  Json d{{"command", cmd.name},
         {"by", cmd.actor.user},
         {"role", cmd.actor.role},
         {"at", FormatUtcMillis(ctx.now_ms)}};
  if (!cmd.actor.unit.empty()) d["unit"] = cmd.actor.unit;
  const std::string reason = ReasonOf(cmd);
  if (!reason.empty()) d["reason"] = reason;
  return d;
}

bool IsStringArray(const Json& j, bool non_empty_strings = true) {
  if (!j.is_array()) return false;
  for (const Json& e : j) {
    if (!e.is_string()) return false;
    if (non_empty_strings && e.get<std::string>().empty()) return false;
  }
  return true;
}

void AppendUnique(Json& array, const Json& values, const std::string& except = "") {
  for (const Json& v : values) {
    if (!v.is_string() || v.get<std::string>() == except) continue;
    if (std::find(array.begin(), array.end(), v) == array.end()) array.push_back(v);
  }
}

std::vector<std::string> Strings(const Json& j) {
  std::vector<std::string> out;
  if (!j.is_array()) return out;
  for (const Json& e : j) {
    if (e.is_string()) out.push_back(e.get<std::string>());
  }
  return out;
}

bool IsValidDate(const Json& j) { return j.is_string() && Date::Parse(j.get<std::string>()).ok(); }

int YearOf(const std::string& date) { return std::stoi(date.substr(0, 4)); }

// The quoted name of an item, for messages.
std::string Named(const Instance& item) {
  const std::string name = item.data.value("name", "");
  return "专项考核 \"" + (name.empty() ? ItemShortId(item.id) : name) + "\"";
}

// A book, loaded for a write; a missing book is created from the configuration.
struct LoadedBook {
  Instance instance;  // version 0: new
  Status status;
};

LoadedBook LoadBook(const DecideContext& ctx, int year, const RegistryConfig& config) {
  LoadedBook b;
  auto loaded = ctx.load(BookInstanceId(year));
  if (loaded.ok()) {
    b.instance = *loaded;
  } else if (loaded.status().IsNotFound()) {
    b.instance = NewBookInstance(year, config);
  } else {
    b.status = loaded.status();
  }
  return b;
}

InstanceWrite WriteOf(const Instance& after, int64_t expected_version) {
  InstanceWrite w;
  w.after = after;
  w.expected_version = expected_version;
  return w;
}

// Grants a licence from `book`: the next free number, the validity, the first filing
// and the expiry timer. Fills `item` and `book`; Refused for a bad validity.
Status GrantLicence(Instance& item, Json& book, const Json& payload, const Command& cmd,
                    const DecideContext& ctx, const RegistryConfig& config,
                    std::vector<Timer>* timers) {
  const int year = book.value("year", 0);
  const std::string today = ChinaDate(ctx.now_ms);
  const std::string year_start = std::to_string(year) + "-01-01";
  std::string valid_from = std::max(today, year_start);
  std::string valid_to = std::to_string(year + config.validity_years - 1) + "-12-31";
  if (payload.contains("valid_from")) {
    if (!IsValidDate(payload["valid_from"])) return Status::Refused("valid_from must be YYYY-MM-DD");
    valid_from = payload["valid_from"].get<std::string>();
  }
  if (payload.contains("valid_to")) {
    if (!IsValidDate(payload["valid_to"])) return Status::Refused("valid_to must be YYYY-MM-DD");
    valid_to = payload["valid_to"].get<std::string>();
  }
  if (valid_to < valid_from) {
    return Status::Refused("the licence would end (" + valid_to + ") before it starts (" +
                           valid_from + ")");
  }
  std::set<std::string> used;
  for (const auto& [id, entry] : book["items"].items()) {
    if (entry.contains("number")) used.insert(entry["number"].get<std::string>());
  }
  std::string number;
  if (payload.contains("licence_number")) {
    number = payload["licence_number"].get<std::string>();
    if (used.count(number)) return Status::Refused("licence number " + number + " is already used");
  } else {
    int seq = book.value("next_seq", 1);
    const std::string format = book.value("licence_format", config.licence_format);
    while (used.count(FormatLicenceNumber(format, year, seq))) ++seq;
    number = FormatLicenceNumber(format, year, seq);
    book["next_seq"] = seq + 1;
  }
  item.data["licence"] = {{"number", number},
                          {"valid_from", valid_from},
                          {"valid_to", valid_to},
                          {"granted_at", FormatUtcMillis(ctx.now_ms)},
                          {"granted_by", cmd.actor.user},
                          {"renewals", 0}};
  item.data["filings"] = Json::array({{{"version", 1},
                                       {"indicators", item.data.value("indicators", Json::array())},
                                       {"scoring_rules", item.data.value("scoring_rules", Json())},
                                       {"filed_at", FormatUtcMillis(ctx.now_ms)},
                                       {"filed_by", cmd.actor.user},
                                       {"note", "filed with the licence"}}});
  if (!item.data.contains("evaluations")) item.data["evaluations"] = Json::array();
  item.state = "licensed";
  SetBookEntry(book, ItemShortId(item.id), item.data.value("lead", ""), kLicensed, number);
  timers->push_back(Timer{item.id + "#expiry", item.id, "expire", ExpiryMs(valid_to),
                          Json{{"valid_to", valid_to}}});
  return Status::Ok();
}

// ---- Application fields --------------------------------------------------------------

constexpr const char* kFieldList =
    "name, lead, year, kind, justification, basis, co_leads, assessed_units, indicators, "
    "scoring_rules, frequency, data_collection, weight, period";

// Copies the application fields of `payload` into `data`. `creating` allows lead and
// year. Ignores "reason", "review" and "override_reason" (they belong to commands).
Status ApplyFields(Json& data, const Json& payload, bool creating) {
  for (const auto& [key, value] : payload.items()) {
    if (key == "reason" || key == "review") continue;
    if (IsOneOf(key, {"name", "basis", "frequency", "data_collection", "justification"})) {
      if (!value.is_string()) return Status::Refused("\"" + key + "\" must be a string");
      if (key == "name" && value.get<std::string>().empty()) {
        return Status::Refused("\"name\" cannot be empty");
      }
    } else if (IsOneOf(key, {"co_leads", "assessed_units", "indicators"})) {
      if (!IsStringArray(value)) {
        return Status::Refused("\"" + key + "\" must be an array of non-empty strings");
      }
    } else if (key == "scoring_rules") {
      // Free form: text, an array of rules or an object by indicator.
    } else if (key == "weight") {
      if (!value.is_number() || value.get<double>() < 0 || value.get<double>() > 1000) {
        return Status::Refused("\"weight\" must be a number 0–1000 (千分制 points)");
      }
    } else if (key == "period") {
      if (!value.is_object() || !IsValidDate(Member(value, "from")) ||
          !IsValidDate(Member(value, "to")) ||
          value["to"].get<std::string>() < value["from"].get<std::string>()) {
        return Status::Refused("\"period\" must be {\"from\": YYYY-MM-DD, \"to\": YYYY-MM-DD}, "
                               "from <= to");
      }
    } else if (key == "kind") {
      if (!value.is_string() || !IsOneOf(value.get<std::string>(), {"planned", "one_off"})) {
        return Status::Refused("\"kind\" must be \"planned\" or \"one_off\" (一事一报)");
      }
    } else if (key == "lead" || key == "year") {
      if (!creating) {
        return Status::Refused("\"" + key + "\" is fixed when the application is created");
      }
      if (key == "lead" && (!value.is_string() || value.get<std::string>().empty())) {
        return Status::Refused("\"lead\" must be a non-empty string");
      }
      if (key == "year" && (!value.is_number_integer() || value.get<int>() < 2000 ||
                            value.get<int>() > 2100)) {
        return Status::Refused("\"year\" must be a year 2000–2100");
      }
    } else {
      return Status::Refused("an application has no field \"" + key + "\" (fields: " +
                             kFieldList + ")");
    }
    data[key] = value;
  }
  return Status::Ok();
}

// ---- Roles -------------------------------------------------------------------------

// Who may send each item command. "owner" = lead_assessor of the item's lead.
struct Rule {
  const char* command;
  std::initializer_list<const char*> roles;
  std::initializer_list<const char*> from_states;  // empty: the instance must not exist
};

// clang-format off
const Rule kItemRules[] = {
  // command     roles                                 from states
  {"create",     {"lead_assessor"},                    {}},
  {"revise",     {"lead_assessor"},                    {"draft", "returned"}},
  {"submit",     {"lead_assessor"},                    {"draft", "returned"}},
  {"withdraw",   {"lead_assessor"},                    {"draft", "submitted", "returned"}},
  {"return",     {"office"},                           {"submitted"}},
  {"reject",     {"office"},                           {"submitted", "returned"}},
  {"approve",    {"office"},                           {"submitted"}},
  {"merge",      {"office"},                           {"submitted", "returned", "approved", "licensed"}},
  {"license",    {"committee"},                        {"approved"}},
  {"renew",      {"committee"},                        {"licensed", "expired"}},
  {"file",       {"lead_assessor", "office"},          {"licensed"}},
  {"evaluate",   {"office"},                           {"licensed", "expired"}},
  {"retire",     {"office"},                           {"licensed", "expired", "approved"}},
  {"expire",     {"system", "office"},                 {"licensed"}},
};
// clang-format on

const Rule* FindRule(const std::string& command) {
  for (const Rule& r : kItemRules) {
    if (command == r.command) return &r;
  }
  return nullptr;
}

std::string JoinList(std::initializer_list<const char*> items, const char* sep = ", ") {
  std::string out;
  for (const char* i : items) out += (out.empty() ? "" : sep) + std::string(i);
  return out;
}

// ---- Item commands -----------------------------------------------------------------

class ItemDecider {
 public:
  ItemDecider(const Instance& cur, const Command& cmd, const DecideContext& ctx,
              const RegistryConfig& config, const TextNormalizer& normalizer)
      : cur_(cur), cmd_(cmd), ctx_(ctx), config_(config), normalizer_(normalizer) {}

  Decision Decide() const {
    if (cmd_.actor.role == "auditor") {
      return Decision::Forbid("auditors read the registry; they cannot change it");
    }
    const Rule* rule = FindRule(cmd_.name);
    if (rule == nullptr) {
      std::string known;
      for (const Rule& r : kItemRules) known += std::string(known.empty() ? "" : ", ") + r.command;
      return Decision::Refuse("a special assessment has no command \"" + cmd_.name +
                              "\"; commands: " + known);
    }
    if (std::find_if(rule->roles.begin(), rule->roles.end(), [&](const char* r) {
          return cmd_.actor.role == r;
        }) == rule->roles.end()) {
      return Decision::Forbid("only " + JoinList(rule->roles, " or ") + " may " + cmd_.name +
                              " a special assessment, not " + cmd_.actor.role);
    }
    if (cmd_.name == "create") return Create();
    if (!cur_.exists()) {
      return Decision::Refuse("no special assessment \"" + cmd_.instance_id + "\"");
    }
    if (cmd_.actor.role == "lead_assessor" && cmd_.actor.unit != cur_.data.value("lead", "")) {
      return Decision::Forbid(cmd_.actor.unit.empty() ? "a lead assessor must name its unit"
                                                      : cmd_.actor.unit + " may act only on its own applications; " +
                                                            Named(cur_) + " is led by " +
                                                            cur_.data.value("lead", ""));
    }
    if (std::find(rule->from_states.begin(), rule->from_states.end(), cur_.state) ==
        rule->from_states.end()) {
      std::string msg = "cannot " + cmd_.name + " " + Named(cur_) + ": it is " + cur_.state;
      if (cur_.state == "merged") msg += " (into " + cur_.data.value("merged_into", "?") + ")";
      return Decision::Refuse(msg + "; " + cmd_.name + " needs " +
                              JoinList(rule->from_states, " or "));
    }
    if (cmd_.name == "revise") return Revise();
    if (cmd_.name == "submit") return Submit();
    if (cmd_.name == "withdraw") return Close("withdrawn", false);
    if (cmd_.name == "return") return Return();
    if (cmd_.name == "reject") return Close("rejected", true);
    if (cmd_.name == "approve") return Approve();
    if (cmd_.name == "merge") return Merge();
    if (cmd_.name == "license") return License();
    if (cmd_.name == "renew") return Renew();
    if (cmd_.name == "file") return File();
    if (cmd_.name == "evaluate") return Evaluate();
    if (cmd_.name == "retire") return Retire();
    return Expire();
  }

 private:
  Decision Create() const {
    if (cur_.exists()) return Decision::Refuse(Named(cur_) + " already exists");
    if (cmd_.instance_id.rfind(kItemPrefix, 0) != 0 ||
        !IsSlug(ItemShortId(cmd_.instance_id))) {
      return Decision::Refuse("special assessments live at registry/item/<id>, <id> 1 to 64 "
                              "letters, digits, '.', '_' or '-' (e.g. 2026-food), not \"" +
                              cmd_.instance_id + "\"");
    }
    Json data{{"id", ItemShortId(cmd_.instance_id)},
              {"year", YearOf(ChinaDate(ctx_.now_ms))},
              {"kind", "planned"},
              {"lead", cmd_.actor.unit},
              {"co_leads", Json::array()},
              {"assessed_units", Json::array()},
              {"indicators", Json::array()}};
    Status s = ApplyFields(data, cmd_.payload, true);
    if (!s.ok()) return Decision::Refuse(s.message());
    if (data.value("name", "").empty()) return Decision::Refuse("an application needs a \"name\"");
    if (data["lead"] != cmd_.actor.unit) {
      return Decision::Forbid(cmd_.actor.unit + " may apply only as lead for itself, not for " +
                              data["lead"].get<std::string>());
    }
    data["decisions"] = Json::array({DecisionRecord(cmd_, ctx_)});
    return Decision::Accept("draft", std::move(data));
  }

  Decision Revise() const {
    Json data = cur_.data;
    Status s = ApplyFields(data, cmd_.payload, false);
    if (!s.ok()) return Decision::Refuse(s.message());
    return Decision::Accept(cur_.state, std::move(data));
  }

  Decision Submit() const {
    Json data = cur_.data;
    std::vector<std::string> missing;
    if (data.value("name", "").empty()) missing.push_back("name");
    if (data.value("basis", "").empty()) missing.push_back("basis (legal or policy basis)");
    if (Member(data, "indicators").empty()) missing.push_back("indicators");
    if (data.value("kind", "") == "one_off" && data.value("justification", "").empty()) {
      missing.push_back("justification (a one-off application, 一事一报, must say why it cannot wait)");
    }
    if (!missing.empty()) {
      std::string list;
      for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
      return Decision::Refuse("cannot submit " + Named(cur_) + ": missing " + list);
    }
    const Json& review = Member(cmd_.payload, "review");
    if (!review.is_null() && !Member(review, "matches").is_array()) {
      return Decision::Refuse("\"review\" must be {\"matches\": [...]} as the registry service "
                              "produces it");
    }
    if (review.is_null()) {
      data.erase("review");
    } else {
      data["review"] = review;
    }
    LoadedBook book = LoadBook(ctx_, data["year"].get<int>(), config_);
    if (!book.status.ok()) return Decision::Refuse(book.status.message());
    Instance book_after = book.instance;
    SetBookEntry(book_after.data, data["id"], data["lead"], kPending);
    data["submitted_at"] = FormatUtcMillis(ctx_.now_ms);
    data["decisions"].push_back(DecisionRecord(cmd_, ctx_));
    Decision d = Decision::Accept("submitted", std::move(data));
    d.other_writes.push_back(WriteOf(book_after, book.instance.version));
    d.result = {{"review", review}};
    return d;
  }

  // withdraw and reject: the application closes and leaves the book.
  Decision Close(const std::string& state, bool reason_required) const {
    if (reason_required && ReasonOf(cmd_).empty()) {
      return Decision::Refuse("a " + cmd_.name + " needs a reason");
    }
    Json data = cur_.data;
    data["decisions"].push_back(DecisionRecord(cmd_, ctx_));
    Decision d = Decision::Accept(state, std::move(data));
    if (cur_.state != "draft") {
      LoadedBook book = LoadBook(ctx_, cur_.data["year"].get<int>(), config_);
      if (!book.status.ok()) return Decision::Refuse(book.status.message());
      Instance after = book.instance;
      SetBookEntry(after.data, cur_.data["id"], "", "");
      d.other_writes.push_back(WriteOf(after, book.instance.version));
    }
    return d;
  }

  Decision Return() const {
    if (ReasonOf(cmd_).empty()) {
      return Decision::Refuse("returning an application needs the reasons for revision");
    }
    Json data = cur_.data;
    data["decisions"].push_back(DecisionRecord(cmd_, ctx_));
    return Decision::Accept("returned", std::move(data));
  }

  Decision Approve() const {
    const Json& review = Member(cur_.data, "review");
    if (!review.is_object()) {
      return Decision::Refuse("cannot approve " + Named(cur_) +
                              ": it has no duplicate review; submit it through the registry "
                              "service so the office sees the matches");
    }
    const Json& override_reason = Member(cmd_.payload, "override_reason");
    for (const Json& m : review["matches"]) {
      if (m.value("level", "") != "likely_duplicate") continue;
      if (override_reason.is_string() && !override_reason.get<std::string>().empty()) break;
      char score[16];
      std::snprintf(score, sizeof score, "%.2f", m.value("score", 0.0));
      return Decision::Refuse("cannot approve " + Named(cur_) + ": it is a likely duplicate of \"" +
                              m.value("name", "") + "\" (" + m.value("id", "") + ", score " +
                              score + "); merge them, or approve with an override_reason");
    }
    LoadedBook book = LoadBook(ctx_, cur_.data["year"].get<int>(), config_);
    if (!book.status.ok()) return Decision::Refuse(book.status.message());
    const std::string lead = cur_.data["lead"];
    const std::string id = cur_.data["id"];
    Status quota = CheckQuota(book.instance.data, lead, id);
    if (!quota.ok()) return Decision::Refuse("cannot approve " + Named(cur_) + ": " + quota.message());
    Instance book_after = book.instance;
    SetBookEntry(book_after.data, id, lead, kApproved);
    Json data = cur_.data;
    Json record = DecisionRecord(cmd_, ctx_);
    if (override_reason.is_string()) record["override_reason"] = override_reason;
    data["decisions"].push_back(std::move(record));
    Decision d = Decision::Accept("approved", std::move(data));
    d.other_writes.push_back(WriteOf(book_after, book.instance.version));
    d.result = {{"quota", QuotaState(book_after.data)["leads"][lead]}};
    return d;
  }

  Decision License() const {
    LoadedBook book = LoadBook(ctx_, cur_.data["year"].get<int>(), config_);
    if (!book.status.ok()) return Decision::Refuse(book.status.message());
    Instance item = cur_;
    Instance book_after = book.instance;
    std::vector<Timer> timers;
    Status s = GrantLicence(item, book_after.data, cmd_.payload, cmd_, ctx_, config_, &timers);
    if (!s.ok()) return Decision::Refuse(s.message());
    item.data["decisions"].push_back(DecisionRecord(cmd_, ctx_));
    Decision d = Decision::Accept("licensed", item.data);
    d.other_writes.push_back(WriteOf(book_after, book.instance.version));
    d.timers_set = std::move(timers);
    d.result = {{"licence", item.data["licence"]}};
    return d;
  }

  Decision Renew() const {
    Json data = cur_.data;
    Json& licence = data["licence"];
    const Json& valid_to = Member(cmd_.payload, "valid_to");
    if (!IsValidDate(valid_to)) return Decision::Refuse("a renewal needs valid_to (YYYY-MM-DD)");
    if (valid_to.get<std::string>() <= licence.value("valid_to", "")) {
      return Decision::Refuse("a renewal must extend the licence beyond " +
                              licence.value("valid_to", "") + ", not to " +
                              valid_to.get<std::string>());
    }
    Json history = data.value("licence_history", Json::array());
    history.push_back({{"valid_from", licence["valid_from"]},
                       {"valid_to", licence["valid_to"]},
                       {"renewed_at", FormatUtcMillis(ctx_.now_ms)},
                       {"renewed_by", cmd_.actor.user}});
    data["licence_history"] = std::move(history);
    if (cmd_.payload.contains("valid_from")) {
      if (!IsValidDate(cmd_.payload["valid_from"]) ||
          cmd_.payload["valid_from"].get<std::string>() > valid_to.get<std::string>()) {
        return Decision::Refuse("valid_from must be YYYY-MM-DD, not after valid_to");
      }
      licence["valid_from"] = cmd_.payload["valid_from"];
    }
    licence["valid_to"] = valid_to;
    licence["renewals"] = licence.value("renewals", 0) + 1;
    data["decisions"].push_back(DecisionRecord(cmd_, ctx_));
    Decision d = Decision::Accept("licensed", std::move(data));
    d.timers_set.push_back(Timer{cur_.id + "#expiry", cur_.id, "expire",
                                 ExpiryMs(valid_to.get<std::string>()),
                                 Json{{"valid_to", valid_to}}});
    d.result = {{"licence", d.data["licence"]}};
    return d;
  }

  Decision File() const {
    const Json& indicators = Member(cmd_.payload, "indicators");
    if (!IsStringArray(indicators) || indicators.empty()) {
      return Decision::Refuse("a filing needs \"indicators\": a non-empty array of strings");
    }
    if (!cmd_.payload.contains("scoring_rules")) {
      return Decision::Refuse("a filing needs \"scoring_rules\" (备案 of indicators and scoring rules)");
    }
    Json data = cur_.data;
    Json& filings = data["filings"];
    if (!filings.is_array()) filings = Json::array();
    const int version = filings.empty() ? 1 : filings.back().value("version", 0) + 1;
    Json filing{{"version", version},
                {"indicators", indicators},
                {"scoring_rules", cmd_.payload["scoring_rules"]},
                {"filed_at", FormatUtcMillis(ctx_.now_ms)},
                {"filed_by", cmd_.actor.user}};
    if (!ReasonOf(cmd_).empty()) filing["note"] = ReasonOf(cmd_);
    filings.push_back(std::move(filing));
    data["indicators"] = indicators;
    data["scoring_rules"] = cmd_.payload["scoring_rules"];
    Decision d = Decision::Accept(cur_.state, std::move(data));
    d.result = {{"filing_version", version}};
    return d;
  }

  Decision Evaluate() const {
    const Json year = cmd_.payload.value("year", Json(YearOf(ChinaDate(ctx_.now_ms))));
    const Json& rating = Member(cmd_.payload, "rating");
    if (!year.is_number_integer()) return Decision::Refuse("\"year\" must be a year");
    if (!rating.is_string() ||
        !IsOneOf(rating.get<std::string>(), {"effective", "needs_improvement", "ineffective"})) {
      return Decision::Refuse("an evaluation needs \"rating\": effective, needs_improvement or "
                              "ineffective");
    }
    Json data = cur_.data;
    Json& evaluations = data["evaluations"];
    if (!evaluations.is_array()) evaluations = Json::array();
    for (const Json& e : evaluations) {
      if (e.value("year", 0) == year.get<int>()) {
        return Decision::Refuse(Named(cur_) + " was already evaluated for " +
                                std::to_string(year.get<int>()));
      }
    }
    evaluations.push_back({{"year", year},
                           {"rating", rating},
                           {"findings", cmd_.payload.value("findings", "")},
                           {"by", cmd_.actor.user},
                           {"at", FormatUtcMillis(ctx_.now_ms)}});
    return Decision::Accept(cur_.state, std::move(data));
  }

  Decision Retire() const {
    if (ReasonOf(cmd_).empty()) {
      return Decision::Refuse("retiring needs a reason (finished, ineffective, badly run, …)");
    }
    Json data = cur_.data;
    data["retired"] = {{"at", FormatUtcMillis(ctx_.now_ms)}, {"reason", ReasonOf(cmd_)}};
    data["decisions"].push_back(DecisionRecord(cmd_, ctx_));
    Decision d = Decision::Accept("retired", std::move(data));
    d.timers_cancelled.push_back(cur_.id + "#expiry");
    return d;
  }

  Decision Expire() const {
    // operator[] on a const Json is undefined for a missing key: look before reading.
    const auto licence = cur_.data.find("licence");
    if (licence == cur_.data.end() || !licence->is_object()) {
      return Decision::Refuse(Named(cur_) + " holds no licence, so there is nothing to expire");
    }
    const std::string valid_to = licence->value("valid_to", "");
    const std::string today = ChinaDate(ctx_.now_ms);
    if (today <= valid_to) {
      return Decision::Refuse(Named(cur_) + " is licensed until " + valid_to + "; it has not expired");
    }
    Json data = cur_.data;
    data["decisions"].push_back(DecisionRecord(cmd_, ctx_));
    return Decision::Accept("expired", std::move(data));
  }

  Decision Merge() const {
    const Json& absorb = Member(cmd_.payload, "absorb");
    if (!IsStringArray(absorb) || absorb.empty()) {
      return Decision::Refuse("a merge needs \"absorb\": the ids of the applications to merge in");
    }
    Json data = cur_.data;
    std::vector<std::string> indicators = Strings(data["indicators"]);
    std::set<std::string> seen{cur_.id};
    std::vector<Instance> absorbed;
    for (const Json& a : absorb) {
      const std::string id = ItemInstanceId(a.get<std::string>());
      if (!seen.insert(id).second) {
        return Decision::Refuse(id == cur_.id ? "an item cannot absorb itself"
                                              : id + " is named twice");
      }
      auto loaded = ctx_.load(id);
      if (!loaded.ok()) return Decision::Refuse("cannot merge " + id + ": " + loaded.status().message());
      if (loaded->type != kItemType) return Decision::Refuse(id + " is not a special assessment");
      if (!IsOneOf(loaded->state, {"submitted", "returned"})) {
        return Decision::Refuse("cannot merge " + Named(*loaded) + " (" + ItemShortId(id) +
                                "): it is " + loaded->state +
                                "; only submitted or returned applications can be absorbed");
      }
      auto merged = MergeIndicators(indicators, Strings(loaded->data["indicators"]),
                                    config_.merge_threshold, normalizer_);
      if (!merged.ok()) return Decision::Refuse(merged.status().message());
      indicators = std::move(merged).value();
      absorbed.push_back(std::move(*loaded));
    }
    const std::string lead = data.value("lead", "");
    Json absorbed_ids = data.value("absorbed", Json::array());
    std::set<std::string> absorbed_short;
    std::map<int, LoadedBook> books;
    Decision d;
    for (const Instance& a : absorbed) {
      AppendUnique(data["co_leads"], Json::array({a.data.value("lead", "")}), lead);
      AppendUnique(data["co_leads"], Member(a.data, "co_leads"), lead);
      AppendUnique(data["assessed_units"], Member(a.data, "assessed_units"));
      const std::string short_id = ItemShortId(a.id);
      absorbed_ids.push_back(short_id);
      absorbed_short.insert(short_id);
      Instance closed = a;
      closed.state = "merged";
      closed.data["merged_into"] = ItemShortId(cur_.id);
      closed.data["decisions"].push_back(DecisionRecord(cmd_, ctx_));
      d.other_writes.push_back(WriteOf(closed, a.version));
      const int year = a.data["year"].get<int>();
      if (!books.count(year)) {
        books[year] = LoadBook(ctx_, year, config_);
        if (!books[year].status.ok()) return Decision::Refuse(books[year].status.message());
      }
      SetBookEntry(books[year].instance.data, short_id, "", "");
    }
    for (auto& [year, book] : books) {
      // The loaded version is the expected one; the data carries the erased entries.
      Instance after = book.instance;
      d.other_writes.push_back(WriteOf(after, book.instance.version));
    }
    data["absorbed"] = absorbed_ids;
    // Matches with the absorbed items are now the item itself.
    if (data.contains("review") && data["review"].contains("matches")) {
      Json kept = Json::array();
      for (const Json& m : data["review"]["matches"]) {
        if (!absorbed_short.count(m.value("id", ""))) kept.push_back(m);
      }
      data["review"]["matches"] = kept;
    }
    const bool changed = Json(indicators) != data["indicators"];
    data["indicators"] = indicators;
    if (cur_.state == "licensed" && changed) {
      Json& filings = data["filings"];
      filings.push_back({{"version", filings.empty() ? 1 : filings.back().value("version", 0) + 1},
                         {"indicators", indicators},
                         {"scoring_rules", data.value("scoring_rules", Json())},
                         {"filed_at", FormatUtcMillis(ctx_.now_ms)},
                         {"filed_by", cmd_.actor.user},
                         {"note", "merge of " + absorb.dump()}});
    }
    data["decisions"].push_back(DecisionRecord(cmd_, ctx_));
    Decision accepted = Decision::Accept(cur_.state, std::move(data));
    accepted.other_writes = std::move(d.other_writes);
    accepted.result = {{"indicators", indicators},
                       {"co_leads", accepted.data["co_leads"]},
                       {"absorbed", absorbed_ids}};
    return accepted;
  }

  const Instance& cur_;
  const Command& cmd_;
  const DecideContext& ctx_;
  const RegistryConfig& config_;
  const TextNormalizer& normalizer_;
};

// ---- Book commands -----------------------------------------------------------------

int BookYear(const std::string& id) {
  const std::string prefix = kBookPrefix;
  if (id.rfind(prefix, 0) != 0) return 0;
  const std::string rest = id.substr(prefix.size());
  if (rest.size() != 4 || !std::all_of(rest.begin(), rest.end(), ::isdigit)) return 0;
  const int year = std::stoi(rest);
  return year >= 2000 && year <= 2100 ? year : 0;
}

// An import's lead and co-lead names turned into unit ids through a unit directory
// (the instance the lifecycle's plans and users name units by): a unit's full name, its
// id, or a short name no other unit has. Names the directory does not know are kept as
// written and reported, so that an office sees which departments stay apart.
class LeadNames {
 public:
  static Result<LeadNames> From(const Instance& directory) {
    if (!directory.exists() || directory.type != "units") {
      return Status::InvalidArgument("no unit directory " + directory.id);
    }
    LeadNames names;
    const Json& units = Member(directory.data, "units");
    if (!units.is_array()) return Status::InvalidArgument(directory.id + " has no units");
    auto text = [](const Json& unit, const char* key) {
      const Json& v = Member(unit, key);
      return v.is_string() ? v.get<std::string>() : std::string();
    };
    std::map<std::string, int> short_count;
    for (const Json& u : units) ++short_count[text(u, "short_name")];
    for (const Json& u : units) {
      const std::string id = text(u, "id");
      if (id.empty()) continue;
      names.ids_[id] = id;
      if (!text(u, "name").empty()) names.ids_[text(u, "name")] = id;
      const std::string short_name = text(u, "short_name");
      if (!short_name.empty() && short_count[short_name] == 1) names.ids_.emplace(short_name, id);
    }
    return names;
  }

  std::string Resolve(const std::string& name) {
    auto it = ids_.find(name);
    if (it == ids_.end()) {
      kept_.insert(name);
      return name;
    }
    if (it->second != name) resolved_[name] = it->second;
    return it->second;
  }

  Json Report(const std::string& directory_id) const {
    return {{"directory", directory_id}, {"resolved", resolved_}, {"not_in_directory", kept_}};
  }

 private:
  std::map<std::string, std::string> ids_;
  std::map<std::string, std::string> resolved_;
  std::set<std::string> kept_;
};

}  // namespace

Status ValidateImportItems(const Json& items) {
  if (!items.is_array()) return Status::InvalidArgument("the import must be a JSON array of items");
  std::set<std::string> ids;
  for (size_t i = 0; i < items.size(); ++i) {
    const Json& o = items[i];
    const std::string at = "item [" + std::to_string(i) + "]";
    if (!o.is_object()) return Status::InvalidArgument(at + " must be an object");
    for (const char* f : {"name", "lead"}) {
      if (!o.contains(f)) return Status::InvalidArgument(at + ": \"" + f + "\" is missing");
      if (!o[f].is_string() || o[f].get<std::string>().empty()) {
        return Status::InvalidArgument(at + ": \"" + f + "\" must be a non-empty string");
      }
    }
    if (!o.contains("indicators")) return Status::InvalidArgument(at + ": \"indicators\" is missing");
    if (!IsStringArray(o["indicators"]) || o["indicators"].empty()) {
      return Status::InvalidArgument(at + ": \"indicators\" must be a non-empty array of non-empty strings");
    }
    for (const char* f : {"co_leads", "assessed_units"}) {
      if (o.contains(f) && !IsStringArray(o[f])) {
        return Status::InvalidArgument(at + ": \"" + f + "\" must be an array of strings");
      }
    }
    for (const char* f : {"basis", "licence_number"}) {
      if (o.contains(f) && (!o[f].is_string() || o[f].get<std::string>().empty())) {
        return Status::InvalidArgument(at + ": \"" + f + "\" must be a non-empty string");
      }
    }
    for (const char* f : {"valid_from", "valid_to"}) {
      if (o.contains(f) && !IsValidDate(o[f])) {
        return Status::InvalidArgument(at + ": \"" + f + "\" must be a date YYYY-MM-DD");
      }
    }
    if (o.contains("id")) {
      if (!o["id"].is_string() || !IsSlug(o["id"].get<std::string>())) {
        return Status::InvalidArgument(at + ": \"id\" must be 1–64 letters, digits, '-', '_' or '.'");
      }
      if (!ids.insert(o["id"].get<std::string>()).second) {
        return Status::InvalidArgument(at + ": \"id\" " + o["id"].dump() + " appears twice");
      }
    }
  }
  return Status::Ok();
}

SpecialAssessmentWorkflow::SpecialAssessmentWorkflow(RegistryConfig config)
    : config_(std::move(config)), normalizer_(config_.duplicate.ToNormalizerOptions()) {}

Decision SpecialAssessmentWorkflow::Decide(const Instance& current, const Command& command,
                                           const DecideContext& context) const {
  try {
    return ItemDecider(current, command, context, config_, normalizer_).Decide();
  } catch (const Json::exception& e) {
    // Malformed payload values of an unexpected type end here, not in the engine.
    return Decision::Refuse("the command's payload or the item's data has the wrong shape: " +
                            std::string(e.what()));
  }
}

RegistryBookWorkflow::RegistryBookWorkflow(RegistryConfig config) : config_(std::move(config)) {}

Decision RegistryBookWorkflow::Decide(const Instance& cur, const Command& cmd,
                                      const DecideContext& ctx) const {
  try {
    return DecideBook(cur, cmd, ctx);
  } catch (const Json::exception& e) {
    return Decision::Refuse("the command's payload or the book's data has the wrong shape: " +
                            std::string(e.what()));
  }
}

Decision RegistryBookWorkflow::DecideBook(const Instance& cur, const Command& cmd,
                                          const DecideContext& ctx) const {
  if (cmd.actor.role == "auditor") {
    return Decision::Forbid("auditors read the registry; they cannot change it");
  }
  const int year = BookYear(cmd.instance_id);
  if (year == 0) {
    return Decision::Refuse("registry books live at registry/book/<year>, not \"" +
                            cmd.instance_id + "\"");
  }
  Json book = cur.exists() ? cur.data : NewBookData(year, config_);

  if (cmd.name == "configure") {
    if (cmd.actor.role != "admin" && cmd.actor.role != "office") {
      return Decision::Forbid("only admin or office may configure the quota, not " + cmd.actor.role);
    }
    for (const auto& [key, value] : cmd.payload.items()) {
      if (key == "quota") {
        auto base = ParseQuotaConfig(book["quota"]);
        auto q = ParseQuotaConfig(value, base.ok() ? *base : config_.quota);
        if (!q.ok()) return Decision::Refuse(q.status().message());
        book["quota"] = QuotaConfigToJson(*q);
      } else if (key == "licence_format") {
        if (!value.is_string() || value.get<std::string>().find("{seq}") == std::string::npos) {
          return Decision::Refuse("licence_format must be a string containing {seq}");
        }
        book["licence_format"] = value;
      } else if (key != "reason") {
        return Decision::Refuse("configure has no field \"" + key + "\" (quota, licence_format)");
      }
    }
    Decision d = Decision::Accept("open", book);
    d.result = QuotaState(book);
    return d;
  }

  if (cmd.name == "import") {
    if (cmd.actor.role != "admin" && cmd.actor.role != "office") {
      return Decision::Forbid("only admin or office may import licensed items, not " + cmd.actor.role);
    }
    const Json& items = Member(cmd.payload, "items");
    Status valid = ValidateImportItems(items);
    if (!valid.ok()) return Decision::Refuse(valid.message());
    if (items.empty()) return Decision::Refuse("the import has no items");
    std::optional<LeadNames> lead_names;
    std::string directory_id;
    if (cmd.payload.contains("units")) {
      const Json& units = cmd.payload["units"];
      if (!units.is_string() || units.get_ref<const std::string&>().empty()) {
        return Decision::Refuse(
            "units must name a unit directory, e.g. \"units/guangxi\"; "
            "nothing was imported");
      }
      directory_id = units.get<std::string>();
      auto directory = ctx.load_shared(directory_id);
      if (!directory.ok()) {
        return Decision::Refuse("no unit directory " + directory_id + "; nothing was imported");
      }
      auto names = LeadNames::From(**directory);
      if (!names.ok()) return Decision::Refuse(names.status().message() + "; nothing was imported");
      lead_names = std::move(*names);
    }
    auto unit_of = [&](const Json& name) -> Json {
      return lead_names ? Json(lead_names->Resolve(name.get<std::string>())) : name;
    };
    auto units_of = [&](const Json& names) {
      Json out = Json::array();
      for (const Json& n : names) out.push_back(unit_of(n));
      return out;
    };
    Decision d;
    Json created = Json::array();
    std::set<std::string> taken;
    for (const auto& [id, entry] : book["items"].items()) taken.insert(id);
    for (const Json& o : items) {
      std::string id = o.value("id", "");
      if (id.empty()) {
        int n = book.value("next_seq", 1);
        while (taken.count(std::to_string(year) + "-" + std::to_string(n))) ++n;
        id = std::to_string(year) + "-" + std::to_string(n);
      }
      taken.insert(id);
      Instance item;
      item.id = ItemInstanceId(id);
      item.type = kItemType;
      if (ctx.load(item.id).ok()) {
        return Decision::Refuse("cannot import " + o["name"].dump() + ": " + item.id +
                                " already exists; nothing was imported");
      }
      item.data = {{"id", id},
                   {"year", year},
                   {"kind", "planned"},
                   {"name", o["name"]},
                   {"lead", unit_of(o["lead"])},
                   {"co_leads", units_of(o.value("co_leads", Json::array()))},
                   {"assessed_units", o.value("assessed_units", Json::array())},
                   {"indicators", o["indicators"]},
                   {"imported", true},
                   {"decisions", Json::array({DecisionRecord(cmd, ctx)})}};
      for (const char* f : {"basis", "scoring_rules"}) {
        if (o.contains(f)) item.data[f] = o[f];
      }
      Json grant = Json::object();
      for (const char* f : {"valid_from", "valid_to", "licence_number"}) {
        if (o.contains(f)) {
          grant[f] = o[f];
        } else if (cmd.payload.contains(f)) {
          grant[f] = cmd.payload[f];
        }
      }
      Status s = GrantLicence(item, book, grant, cmd, ctx, config_, &d.timers_set);
      if (!s.ok()) {
        return Decision::Refuse("cannot import " + o["name"].dump() + ": " + s.message() +
                                "; nothing was imported");
      }
      created.push_back({{"id", id}, {"number", item.data["licence"]["number"]}});
      d.other_writes.push_back(WriteOf(item, 0));
    }
    Decision accepted = Decision::Accept("open", book);
    accepted.other_writes = std::move(d.other_writes);
    accepted.timers_set = std::move(d.timers_set);
    accepted.result = {{"imported", created}};
    if (lead_names) accepted.result["leads"] = lead_names->Report(directory_id);
    return accepted;
  }

  if (cmd.name == "approve_plan") {
    if (cmd.actor.role != "committee") {
      return Decision::Forbid("only the committee approves the yearly plan, not " + cmd.actor.role);
    }
    Decision d;
    Json licensed = Json::array();
    const Json entries = book["items"];  // a copy: GrantLicence changes the book
    for (const auto& [id, entry] : entries.items()) {
      if (entry.value("status", "") != kApproved) continue;
      auto loaded = ctx.load(ItemInstanceId(id));
      if (!loaded.ok()) return Decision::Refuse("cannot load " + id + ": " + loaded.status().message());
      if (loaded->state != "approved") continue;
      Instance item = *loaded;
      Status s = GrantLicence(item, book, cmd.payload, cmd, ctx, config_, &d.timers_set);
      if (!s.ok()) return Decision::Refuse(s.message());
      item.data["decisions"].push_back(DecisionRecord(cmd, ctx));
      licensed.push_back({{"id", id}, {"number", item.data["licence"]["number"]}});
      d.other_writes.push_back(WriteOf(item, loaded->version));
    }
    if (licensed.empty()) {
      return Decision::Refuse("the " + std::to_string(year) + " plan has no approved item to license");
    }
    Decision accepted = Decision::Accept("open", book);
    accepted.other_writes = std::move(d.other_writes);
    accepted.timers_set = std::move(d.timers_set);
    accepted.result = {{"licensed", licensed}};
    return accepted;
  }
  return Decision::Refuse("a registry book has no command \"" + cmd.name +
                          "\" (configure, import, approve_plan)");
}

void RegisterRegistryWorkflows(Engine* engine, const RegistryConfig& config) {
  engine->Register(std::make_unique<SpecialAssessmentWorkflow>(config));
  engine->Register(std::make_unique<RegistryBookWorkflow>(config));
}

}  // namespace govassess::registry

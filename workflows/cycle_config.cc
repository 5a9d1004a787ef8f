#include "workflows/cycle_config.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <utility>

namespace govassess::workflows {

namespace internal {

bool IsValidDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  auto num = [&](size_t pos, size_t len) {
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) v = v * 10 + (text[i] - '0');
    return v;
  };
  const int year = num(0, 4);
  const int month = num(5, 2);
  const int day = num(8, 2);
  if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int days_in_month = (month == 2 && leap) ? 29 : kDays[month - 1];
  return day <= days_in_month;
}

std::string FormatNumber(double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", value);
  std::string s(buf);
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

std::string JoinPath(std::string_view parent, std::string_view field) {
  if (parent.empty()) return std::string(field);
  std::string out(parent);
  out += '.';
  out += field;
  return out;
}

std::string IndexPath(std::string_view parent, size_t index) {
  std::string out(parent);
  out += '[';
  out += std::to_string(index);
  out += ']';
  return out;
}

ObjectReader::ObjectReader(const nlohmann::json& json, std::string path,
                           std::vector<std::string> allowed)
    : json_(json), path_(std::move(path)) {
  if (!json_.is_object()) {
    status_ = Status::InvalidArgument((path_.empty() ? std::string("document") : path_) +
                                      ": expected an object, got " + json_.type_name());
    return;
  }
  for (const auto& item : json_.items()) {
    if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end()) {
      std::string known;
      for (const auto& a : allowed) known += (known.empty() ? "" : ", ") + a;
      status_ =
          Status::InvalidArgument(PathOf(item.key()) + ": unknown field (known: " + known + ")");
      return;
    }
  }
}

bool ObjectReader::Has(std::string_view field) const {
  if (!json_.is_object()) return false;
  auto it = json_.find(std::string(field));
  return it != json_.end() && !it->is_null();
}

bool ObjectReader::Fail(std::string_view field, const std::string& message) {
  if (status_.ok()) status_ = Status::InvalidArgument(PathOf(field) + ": " + message);
  return false;
}

const nlohmann::json* ObjectReader::Get(std::string_view field, bool required) {
  if (!status_.ok()) return nullptr;
  auto it = json_.find(std::string(field));
  if (it == json_.end() || it->is_null()) {
    if (required) Fail(field, "required field is missing");
    return nullptr;
  }
  return &*it;
}

bool ObjectReader::ReadString(std::string_view field, std::string* out) {
  const nlohmann::json* v = Get(field, true);
  if (v == nullptr) return false;
  if (!v->is_string()) return Fail(field, std::string("expected a string, got ") + v->type_name());
  std::string s = v->get<std::string>();
  if (s.find_first_not_of(" \t\r\n") == std::string::npos) return Fail(field, "must not be empty");
  *out = std::move(s);
  return true;
}

bool ObjectReader::ReadOptionalString(std::string_view field, std::string* out) {
  if (!status_.ok()) return false;
  const nlohmann::json* v = Get(field, false);
  if (v == nullptr) return true;
  if (!v->is_string()) return Fail(field, std::string("expected a string, got ") + v->type_name());
  *out = v->get<std::string>();
  return true;
}

bool ObjectReader::ReadInt(std::string_view field, int* out) {
  const nlohmann::json* v = Get(field, true);
  if (v == nullptr) return false;
  if (!v->is_number_integer()) {
    return Fail(field, std::string("expected an integer, got ") +
                           (v->is_number() ? "a decimal number" : v->type_name()));
  }
  const long long n = v->get<long long>();
  if (n < -1000000000LL || n > 1000000000LL) return Fail(field, "integer out of range");
  *out = static_cast<int>(n);
  return true;
}

bool ObjectReader::ReadNumber(std::string_view field, double* out) {
  const nlohmann::json* v = Get(field, true);
  if (v == nullptr) return false;
  if (!v->is_number()) return Fail(field, std::string("expected a number, got ") + v->type_name());
  const double d = v->get<double>();
  if (!std::isfinite(d)) return Fail(field, "expected a finite number");
  *out = d;
  return true;
}

bool ObjectReader::ReadOptionalNumber(std::string_view field, std::optional<double>* out) {
  if (!status_.ok()) return false;
  if (!Has(field)) return true;
  double d = 0;
  if (!ReadNumber(field, &d)) return false;
  *out = d;
  return true;
}

bool ObjectReader::ReadOptionalBool(std::string_view field, bool* out) {
  if (!status_.ok()) return false;
  const nlohmann::json* v = Get(field, false);
  if (v == nullptr) return true;
  if (!v->is_boolean())
    return Fail(field, std::string("expected true or false, got ") + v->type_name());
  *out = v->get<bool>();
  return true;
}

bool ObjectReader::ReadDate(std::string_view field, std::string* out) {
  const nlohmann::json* v = Get(field, true);
  if (v == nullptr) return false;
  if (!v->is_string()) {
    return Fail(field, std::string("expected a date string \"YYYY-MM-DD\", got ") + v->type_name());
  }
  std::string s = v->get<std::string>();
  if (!IsValidDate(s)) return Fail(field, "\"" + s + "\" is not a valid date (YYYY-MM-DD)");
  *out = std::move(s);
  return true;
}

bool ObjectReader::ReadArray(std::string_view field, const nlohmann::json** out) {
  const nlohmann::json* v = Get(field, true);
  if (v == nullptr) return false;
  if (!v->is_array()) return Fail(field, std::string("expected an array, got ") + v->type_name());
  *out = v;
  return true;
}

bool ObjectReader::ReadOptionalArray(std::string_view field, const nlohmann::json** out) {
  if (!status_.ok()) return false;
  if (!Has(field)) return true;
  return ReadArray(field, out);
}

bool ObjectReader::ReadObject(std::string_view field, const nlohmann::json** out) {
  const nlohmann::json* v = Get(field, true);
  if (v == nullptr) return false;
  if (!v->is_object()) return Fail(field, std::string("expected an object, got ") + v->type_name());
  *out = v;
  return true;
}

bool ObjectReader::ReadOptionalObject(std::string_view field, const nlohmann::json** out) {
  if (!status_.ok()) return false;
  if (!Has(field)) return true;
  return ReadObject(field, out);
}

}  // namespace internal

namespace {

using internal::FormatNumber;
using internal::IndexPath;
using internal::JoinPath;
using internal::ObjectReader;

constexpr double kWeightEpsilon = 1e-6;
constexpr int kMinYear = 2000;
constexpr int kMaxYear = 2100;

// Ids are short ASCII slugs: lower-case letter first, then [a-z0-9_].
bool IsSlug(const std::string& id) {
  if (id.empty() || id.size() > 64 || id[0] < 'a' || id[0] > 'z') return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

std::string YearOf(const std::string& date) { return date.substr(0, 4); }

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

Status ParseTargetTypes(const nlohmann::json& array, CycleConfig* config) {
  const std::string path = "target_types";
  if (array.empty())
    return Status::InvalidArgument(path + ": at least one target type is required");
  std::map<std::string, size_t> seen;
  double sum = 0;
  std::string breakdown;
  for (size_t i = 0; i < array.size(); ++i) {
    const std::string item_path = IndexPath(path, i);
    ObjectReader r(array[i], item_path, {"id", "name", "weight"});
    TargetType t;
    r.ReadString("id", &t.id) && r.ReadString("name", &t.name) && r.ReadNumber("weight", &t.weight);
    if (!r.ok()) return r.status();
    if (!IsSlug(t.id)) {
      r.Fail("id",
             Quote(t.id) + " is not a valid id (lower-case a-z, 0-9, _; starts with a letter)");
    } else if (auto it = seen.find(t.id); it != seen.end()) {
      r.Fail("id", "duplicate id " + Quote(t.id) + " (also " + IndexPath(path, it->second) + ")");
    } else if (t.weight <= 0 || t.weight > 100) {
      r.Fail("weight",
             "must be more than 0 and at most 100 (percent), got " + FormatNumber(t.weight));
    }
    if (!r.ok()) return r.status();
    seen.emplace(t.id, i);
    sum += t.weight;
    breakdown += (breakdown.empty() ? "" : " + ") + t.id + " " + FormatNumber(t.weight);
    config->target_types.push_back(std::move(t));
  }
  if (std::fabs(sum - 100) > kWeightEpsilon) {
    return Status::InvalidArgument(JoinPath(IndexPath(path, array.size() - 1), "weight") +
                                   ": weights must sum to 100, got " + FormatNumber(sum) + " (" +
                                   breakdown + ")");
  }
  return Status::Ok();
}

Status ParseCategories(const nlohmann::json& array, CycleConfig* config) {
  const std::string path = "categories";
  if (array.empty()) return Status::InvalidArgument(path + ": at least one category is required");
  std::map<std::string, size_t> seen;
  for (size_t i = 0; i < array.size(); ++i) {
    const std::string item_path = IndexPath(path, i);
    ObjectReader r(array[i], item_path, {"id", "name", "target_type_weights", "note"});
    Category c;
    const nlohmann::json* weights = nullptr;
    r.ReadString("id", &c.id) && r.ReadString("name", &c.name) &&
        r.ReadOptionalObject("target_type_weights", &weights) &&
        r.ReadOptionalString("note", &c.note);
    if (!r.ok()) return r.status();
    if (!IsSlug(c.id)) {
      r.Fail("id",
             Quote(c.id) + " is not a valid id (lower-case a-z, 0-9, _; starts with a letter)");
    } else if (auto it = seen.find(c.id); it != seen.end()) {
      r.Fail("id", "duplicate id " + Quote(c.id) + " (also " + IndexPath(path, it->second) + ")");
    }
    if (!r.ok()) return r.status();
    if (weights != nullptr) {
      const std::string wpath = JoinPath(item_path, "target_type_weights");
      if (weights->empty()) {
        return Status::InvalidArgument(wpath +
                                       ": must name at least one target type, or be left out");
      }
      double sum = 0;
      for (const auto& item : weights->items()) {
        const std::string kpath = JoinPath(wpath, item.key());
        if (config->FindTargetType(item.key()) == nullptr) {
          std::string known;
          for (const auto& t : config->target_types) known += (known.empty() ? "" : ", ") + t.id;
          return Status::InvalidArgument(kpath + ": unknown target type " + Quote(item.key()) +
                                         " (known: " + known + ")");
        }
        if (!item.value().is_number() || !std::isfinite(item.value().get<double>())) {
          return Status::InvalidArgument(kpath + ": expected a number, got " +
                                         item.value().type_name());
        }
        const double w = item.value().get<double>();
        if (w < 0 || w > 100) {
          return Status::InvalidArgument(kpath + ": must be between 0 and 100 (percent), got " +
                                         FormatNumber(w));
        }
        sum += w;
        c.target_type_weights[item.key()] = w;
      }
      if (std::fabs(sum - 100) > kWeightEpsilon) {
        return Status::InvalidArgument(wpath + ": weights must sum to 100, got " +
                                       FormatNumber(sum));
      }
    }
    seen.emplace(c.id, i);
    config->categories.push_back(std::move(c));
  }
  return Status::Ok();
}

Status ParseWindow(ObjectReader& parent, std::string_view field, DateWindow* out) {
  const nlohmann::json* obj = nullptr;
  if (!parent.ReadObject(field, &obj)) return parent.status();
  ObjectReader r(*obj, parent.PathOf(field), {"from", "to"});
  r.ReadDate("from", &out->from) && r.ReadDate("to", &out->to);
  if (r.ok() && out->to < out->from) {
    r.Fail("to", Quote(out->to) + " is before from " + Quote(out->from));
  }
  return r.status();
}

Status ParseMilestones(const nlohmann::json& json, int year, Milestones* m) {
  ObjectReader r(
      json, "milestones",
      {"plan_due", "adjustment_window", "new_task_window_working_days", "midyear_check",
       "self_assessment_due", "lead_scoring_due", "onsite_verification_due", "external_scores_due",
       "results_due", "appeal_window_working_days", "ratification_due"});
  if (!r.ok()) return r.status();
  const std::string this_year = std::to_string(year);
  const std::string next_year = std::to_string(year + 1);

  auto in_year = [&](std::string_view field, const std::string& date, const std::string& y,
                     const char* what) {
    if (YearOf(date) != y) {
      return r.Fail(field, Quote(date) + " must fall in " + y + " (" + what + ")");
    }
    return true;
  };
  auto not_before = [&](std::string_view field, const std::string& date,
                        std::string_view other_field, const std::string& other) {
    if (date < other) {
      return r.Fail(field,
                    Quote(date) + " is before " + r.PathOf(other_field) + " " + Quote(other));
    }
    return true;
  };
  auto working_days = [&](std::string_view field, int* out, int max) {
    if (!r.ReadInt(field, out)) return false;
    if (*out < 1 || *out > max) {
      return r.Fail(field, "must be between 1 and " + std::to_string(max) + " working days, got " +
                               std::to_string(*out));
    }
    return true;
  };

  if (!r.ReadDate("plan_due", &m->plan_due) ||
      !in_year("plan_due", m->plan_due, this_year, "the cycle year")) {
    return r.status();
  }

  if (Status s = ParseWindow(r, "adjustment_window", &m->adjustment_window); !s.ok()) return s;
  if (!in_year("adjustment_window.from", m->adjustment_window.from, this_year, "the cycle year") ||
      !in_year("adjustment_window.to", m->adjustment_window.to, this_year, "the cycle year") ||
      !not_before("adjustment_window.from", m->adjustment_window.from, "plan_due", m->plan_due)) {
    return r.status();
  }
  if (!working_days("new_task_window_working_days", &m->new_task_window_working_days, 120)) {
    return r.status();
  }
  if (Status s = ParseWindow(r, "midyear_check", &m->midyear_check); !s.ok()) return s;
  if (!in_year("midyear_check.from", m->midyear_check.from, this_year, "the cycle year") ||
      !in_year("midyear_check.to", m->midyear_check.to, this_year, "the cycle year") ||
      !not_before("midyear_check.from", m->midyear_check.from, "plan_due", m->plan_due)) {
    return r.status();
  }

  const char* kAfter = "the year after the cycle";
  if (!r.ReadDate("self_assessment_due", &m->self_assessment_due) ||
      !in_year("self_assessment_due", m->self_assessment_due, next_year, kAfter)) {
    return r.status();
  }
  if (!r.ReadDate("lead_scoring_due", &m->lead_scoring_due) ||
      !in_year("lead_scoring_due", m->lead_scoring_due, next_year, kAfter) ||
      !not_before("lead_scoring_due", m->lead_scoring_due, "self_assessment_due",
                  m->self_assessment_due)) {
    return r.status();
  }
  if (!r.ReadDate("onsite_verification_due", &m->onsite_verification_due) ||
      !in_year("onsite_verification_due", m->onsite_verification_due, next_year, kAfter) ||
      !not_before("onsite_verification_due", m->onsite_verification_due, "lead_scoring_due",
                  m->lead_scoring_due)) {
    return r.status();
  }
  if (!r.ReadDate("external_scores_due", &m->external_scores_due) ||
      !in_year("external_scores_due", m->external_scores_due, next_year, kAfter)) {
    return r.status();
  }
  if (!r.ReadDate("results_due", &m->results_due) ||
      !in_year("results_due", m->results_due, next_year, kAfter) ||
      !not_before("results_due", m->results_due, "onsite_verification_due",
                  m->onsite_verification_due) ||
      !not_before("results_due", m->results_due, "external_scores_due", m->external_scores_due)) {
    return r.status();
  }
  if (!working_days("appeal_window_working_days", &m->appeal_window_working_days, 30)) {
    return r.status();
  }
  if (!r.ReadDate("ratification_due", &m->ratification_due) ||
      !in_year("ratification_due", m->ratification_due, next_year, kAfter) ||
      !not_before("ratification_due", m->ratification_due, "results_due", m->results_due)) {
    return r.status();
  }
  return Status::Ok();
}

Status ParseGradeRules(const nlohmann::json& json, GradeRules* g) {
  ObjectReader r(json, "grade_rules",
                 {"first_share", "second_share", "fail_below", "max_score", "downgrade_areas",
                  "affirmation_lifts_fail"});
  const nlohmann::json* areas = nullptr;
  r.ReadNumber("first_share", &g->first_share) && r.ReadNumber("second_share", &g->second_share) &&
      r.ReadNumber("fail_below", &g->fail_below) && r.ReadNumber("max_score", &g->max_score) &&
      r.ReadArray("downgrade_areas", &areas) &&
      r.ReadOptionalBool("affirmation_lifts_fail", &g->affirmation_lifts_fail);
  if (!r.ok()) return r.status();
  if (g->first_share <= 0 || g->first_share > 1) {
    r.Fail("first_share", "must be more than 0 and at most 1, got " + FormatNumber(g->first_share));
  } else if (g->second_share < 0 || g->second_share > 1) {
    r.Fail("second_share", "must be between 0 and 1, got " + FormatNumber(g->second_share));
  } else if (g->first_share + g->second_share > 1 + kWeightEpsilon) {
    r.Fail("second_share", "first_share + second_share must be at most 1, got " +
                               FormatNumber(g->first_share + g->second_share));
  } else if (g->max_score <= 0) {
    r.Fail("max_score", "must be more than 0, got " + FormatNumber(g->max_score));
  } else if (g->fail_below < 0 || g->fail_below > g->max_score) {
    r.Fail("fail_below", "must be between 0 and max_score " + FormatNumber(g->max_score) +
                             ", got " + FormatNumber(g->fail_below));
  }
  if (!r.ok()) return r.status();
  const std::string apath = r.PathOf("downgrade_areas");
  for (size_t i = 0; i < areas->size(); ++i) {
    const auto& a = (*areas)[i];
    const std::string ipath = IndexPath(apath, i);
    if (!a.is_string()) {
      return Status::InvalidArgument(ipath + ": expected a string, got " + a.type_name());
    }
    std::string area = a.get<std::string>();
    if (area.find_first_not_of(" \t\r\n") == std::string::npos) {
      return Status::InvalidArgument(ipath + ": must not be empty");
    }
    if (std::find(g->downgrade_areas.begin(), g->downgrade_areas.end(), area) !=
        g->downgrade_areas.end()) {
      return Status::InvalidArgument(ipath + ": duplicate area " + Quote(area));
    }
    g->downgrade_areas.push_back(std::move(area));
  }
  return Status::Ok();
}

// A reminder "N working days before" the appeal window closes must fall inside the
// window: N = the window's length is the day the result arrives (it is sent with the
// result), and more is before the unit has anything to appeal. Only what the cycle
// names is checked; the built-in default (2) is skipped when the window is shorter.
Status CheckAppealReminders(const nlohmann::json& reminders, int window_working_days) {
  const nlohmann::json* days = nullptr;
  if (reminders.contains("kinds") && reminders["kinds"].contains("appeal_window")) {
    const nlohmann::json& kind = reminders["kinds"]["appeal_window"];
    if (kind.contains("before_working_days")) days = &kind["before_working_days"];
  }
  if (days == nullptr) return Status::Ok();
  for (size_t i = 0; i < days->size(); ++i) {
    const int n = (*days)[i].get<int>();  // ParseReminderPolicies checked the type
    if (n >= window_working_days) {
      return Status::InvalidArgument(
          "reminders.kinds.appeal_window.before_working_days[" + std::to_string(i) + "]: " +
          std::to_string(n) + " working days before the appeal window closes is not inside the " +
          std::to_string(window_working_days) +
          "-working-day window (milestones.appeal_window_working_days); " +
          (window_working_days > 1 ? "use 1 to " + std::to_string(window_working_days - 1)
                                   : std::string("remind on the day only")));
    }
  }
  return Status::Ok();
}

}  // namespace

const char* SchemeName(Scheme scheme) {
  switch (scheme) {
    case Scheme::kCity:
      return "city";
    case Scheme::kDepartment:
      return "department";
  }
  return "city";
}

const Category* CycleConfig::FindCategory(std::string_view id) const {
  for (const auto& c : categories) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

const TargetType* CycleConfig::FindTargetType(std::string_view id) const {
  for (const auto& t : target_types) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

Result<std::map<std::string, double>> CycleConfig::WeightsFor(std::string_view category_id) const {
  const Category* c = FindCategory(category_id);
  if (c == nullptr) {
    return Status::NotFound("category \"" + std::string(category_id) + "\" is not in the " +
                            std::to_string(year) + " " + SchemeName(scheme) + " cycle");
  }
  std::map<std::string, double> out;
  for (const auto& t : target_types) {
    if (c->target_type_weights.empty()) {
      out[t.id] = t.weight;
    } else {
      auto it = c->target_type_weights.find(t.id);
      out[t.id] = it == c->target_type_weights.end() ? 0.0 : it->second;
    }
  }
  return out;
}

Result<double> CycleConfig::MaxPointsFor(std::string_view category_id,
                                         std::string_view target_type) const {
  Result<std::map<std::string, double>> weights = WeightsFor(category_id);
  if (!weights.ok()) return weights.status();
  auto it = weights->find(std::string(target_type));
  if (it == weights->end()) {
    return Status::NotFound("target type \"" + std::string(target_type) + "\" is not in the " +
                            std::to_string(year) + " " + SchemeName(scheme) + " cycle");
  }
  return it->second * grade_rules.max_score / 100.0;
}

Result<CycleConfig> ParseCycleConfig(const nlohmann::json& json) {
  ObjectReader r(json, "",
                 {"year", "scheme", "name", "source", "categories", "target_types", "milestones",
                  "grade_rules", "reminders"});
  CycleConfig config;
  std::string scheme;
  if (!r.ReadInt("year", &config.year)) return r.status();
  if (config.year < kMinYear || config.year > kMaxYear) {
    r.Fail("year", "must be between " + std::to_string(kMinYear) + " and " +
                       std::to_string(kMaxYear) + ", got " + std::to_string(config.year));
    return r.status();
  }
  if (!r.ReadString("scheme", &scheme)) return r.status();
  if (scheme == "city") {
    config.scheme = Scheme::kCity;
  } else if (scheme == "department") {
    config.scheme = Scheme::kDepartment;
  } else {
    r.Fail("scheme", "must be \"city\" or \"department\", got " + Quote(scheme));
    return r.status();
  }
  const nlohmann::json* target_types = nullptr;
  const nlohmann::json* categories = nullptr;
  const nlohmann::json* milestones = nullptr;
  const nlohmann::json* grade_rules = nullptr;
  r.ReadString("name", &config.name) && r.ReadOptionalString("source", &config.source) &&
      r.ReadArray("target_types", &target_types) && r.ReadArray("categories", &categories) &&
      r.ReadObject("milestones", &milestones) && r.ReadObject("grade_rules", &grade_rules);
  if (!r.ok()) return r.status();
  if (Status s = ParseTargetTypes(*target_types, &config); !s.ok()) return s;
  if (Status s = ParseCategories(*categories, &config); !s.ok()) return s;
  if (Status s = ParseMilestones(*milestones, config.year, &config.milestones); !s.ok()) return s;
  if (Status s = ParseGradeRules(*grade_rules, &config.grade_rules); !s.ok()) return s;
  if (json.contains("reminders")) {
    auto reminders = ParseReminderPolicies(json["reminders"]);
    if (!reminders.ok()) return reminders.status();
    if (Status s = CheckAppealReminders(json["reminders"],
                                        config.milestones.appeal_window_working_days);
        !s.ok()) {
      return s;
    }
    config.reminders = *reminders;
    config.reminders_json = json["reminders"];
  }
  return config;
}

nlohmann::json CycleConfigToJson(const CycleConfig& config) {
  nlohmann::json j;
  j["year"] = config.year;
  j["scheme"] = SchemeName(config.scheme);
  j["name"] = config.name;
  if (!config.source.empty()) j["source"] = config.source;
  j["target_types"] = nlohmann::json::array();
  for (const auto& t : config.target_types) {
    j["target_types"].push_back({{"id", t.id}, {"name", t.name}, {"weight", t.weight}});
  }
  j["categories"] = nlohmann::json::array();
  for (const auto& c : config.categories) {
    nlohmann::json cj = {{"id", c.id}, {"name", c.name}};
    if (!c.target_type_weights.empty()) cj["target_type_weights"] = c.target_type_weights;
    if (!c.note.empty()) cj["note"] = c.note;
    j["categories"].push_back(std::move(cj));
  }
  const Milestones& m = config.milestones;
  j["milestones"] = {
      {"plan_due", m.plan_due},
      {"adjustment_window", {{"from", m.adjustment_window.from}, {"to", m.adjustment_window.to}}},
      {"new_task_window_working_days", m.new_task_window_working_days},
      {"midyear_check", {{"from", m.midyear_check.from}, {"to", m.midyear_check.to}}},
      {"self_assessment_due", m.self_assessment_due},
      {"lead_scoring_due", m.lead_scoring_due},
      {"onsite_verification_due", m.onsite_verification_due},
      {"external_scores_due", m.external_scores_due},
      {"results_due", m.results_due},
      {"appeal_window_working_days", m.appeal_window_working_days},
      {"ratification_due", m.ratification_due},
  };
  const GradeRules& g = config.grade_rules;
  j["grade_rules"] = {
      {"first_share", g.first_share},         {"second_share", g.second_share},
      {"fail_below", g.fail_below},           {"max_score", g.max_score},
      {"downgrade_areas", g.downgrade_areas}, {"affirmation_lifts_fail", g.affirmation_lifts_fail},
  };
  if (!config.reminders_json.is_null()) j["reminders"] = config.reminders_json;
  return j;
}

}  // namespace govassess::workflows

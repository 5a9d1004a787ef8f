// CycleConfig: one year's assessment work plan (年度绩效考评工作方案) as data.
//
// A cycle is one year of one scheme: the cities scheme (设区市) or the provincial
// departments scheme (区直部门). It fixes the unit categories that grades are
// assigned within, the target types and their weights (职能/专项/创新/满意/共性/领导
// 评价), the milestones of the lifecycle and the grade rules. Nothing of this is a
// constant in code: every date and window comes from the cycle file
// (workflows/data/cycle-2026-*.json; every field is described in docs/cycle-config.md
// with the passage of seed 001 it comes from).
//
// Dates are kept as "YYYY-MM-DD" strings; the parser checks that each is a real
// calendar date (leap years included), so two valid dates compare correctly as
// strings. Working-day windows are counts; turning them into dates needs the
// working-day calendar, which is not part of this file.
//
// Thread safety: CycleConfig is a plain value. A const CycleConfig may be read from
// any number of threads; ParseCycleConfig has no shared state.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/status.h"
#include "workflows/reminder_policy.h"

namespace govassess::workflows {

enum class Scheme {
  kCity,        // "city": the 14 cities (设区市)
  kDepartment,  // "department": provincial departments (自治区直属机关)
};

// Returns "city" or "department".
const char* SchemeName(Scheme scheme);

// One target type (目标类型) with its weight in percent of the total score.
struct TargetType {
  std::string id;     // "functional", "special", "innovation", "satisfaction", "common", ...
  std::string name;   // "职能目标"
  double weight = 0;  // percent, > 0; all target types of a cycle sum to 100
};

// A category of units (考评类别). Grades are assigned by rank within a category.
struct Category {
  std::string id;  // "party_mass", "economic", ..., or "cities"
  std::string name;  // "党委、人大、政协、纪委监委机关，法院、检察院及群团组织"
  // Per-category override of the target-type weights (percent, summing to 100), e.g.
  // 60/9/6/25 for two department categories. Target types not named here have weight 0
  // in this category (not assessed). Empty: the cycle's target_types weights apply.
  std::map<std::string, double> target_type_weights;
  std::string note;  // optional free text, e.g. the seed passage behind the override
};

// An inclusive range of dates, both "YYYY-MM-DD".
struct DateWindow {
  std::string from;
  std::string to;
};

// The lifecycle milestones of the cycle (考评步骤). Dates "YYYY-MM-DD".
struct Milestones {
  std::string plan_due;          // plans filed and approved (编制绩效计划), e.g. 04-30
  DateWindow adjustment_window;  // filing window for indicator adjustments (备案)
  int new_task_window_working_days = 0;  // new major tasks: apply within N working days
  DateWindow midyear_check;              // mid-year check (中期核验), July
  std::string self_assessment_due;       // 自查自评, next year
  std::string lead_scoring_due;          // lead assessors score (目标考核/组织审核)
  std::string onsite_verification_due;   // office verifies on site (察访核验/年度核验)
  std::string external_scores_due;       // social evaluation and innovation review
  std::string results_due;               // office aggregates results (形成考评结果)
  int appeal_window_working_days = 0;    // 复核申请 window after results are received: 5
  std::string ratification_due;          // leading group + standing committee (审定)
};

// How totals become grades (等次划分). See docs/scoring.md.
struct GradeRules {
  double first_share = 0.4;   // share of a category ranked into first grade (一等)
  double second_share = 0.4;  // next share into second grade (二等); the rest third (三等)
  double fail_below = 800;    // totals below this fail (不合格) regardless of rank
  double max_score = 1000;    // 千分制
  // Areas in which a major problem lowers the grade by one (降等).
  std::vector<std::string> downgrade_areas;
  // Whether an affirmation (一票肯定) also lifts a total below fail_below to first grade.
  // Default false: below fail_below stays fail. See docs/scoring.md.
  bool affirmation_lifts_fail = false;
};

struct CycleConfig {
  int year = 0;  // the assessment year (考评周期 1 Jan – 31 Dec)
  Scheme scheme = Scheme::kCity;
  std::string name;    // "2026年度设区市机关绩效考评工作方案"
  std::string source;  // optional: the document it comes from
  std::vector<Category> categories;
  std::vector<TargetType> target_types;
  Milestones milestones;
  GradeRules grade_rules;
  // Optional "reminders": when people are reminded of each deadline (reminder_policy.h);
  // the defaults (5, 3, 1 working days before, on the day, escalation 1 after) if absent.
  ReminderPolicies reminders;
  nlohmann::json reminders_json;  // as given, for CycleConfigToJson; null if absent

  // Returns the category or target type with `id`, or nullptr if there is none.
  const Category* FindCategory(std::string_view id) const;
  const TargetType* FindTargetType(std::string_view id) const;

  // Returns the effective weights (percent) of every target type of the cycle for
  // `category_id`: the category's override if it has one (types it does not name get
  // 0), otherwise the cycle's target_types weights. Keys are target type ids.
  // Fails with NotFound if the category does not exist.
  Result<std::map<std::string, double>> WeightsFor(std::string_view category_id) const;

  // Returns the points a target type is worth in a category: weight% × max_score / 100
  // (e.g. functional 70% of 1000 → 700). Fails with NotFound for an unknown category
  // or target type. A type not assessed in the category is worth 0 (not an error).
  Result<double> MaxPointsFor(std::string_view category_id, std::string_view target_type) const;
};

// Parses and validates a cycle configuration.
// On success returns the config. On failure returns InvalidArgument whose message
// starts with the path of the first offending field, e.g.
//   target_types[3].weight: weights must sum to 100, got 97 (...)
//   milestones.adjustment_window.from: "2026-11-31" is not a valid date
//   milestones.colour: unknown field
// Unknown fields are errors at every level. Fields are checked in the order of
// docs/cycle-config.md (year, scheme, name, target_types, categories, milestones,
// grade_rules); only the first problem is reported.
Result<CycleConfig> ParseCycleConfig(const nlohmann::json& json);

// Serialises a config to the JSON form ParseCycleConfig accepts (round-trips).
nlohmann::json CycleConfigToJson(const CycleConfig& config);

// ---------------------------------------------------------------------------------
// Internal helpers shared by the parsers of workflows/ (cycle_config, units,
// indicator_tree, scoring). Not part of the domain API; they live here because this
// header is the one every workflows/ parser already includes.
namespace internal {

// True if `text` is exactly "YYYY-MM-DD" and names a real calendar date (Gregorian,
// years 1900–2999).
bool IsValidDate(std::string_view text);

// Formats a number for messages: 97 → "97", 11.5 → "11.5", 0.1+0.2 → "0.3".
std::string FormatNumber(double value);

// Builds "parent.field" (or "field" when parent is empty) and "parent[i]".
std::string JoinPath(std::string_view parent, std::string_view field);
std::string IndexPath(std::string_view parent, size_t index);

// Reads the fields of one JSON object and names the offending field by its path in
// every error. The constructor checks that `json` is an object and has no field
// outside `allowed`. Each Read* returns false (and records the error) on failure;
// after the first error every further read fails too, so a parser may read all
// fields and check status() once. Not thread-safe; short-lived, one per object.
// REQUIRES: `json` outlives the reader.
class ObjectReader {
 public:
  ObjectReader(const nlohmann::json& json, std::string path, std::vector<std::string> allowed);

  const Status& status() const { return status_; }
  bool ok() const { return status_.ok(); }
  bool Has(std::string_view field) const;
  std::string PathOf(std::string_view field) const { return JoinPath(path_, field); }

  // Required fields: missing → "path.field: required field is missing".
  bool ReadString(std::string_view field, std::string* out);  // non-empty string
  bool ReadInt(std::string_view field, int* out);
  bool ReadNumber(std::string_view field, double* out);     // finite number
  bool ReadDate(std::string_view field, std::string* out);  // valid "YYYY-MM-DD"
  bool ReadArray(std::string_view field, const nlohmann::json** out);
  bool ReadObject(std::string_view field, const nlohmann::json** out);

  // Optional fields: absent (or null) leaves *out unchanged and returns true.
  bool ReadOptionalString(std::string_view field, std::string* out);  // may be empty
  bool ReadOptionalNumber(std::string_view field, std::optional<double>* out);
  bool ReadOptionalBool(std::string_view field, bool* out);
  bool ReadOptionalArray(std::string_view field, const nlohmann::json** out);
  bool ReadOptionalObject(std::string_view field, const nlohmann::json** out);

  // Records an error about `field` (if none is recorded yet) and returns false.
  bool Fail(std::string_view field, const std::string& message);

 private:
  const nlohmann::json* Get(std::string_view field, bool required);

  const nlohmann::json& json_;
  std::string path_;
  Status status_;
};

}  // namespace internal
}  // namespace govassess::workflows

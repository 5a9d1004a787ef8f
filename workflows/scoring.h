// Scoring and grades (千分制, 等次划分).
//
// Totals. A unit's total is out of grade_rules.max_score (1000). Each target type t
// is worth M_t = w_t × max_score / 100 points in the unit's category (w_t in percent:
// functional 70% → 700). Its points P_t come in one of two forms, per target type:
//   - indicator points: the lead assessors' points for every indicator of the plan
//     under t, each within [0, the indicator's weight]; P_t is their sum (≤ M_t, since
//     the plan's indicators under t sum to M_t);
//   - a single raw score r out of R (e.g. a survey result out of 100, or a special
//     assessment's result "折算" into the comprehensive assessment): P_t = r / R × M_t.
// total = Σ P_t, rounded half away from zero to 0.01 point. Ranking, ties and the
// fail line all use the rounded total.
//
// Grades. Within each category, units are ranked by total, highest first. Equal
// totals share a rank (competition ranking 1, 2, 2, 4) and get the grade of that rank,
// i.e. the better one; places are not re-counted. With n units, rank r gets
//   first  (一等) if r ≤ F = ⌊0.4 n + 0.5⌋,
//   second (二等) if r ≤ S = ⌊0.8 n + 0.5⌋  (first_share + second_share),
//   third  (三等) otherwise,
// and any total below fail_below (800) is fail (不合格) whatever its rank. Then the
// recorded overrides apply: an affirmation (一票肯定) sets first grade (but does not lift a
// total below fail_below unless grade_rules.affirmation_lifts_fail); then a downgrade
// (降等) lowers the grade by one: first → second → third → fail, fail stays fail; several
// downgrades of one unit still lower it by one. Affirmation and downgrade together:
// first, then one lower → second. docs/scoring.md gives the seed passages and tables.
//
// Thread safety: free functions over values; no shared state.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/status.h"
#include "workflows/cycle_config.h"
#include "workflows/indicator_tree.h"

namespace govassess::workflows {

enum class Grade {
  kFirst,   // 一等
  kSecond,  // 二等
  kThird,   // 三等
  kFail,    // 不合格
};

// "一等", "二等", "三等", "不合格".
const char* GradeName(Grade grade);
// "first", "second", "third", "fail".
const char* GradeId(Grade grade);

struct IndicatorScore {
  std::string indicator_id;
  double points = 0;
};

// The score of one target type, in exactly one of the two forms (see above).
struct TargetTypeScore {
  std::string target_type;
  std::vector<IndicatorScore> indicators;  // form 1: every indicator of the plan under it
  std::optional<double> raw_score;         // form 2: r, with raw_max R
  double raw_max = 100;
};

// One unit's scores for the year.
struct ScoreCard {
  std::string unit_id;
  std::string category_id;
  std::vector<TargetTypeScore> target_types;
};

struct ScoredUnit {
  std::string unit_id;
  std::string category_id;
  double total = 0;                                  // out of max_score, rounded to 0.01
  std::map<std::string, double> target_type_points;  // P_t, for display; may be empty
  std::string category_name;  // as the reasons name the category; the id when empty
};

// Computes a unit's total. `plan` is the unit's latest plan version; it is needed only
// when a target type is scored by indicators (may be nullptr otherwise).
// Fails with InvalidArgument naming the problem, e.g. `target_types[0] (functional):
// indicator "functional.1.1.1.1" has 25 points, more than its weight 21`, when: the
// category is not in the cycle; a target type is unknown, not assessed in the
// category, given twice, missing, or given in both or neither form; an indicator is
// not in the plan under that type, is scored twice, is left unscored, or has points
// outside [0, weight]; a raw score is outside [0, raw_max]; the plan is for another unit.
// REQUIRES: `plan`, if given, is valid for `config` (ValidateIndicatorTree).
Result<ScoredUnit> ComputeTotal(const ScoreCard& card, const CycleConfig& config,
                                const IndicatorTree* plan);

enum class OverrideKind {
  kAffirmation,  // 一票肯定: major innovation confirmed by the special procedure
  kDowngrade,    // 降等: a major problem in one of grade_rules.downgrade_areas
};

// A recorded decision that changes a unit's grade. Both kinds need a reason and an
// approver.
struct Override {
  OverrideKind kind = OverrideKind::kAffirmation;
  std::string unit_id;
  std::string area;      // downgrade: one of grade_rules.downgrade_areas; affirmation: empty
  std::string reason;    // required
  std::string approver;  // required: who decided (e.g. the leading group)
};

struct GradeResult {
  std::string unit_id;
  std::string category_id;
  double total = 0;
  int rank = 0;  // 1-based within the category; equal totals share a rank
  int category_size = 0;
  Grade grade_before_overrides = Grade::kFail;  // by rank and the fail line
  Grade final_grade = Grade::kFail;
  std::vector<std::string> reasons;  // every rule applied, in order, for the record
};

// Places per grade for a category of `category_size` units:
// first = ⌊first_share·n + 0.5⌋, second = ⌊(first_share + second_share)·n + 0.5⌋ − first,
// third = n − first − second (computed exactly, in millionths of a share).
struct GradePlaces {
  int first = 0;
  int second = 0;
  int third = 0;
};
GradePlaces PlacesFor(int category_size, const GradeRules& rules);

// Assigns grades by rank within each category and applies the overrides (see the top
// of this file). Results are grouped by category in order of first appearance in
// `units`, and within a category ordered by rank, then unit id.
// Fails with InvalidArgument (nothing is graded) when: a unit id is empty or repeated,
// a category is empty, a total is not within [0, max_score]; the rules are not valid
// (as ParseCycleConfig checks them); an override lacks a reason or an approver, names a
// unit that is not among `units`, or is a downgrade whose area is not one of
// rules.downgrade_areas (or an affirmation with an area). Override errors name the
// override: `overrides[1] (downgrade of "gx-beihai"): approver is required`.
Result<std::vector<GradeResult>> AssignGrades(const std::vector<ScoredUnit>& units,
                                              const GradeRules& rules,
                                              const std::vector<Override>& overrides);

}  // namespace govassess::workflows

// The indicator tree of one unit's performance plan (绩效计划/指标体系), and the plan's
// versions.
//
// A plan is a tree of fixed depth, as in the 2018 framework tables of seed 001:
//
//   target type (目标类型, e.g. 职能目标)        id = a target type id of the cycle
//     → level 1 (一级指标, e.g. 经济建设)
//       → level 2 (二级指标, e.g. 经济增长)
//         → level 3 (三级指标, e.g. GDP增长)
//           → indicator (具体指标, e.g. 地区生产总值)   the leaves
//
// Every indicator carries a weight in points of the 1000-point total (千分制), a target
// text, a lead assessor unit (牵头考核单位), optionally a data provider unit and a
// scoring rule. The indicators under a target type sum to that type's share of the
// total in the unit's category (functional 70% → 700 points). Inner nodes may declare
// a weight (e.g. 经济建设 30% → 300); if they do, their indicators must sum to it.
// Where the framework has no specific indicator under a level-3 item (e.g. 62.超额完成
// 目标加分), the plan repeats it as the single indicator. See docs/cycle-config.md.
//
// PlanVersions is the append-only history of one plan: version 1 is the issued plan
// (印发); every approved adjustment (指标调整) appends a new version with its changes,
// approver and reason. Earlier versions stay readable.
//
// Thread safety: IndicatorTree and PlanVersion are plain values. PlanVersions is not
// synchronised: concurrent const calls are safe, but Adjust needs exclusive access.
#pragma once

#include <deque>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/status.h"
#include "workflows/cycle_config.h"
#include "workflows/units.h"

namespace govassess::workflows {

enum class IndicatorLevel {
  kTargetType = 0,
  kLevel1 = 1,
  kLevel2 = 2,
  kLevel3 = 3,
  kIndicator = 4,  // the leaves
};

// "target type", "level 1", "level 2", "level 3", "indicator".
const char* IndicatorLevelName(IndicatorLevel level);

struct IndicatorNode {
  std::string id;    // unique in the tree; [A-Za-z0-9._-], ≤ 64 chars
  std::string name;  // "地区生产总值"
  // Indicators: required, points out of max_score, > 0. Inner nodes: optional declared
  // total of the indicators below.
  std::optional<double> weight;
  // Indicator-only fields (empty on inner nodes).
  std::string target;         // required: target or requirement text (目标值/指标要求)
  std::string lead_assessor;  // required: unit id of the lead assessor (牵头考核单位)
  std::string data_provider;  // optional: unit id of the data provider (数据提供单位)
  std::string scoring_rule;   // optional: how it is scored (评分标准)
  std::vector<IndicatorNode> children;  // empty exactly for indicators
};

struct IndicatorTree {
  int year = 0;
  std::string unit_id;                      // the assessed unit
  std::string category_id;                  // its category in the cycle
  std::string name;                         // optional title: "南宁市2026年度绩效计划"
  std::vector<IndicatorNode> target_types;  // level kTargetType
};

// Parses a tree and checks its structure: required fields, fixed depth (indicators
// exactly at level 4, every inner node with at least one child), unique ids, indicator
// weights > 0, lead assessors present, declared inner weights equal to the sum below.
// Unknown fields are errors. Does not consult the cycle (see ValidateIndicatorTree).
// Fails with InvalidArgument naming the path, e.g.
//   target_types[0].children[1].children[0].children[0].children[2].lead_assessor:
//   required field is missing
Result<IndicatorTree> ParseIndicatorTree(const nlohmann::json& json);

// Serialises a tree to the form ParseIndicatorTree accepts (round-trips).
nlohmann::json IndicatorTreeToJson(const IndicatorTree& tree);

// Checks the structure (as ParseIndicatorTree does) of a tree built in code.
Status CheckIndicatorStructure(const IndicatorTree& tree);

// Checks a structurally valid tree against the cycle: the year matches, the category
// exists, every target type is one of the cycle's and assessed in the category, every
// assessed target type is present, and each target type's indicators sum to its points
// in the category (weight% × max_score / 100). Fails with InvalidArgument naming the
// path, e.g. `target_types[1] (special): indicators sum to 50 points, the 2026 city
// cycle gives special 60 points in category "cities" (6% of 1000)`.
Status ValidateIndicatorTree(const IndicatorTree& tree, const CycleConfig& config);

// Checks that the tree's unit exists and is in the tree's category, and that every
// lead assessor and data provider is a unit of `directory`. Fails with InvalidArgument
// naming the path.
Status CheckPlanUnits(const IndicatorTree& tree, const UnitDirectory& directory);

// Returns the node with `id` (any level) or nullptr; sets *level if given and found.
const IndicatorNode* FindIndicatorNode(const IndicatorTree& tree, std::string_view id,
                                       IndicatorLevel* level = nullptr);
// The indicators (leaves) in document order.
std::vector<const IndicatorNode*> Leaves(const IndicatorTree& tree);
// The points of `node`: its own weight for an indicator, else the sum of its indicators.
double PointsOf(const IndicatorNode& node);
// The target type node an indicator (or any node) is under; nullptr if `id` is unknown.
const IndicatorNode* TargetTypeOf(const IndicatorTree& tree, std::string_view id);

// Applies one approved adjustment to `tree` and returns the adjusted tree; `tree` is
// not changed. The change document (all fields described in docs/cycle-config.md):
//   {"reason": "...", "approved_by": "...",          required
//    "approved_on": "YYYY-MM-DD", "requested_by": "unit id",   optional
//    "operations": [                                   required, at least one
//      {"op": "modify", "id": "<node id>", "weight": 15, "target": "...", ...},
//      {"op": "add", "parent_id": "<level 3 id, or any inner node>", "node": {...}},
//      {"op": "remove", "id": "<indicator or level 1-3 id>"}]}
// "modify" changes an indicator's name, weight, target, lead_assessor, data_provider or
// scoring_rule, or an inner node's name or declared weight. "add" adds a subtree one
// level below parent_id (a new major task: an indicator under a level-3 node). "remove"
// removes a node; inner nodes left without children are removed with it. Operations
// apply in order, atomically. The result must be structurally valid and keep every
// target type's total: an adjustment that moves points must rebalance within the same
// change. Fails with InvalidArgument naming the field, e.g.
//   operations[0].id: no node "f9" in the plan
//   operations: target type "functional" would total 690 points, the plan has 700
Result<IndicatorTree> ApplyAdjustment(const IndicatorTree& tree, const nlohmann::json& change);

// One indicator-level difference between two versions of a plan.
struct IndicatorChange {
  enum class Kind { kAdded, kRemoved, kModified };
  Kind kind = Kind::kModified;
  std::string indicator_id;
  std::string name;    // the indicator's name (after, or before for removals)
  std::string detail;  // e.g. `weight 20 → 15; target "≥7%" → "≥6.5%"`
};

// "added", "removed", "modified".
const char* ChangeKindName(IndicatorChange::Kind kind);

// The indicator differences from `before` to `after`: modified and added indicators in
// the order of `after`, then removed ones in the order of `before`. Inner-node renames
// are not listed (the versions keep the whole trees).
std::vector<IndicatorChange> DiffIndicators(const IndicatorTree& before,
                                            const IndicatorTree& after);

// Who approved a version and why.
struct Approval {
  std::string approved_by;   // required: the approver (e.g. the leader in charge)
  std::string reason;        // required
  std::string approved_on;   // optional "YYYY-MM-DD"
  std::string requested_by;  // optional: unit id of the requester
};

struct PlanVersion {
  int number = 0;  // 1 = the issued plan
  IndicatorTree tree;
  Approval approval;
  std::vector<IndicatorChange> changes;  // against the previous version; empty for 1
};

class PlanVersions {
 public:
  // Issues `plan` as version 1. Fails with InvalidArgument if the tree is not valid for
  // `config` (CheckIndicatorStructure, ValidateIndicatorTree) or the approval lacks an
  // approver or reason, or approved_on is not a date.
  static Result<PlanVersions> Issue(IndicatorTree plan, const CycleConfig& config,
                                    Approval approval);

  // Applies an approved adjustment (see ApplyAdjustment; approver and reason are read
  // from the change) to Latest() and appends it as the next version. Returns the new
  // version. On failure nothing is appended.
  Result<const PlanVersion*> Adjust(const nlohmann::json& change);

  // Version `number` (1-based). Fails with NotFound if there is no such version.
  // The pointer stays valid for the life of this object (versions are never removed).
  Result<const PlanVersion*> Get(int number) const;
  // The newest version. There is always at least version 1.
  const PlanVersion& Latest() const { return versions_.back(); }
  // The number of versions (== Latest().number).
  int size() const { return static_cast<int>(versions_.size()); }

 private:
  PlanVersions() = default;
  friend Result<PlanVersions> ParsePlanVersions(const nlohmann::json& json);

  std::deque<PlanVersion> versions_;  // deque: appending keeps pointers to earlier versions
};

// The units named lead_assessor of at least one indicator of the newest version: whose
// lead assessors score this plan (their reminders, their calendar feeds).
std::set<std::string> LeadAssessorUnits(const PlanVersions& versions);

// Serialises all versions: {"versions": [{"number", "approval", "changes", "tree"}, ...]}.
nlohmann::json PlanVersionsToJson(const PlanVersions& versions);

// Reads what PlanVersionsToJson wrote. Checks numbering (1, 2, ...), each tree's
// structure, approvals, that later versions keep every target type's total of version
// 1, and that the recorded changes match the trees. Does not consult the cycle. Fails
// with InvalidArgument naming the path.
Result<PlanVersions> ParsePlanVersions(const nlohmann::json& json);

}  // namespace govassess::workflows

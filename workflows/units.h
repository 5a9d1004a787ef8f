// Units (考评单位) and the unit tree.
//
// A Unit is anything the engine assesses or routes work to: the province root, the
// performance office (绩效办), a city (设区市), a provincial department (区直部门), a
// county, a township, an internal office (内设处室) or a person (全员绩效, seed 004).
// Units form a tree through parent_id: province → city → county → township, and
// department → internal office → person. A unit's category_id names the category of
// the cycle it is graded in (grades are assigned by rank within a category); units
// without a category are not assessed (e.g. the office, or a lead assessor such as the
// survey corps that is not itself assessed). superior_id names who escalations go to
// when a deadline is missed; without it they go to the parent.
//
// UnitDirectory holds one validated tree. Its data lives in workflows/data/
// units-guangxi.json; see docs/cycle-config.md ("Units").
//
// Thread safety: a UnitDirectory is immutable after construction; any number of
// threads may read one concurrently. Pointers it returns stay valid for the life of
// the directory object they came from (a copy has its own units).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/status.h"
#include "workflows/cycle_config.h"

namespace govassess::workflows {

enum class UnitKind {
  kProvince,        // "province": the root (自治区)
  kOffice,          // "office": the performance office (绩效办)
  kCity,            // "city": 设区市
  kDepartment,      // "department": a department (区直部门, or a city's own department)
  kCounty,          // "county": county, district or county-level city
  kTownship,        // "township": township or sub-district (乡镇/街道)
  kInternalOffice,  // "internal_office": 内设处室 / 二层机构
  kPerson,          // "person": one member of staff (全员绩效)
};

// Returns the JSON name of `kind`, e.g. "internal_office".
const char* UnitKindName(UnitKind kind);

struct Unit {
  std::string id;          // ASCII slug: [a-z0-9] first, then [a-z0-9._-]; ≤ 64 chars
  std::string name;        // full Chinese name, "自治区发展改革委"
  std::string short_name;  // optional, as the seeds write it: "发展改革委"
  UnitKind kind = UnitKind::kDepartment;
  std::string category_id;  // empty: not assessed
  std::string parent_id;    // empty: a root
  std::string superior_id;  // empty: escalations go to the parent
};

class UnitDirectory {
 public:
  UnitDirectory() = default;  // empty directory

  // Validates `units` and builds the tree. Fails with InvalidArgument naming the unit
  // by index, e.g. `units[7].id: duplicate id "gx-finance" (also units[3])`, on: bad or
  // duplicate ids, missing names, a parent or superior that does not exist, a cycle of
  // parents, a parent of the wrong kind (see docs/cycle-config.md, "Units"), a
  // township/internal office/person without a parent, or a superior below the unit.
  static Result<UnitDirectory> Build(std::vector<Unit> units);

  size_t size() const { return units_.size(); }
  // All units in input order.
  const std::vector<Unit>& units() const { return units_; }

  // Returns the unit with `id`, or nullptr. It is not an error if there is none.
  const Unit* Find(std::string_view id) const;

  // Direct children of `id` in input order; empty for a leaf or an unknown id.
  std::vector<const Unit*> Children(std::string_view id) const;
  // Every unit below `id`, depth-first in input order; empty for a leaf or unknown id.
  std::vector<const Unit*> Descendants(std::string_view id) const;
  // Parent first, root last; empty for a root. Fails with NotFound for an unknown id.
  Result<std::vector<const Unit*>> Ancestors(std::string_view id) const;
  // True if `ancestor_id` is a proper ancestor of `id` (false for unknown ids).
  bool IsAncestor(std::string_view ancestor_id, std::string_view id) const;
  // Units without a parent, in input order.
  std::vector<const Unit*> Roots() const;
  // Units whose category_id is `category_id`, in input order.
  std::vector<const Unit*> InCategory(std::string_view category_id) const;

  // Who a missed deadline of `id` escalates to: its superior, else its parent; nullptr
  // for a root without a superior. Fails with NotFound for an unknown id.
  Result<const Unit*> EscalationTarget(std::string_view id) const;

 private:
  std::vector<Unit> units_;
  std::unordered_map<std::string, size_t> index_;
  std::vector<std::vector<size_t>> children_;
};

// Parses {"name": "...", "source": "...", "units": [{"id", "name", "short_name",
// "kind", "category_id", "parent_id", "superior_id"}, ...]} ("name" and "units"
// required; per unit "id", "name", "kind" required) and builds the directory.
// Unknown fields are errors. Fails with InvalidArgument naming the field path, e.g.
// `units[12].parent_id: unknown unit "gx-nowhere"`.
Result<UnitDirectory> ParseUnits(const nlohmann::json& json);

// Serialises `directory` to the form ParseUnits accepts; `name` goes into "name".
nlohmann::json UnitsToJson(const UnitDirectory& directory, const std::string& name);

// Units graded in `config`: those whose category_id is a category of the cycle, in
// directory order.
std::vector<const Unit*> AssessedUnits(const UnitDirectory& directory, const CycleConfig& config);

// Checks that the directory fits the cycle: every category of `config` has at least
// one unit, and every unit in one of its categories is of the scheme's kind (a city
// for "city", a department for "department"). Units in categories of other cycles are
// ignored. Fails with InvalidArgument naming the category or unit.
Status CheckUnitCategories(const UnitDirectory& directory, const CycleConfig& config);

}  // namespace govassess::workflows

#include "workflows/units.h"

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <utility>

namespace govassess::workflows {

namespace {

using internal::IndexPath;
using internal::JoinPath;
using internal::ObjectReader;

constexpr UnitKind kAllKinds[] = {UnitKind::kProvince,       UnitKind::kOffice, UnitKind::kCity,
                                  UnitKind::kDepartment,     UnitKind::kCounty, UnitKind::kTownship,
                                  UnitKind::kInternalOffice, UnitKind::kPerson};

std::optional<UnitKind> KindFromName(std::string_view name) {
  for (UnitKind k : kAllKinds) {
    if (name == UnitKindName(k)) return k;
  }
  return std::nullopt;
}

// English article for messages: "a county", "an office".
std::string WithArticle(UnitKind kind) {
  const std::string name = UnitKindName(kind);
  const bool vowel = name[0] == 'o' || name[0] == 'i';
  return (vowel ? "an " : "a ") + name;
}

bool IsUnitId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  auto lower_or_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!lower_or_digit(id[0])) return false;
  for (char c : id) {
    if (!(lower_or_digit(c) || c == '-' || c == '_' || c == '.')) return false;
  }
  return true;
}

// The kinds a unit of `kind` may hang under; see docs/cycle-config.md ("Units").
std::vector<UnitKind> AllowedParents(UnitKind kind) {
  switch (kind) {
    case UnitKind::kProvince:
      return {};
    case UnitKind::kOffice:
      return {UnitKind::kProvince, UnitKind::kDepartment};
    case UnitKind::kCity:
      return {UnitKind::kProvince};
    case UnitKind::kDepartment:
      return {UnitKind::kProvince, UnitKind::kCity, UnitKind::kCounty};
    case UnitKind::kCounty:
      return {UnitKind::kCity};
    case UnitKind::kTownship:
      return {UnitKind::kCounty};
    case UnitKind::kInternalOffice:
    case UnitKind::kPerson:
      return {UnitKind::kOffice, UnitKind::kCity,     UnitKind::kDepartment,
              UnitKind::kCounty, UnitKind::kTownship, UnitKind::kInternalOffice};
  }
  return {};
}

// Whether a unit of `kind` may be a root (have no parent).
bool MayBeRoot(UnitKind kind) {
  return kind != UnitKind::kTownship && kind != UnitKind::kInternalOffice &&
         kind != UnitKind::kPerson;
}

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

}  // namespace

const char* UnitKindName(UnitKind kind) {
  switch (kind) {
    case UnitKind::kProvince:
      return "province";
    case UnitKind::kOffice:
      return "office";
    case UnitKind::kCity:
      return "city";
    case UnitKind::kDepartment:
      return "department";
    case UnitKind::kCounty:
      return "county";
    case UnitKind::kTownship:
      return "township";
    case UnitKind::kInternalOffice:
      return "internal_office";
    case UnitKind::kPerson:
      return "person";
  }
  return "department";
}

Result<UnitDirectory> UnitDirectory::Build(std::vector<Unit> units) {
  UnitDirectory dir;
  auto path = [](size_t i, std::string_view field) {
    return JoinPath(IndexPath("units", i), field);
  };
  // Ids and names.
  for (size_t i = 0; i < units.size(); ++i) {
    const Unit& u = units[i];
    if (!IsUnitId(u.id)) {
      return Status::InvalidArgument(
          path(i, "id") + ": " + Quote(u.id) +
          " is not a valid unit id (a-z or 0-9 first, then a-z 0-9 . - _; "
          "at most 64)");
    }
    if (auto [it, inserted] = dir.index_.emplace(u.id, i); !inserted) {
      return Status::InvalidArgument(path(i, "id") + ": duplicate id " + Quote(u.id) + " (also " +
                                     IndexPath("units", it->second) + ")");
    }
    if (u.name.find_first_not_of(" \t\r\n") == std::string::npos) {
      return Status::InvalidArgument(path(i, "name") + ": must not be empty");
    }
  }
  // Parents and superiors exist.
  for (size_t i = 0; i < units.size(); ++i) {
    const Unit& u = units[i];
    if (!u.parent_id.empty()) {
      if (u.parent_id == u.id) {
        return Status::InvalidArgument(path(i, "parent_id") + ": a unit cannot be its own parent");
      }
      if (dir.index_.count(u.parent_id) == 0) {
        return Status::InvalidArgument(path(i, "parent_id") + ": unknown unit " +
                                       Quote(u.parent_id));
      }
    }
    if (!u.superior_id.empty()) {
      if (u.superior_id == u.id) {
        return Status::InvalidArgument(path(i, "superior_id") +
                                       ": a unit cannot escalate to itself");
      }
      if (dir.index_.count(u.superior_id) == 0) {
        return Status::InvalidArgument(path(i, "superior_id") + ": unknown unit " +
                                       Quote(u.superior_id));
      }
    }
  }
  // Cycles: walk up from every unit; state 0 = unseen, 1 = on the current walk, 2 = done.
  std::vector<int> state(units.size(), 0);
  for (size_t start = 0; start < units.size(); ++start) {
    std::vector<size_t> walk;
    size_t i = start;
    while (state[i] == 0) {
      state[i] = 1;
      walk.push_back(i);
      if (units[i].parent_id.empty()) break;
      i = dir.index_.at(units[i].parent_id);
    }
    if (state[i] == 1 && !units[i].parent_id.empty()) {
      // `i` is on the current walk: the cycle is from i back to i.
      std::string cycle = units[i].id;
      size_t j = i;
      do {
        j = dir.index_.at(units[j].parent_id);
        cycle += " → " + units[j].id;
      } while (j != i);
      return Status::InvalidArgument(path(i, "parent_id") + ": parents form a cycle: " + cycle);
    }
    for (size_t w : walk) state[w] = 2;
  }
  // Kinds fit the tree.
  for (size_t i = 0; i < units.size(); ++i) {
    const Unit& u = units[i];
    if (u.parent_id.empty()) {
      if (!MayBeRoot(u.kind)) {
        return Status::InvalidArgument(path(i, "parent_id") + ": " + WithArticle(u.kind) +
                                       " must have a parent");
      }
      continue;
    }
    const Unit& parent = units[dir.index_.at(u.parent_id)];
    const std::vector<UnitKind> allowed = AllowedParents(u.kind);
    if (std::find(allowed.begin(), allowed.end(), parent.kind) == allowed.end()) {
      std::string list;
      for (UnitKind k : allowed)
        list += (list.empty() ? "" : " or ") + std::string(UnitKindName(k));
      return Status::InvalidArgument(
          path(i, "parent_id") + ": " + WithArticle(u.kind) + " cannot be under " +
          WithArticle(parent.kind) + " (" + Quote(parent.id) + "); " +
          (allowed.empty() ? std::string("it must be a root") : "its parent must be: " + list));
    }
  }
  dir.children_.assign(units.size(), {});
  for (size_t i = 0; i < units.size(); ++i) {
    if (!units[i].parent_id.empty()) dir.children_[dir.index_.at(units[i].parent_id)].push_back(i);
  }
  dir.units_ = std::move(units);
  // Escalation must not go down the tree.
  for (size_t i = 0; i < dir.units_.size(); ++i) {
    const Unit& u = dir.units_[i];
    if (!u.superior_id.empty() && dir.IsAncestor(u.id, u.superior_id)) {
      return Status::InvalidArgument(path(i, "superior_id") + ": " + Quote(u.superior_id) +
                                     " is below " + Quote(u.id) +
                                     " in the tree; escalations go upwards");
    }
  }
  return dir;
}

const Unit* UnitDirectory::Find(std::string_view id) const {
  auto it = index_.find(std::string(id));
  return it == index_.end() ? nullptr : &units_[it->second];
}

std::vector<const Unit*> UnitDirectory::Children(std::string_view id) const {
  std::vector<const Unit*> out;
  auto it = index_.find(std::string(id));
  if (it == index_.end()) return out;
  for (size_t c : children_[it->second]) out.push_back(&units_[c]);
  return out;
}

std::vector<const Unit*> UnitDirectory::Descendants(std::string_view id) const {
  std::vector<const Unit*> out;
  auto it = index_.find(std::string(id));
  if (it == index_.end()) return out;
  // Iterative pre-order; children pushed in reverse so they pop in input order.
  std::vector<size_t> stack(children_[it->second].rbegin(), children_[it->second].rend());
  while (!stack.empty()) {
    size_t i = stack.back();
    stack.pop_back();
    out.push_back(&units_[i]);
    stack.insert(stack.end(), children_[i].rbegin(), children_[i].rend());
  }
  return out;
}

Result<std::vector<const Unit*>> UnitDirectory::Ancestors(std::string_view id) const {
  const Unit* u = Find(id);
  if (u == nullptr)
    return Status::NotFound("unit \"" + std::string(id) + "\" is not in the directory");
  std::vector<const Unit*> out;
  while (!u->parent_id.empty()) {
    u = Find(u->parent_id);
    out.push_back(u);
  }
  return out;
}

bool UnitDirectory::IsAncestor(std::string_view ancestor_id, std::string_view id) const {
  const Unit* u = Find(id);
  if (u == nullptr) return false;
  while (!u->parent_id.empty()) {
    if (u->parent_id == ancestor_id) return true;
    u = Find(u->parent_id);
  }
  return false;
}

std::vector<const Unit*> UnitDirectory::Roots() const {
  std::vector<const Unit*> out;
  for (const Unit& u : units_) {
    if (u.parent_id.empty()) out.push_back(&u);
  }
  return out;
}

std::vector<const Unit*> UnitDirectory::InCategory(std::string_view category_id) const {
  std::vector<const Unit*> out;
  for (const Unit& u : units_) {
    if (!u.category_id.empty() && u.category_id == category_id) out.push_back(&u);
  }
  return out;
}

Result<const Unit*> UnitDirectory::EscalationTarget(std::string_view id) const {
  const Unit* u = Find(id);
  if (u == nullptr)
    return Status::NotFound("unit \"" + std::string(id) + "\" is not in the directory");
  if (!u->superior_id.empty()) return Find(u->superior_id);
  if (!u->parent_id.empty()) return Find(u->parent_id);
  return static_cast<const Unit*>(nullptr);
}

Result<UnitDirectory> ParseUnits(const nlohmann::json& json) {
  ObjectReader top(json, "", {"name", "source", "units"});
  std::string name;
  std::string source;
  const nlohmann::json* array = nullptr;
  top.ReadString("name", &name) && top.ReadOptionalString("source", &source) &&
      top.ReadArray("units", &array);
  if (!top.ok()) return top.status();
  std::vector<Unit> units;
  units.reserve(array->size());
  for (size_t i = 0; i < array->size(); ++i) {
    ObjectReader r((*array)[i], IndexPath("units", i),
                   {"id", "name", "short_name", "kind", "category_id", "parent_id", "superior_id"});
    Unit u;
    std::string kind;
    r.ReadString("id", &u.id) && r.ReadString("name", &u.name) &&
        r.ReadOptionalString("short_name", &u.short_name) && r.ReadString("kind", &kind) &&
        r.ReadOptionalString("category_id", &u.category_id) &&
        r.ReadOptionalString("parent_id", &u.parent_id) &&
        r.ReadOptionalString("superior_id", &u.superior_id);
    if (!r.ok()) return r.status();
    std::optional<UnitKind> k = KindFromName(kind);
    if (!k) {
      std::string list;
      for (UnitKind each : kAllKinds)
        list += (list.empty() ? "" : ", ") + std::string(UnitKindName(each));
      r.Fail("kind", "unknown kind " + Quote(kind) + " (known: " + list + ")");
      return r.status();
    }
    u.kind = *k;
    units.push_back(std::move(u));
  }
  return UnitDirectory::Build(std::move(units));
}

nlohmann::json UnitsToJson(const UnitDirectory& directory, const std::string& name) {
  nlohmann::json units = nlohmann::json::array();
  for (const Unit& u : directory.units()) {
    nlohmann::json j = {{"id", u.id}, {"name", u.name}};
    if (!u.short_name.empty()) j["short_name"] = u.short_name;
    j["kind"] = UnitKindName(u.kind);
    if (!u.category_id.empty()) j["category_id"] = u.category_id;
    if (!u.parent_id.empty()) j["parent_id"] = u.parent_id;
    if (!u.superior_id.empty()) j["superior_id"] = u.superior_id;
    units.push_back(std::move(j));
  }
  return {{"name", name}, {"units", std::move(units)}};
}

std::vector<const Unit*> AssessedUnits(const UnitDirectory& directory, const CycleConfig& config) {
  std::vector<const Unit*> out;
  for (const Unit& u : directory.units()) {
    if (!u.category_id.empty() && config.FindCategory(u.category_id) != nullptr) out.push_back(&u);
  }
  return out;
}

Status CheckUnitCategories(const UnitDirectory& directory, const CycleConfig& config) {
  const UnitKind expected =
      config.scheme == Scheme::kCity ? UnitKind::kCity : UnitKind::kDepartment;
  for (const Unit* u : AssessedUnits(directory, config)) {
    if (u->kind != expected) {
      return Status::InvalidArgument(
          "unit " + Quote(u->id) + " (" + u->name + ") is " + WithArticle(u->kind) +
          " but category " + Quote(u->category_id) + " of the " + SchemeName(config.scheme) +
          " cycle grades only " + UnitKindName(expected) + " units");
    }
  }
  for (size_t i = 0; i < config.categories.size(); ++i) {
    if (directory.InCategory(config.categories[i].id).empty()) {
      return Status::InvalidArgument(JoinPath(IndexPath("categories", i), "id") + ": category " +
                                     Quote(config.categories[i].id) + " (" +
                                     config.categories[i].name + ") has no units in the directory");
    }
  }
  return Status::Ok();
}

}  // namespace govassess::workflows

#include "workflows/indicator_tree.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <string_view>
#include <utility>

namespace govassess::workflows {

namespace {

using namespace std::string_view_literals;

using internal::FormatNumber;
using internal::IndexPath;
using internal::IsValidDate;
using internal::JoinPath;
using internal::ObjectReader;

constexpr double kPointsEpsilon = 1e-6;
constexpr const char* kDepthRule =
    "a plan is target type → level 1 → level 2 → level 3 → indicator";

const std::vector<std::string> kNodeFields = {
    "id", "name", "weight", "target", "lead_assessor", "data_provider", "scoring_rule", "children"};

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

IndicatorLevel Next(IndicatorLevel level) {
  return static_cast<IndicatorLevel>(static_cast<int>(level) + 1);
}

bool IsNodeId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

bool Blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

// ---- parsing ---------------------------------------------------------------------

// Parses one node at `level` (types and shape only; CheckNode does the rules).
Status ParseNode(const nlohmann::json& json, const std::string& path, IndicatorLevel level,
                 IndicatorNode* out) {
  ObjectReader r(json, path, kNodeFields);
  r.ReadString("id", &out->id) && r.ReadString("name", &out->name) &&
      r.ReadOptionalNumber("weight", &out->weight);
  if (!r.ok()) return r.status();
  const std::string what = std::string(IndicatorLevelName(level)) + " " + Quote(out->id);
  if (level == IndicatorLevel::kIndicator) {
    if (r.Has("children")) {
      r.Fail("children", what + " is an indicator and cannot have children; " + kDepthRule);
      return r.status();
    }
    r.ReadOptionalString("target", &out->target) &&
        r.ReadOptionalString("lead_assessor", &out->lead_assessor) &&
        r.ReadOptionalString("data_provider", &out->data_provider) &&
        r.ReadOptionalString("scoring_rule", &out->scoring_rule);
    return r.status();
  }
  for (const char* leaf_field : {"target", "lead_assessor", "data_provider", "scoring_rule"}) {
    if (r.Has(leaf_field)) {
      r.Fail(leaf_field, what + " is not an indicator; only indicators (level 4) carry " +
                             leaf_field + "; " + kDepthRule);
      return r.status();
    }
  }
  const nlohmann::json* children = nullptr;
  if (!r.Has("children")) {
    r.Fail("children", what + " needs children; " + kDepthRule);
    return r.status();
  }
  if (!r.ReadArray("children", &children)) return r.status();
  const std::string cpath = r.PathOf("children");
  out->children.resize(children->size());
  for (size_t i = 0; i < children->size(); ++i) {
    Status s = ParseNode((*children)[i], IndexPath(cpath, i), Next(level), &out->children[i]);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

// The same acceptance as ParseNode, without building paths or messages: true iff
// ParseNode would succeed, with the same node. Valid plans (every plan read back from
// storage) take this path; an invalid one is parsed again by ParseNode for the message.
bool FastParseNode(const nlohmann::json& json, IndicatorLevel level, IndicatorNode* out) {
  if (!json.is_object()) return false;
  const nlohmann::json *id = nullptr, *name = nullptr, *weight = nullptr, *target = nullptr,
                       *lead = nullptr, *provider = nullptr, *rule = nullptr, *children = nullptr;
  for (const auto& [key, value] : json.get_ref<const nlohmann::json::object_t&>()) {
    const nlohmann::json* v = value.is_null() ? nullptr : &value;  // null is absent
    if (key == "id"sv) {
      id = v;
    } else if (key == "name"sv) {
      name = v;
    } else if (key == "weight"sv) {
      weight = v;
    } else if (key == "target"sv) {
      target = v;
    } else if (key == "lead_assessor"sv) {
      lead = v;
    } else if (key == "data_provider"sv) {
      provider = v;
    } else if (key == "scoring_rule"sv) {
      rule = v;
    } else if (key == "children"sv) {
      children = v;
    } else {
      return false;  // unknown field
    }
  }
  auto required = [](const nlohmann::json* v, std::string* to) {
    if (v == nullptr || !v->is_string()) return false;
    const std::string& s = v->get_ref<const std::string&>();
    if (Blank(s)) return false;
    *to = s;
    return true;
  };
  auto optional = [](const nlohmann::json* v, std::string* to) {
    if (v == nullptr) return true;
    if (!v->is_string()) return false;
    *to = v->get_ref<const std::string&>();
    return true;
  };
  if (!required(id, &out->id) || !required(name, &out->name)) return false;
  if (weight != nullptr) {
    if (!weight->is_number()) return false;
    const double d = weight->get<double>();
    if (!std::isfinite(d)) return false;
    out->weight = d;
  }
  if (level == IndicatorLevel::kIndicator) {
    return children == nullptr && optional(target, &out->target) &&
           optional(lead, &out->lead_assessor) && optional(provider, &out->data_provider) &&
           optional(rule, &out->scoring_rule);
  }
  if (target || lead || provider || rule || children == nullptr || !children->is_array()) {
    return false;
  }
  const auto& list = children->get_ref<const nlohmann::json::array_t&>();
  out->children.resize(list.size());
  for (size_t i = 0; i < list.size(); ++i) {
    if (!FastParseNode(list[i], Next(level), &out->children[i])) return false;
  }
  return true;
}

// The same acceptance as ParseTreeAt's slow path (below), see FastParseNode.
bool FastParseTree(const nlohmann::json& json, IndicatorTree* tree) {
  if (!json.is_object()) return false;
  const nlohmann::json *year = nullptr, *unit = nullptr, *category = nullptr, *name = nullptr,
                       *types = nullptr;
  for (const auto& [key, value] : json.get_ref<const nlohmann::json::object_t&>()) {
    const nlohmann::json* v = value.is_null() ? nullptr : &value;  // null is absent
    if (key == "year"sv) {
      year = v;
    } else if (key == "unit_id"sv) {
      unit = v;
    } else if (key == "category_id"sv) {
      category = v;
    } else if (key == "name"sv) {
      name = v;
    } else if (key == "target_types"sv) {
      types = v;
    } else {
      return false;  // unknown field
    }
  }
  if (year == nullptr || !year->is_number_integer()) return false;
  const long long y = year->get<long long>();
  if (y < -1000000000LL || y > 1000000000LL) return false;
  tree->year = static_cast<int>(y);
  for (auto [v, to] : {std::pair{unit, &tree->unit_id}, std::pair{category, &tree->category_id}}) {
    if (v == nullptr || !v->is_string() || Blank(v->get_ref<const std::string&>())) return false;
    *to = v->get_ref<const std::string&>();
  }
  if (name != nullptr) {
    if (!name->is_string()) return false;
    tree->name = name->get_ref<const std::string&>();
  }
  if (types == nullptr || !types->is_array()) return false;
  const auto& list = types->get_ref<const nlohmann::json::array_t&>();
  tree->target_types.resize(list.size());
  for (size_t i = 0; i < list.size(); ++i) {
    if (!FastParseNode(list[i], IndicatorLevel::kTargetType, &tree->target_types[i])) return false;
  }
  return true;
}

Result<IndicatorTree> ParseTreeAt(const nlohmann::json& json, const std::string& base) {
  {
    IndicatorTree tree;
    if (FastParseTree(json, &tree)) return tree;
  }
  ObjectReader r(json, base, {"year", "unit_id", "category_id", "name", "target_types"});
  IndicatorTree tree;
  const nlohmann::json* types = nullptr;
  r.ReadInt("year", &tree.year) && r.ReadString("unit_id", &tree.unit_id) &&
      r.ReadString("category_id", &tree.category_id) && r.ReadOptionalString("name", &tree.name) &&
      r.ReadArray("target_types", &types);
  if (!r.ok()) return r.status();
  const std::string tpath = r.PathOf("target_types");
  tree.target_types.resize(types->size());
  for (size_t i = 0; i < types->size(); ++i) {
    Status s = ParseNode((*types)[i], IndexPath(tpath, i), IndicatorLevel::kTargetType,
                         &tree.target_types[i]);
    if (!s.ok()) return s;
  }
  return tree;
}

// ---- structure -------------------------------------------------------------------

struct StructureChecker {
  std::map<std::string, std::string> seen;  // id → path

  Status CheckNode(const IndicatorNode& node, const std::string& path, IndicatorLevel level) {
    const std::string what = std::string(IndicatorLevelName(level)) + " " + Quote(node.id);
    if (!IsNodeId(node.id)) {
      return Status::InvalidArgument(JoinPath(path, "id") + ": " + Quote(node.id) +
                                     " is not a valid id (A-Z a-z 0-9 . - _, at most 64)");
    }
    if (auto [it, inserted] = seen.emplace(node.id, path); !inserted) {
      return Status::InvalidArgument(JoinPath(path, "id") + ": duplicate id " + Quote(node.id) +
                                     " (also " + it->second + ")");
    }
    if (Blank(node.name))
      return Status::InvalidArgument(JoinPath(path, "name") + ": must not be empty");
    if (level == IndicatorLevel::kIndicator) {
      if (!node.children.empty()) {
        return Status::InvalidArgument(JoinPath(path, "children") + ": " + what +
                                       " is an indicator and cannot have children; " + kDepthRule);
      }
      if (!node.weight) {
        return Status::InvalidArgument(JoinPath(path, "weight") + ": required for " + what);
      }
      if (!std::isfinite(*node.weight) || *node.weight <= 0) {
        return Status::InvalidArgument(JoinPath(path, "weight") +
                                       ": must be more than 0 points, got " +
                                       FormatNumber(*node.weight));
      }
      if (Blank(node.target)) {
        return Status::InvalidArgument(JoinPath(path, "target") + ": required for " + what);
      }
      if (Blank(node.lead_assessor)) {
        return Status::InvalidArgument(JoinPath(path, "lead_assessor") + ": required for " + what +
                                       " (every indicator has a lead assessor)");
      }
      return Status::Ok();
    }
    if (!node.target.empty() || !node.lead_assessor.empty() || !node.data_provider.empty() ||
        !node.scoring_rule.empty()) {
      return Status::InvalidArgument(path + ": " + what +
                                     " is not an indicator and cannot carry target, lead_assessor, "
                                     "data_provider or scoring_rule; " +
                                     kDepthRule);
    }
    if (node.children.empty()) {
      return Status::InvalidArgument(JoinPath(path, "children") + ": " + what +
                                     " needs children; " + kDepthRule);
    }
    for (size_t i = 0; i < node.children.size(); ++i) {
      Status s = CheckNode(node.children[i], IndexPath(JoinPath(path, "children"), i), Next(level));
      if (!s.ok()) return s;
    }
    if (node.weight) {
      if (!std::isfinite(*node.weight) || *node.weight <= 0) {
        return Status::InvalidArgument(JoinPath(path, "weight") +
                                       ": must be more than 0 points, got " +
                                       FormatNumber(*node.weight));
      }
      const double sum = PointsOf(node);
      if (std::fabs(sum - *node.weight) > kPointsEpsilon) {
        return Status::InvalidArgument(JoinPath(path, "weight") + ": " + what + " declares " +
                                       FormatNumber(*node.weight) +
                                       " points, its indicators sum to " + FormatNumber(sum));
      }
    }
    return Status::Ok();
  }
};

// The same acceptance as StructureChecker::CheckNode, without paths or messages.
bool FastCheckNode(const IndicatorNode& node, IndicatorLevel level,
                   std::vector<std::string_view>* ids) {
  if (!IsNodeId(node.id) || Blank(node.name)) return false;
  ids->push_back(node.id);
  auto positive = [](double w) { return std::isfinite(w) && w > 0; };
  if (level == IndicatorLevel::kIndicator) {
    return node.children.empty() && node.weight && positive(*node.weight) && !Blank(node.target) &&
           !Blank(node.lead_assessor);
  }
  if (!node.target.empty() || !node.lead_assessor.empty() || !node.data_provider.empty() ||
      !node.scoring_rule.empty() || node.children.empty()) {
    return false;
  }
  for (const IndicatorNode& c : node.children) {
    if (!FastCheckNode(c, Next(level), ids)) return false;
  }
  return !node.weight ||
         (positive(*node.weight) && std::fabs(PointsOf(node) - *node.weight) <= kPointsEpsilon);
}

bool FastCheckStructure(const IndicatorTree& tree) {
  if (tree.year < 2000 || tree.year > 2100 || Blank(tree.unit_id) || Blank(tree.category_id) ||
      tree.target_types.empty()) {
    return false;
  }
  std::vector<std::string_view> ids;
  for (const IndicatorNode& t : tree.target_types) {
    if (!FastCheckNode(t, IndicatorLevel::kTargetType, &ids)) return false;
  }
  std::sort(ids.begin(), ids.end());
  return std::adjacent_find(ids.begin(), ids.end()) == ids.end();  // ids are unique
}

Status CheckStructureAt(const IndicatorTree& tree, const std::string& base) {
  if (FastCheckStructure(tree)) return Status::Ok();
  if (tree.year < 2000 || tree.year > 2100) {
    return Status::InvalidArgument(JoinPath(base, "year") +
                                   ": must be between 2000 and 2100, got " +
                                   std::to_string(tree.year));
  }
  if (Blank(tree.unit_id))
    return Status::InvalidArgument(JoinPath(base, "unit_id") + ": must not be empty");
  if (Blank(tree.category_id)) {
    return Status::InvalidArgument(JoinPath(base, "category_id") + ": must not be empty");
  }
  if (tree.target_types.empty()) {
    return Status::InvalidArgument(JoinPath(base, "target_types") +
                                   ": a plan needs at least one target type");
  }
  StructureChecker checker;
  const std::string tpath = JoinPath(base, "target_types");
  for (size_t i = 0; i < tree.target_types.size(); ++i) {
    Status s =
        checker.CheckNode(tree.target_types[i], IndexPath(tpath, i), IndicatorLevel::kTargetType);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

// ---- lookups ---------------------------------------------------------------------

// Finds `id`; fills the chain of nodes from the target type down to it (inclusive).
// Works on const and mutable trees alike.
template <typename Nodes, typename NodePtr>
bool FindChain(Nodes& nodes, std::string_view id, std::vector<NodePtr>* chain) {
  for (auto& n : nodes) {
    chain->push_back(&n);
    if (n.id == id || FindChain(n.children, id, chain)) return true;
    chain->pop_back();
  }
  return false;
}

void CollectIds(const IndicatorNode& node, std::vector<std::string>* out) {
  out->push_back(node.id);
  for (const auto& c : node.children) CollectIds(c, out);
}

struct LeafInfo {
  const IndicatorNode* node;
  std::string parent_id;
};

void CollectLeaves(const IndicatorNode& node, const std::string& parent_id,
                   std::vector<LeafInfo>* out) {
  if (node.children.empty()) {
    out->push_back({&node, parent_id});
    return;
  }
  for (const auto& c : node.children) CollectLeaves(c, node.id, out);
}

std::vector<LeafInfo> LeafInfos(const IndicatorTree& tree) {
  std::vector<LeafInfo> out;
  for (const auto& t : tree.target_types) {
    for (const auto& c : t.children) CollectLeaves(c, t.id, &out);
  }
  return out;
}

// ---- adjustments -----------------------------------------------------------------

Result<Approval> ParseApproval(const nlohmann::json& json, const std::string& base,
                               std::vector<std::string> allowed) {
  ObjectReader r(json, base, std::move(allowed));
  Approval a;
  r.ReadString("approved_by", &a.approved_by) && r.ReadString("reason", &a.reason) &&
      r.ReadOptionalString("requested_by", &a.requested_by);
  if (r.ok() && r.Has("approved_on")) r.ReadDate("approved_on", &a.approved_on);
  if (!r.ok()) return r.status();
  return a;
}

Status ApplyModify(IndicatorTree& work, const nlohmann::json& op, const std::string& path) {
  ObjectReader r(
      op, path,
      {"op", "id", "name", "weight", "target", "lead_assessor", "data_provider", "scoring_rule"});
  std::string id;
  if (!r.ReadString("id", &id)) return r.status();
  std::vector<IndicatorNode*> chain;
  if (!FindChain(work.target_types, id, &chain)) {
    r.Fail("id", "no node " + Quote(id) + " in the plan");
    return r.status();
  }
  IndicatorNode& node = *chain.back();
  const auto level = static_cast<IndicatorLevel>(chain.size() - 1);
  if (level == IndicatorLevel::kTargetType) {
    r.Fail("id", Quote(id) +
                     " is a target type; target types and their weights come from the "
                     "cycle configuration");
    return r.status();
  }
  const bool leaf = level == IndicatorLevel::kIndicator;
  int fields = 0;
  for (const char* f :
       {"name", "weight", "target", "lead_assessor", "data_provider", "scoring_rule"}) {
    if (!r.Has(f)) continue;
    ++fields;
    const std::string field = f;
    if (!leaf && field != "name" && field != "weight") {
      r.Fail(field, Quote(id) + " is " + IndicatorLevelName(level) + "; only indicators have " +
                        field + " (inner nodes: name, weight)");
      return r.status();
    }
  }
  if (fields == 0) {
    r.Fail("id",
           "modify needs at least one of name, weight, target, lead_assessor, "
           "data_provider, scoring_rule");
    return r.status();
  }
  if (r.Has("name")) r.ReadString("name", &node.name);
  if (r.Has("weight")) {
    double w = 0;
    if (r.ReadNumber("weight", &w)) {
      if (w <= 0) {
        r.Fail("weight", "must be more than 0 points, got " + FormatNumber(w) +
                             " (to drop an indicator use \"remove\")");
      } else {
        node.weight = w;
      }
    }
  }
  if (r.Has("target")) r.ReadString("target", &node.target);
  if (r.Has("lead_assessor")) r.ReadString("lead_assessor", &node.lead_assessor);
  if (r.Has("data_provider")) r.ReadOptionalString("data_provider", &node.data_provider);
  if (r.Has("scoring_rule")) r.ReadOptionalString("scoring_rule", &node.scoring_rule);
  return r.status();
}

Status ApplyAdd(IndicatorTree& work, const nlohmann::json& op, const std::string& path) {
  ObjectReader r(op, path, {"op", "parent_id", "node"});
  std::string parent_id;
  const nlohmann::json* node_json = nullptr;
  r.ReadString("parent_id", &parent_id) && r.ReadObject("node", &node_json);
  if (!r.ok()) return r.status();
  std::vector<IndicatorNode*> chain;
  if (!FindChain(work.target_types, parent_id, &chain)) {
    r.Fail("parent_id", "no node " + Quote(parent_id) + " in the plan");
    return r.status();
  }
  const auto parent_level = static_cast<IndicatorLevel>(chain.size() - 1);
  if (parent_level == IndicatorLevel::kIndicator) {
    r.Fail("parent_id", Quote(parent_id) +
                            " is an indicator; add a new indicator under its "
                            "level-3 node");
    return r.status();
  }
  IndicatorNode node;
  Status s = ParseNode(*node_json, r.PathOf("node"), Next(parent_level), &node);
  if (!s.ok()) return s;
  std::vector<std::string> ids;
  CollectIds(node, &ids);
  for (const auto& id : ids) {
    if (FindIndicatorNode(work, id) != nullptr) {
      r.Fail("node", "id " + Quote(id) + " is already in the plan");
      return r.status();
    }
  }
  chain.back()->children.push_back(std::move(node));
  return Status::Ok();
}

Status ApplyRemove(IndicatorTree& work, const nlohmann::json& op, const std::string& path) {
  ObjectReader r(op, path, {"op", "id"});
  std::string id;
  if (!r.ReadString("id", &id)) return r.status();
  std::vector<IndicatorNode*> chain;
  if (!FindChain(work.target_types, id, &chain)) {
    r.Fail("id", "no node " + Quote(id) + " in the plan");
    return r.status();
  }
  if (chain.size() == 1) {
    r.Fail("id", Quote(id) + " is a target type; target types come from the cycle configuration");
    return r.status();
  }
  // Remove the node, then every ancestor below the target type left without children.
  for (size_t k = chain.size() - 1; k >= 1; --k) {
    auto& siblings = chain[k - 1]->children;
    for (auto it = siblings.begin(); it != siblings.end(); ++it) {
      if (&*it == chain[k]) {
        siblings.erase(it);
        break;
      }
    }
    if (k - 1 == 0 || !chain[k - 1]->children.empty()) break;
  }
  return Status::Ok();
}

std::string ChangeField(const std::string& field, const std::string& before,
                        const std::string& after) {
  return field + " " + Quote(before) + " → " + Quote(after);
}

}  // namespace

const char* IndicatorLevelName(IndicatorLevel level) {
  switch (level) {
    case IndicatorLevel::kTargetType:
      return "target type";
    case IndicatorLevel::kLevel1:
      return "level 1";
    case IndicatorLevel::kLevel2:
      return "level 2";
    case IndicatorLevel::kLevel3:
      return "level 3";
    case IndicatorLevel::kIndicator:
      return "indicator";
  }
  return "indicator";
}

const char* ChangeKindName(IndicatorChange::Kind kind) {
  switch (kind) {
    case IndicatorChange::Kind::kAdded:
      return "added";
    case IndicatorChange::Kind::kRemoved:
      return "removed";
    case IndicatorChange::Kind::kModified:
      return "modified";
  }
  return "modified";
}

Result<IndicatorTree> ParseIndicatorTree(const nlohmann::json& json) {
  Result<IndicatorTree> tree = ParseTreeAt(json, "");
  if (!tree.ok()) return tree;
  Status s = CheckStructureAt(*tree, "");
  if (!s.ok()) return s;
  return tree;
}

Status CheckIndicatorStructure(const IndicatorTree& tree) { return CheckStructureAt(tree, ""); }

namespace {

// The serialisers below build objects member by member in key order (emplace_hint at
// the end is constant time); a braced nlohmann literal costs several times as much,
// and plans are serialised on every issue and adjustment.
using Object = nlohmann::json::object_t;

nlohmann::json NodeToJson(const IndicatorNode& node) {
  nlohmann::json j = nlohmann::json::object();
  Object& o = j.get_ref<Object&>();
  const bool leaf = node.children.empty();
  if (!leaf) {
    nlohmann::json children = nlohmann::json::array();
    auto& list = children.get_ref<nlohmann::json::array_t&>();
    list.reserve(node.children.size());
    for (const auto& c : node.children) list.push_back(NodeToJson(c));
    o.emplace_hint(o.end(), "children", std::move(children));
  }
  if (leaf && !node.data_provider.empty()) {
    o.emplace_hint(o.end(), "data_provider", node.data_provider);
  }
  o.emplace_hint(o.end(), "id", node.id);
  if (leaf) o.emplace_hint(o.end(), "lead_assessor", node.lead_assessor);
  o.emplace_hint(o.end(), "name", node.name);
  if (leaf && !node.scoring_rule.empty()) {
    o.emplace_hint(o.end(), "scoring_rule", node.scoring_rule);
  }
  if (leaf) o.emplace_hint(o.end(), "target", node.target);
  if (node.weight) o.emplace_hint(o.end(), "weight", *node.weight);
  return j;
}

}  // namespace

nlohmann::json IndicatorTreeToJson(const IndicatorTree& tree) {
  nlohmann::json types = nlohmann::json::array();
  auto& list = types.get_ref<nlohmann::json::array_t&>();
  list.reserve(tree.target_types.size());
  for (const auto& t : tree.target_types) list.push_back(NodeToJson(t));
  nlohmann::json j = nlohmann::json::object();
  Object& o = j.get_ref<Object&>();
  o.emplace_hint(o.end(), "category_id", tree.category_id);
  if (!tree.name.empty()) o.emplace_hint(o.end(), "name", tree.name);
  o.emplace_hint(o.end(), "target_types", std::move(types));
  o.emplace_hint(o.end(), "unit_id", tree.unit_id);
  o.emplace_hint(o.end(), "year", tree.year);
  return j;
}

Status ValidateIndicatorTree(const IndicatorTree& tree, const CycleConfig& config) {
  // Only the messages need the cycle's name.
  auto cycle = [&config] {
    return "the " + std::to_string(config.year) + " " + SchemeName(config.scheme) + " cycle";
  };
  if (tree.year != config.year) {
    return Status::InvalidArgument("year: the plan is for " + std::to_string(tree.year) + ", " +
                                   cycle() + " is for " + std::to_string(config.year));
  }
  Result<std::map<std::string, double>> weights = config.WeightsFor(tree.category_id);
  if (!weights.ok()) {
    return Status::InvalidArgument("category_id: " + Quote(tree.category_id) +
                                   " is not a category of " + cycle());
  }
  std::set<std::string> present;
  for (size_t i = 0; i < tree.target_types.size(); ++i) {
    const IndicatorNode& t = tree.target_types[i];
    const std::string path = IndexPath("target_types", i);
    auto it = weights->find(t.id);
    if (it == weights->end()) {
      std::string known;
      for (const auto& tt : config.target_types) known += (known.empty() ? "" : ", ") + tt.id;
      return Status::InvalidArgument(JoinPath(path, "id") + ": " + Quote(t.id) +
                                     " is not a target type of " + cycle() + " (known: " + known +
                                     ")");
    }
    if (it->second <= 0) {
      return Status::InvalidArgument(JoinPath(path, "id") + ": target type " + Quote(t.id) +
                                     " is not assessed in category " + Quote(tree.category_id));
    }
    const double max_points = it->second * config.grade_rules.max_score / 100.0;
    const double sum = PointsOf(t);
    if (std::fabs(sum - max_points) > kPointsEpsilon) {
      return Status::InvalidArgument(path + " (" + t.id + "): indicators sum to " +
                                     FormatNumber(sum) + " points, " + cycle() + " gives " + t.id +
                                     " " + FormatNumber(max_points) + " points in category " +
                                     Quote(tree.category_id) + " (" + FormatNumber(it->second) +
                                     "% of " + FormatNumber(config.grade_rules.max_score) + ")");
    }
    present.insert(t.id);
  }
  for (const auto& [type, weight] : *weights) {
    if (weight > 0 && present.count(type) == 0) {
      return Status::InvalidArgument("target_types: target type " + Quote(type) + " is missing (" +
                                     FormatNumber(weight * config.grade_rules.max_score / 100.0) +
                                     " points in category " + Quote(tree.category_id) + ")");
    }
  }
  return Status::Ok();
}

Status CheckPlanUnits(const IndicatorTree& tree, const UnitDirectory& directory) {
  const Unit* unit = directory.Find(tree.unit_id);
  if (unit == nullptr) {
    return Status::InvalidArgument("unit_id: unknown unit " + Quote(tree.unit_id));
  }
  if (unit->category_id != tree.category_id) {
    return Status::InvalidArgument("category_id: the plan says " + Quote(tree.category_id) +
                                   " but unit " + Quote(unit->id) + " is in category " +
                                   Quote(unit->category_id));
  }
  std::function<Status(const IndicatorNode&, const std::string&)> walk =
      [&](const IndicatorNode& node, const std::string& path) -> Status {
    if (node.children.empty()) {
      if (directory.Find(node.lead_assessor) == nullptr) {
        return Status::InvalidArgument(JoinPath(path, "lead_assessor") + ": unknown unit " +
                                       Quote(node.lead_assessor) + " (indicator " + Quote(node.id) +
                                       ")");
      }
      if (!node.data_provider.empty() && directory.Find(node.data_provider) == nullptr) {
        return Status::InvalidArgument(JoinPath(path, "data_provider") + ": unknown unit " +
                                       Quote(node.data_provider) + " (indicator " + Quote(node.id) +
                                       ")");
      }
      return Status::Ok();
    }
    for (size_t i = 0; i < node.children.size(); ++i) {
      Status s = walk(node.children[i], IndexPath(JoinPath(path, "children"), i));
      if (!s.ok()) return s;
    }
    return Status::Ok();
  };
  for (size_t i = 0; i < tree.target_types.size(); ++i) {
    Status s = walk(tree.target_types[i], IndexPath("target_types", i));
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

const IndicatorNode* FindIndicatorNode(const IndicatorTree& tree, std::string_view id,
                                       IndicatorLevel* level) {
  std::vector<const IndicatorNode*> chain;
  if (!FindChain(tree.target_types, id, &chain)) return nullptr;
  if (level != nullptr) *level = static_cast<IndicatorLevel>(chain.size() - 1);
  return chain.back();
}

std::vector<const IndicatorNode*> Leaves(const IndicatorTree& tree) {
  std::vector<const IndicatorNode*> out;
  for (const LeafInfo& l : LeafInfos(tree)) out.push_back(l.node);
  return out;
}

double PointsOf(const IndicatorNode& node) {
  if (node.children.empty()) return node.weight.value_or(0);
  double sum = 0;
  for (const auto& c : node.children) sum += PointsOf(c);
  return sum;
}

const IndicatorNode* TargetTypeOf(const IndicatorTree& tree, std::string_view id) {
  std::vector<const IndicatorNode*> chain;
  if (!FindChain(tree.target_types, id, &chain)) return nullptr;
  return chain.front();
}

Result<IndicatorTree> ApplyAdjustment(const IndicatorTree& tree, const nlohmann::json& change) {
  const std::vector<std::string> kChangeFields = {"reason", "approved_by", "approved_on",
                                                  "requested_by", "operations"};
  Result<Approval> approval = ParseApproval(change, "", kChangeFields);
  if (!approval.ok()) return approval.status();
  ObjectReader r(change, "", kChangeFields);
  const nlohmann::json* ops = nullptr;
  if (!r.ReadArray("operations", &ops)) return r.status();
  if (ops->empty()) {
    r.Fail("operations", "an adjustment needs at least one operation (modify, add or remove)");
    return r.status();
  }
  IndicatorTree work = tree;
  for (size_t i = 0; i < ops->size(); ++i) {
    const std::string path = IndexPath("operations", i);
    const nlohmann::json& op = (*ops)[i];
    ObjectReader head(op, path,
                      {"op", "id", "parent_id", "node", "name", "weight", "target", "lead_assessor",
                       "data_provider", "scoring_rule"});
    std::string kind;
    if (!head.ReadString("op", &kind)) return head.status();
    Status s;
    if (kind == "modify") {
      s = ApplyModify(work, op, path);
    } else if (kind == "add") {
      s = ApplyAdd(work, op, path);
    } else if (kind == "remove") {
      s = ApplyRemove(work, op, path);
    } else {
      head.Fail("op", "unknown operation " + Quote(kind) + " (known: modify, add, remove)");
      s = head.status();
    }
    if (!s.ok()) return s;
  }
  if (Status s = CheckStructureAt(work, ""); !s.ok()) {
    return Status::InvalidArgument("operations: the adjusted plan is not valid: " + s.message());
  }
  for (const IndicatorNode& before : tree.target_types) {
    const IndicatorNode* after = nullptr;
    for (const auto& t : work.target_types) {
      if (t.id == before.id) after = &t;
    }
    const double was = PointsOf(before);
    const double now = after == nullptr ? 0 : PointsOf(*after);
    if (std::fabs(was - now) > kPointsEpsilon) {
      return Status::InvalidArgument(
          "operations: target type " + Quote(before.id) + " would total " + FormatNumber(now) +
          " points, the plan has " + FormatNumber(was) +
          "; an adjustment must keep each target type's total (rebalance other indicators in the "
          "same change)");
    }
  }
  if (IndicatorTreeToJson(work) == IndicatorTreeToJson(tree)) {
    return Status::InvalidArgument("operations: the change leaves the plan as it is");
  }
  return work;
}

std::vector<IndicatorChange> DiffIndicators(const IndicatorTree& before,
                                            const IndicatorTree& after) {
  std::vector<IndicatorChange> out;
  const std::vector<LeafInfo> old_leaves = LeafInfos(before);
  const std::vector<LeafInfo> new_leaves = LeafInfos(after);
  std::map<std::string, const LeafInfo*> old_by_id;
  std::map<std::string, const LeafInfo*> new_by_id;
  for (const auto& l : old_leaves) old_by_id[l.node->id] = &l;
  for (const auto& l : new_leaves) new_by_id[l.node->id] = &l;
  for (const LeafInfo& n : new_leaves) {
    const IndicatorNode& now = *n.node;
    auto it = old_by_id.find(now.id);
    if (it == old_by_id.end()) {
      out.push_back({IndicatorChange::Kind::kAdded, now.id, now.name,
                     "added under " + Quote(n.parent_id) + " with " +
                         FormatNumber(now.weight.value_or(0)) + " points"});
      continue;
    }
    const IndicatorNode& was = *it->second->node;
    std::vector<std::string> parts;
    if (was.name != now.name) parts.push_back(ChangeField("name", was.name, now.name));
    if (was.weight.value_or(0) != now.weight.value_or(0)) {
      parts.push_back("weight " + FormatNumber(was.weight.value_or(0)) + " → " +
                      FormatNumber(now.weight.value_or(0)));
    }
    if (was.target != now.target) parts.push_back(ChangeField("target", was.target, now.target));
    if (was.lead_assessor != now.lead_assessor) {
      parts.push_back(ChangeField("lead_assessor", was.lead_assessor, now.lead_assessor));
    }
    if (was.data_provider != now.data_provider) {
      parts.push_back(ChangeField("data_provider", was.data_provider, now.data_provider));
    }
    if (was.scoring_rule != now.scoring_rule) {
      parts.push_back(ChangeField("scoring_rule", was.scoring_rule, now.scoring_rule));
    }
    if (it->second->parent_id != n.parent_id) {
      parts.push_back("moved from " + Quote(it->second->parent_id) + " to " + Quote(n.parent_id));
    }
    if (parts.empty()) continue;
    std::string detail;
    for (const auto& p : parts) detail += (detail.empty() ? "" : "; ") + p;
    out.push_back({IndicatorChange::Kind::kModified, now.id, now.name, detail});
  }
  for (const LeafInfo& o : old_leaves) {
    if (new_by_id.count(o.node->id) != 0) continue;
    out.push_back({IndicatorChange::Kind::kRemoved, o.node->id, o.node->name,
                   "removed from " + Quote(o.parent_id) + " (was " +
                       FormatNumber(o.node->weight.value_or(0)) + " points)"});
  }
  return out;
}

// ---- PlanVersions ----------------------------------------------------------------

namespace {

Status CheckApproval(const Approval& a, const std::string& base) {
  if (Blank(a.approved_by)) {
    return Status::InvalidArgument(JoinPath(base, "approved_by") + ": required field is missing");
  }
  if (Blank(a.reason))
    return Status::InvalidArgument(JoinPath(base, "reason") + ": required field is missing");
  if (!a.approved_on.empty() && !IsValidDate(a.approved_on)) {
    return Status::InvalidArgument(JoinPath(base, "approved_on") + ": " + Quote(a.approved_on) +
                                   " is not a valid date (YYYY-MM-DD)");
  }
  return Status::Ok();
}

nlohmann::json ApprovalToJson(const Approval& a) {
  nlohmann::json j = nlohmann::json::object();
  Object& o = j.get_ref<Object&>();
  o.emplace_hint(o.end(), "approved_by", a.approved_by);
  if (!a.approved_on.empty()) o.emplace_hint(o.end(), "approved_on", a.approved_on);
  o.emplace_hint(o.end(), "reason", a.reason);
  if (!a.requested_by.empty()) o.emplace_hint(o.end(), "requested_by", a.requested_by);
  return j;
}

nlohmann::json ChangesToJson(const std::vector<IndicatorChange>& changes) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : changes) {
    nlohmann::json j = nlohmann::json::object();
    Object& o = j.get_ref<Object&>();
    o.emplace_hint(o.end(), "detail", c.detail);
    o.emplace_hint(o.end(), "indicator_id", c.indicator_id);
    o.emplace_hint(o.end(), "kind", ChangeKindName(c.kind));
    o.emplace_hint(o.end(), "name", c.name);
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace

Result<PlanVersions> PlanVersions::Issue(IndicatorTree plan, const CycleConfig& config,
                                         Approval approval) {
  if (Status s = CheckIndicatorStructure(plan); !s.ok()) return s;
  if (Status s = ValidateIndicatorTree(plan, config); !s.ok()) return s;
  if (Status s = CheckApproval(approval, "approval"); !s.ok()) return s;
  PlanVersions versions;
  versions.versions_.push_back(PlanVersion{1, std::move(plan), std::move(approval), {}});
  return versions;
}

Result<const PlanVersion*> PlanVersions::Adjust(const nlohmann::json& change) {
  Result<IndicatorTree> adjusted = ApplyAdjustment(Latest().tree, change);
  if (!adjusted.ok()) return adjusted.status();
  Result<Approval> approval = ParseApproval(
      change, "", {"reason", "approved_by", "approved_on", "requested_by", "operations"});
  if (!approval.ok()) return approval.status();
  PlanVersion next;
  next.number = Latest().number + 1;
  next.changes = DiffIndicators(Latest().tree, *adjusted);
  next.tree = std::move(adjusted).value();
  next.approval = std::move(approval).value();
  versions_.push_back(std::move(next));
  return &versions_.back();
}

Result<const PlanVersion*> PlanVersions::Get(int number) const {
  if (number < 1 || number > size()) {
    return Status::NotFound("plan version " + std::to_string(number) +
                            " does not exist (versions 1–" + std::to_string(size()) + ")");
  }
  return &versions_[static_cast<size_t>(number - 1)];
}

nlohmann::json PlanVersionsToJson(const PlanVersions& versions) {
  nlohmann::json out = nlohmann::json::array();
  for (int n = 1; n <= versions.size(); ++n) {
    const PlanVersion& v = **versions.Get(n);
    nlohmann::json j = nlohmann::json::object();
    Object& o = j.get_ref<Object&>();
    o.emplace_hint(o.end(), "approval", ApprovalToJson(v.approval));
    o.emplace_hint(o.end(), "changes", ChangesToJson(v.changes));
    o.emplace_hint(o.end(), "number", v.number);
    o.emplace_hint(o.end(), "tree", IndicatorTreeToJson(v.tree));
    out.push_back(std::move(j));
  }
  nlohmann::json all = nlohmann::json::object();
  all.get_ref<Object&>().emplace("versions", std::move(out));
  return all;
}

std::set<std::string> LeadAssessorUnits(const PlanVersions& versions) {
  std::set<std::string> units;
  for (const IndicatorNode* leaf : Leaves(versions.Latest().tree)) {
    if (!leaf->lead_assessor.empty()) units.insert(leaf->lead_assessor);
  }
  return units;
}

Result<PlanVersions> ParsePlanVersions(const nlohmann::json& json) {
  ObjectReader top(json, "", {"versions"});
  const nlohmann::json* array = nullptr;
  if (!top.ReadArray("versions", &array)) return top.status();
  if (array->empty()) return Status::InvalidArgument("versions: at least version 1 is required");
  PlanVersions result;
  for (size_t i = 0; i < array->size(); ++i) {
    const std::string path = IndexPath("versions", i);
    ObjectReader r((*array)[i], path, {"number", "approval", "changes", "tree"});
    PlanVersion v;
    const nlohmann::json* approval = nullptr;
    const nlohmann::json* changes = nullptr;
    const nlohmann::json* tree = nullptr;
    r.ReadInt("number", &v.number) && r.ReadObject("approval", &approval) &&
        r.ReadArray("changes", &changes) && r.ReadObject("tree", &tree);
    if (!r.ok()) return r.status();
    if (v.number != static_cast<int>(i) + 1) {
      r.Fail("number",
             "expected version " + std::to_string(i + 1) + ", got " + std::to_string(v.number));
      return r.status();
    }
    Result<Approval> a = ParseApproval(*approval, r.PathOf("approval"),
                                       {"approved_by", "reason", "approved_on", "requested_by"});
    if (!a.ok()) return a.status();
    v.approval = std::move(a).value();
    Result<IndicatorTree> t = ParseTreeAt(*tree, r.PathOf("tree"));
    if (!t.ok()) return t.status();
    if (Status s = CheckStructureAt(*t, r.PathOf("tree")); !s.ok()) return s;
    v.tree = std::move(t).value();
    if (i > 0) {
      const IndicatorTree& first = result.versions_.front().tree;
      const IndicatorTree& prev = result.versions_.back().tree;
      if (v.tree.year != first.year || v.tree.unit_id != first.unit_id ||
          v.tree.category_id != first.category_id) {
        r.Fail("tree", "year, unit_id and category_id must stay those of version 1");
        return r.status();
      }
      for (const IndicatorNode& t1 : first.target_types) {
        const IndicatorNode* now = nullptr;
        for (const auto& tn : v.tree.target_types) {
          if (tn.id == t1.id) now = &tn;
        }
        if (now == nullptr || std::fabs(PointsOf(*now) - PointsOf(t1)) > kPointsEpsilon ||
            v.tree.target_types.size() != first.target_types.size()) {
          r.Fail("tree", "target type " + Quote(t1.id) + " must keep its total of version 1 (" +
                             FormatNumber(PointsOf(t1)) + " points)");
          return r.status();
        }
      }
      v.changes = DiffIndicators(prev, v.tree);
    }
    if (ChangesToJson(v.changes) != *changes) {
      r.Fail("changes", "do not match the difference between versions " + std::to_string(i) +
                            " and " + std::to_string(i + 1));
      return r.status();
    }
    result.versions_.push_back(std::move(v));
  }
  return result;
}

}  // namespace govassess::workflows

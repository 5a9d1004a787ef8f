#include "workflows/scoring.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>

namespace govassess::workflows {

namespace {

using internal::FormatNumber;
using internal::IndexPath;
using internal::JoinPath;

constexpr long long kShareScale = 1000000;  // shares are computed in millionths

std::string Quote(const std::string& s) { return "\"" + s + "\""; }
bool Blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

// Points in hundredths, rounded half away from zero: the unit of ranking.
long long Centipoints(double points) { return std::llround(points * 100.0); }
double RoundToCent(double points) { return static_cast<double>(Centipoints(points)) / 100.0; }
std::string FormatCents(long long cents) {
  return FormatNumber(static_cast<double>(cents) / 100.0);
}

void CollectLeaves(const IndicatorNode& node, std::vector<const IndicatorNode*>* out) {
  if (node.children.empty()) {
    out->push_back(&node);
    return;
  }
  for (const auto& c : node.children) CollectLeaves(c, out);
}

Status CheckRules(const GradeRules& rules) {
  if (!(rules.max_score > 0) || !std::isfinite(rules.max_score)) {
    return Status::InvalidArgument("grade_rules.max_score: must be more than 0, got " +
                                   FormatNumber(rules.max_score));
  }
  if (!(rules.first_share > 0 && rules.first_share <= 1)) {
    return Status::InvalidArgument(
        "grade_rules.first_share: must be more than 0 and at most 1, got " +
        FormatNumber(rules.first_share));
  }
  if (!(rules.second_share >= 0 && rules.second_share <= 1) ||
      rules.first_share + rules.second_share > 1 + 1e-9) {
    return Status::InvalidArgument(
        "grade_rules.second_share: must be between 0 and 1 - first_share, got " +
        FormatNumber(rules.second_share));
  }
  if (!(rules.fail_below >= 0 && rules.fail_below <= rules.max_score)) {
    return Status::InvalidArgument("grade_rules.fail_below: must be between 0 and max_score, got " +
                                   FormatNumber(rules.fail_below));
  }
  return Status::Ok();
}

Grade Lower(Grade g) {
  switch (g) {
    case Grade::kFirst:
      return Grade::kSecond;
    case Grade::kSecond:
      return Grade::kThird;
    case Grade::kThird:
      return Grade::kFail;
    case Grade::kFail:
      return Grade::kFail;
  }
  return Grade::kFail;
}

std::string KindName(OverrideKind kind) {
  return kind == OverrideKind::kAffirmation ? "affirmation" : "downgrade";
}

}  // namespace

const char* GradeName(Grade grade) {
  switch (grade) {
    case Grade::kFirst:
      return "一等";
    case Grade::kSecond:
      return "二等";
    case Grade::kThird:
      return "三等";
    case Grade::kFail:
      return "不合格";
  }
  return "不合格";
}

const char* GradeId(Grade grade) {
  switch (grade) {
    case Grade::kFirst:
      return "first";
    case Grade::kSecond:
      return "second";
    case Grade::kThird:
      return "third";
    case Grade::kFail:
      return "fail";
  }
  return "fail";
}

Result<ScoredUnit> ComputeTotal(const ScoreCard& card, const CycleConfig& config,
                                const IndicatorTree* plan) {
  if (Blank(card.unit_id)) return Status::InvalidArgument("unit_id: must not be empty");
  Result<std::map<std::string, double>> weights = config.WeightsFor(card.category_id);
  if (!weights.ok()) {
    return Status::InvalidArgument("category_id: " + Quote(card.category_id) +
                                   " is not a category of the " + std::to_string(config.year) +
                                   " " + SchemeName(config.scheme) + " cycle");
  }
  if (plan != nullptr && (plan->unit_id != card.unit_id || plan->category_id != card.category_id)) {
    return Status::InvalidArgument("plan: it is the plan of " + Quote(plan->unit_id) + " in " +
                                   Quote(plan->category_id) + ", the score card is for " +
                                   Quote(card.unit_id) + " in " + Quote(card.category_id));
  }
  const double max_score = config.grade_rules.max_score;
  ScoredUnit out;
  out.unit_id = card.unit_id;
  out.category_id = card.category_id;
  double total = 0;
  std::set<std::string> seen;
  for (size_t i = 0; i < card.target_types.size(); ++i) {
    const TargetTypeScore& ts = card.target_types[i];
    const std::string path = IndexPath("target_types", i) + " (" + ts.target_type + ")";
    auto w = weights->find(ts.target_type);
    if (w == weights->end()) {
      return Status::InvalidArgument(path + ": unknown target type " + Quote(ts.target_type));
    }
    if (w->second <= 0) {
      return Status::InvalidArgument(path + ": target type " + Quote(ts.target_type) +
                                     " is not assessed in category " + Quote(card.category_id));
    }
    if (!seen.insert(ts.target_type).second) {
      return Status::InvalidArgument(path + ": target type " + Quote(ts.target_type) +
                                     " is scored twice");
    }
    const bool by_indicators = !ts.indicators.empty();
    const bool by_raw = ts.raw_score.has_value();
    if (by_indicators == by_raw) {
      return Status::InvalidArgument(path + ": give either indicator points or a raw score, " +
                                     (by_raw ? "not both" : "got neither"));
    }
    const double max_points = w->second * max_score / 100.0;
    double points = 0;
    if (by_raw) {
      if (!(ts.raw_max > 0) || !std::isfinite(ts.raw_max)) {
        return Status::InvalidArgument(path + ": raw_max must be more than 0, got " +
                                       FormatNumber(ts.raw_max));
      }
      if (!std::isfinite(*ts.raw_score) || *ts.raw_score < 0 || *ts.raw_score > ts.raw_max) {
        return Status::InvalidArgument(path + ": raw score " + FormatNumber(*ts.raw_score) +
                                       " is outside [0, " + FormatNumber(ts.raw_max) + "]");
      }
      points = *ts.raw_score / ts.raw_max * max_points;
    } else {
      if (plan == nullptr) {
        return Status::InvalidArgument(path + ": scored by indicators, but no plan was given");
      }
      const IndicatorNode* type_node = nullptr;
      for (const auto& t : plan->target_types) {
        if (t.id == ts.target_type) type_node = &t;
      }
      if (type_node == nullptr) {
        return Status::InvalidArgument(path + ": the plan has no target type " +
                                       Quote(ts.target_type));
      }
      std::vector<const IndicatorNode*> leaves;
      CollectLeaves(*type_node, &leaves);
      std::map<std::string, const IndicatorNode*> by_id;
      for (const IndicatorNode* l : leaves) by_id[l->id] = l;
      std::set<std::string> scored;
      for (const IndicatorScore& s : ts.indicators) {
        auto it = by_id.find(s.indicator_id);
        if (it == by_id.end()) {
          return Status::InvalidArgument(path + ": indicator " + Quote(s.indicator_id) +
                                         " is not in the plan under " + ts.target_type);
        }
        if (!scored.insert(s.indicator_id).second) {
          return Status::InvalidArgument(path + ": indicator " + Quote(s.indicator_id) +
                                         " is scored twice");
        }
        const double weight = it->second->weight.value_or(0);
        if (!std::isfinite(s.points) || s.points < 0) {
          return Status::InvalidArgument(path + ": indicator " + Quote(s.indicator_id) + " has " +
                                         FormatNumber(s.points) +
                                         " points; points must be 0 or more");
        }
        if (s.points > weight + 1e-9) {
          return Status::InvalidArgument(path + ": indicator " + Quote(s.indicator_id) + " has " +
                                         FormatNumber(s.points) + " points, more than its weight " +
                                         FormatNumber(weight));
        }
        points += s.points;
      }
      for (const IndicatorNode* l : leaves) {
        if (scored.count(l->id) == 0) {
          return Status::InvalidArgument(path + ": indicator " + Quote(l->id) + " (" + l->name +
                                         ") has no score");
        }
      }
      points = std::min(points, max_points);
    }
    out.target_type_points[ts.target_type] = points;
    total += points;
  }
  for (const auto& [type, weight] : *weights) {
    if (weight > 0 && seen.count(type) == 0) {
      return Status::InvalidArgument("target_types: target type " + Quote(type) +
                                     " has no score (" + FormatNumber(weight * max_score / 100.0) +
                                     " points in category " + Quote(card.category_id) + ")");
    }
  }
  out.total = RoundToCent(total);
  return out;
}

GradePlaces PlacesFor(int category_size, const GradeRules& rules) {
  GradePlaces p;
  if (category_size <= 0) return p;
  const long long n = category_size;
  const long long s1 = std::llround(rules.first_share * kShareScale);
  const long long s12 =
      std::min(kShareScale, std::llround((rules.first_share + rules.second_share) * kShareScale));
  const long long first = (n * s1 + kShareScale / 2) / kShareScale;
  const long long first_and_second = (n * s12 + kShareScale / 2) / kShareScale;
  p.first = static_cast<int>(first);
  p.second = static_cast<int>(std::max(0LL, first_and_second - first));
  p.third = category_size - p.first - p.second;
  return p;
}

Result<std::vector<GradeResult>> AssignGrades(const std::vector<ScoredUnit>& units,
                                              const GradeRules& rules,
                                              const std::vector<Override>& overrides) {
  if (Status s = CheckRules(rules); !s.ok()) return s;
  const long long max_cents = Centipoints(rules.max_score);
  const long long fail_cents = Centipoints(rules.fail_below);

  // Validate units and group them by category, keeping first-appearance order.
  std::map<std::string, size_t> unit_index;
  std::vector<std::string> category_order;
  std::map<std::string, std::vector<size_t>> by_category;
  for (size_t i = 0; i < units.size(); ++i) {
    const ScoredUnit& u = units[i];
    const std::string path = IndexPath("units", i);
    if (Blank(u.unit_id))
      return Status::InvalidArgument(JoinPath(path, "unit_id") + ": must not be empty");
    if (auto [it, inserted] = unit_index.emplace(u.unit_id, i); !inserted) {
      return Status::InvalidArgument(JoinPath(path, "unit_id") + ": unit " + Quote(u.unit_id) +
                                     " is listed twice (also " + IndexPath("units", it->second) +
                                     ")");
    }
    if (Blank(u.category_id)) {
      return Status::InvalidArgument(JoinPath(path, "category_id") + ": must not be empty (unit " +
                                     Quote(u.unit_id) + ")");
    }
    if (!std::isfinite(u.total) || u.total < 0 || Centipoints(u.total) > max_cents) {
      return Status::InvalidArgument(JoinPath(path, "total") + ": " + FormatNumber(u.total) +
                                     " is outside [0, " + FormatNumber(rules.max_score) +
                                     "] (unit " + Quote(u.unit_id) + ")");
    }
    auto& members = by_category[u.category_id];
    if (members.empty()) category_order.push_back(u.category_id);
    members.push_back(i);
  }

  // Validate overrides before grading anything.
  std::map<std::string, std::vector<size_t>> overrides_of;
  for (size_t i = 0; i < overrides.size(); ++i) {
    const Override& o = overrides[i];
    const std::string name =
        IndexPath("overrides", i) + " (" + KindName(o.kind) + " of " + Quote(o.unit_id) + ")";
    if (Blank(o.reason)) return Status::InvalidArgument(name + ": reason is required");
    if (Blank(o.approver)) return Status::InvalidArgument(name + ": approver is required");
    if (unit_index.count(o.unit_id) == 0) {
      return Status::InvalidArgument(name + ": unit " + Quote(o.unit_id) +
                                     " is not among the scored units");
    }
    if (o.kind == OverrideKind::kDowngrade) {
      if (std::find(rules.downgrade_areas.begin(), rules.downgrade_areas.end(), o.area) ==
          rules.downgrade_areas.end()) {
        std::string known;
        for (const auto& a : rules.downgrade_areas) known += (known.empty() ? "" : ", ") + a;
        return Status::InvalidArgument(name + ": area " + Quote(o.area) +
                                       " is not a downgrade area of this cycle (known: " + known +
                                       ")");
      }
    } else if (!o.area.empty()) {
      return Status::InvalidArgument(name + ": an affirmation has no area, got " + Quote(o.area));
    }
    overrides_of[o.unit_id].push_back(i);
  }

  std::vector<GradeResult> results;
  results.reserve(units.size());
  for (const std::string& category : category_order) {
    std::vector<size_t> members = by_category[category];
    std::sort(members.begin(), members.end(), [&](size_t a, size_t b) {
      const long long ca = Centipoints(units[a].total);
      const long long cb = Centipoints(units[b].total);
      if (ca != cb) return ca > cb;
      return units[a].unit_id < units[b].unit_id;
    });
    const int n = static_cast<int>(members.size());
    const GradePlaces places = PlacesFor(n, rules);
    int rank = 0;
    long long previous = -1;
    for (int pos = 0; pos < n; ++pos) {
      const ScoredUnit& u = units[members[static_cast<size_t>(pos)]];
      const long long cents = Centipoints(u.total);
      if (pos == 0 || cents != previous) rank = pos + 1;
      previous = cents;

      GradeResult g;
      g.unit_id = u.unit_id;
      g.category_id = u.category_id;
      g.total = static_cast<double>(cents) / 100.0;
      g.rank = rank;
      g.category_size = n;
      const bool tied = (pos > 0 && Centipoints(units[members[pos - 1]].total) == cents) ||
                        (pos + 1 < n && Centipoints(units[members[pos + 1]].total) == cents);
      Grade by_rank = rank <= places.first                   ? Grade::kFirst
                      : rank <= places.first + places.second ? Grade::kSecond
                                                             : Grade::kThird;
      const std::string& category_name = u.category_name.empty() ? category : u.category_name;
      g.reasons.push_back(
          "“" + category_name + "”类第 " + std::to_string(rank) + " 名（共 " + std::to_string(n) +
          " 个" + (tied ? "，与其他单位并列 " + FormatCents(cents) + " 分" : "") + "）→ " +
          GradeName(by_rank) + "（名额：一等 " + std::to_string(places.first) + "、二等 " +
          std::to_string(places.second) + "、三等 " + std::to_string(places.third) + "）");
      Grade grade = by_rank;
      const bool below_fail = cents < fail_cents;
      if (below_fail) {
        grade = Grade::kFail;
        g.reasons.push_back("总分 " + FormatCents(cents) + " 低于 " +
                            FormatNumber(rules.fail_below) + " 分 → 不合格");
      }
      g.grade_before_overrides = grade;

      bool affirmed = false;
      bool downgraded = false;
      auto it = overrides_of.find(u.unit_id);
      const std::vector<size_t> none;
      const std::vector<size_t>& mine = it == overrides_of.end() ? none : it->second;
      // Affirmations first, then downgrades (see the header).
      for (size_t oi : mine) {
        const Override& o = overrides[oi];
        if (o.kind != OverrideKind::kAffirmation) continue;
        const std::string who = "（" + o.reason + "；" + o.approver + "批准）";
        if (below_fail && !rules.affirmation_lifts_fail) {
          g.reasons.push_back("一票肯定未适用：总分低于 " + FormatNumber(rules.fail_below) +
                              " 分，仍为不合格" + who);
        } else if (!affirmed) {
          grade = Grade::kFirst;
          affirmed = true;
          g.reasons.push_back("一票肯定 → 一等" + who);
        } else {
          g.reasons.push_back("一票肯定（已为一等）" + who);
        }
      }
      for (size_t oi : mine) {
        const Override& o = overrides[oi];
        if (o.kind != OverrideKind::kDowngrade) continue;
        const std::string who = "（" + o.reason + "；" + o.approver + "批准）";
        if (!downgraded) {
          const Grade before = grade;
          grade = Lower(grade);
          downgraded = true;
          g.reasons.push_back("因" + o.area + "方面的重大问题降等：" + GradeName(before) + " → " +
                              GradeName(grade) + who);
        } else {
          g.reasons.push_back("因" + o.area + "方面的重大问题降等已记录；每个单位至多降一个等次" +
                              who);
        }
      }
      g.final_grade = grade;
      results.push_back(std::move(g));
    }
  }
  return results;
}

}  // namespace govassess::workflows

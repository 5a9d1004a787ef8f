#include "registry/duplicate_review.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace govassess::registry {
namespace {

using Json = nlohmann::json;

// ---- Default word lists ----------------------------------------------------------

// Words that say "this is an assessment" or "this is work" rather than what is
// assessed. Removal is longest match first (目标管理 before 目标). No single
// characters are listed: they would cut content words.
// clang-format off
const char* const kDefaultBoilerplate[] = {
    // the assessment itself
    "考核", "考评", "考察", "评议", "评估", "评价", "测评", "绩效", "实绩", "成效",
    "目标管理", "目标责任", "目标", "办法", "细则",
    // scope and period
    "专项", "年度", "全区", "全市", "全省", "全县", "自治区", "区直", "各级", "各地",
    // work verbs and fillers
    "工作", "情况", "开展", "实施", "推进", "加强", "深化", "全面", "进一步", "扎实",
    "持续", "有效", "落实", "有关", "相关",
};

// Guangxi and its 14 cities (设区市), with and without 市.
const char* const kDefaultPlaceNames[] = {
    "广西壮族自治区", "广西",
    "南宁市", "南宁", "柳州市", "柳州", "桂林市", "桂林", "梧州市", "梧州",
    "北海市", "北海", "防城港市", "防城港", "钦州市", "钦州", "贵港市", "贵港",
    "玉林市", "玉林", "百色市", "百色", "贺州市", "贺州", "河池市", "河池",
    "来宾市", "来宾", "崇左市", "崇左",
};

const std::pair<const char*, const char*> kDefaultSynonyms[] = {
    {"考评", "考核"}, {"测评", "考核"}, {"评议", "考核"}, {"考察", "考核"},
    {"河湖长制", "河长制湖长制"}, {"扶贫", "脱贫"}, {"食药", "食品药品"},
    {"双拥", "拥军优属拥政爱民"},
};

const char* const kConfigFields[] = {
    "likely_duplicate", "needs_review", "name_weight", "name_alone", "indicator_pair",
    "top_k", "strip_years", "boilerplate", "place_names", "synonyms",
};
// clang-format on

// ---- Config parsing ---------------------------------------------------------------

Status FieldError(const std::string& field, const std::string& what) {
  return Status::InvalidArgument("duplicate review config: '" + field + "' " + what);
}

Status ReadUnit(const Json& json, const char* field, double* out) {
  if (!json.contains(field)) return Status::Ok();
  const Json& v = json.at(field);
  if (!v.is_number()) return FieldError(field, "must be a number in [0, 1], got " + v.dump());
  double d = v.get<double>();
  if (!(d >= 0.0 && d <= 1.0)) {
    return FieldError(field, "must be a number in [0, 1], got " + v.dump());
  }
  *out = d;
  return Status::Ok();
}

Status ReadWords(const Json& json, const char* field, std::vector<std::string>* out) {
  if (!json.contains(field)) return Status::Ok();
  const Json& v = json.at(field);
  if (!v.is_array()) return FieldError(field, "must be an array of strings");
  std::vector<std::string> words;
  for (size_t k = 0; k < v.size(); ++k) {
    if (!v[k].is_string() || v[k].get<std::string>().empty()) {
      return FieldError(
          field, "item " + std::to_string(k) + " must be a non-empty string, got " + v[k].dump());
    }
    words.push_back(v[k].get<std::string>());
  }
  *out = std::move(words);
  return Status::Ok();
}

Result<std::vector<std::string>> ReadStringArray(const Json& json, const char* field,
                                                 const std::string& what) {
  if (!json.contains(field)) return FieldError(field, "is missing in " + what);
  const Json& v = json.at(field);
  if (!v.is_array()) return FieldError(field, "must be an array of strings in " + what);
  std::vector<std::string> out;
  for (size_t k = 0; k < v.size(); ++k) {
    if (!v[k].is_string()) {
      return FieldError(field, "item " + std::to_string(k) + " must be a string in " + what);
    }
    out.push_back(v[k].get<std::string>());
  }
  return out;
}

// ---- Per-thread scratch for Check --------------------------------------------------

// An overlapping indicator pair found by Check.
struct Hit {
  std::uint32_t item_slot;
  std::uint32_t query_position;  // index into the query's compared indicators
  std::uint32_t indicator_slot;
  std::uint32_t candidate;  // index into Scratch::candidates
  double score;
};

struct Candidate {
  std::uint32_t item_slot = 0;
  std::uint32_t shared_name = 0;
  std::uint32_t first_hit = 0;  // its hits are grouped[first_hit, end_hit)
  std::uint32_t end_hit = 0;
  double name_score = 0;
  double indicator_score = 0;
  double score = 0;
};

// Buffers reused across checks on one thread; every counter is back to zero (and
// candidate_of to -1) when Check returns.
struct Scratch {
  std::vector<std::uint32_t> name_count;       // by item slot
  std::vector<std::int32_t> candidate_of;      // by item slot: index into candidates, or -1
  std::vector<std::uint32_t> indicator_count;  // by indicator slot
  std::vector<double> best_existing;           // by indicator slot
  std::vector<std::uint32_t> touched;
  std::vector<Hit> hits;
  std::vector<Hit> grouped;
  std::vector<Candidate> candidates;
};

Scratch& ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

}  // namespace

double NameScore(std::uint32_t shared, std::uint32_t a_size, std::uint32_t b_size) {
  if (a_size == 0 || b_size == 0) return 0.0;
  const double dice = 2.0 * shared / static_cast<double>(a_size + b_size);
  const double overlap =
      static_cast<double>(shared) / static_cast<double>(std::min(a_size, b_size));
  return 0.5 * (dice + overlap);
}

// ---- Names of enums ----------------------------------------------------------------

const char* ReviewItemKindName(ReviewItemKind kind) {
  switch (kind) {
    case ReviewItemKind::kLicensed:
      return "licensed";
    case ReviewItemKind::kPending:
      return "pending";
    case ReviewItemKind::kComprehensiveIndicator:
      return "comprehensive_indicator";
  }
  return "licensed";
}

Result<ReviewItemKind> ParseReviewItemKind(std::string_view name) {
  if (name == "licensed") return ReviewItemKind::kLicensed;
  if (name == "pending") return ReviewItemKind::kPending;
  if (name == "comprehensive_indicator") return ReviewItemKind::kComprehensiveIndicator;
  return Status::InvalidArgument("unknown item kind '" + std::string(name) +
                                 "' (expected licensed, pending or comprehensive_indicator)");
}

const char* DuplicateLevelName(DuplicateLevel level) {
  switch (level) {
    case DuplicateLevel::kLikelyDuplicate:
      return "likely_duplicate";
    case DuplicateLevel::kNeedsReview:
      return "needs_review";
    case DuplicateLevel::kDistinct:
      return "distinct";
  }
  return "distinct";
}

// ---- Config ------------------------------------------------------------------------

NormalizerOptions DuplicateConfig::ToNormalizerOptions() const {
  NormalizerOptions options;
  options.synonyms = synonyms;
  options.boilerplate = boilerplate;
  options.place_names = place_names;
  options.strip_years = strip_years;
  return options;
}

DuplicateConfig DefaultDuplicateConfig() {
  DuplicateConfig config;
  config.boilerplate.assign(std::begin(kDefaultBoilerplate), std::end(kDefaultBoilerplate));
  config.place_names.assign(std::begin(kDefaultPlaceNames), std::end(kDefaultPlaceNames));
  for (const auto& [from, to] : kDefaultSynonyms) config.synonyms.emplace_back(from, to);
  return config;
}

Result<DuplicateConfig> ParseDuplicateConfig(const nlohmann::json& json) {
  if (!json.is_object()) {
    return Status::InvalidArgument("duplicate review config must be a JSON object, got " +
                                   std::string(json.type_name()));
  }
  for (const auto& [key, value] : json.items()) {
    (void)value;
    if (std::find(std::begin(kConfigFields), std::end(kConfigFields), key) ==
        std::end(kConfigFields)) {
      return FieldError(key,
                        "is not a known field (known: likely_duplicate, needs_review, "
                        "name_weight, name_alone, indicator_pair, top_k, strip_years, "
                        "boilerplate, place_names, synonyms)");
    }
  }
  DuplicateConfig config = DefaultDuplicateConfig();
  Status s;
  if (!(s = ReadUnit(json, "likely_duplicate", &config.likely_duplicate)).ok()) return s;
  if (!(s = ReadUnit(json, "needs_review", &config.needs_review)).ok()) return s;
  if (!(s = ReadUnit(json, "name_weight", &config.name_weight)).ok()) return s;
  if (!(s = ReadUnit(json, "name_alone", &config.name_alone)).ok()) return s;
  if (!(s = ReadUnit(json, "indicator_pair", &config.indicator_pair)).ok()) return s;
  if (config.needs_review > config.likely_duplicate) {
    return FieldError("needs_review", "(" + std::to_string(config.needs_review) +
                                          ") must not exceed likely_duplicate (" +
                                          std::to_string(config.likely_duplicate) + ")");
  }
  if (config.indicator_pair <= 0.0) {
    return FieldError("indicator_pair", "must be greater than 0");
  }
  if (json.contains("top_k")) {
    const Json& v = json.at("top_k");
    if (!v.is_number_integer() || v.get<long long>() < 1 || v.get<long long>() > 100) {
      return FieldError("top_k", "must be an integer from 1 to 100, got " + v.dump());
    }
    config.top_k = v.get<int>();
  }
  if (json.contains("strip_years")) {
    const Json& v = json.at("strip_years");
    if (!v.is_boolean()) return FieldError("strip_years", "must be true or false, got " + v.dump());
    config.strip_years = v.get<bool>();
  }
  if (!(s = ReadWords(json, "boilerplate", &config.boilerplate)).ok()) return s;
  if (!(s = ReadWords(json, "place_names", &config.place_names)).ok()) return s;
  if (json.contains("synonyms")) {
    const Json& v = json.at("synonyms");
    if (!v.is_object()) {
      return FieldError("synonyms", "must be an object mapping a word to its replacement");
    }
    config.synonyms.clear();
    for (const auto& [from, to] : v.items()) {
      if (from.empty() || !to.is_string()) {
        return FieldError("synonyms", "entry '" + from + "' must map a non-empty word to a string");
      }
      config.synonyms.emplace_back(from, to.get<std::string>());
    }
  }
  return config;
}

nlohmann::json DuplicateConfigToJson(const DuplicateConfig& config) {
  Json synonyms = Json::object();
  for (const auto& [from, to] : config.synonyms) synonyms[from] = to;
  return Json{{"likely_duplicate", config.likely_duplicate}, {"needs_review", config.needs_review},
              {"name_weight", config.name_weight},           {"name_alone", config.name_alone},
              {"indicator_pair", config.indicator_pair},     {"top_k", config.top_k},
              {"strip_years", config.strip_years},           {"boilerplate", config.boilerplate},
              {"place_names", config.place_names},           {"synonyms", synonyms}};
}

// ---- JSON of items and matches ------------------------------------------------------

Result<ReviewItem> ReviewItemFromJson(const nlohmann::json& json) {
  if (!json.is_object()) return Status::InvalidArgument("registry item must be a JSON object");
  ReviewItem item;
  for (const char* field : {"id", "name"}) {
    if (!json.contains(field) || !json.at(field).is_string()) {
      return Status::InvalidArgument(std::string("registry item: '") + field +
                                     "' must be a string");
    }
  }
  item.id = json.at("id").get<std::string>();
  item.name = json.at("name").get<std::string>();
  const std::string what = "registry item '" + item.id + "'";
  if (json.contains("lead")) {
    if (!json.at("lead").is_string()) return FieldError("lead", "must be a string in " + what);
    item.lead = json.at("lead").get<std::string>();
  }
  if (json.contains("kind")) {
    if (!json.at("kind").is_string()) return FieldError("kind", "must be a string in " + what);
    Result<ReviewItemKind> kind = ParseReviewItemKind(json.at("kind").get<std::string>());
    if (!kind.ok()) return Status::InvalidArgument(what + ": " + kind.status().message());
    item.kind = *kind;
  }
  Result<std::vector<std::string>> indicators = ReadStringArray(json, "indicators", what);
  if (!indicators.ok()) return indicators.status();
  item.indicators = std::move(indicators).value();
  return item;
}

Result<LabelledProbe> LabelledProbeFromJson(const nlohmann::json& json) {
  if (!json.is_object()) return Status::InvalidArgument("probe must be a JSON object");
  LabelledProbe probe;
  if (!json.contains("name") || !json.at("name").is_string()) {
    return Status::InvalidArgument("probe: 'name' must be a string");
  }
  probe.name = json.at("name").get<std::string>();
  const std::string what = "probe '" + probe.name + "'";
  Result<std::vector<std::string>> indicators = ReadStringArray(json, "indicators", what);
  if (!indicators.ok()) return indicators.status();
  probe.indicators = std::move(indicators).value();
  if (!json.contains("expected")) return FieldError("expected", "is missing in " + what);
  const Json& expected = json.at("expected");
  if (expected.is_string()) {
    probe.expected_id = expected.get<std::string>();
  } else if (!expected.is_null()) {
    return FieldError("expected", "must be an item id or null in " + what);
  }
  if (json.contains("note") && json.at("note").is_string()) {
    probe.note = json.at("note").get<std::string>();
  }
  return probe;
}

nlohmann::json MatchToJson(const DuplicateMatch& match) {
  Json overlaps = Json::array();
  for (const auto& o : match.overlaps) {
    overlaps.push_back({{"candidate", o.candidate}, {"existing", o.existing}, {"score", o.score}});
  }
  return Json{{"id", match.id},
              {"name", match.name},
              {"lead", match.lead},
              {"kind", ReviewItemKindName(match.kind)},
              {"name_score", match.name_score},
              {"indicator_score", match.indicator_score},
              {"score", match.score},
              {"level", DuplicateLevelName(match.level)},
              {"overlaps", overlaps}};
}

// ---- DuplicateIndex ----------------------------------------------------------------

DuplicateIndex::DuplicateIndex(DuplicateConfig config)
    : config_(std::move(config)), normalizer_(config_.ToNormalizerOptions()) {}

std::uint32_t DuplicateIndex::Intern(BigramKey key) {
  auto [it, inserted] = bigram_ids_.emplace(key, static_cast<std::uint32_t>(bigram_ids_.size()));
  if (inserted) {
    name_postings_.emplace_back();
    indicator_postings_.emplace_back();
  }
  return it->second;
}

DuplicateIndex::QuerySet DuplicateIndex::Lookup(const std::vector<BigramKey>& keys) const {
  QuerySet set;
  set.size = static_cast<std::uint32_t>(keys.size());
  set.known.reserve(keys.size());
  for (BigramKey key : keys) {
    auto it = bigram_ids_.find(key);
    if (it != bigram_ids_.end()) set.known.push_back(it->second);
  }
  return set;
}

void DuplicateIndex::ErasePosting(std::vector<std::uint32_t>& postings, std::uint32_t slot) {
  auto it = std::find(postings.begin(), postings.end(), slot);
  if (it == postings.end()) return;
  *it = postings.back();  // order does not matter: postings are only counted
  postings.pop_back();
}

Status DuplicateIndex::Add(ReviewItem item) {
  if (item.id.empty()) return Status::InvalidArgument("registry item has an empty id");
  if (by_id_.count(item.id) != 0) {
    return Status::Conflict("registry item '" + item.id + "' is already in the duplicate index");
  }
  // Normalise everything first so that a failure changes nothing.
  Result<std::vector<BigramKey>> name_keys = normalizer_.TextBigrams(item.name);
  if (!name_keys.ok()) {
    return Status::InvalidArgument("registry item '" + item.id +
                                   "': name: " + name_keys.status().message());
  }
  if (name_keys->empty()) {
    return Status::InvalidArgument("registry item '" + item.id + "': name '" + item.name +
                                   "' has nothing left to compare after normalisation");
  }
  std::vector<std::pair<std::uint32_t, std::vector<BigramKey>>> indicator_keys;
  for (size_t k = 0; k < item.indicators.size(); ++k) {
    Result<std::vector<BigramKey>> keys = normalizer_.TextBigrams(item.indicators[k]);
    if (!keys.ok()) {
      return Status::InvalidArgument("registry item '" + item.id + "': indicator " +
                                     std::to_string(k) + ": " + keys.status().message());
    }
    if (!keys->empty())
      indicator_keys.emplace_back(static_cast<std::uint32_t>(k), std::move(*keys));
  }

  std::uint32_t slot;
  if (!free_items_.empty()) {
    slot = free_items_.back();
    free_items_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(items_.size());
    items_.emplace_back();
  }
  ItemSlot& s = items_[slot];
  s.live = true;
  s.name_bigrams.clear();
  s.indicator_slots.clear();
  for (BigramKey key : *name_keys) {
    std::uint32_t id = Intern(key);
    s.name_bigrams.push_back(id);
    name_postings_[id].push_back(slot);
  }
  for (auto& [position, keys] : indicator_keys) {
    std::uint32_t islot;
    if (!free_indicators_.empty()) {
      islot = free_indicators_.back();
      free_indicators_.pop_back();
    } else {
      islot = static_cast<std::uint32_t>(indicators_.size());
      indicators_.emplace_back();
    }
    IndicatorSlot& is = indicators_[islot];
    is.item_slot = slot;
    is.position = position;
    is.live = true;
    is.bigrams.clear();
    for (BigramKey key : keys) {
      std::uint32_t id = Intern(key);
      is.bigrams.push_back(id);
      indicator_postings_[id].push_back(islot);
    }
    s.indicator_slots.push_back(islot);
  }
  by_id_.emplace(item.id, slot);
  s.item = std::move(item);
  return Status::Ok();
}

Status DuplicateIndex::Remove(std::string_view id) {
  auto it = by_id_.find(std::string(id));
  if (it == by_id_.end()) {
    return Status::NotFound("registry item '" + std::string(id) +
                            "' is not in the duplicate index");
  }
  const std::uint32_t slot = it->second;
  ItemSlot& s = items_[slot];
  for (std::uint32_t b : s.name_bigrams) ErasePosting(name_postings_[b], slot);
  for (std::uint32_t islot : s.indicator_slots) {
    IndicatorSlot& is = indicators_[islot];
    for (std::uint32_t b : is.bigrams) ErasePosting(indicator_postings_[b], islot);
    is.live = false;
    is.bigrams.clear();
    free_indicators_.push_back(islot);
  }
  s.live = false;
  s.name_bigrams.clear();
  s.indicator_slots.clear();
  s.item = ReviewItem();
  free_items_.push_back(slot);
  by_id_.erase(it);
  return Status::Ok();
}

const ReviewItem* DuplicateIndex::Find(std::string_view id) const {
  auto it = by_id_.find(std::string(id));
  return it == by_id_.end() ? nullptr : &items_[it->second].item;
}

DuplicateLevel DuplicateIndex::LevelOf(double score) const {
  if (score >= config_.likely_duplicate) return DuplicateLevel::kLikelyDuplicate;
  if (score >= config_.needs_review) return DuplicateLevel::kNeedsReview;
  return DuplicateLevel::kDistinct;
}

Result<std::vector<DuplicateMatch>> DuplicateIndex::Check(
    std::string_view name, const std::vector<std::string>& indicators,
    std::string_view exclude_id) const {
  // 1. Normalise the application.
  Result<std::vector<BigramKey>> name_keys = normalizer_.TextBigrams(name);
  if (!name_keys.ok()) {
    return Status::InvalidArgument("application name: " + name_keys.status().message());
  }
  if (name_keys->empty()) {
    return Status::InvalidArgument("application name '" + std::string(name) +
                                   "' has nothing left to compare after normalisation "
                                   "(only boilerplate, years, place names or punctuation)");
  }
  const QuerySet query_name = Lookup(*name_keys);
  std::vector<QuerySet> query_indicators;
  for (size_t k = 0; k < indicators.size(); ++k) {
    Result<std::vector<BigramKey>> keys = normalizer_.TextBigrams(indicators[k]);
    if (!keys.ok()) {
      return Status::InvalidArgument("application indicator " + std::to_string(k) + ": " +
                                     keys.status().message());
    }
    if (keys->empty()) continue;  // boilerplate only: nothing to compare
    query_indicators.push_back(Lookup(*keys));
    query_indicators.back().position = static_cast<std::uint32_t>(k);
  }
  std::int64_t excluded = -1;
  if (!exclude_id.empty()) {
    auto it = by_id_.find(std::string(exclude_id));
    if (it != by_id_.end()) excluded = it->second;
  }

  Scratch& scratch = ThreadScratch();
  if (scratch.name_count.size() < items_.size()) {
    scratch.name_count.resize(items_.size(), 0);
    scratch.candidate_of.resize(items_.size(), -1);
  }
  if (scratch.indicator_count.size() < indicators_.size()) {
    scratch.indicator_count.resize(indicators_.size(), 0);
    scratch.best_existing.resize(indicators_.size(), 0.0);
  }
  std::vector<Candidate>& candidates = scratch.candidates;
  candidates.clear();
  auto candidate_for = [&](std::uint32_t slot) -> std::uint32_t {
    std::int32_t& c = scratch.candidate_of[slot];
    if (c < 0) {
      c = static_cast<std::int32_t>(candidates.size());
      candidates.emplace_back();
      candidates.back().item_slot = slot;
    }
    return static_cast<std::uint32_t>(c);
  };

  // 2. Names: count shared bigrams per item (every item sharing one is a candidate).
  scratch.touched.clear();
  for (std::uint32_t b : query_name.known) {
    for (std::uint32_t slot : name_postings_[b]) {
      if (scratch.name_count[slot]++ == 0) scratch.touched.push_back(slot);
    }
  }
  for (std::uint32_t slot : scratch.touched) {
    candidates[candidate_for(slot)].shared_name = scratch.name_count[slot];
    scratch.name_count[slot] = 0;
  }

  // 3. Indicators: count shared bigrams per indicator, one query indicator at a time,
  //    which gives the exact dice of every pair sharing a bigram; keep the pairs that
  //    overlap. (A prefix filter — walking only the rarest bigrams' postings — was
  //    measured slower on 10,000 items: the binary searches cost more than they save.)
  const double t = config_.indicator_pair;
  std::vector<Hit>& hits = scratch.hits;
  hits.clear();
  for (std::uint32_t q = 0; q < query_indicators.size(); ++q) {
    const QuerySet& qi = query_indicators[q];
    scratch.touched.clear();
    for (std::uint32_t b : qi.known) {
      for (std::uint32_t islot : indicator_postings_[b]) {
        if (scratch.indicator_count[islot]++ == 0) scratch.touched.push_back(islot);
      }
    }
    for (std::uint32_t islot : scratch.touched) {
      const std::uint32_t shared = scratch.indicator_count[islot];
      scratch.indicator_count[islot] = 0;
      const double score =
          2.0 * shared / static_cast<double>(qi.size + indicators_[islot].bigrams.size());
      if (score >= t) {
        const std::uint32_t item_slot = indicators_[islot].item_slot;
        hits.push_back({item_slot, q, islot, candidate_for(item_slot), score});
      }
    }
  }
  // Group hits by candidate (counting sort; stable, so each group stays in query order).
  for (Candidate& c : candidates) c.first_hit = c.end_hit = 0;
  for (const Hit& h : hits) ++candidates[h.candidate].end_hit;
  std::uint32_t offset = 0;
  for (Candidate& c : candidates) {
    const std::uint32_t count = c.end_hit;
    c.first_hit = c.end_hit = offset;
    offset += count;
  }
  std::vector<Hit>& grouped = scratch.grouped;
  grouped.resize(hits.size());
  for (const Hit& h : hits) grouped[candidates[h.candidate].end_hit++] = h;

  // 4. Scores.
  const double w = config_.name_weight;
  for (Candidate& c : candidates) {
    scratch.candidate_of[c.item_slot] = -1;
    const ItemSlot& item = items_[c.item_slot];
    c.name_score = NameScore(c.shared_name, query_name.size,
                             static_cast<std::uint32_t>(item.name_bigrams.size()));
    const size_t m = query_indicators.size();
    const size_t n = item.indicator_slots.size();
    if (m == 0 || n == 0) {
      c.indicator_score = 0;
      c.score = c.name_score;
      continue;
    }
    // Σ best(c) over query indicators + Σ best(e) over item indicators.
    double sum = 0;
    double run_best = 0;
    for (std::uint32_t h = c.first_hit; h < c.end_hit; ++h) {
      const Hit& hit = grouped[h];
      if (h > c.first_hit && hit.query_position != grouped[h - 1].query_position) {
        sum += run_best;
        run_best = 0;
      }
      run_best = std::max(run_best, hit.score);
      double& best_e = scratch.best_existing[hit.indicator_slot];
      best_e = std::max(best_e, hit.score);
    }
    sum += run_best;
    for (std::uint32_t h = c.first_hit; h < c.end_hit; ++h) {
      double& best_e = scratch.best_existing[grouped[h].indicator_slot];
      sum += best_e;  // each item indicator once: zeroed after it is counted
      best_e = 0;
    }
    c.indicator_score = sum / static_cast<double>(m + n);
    double score = w * c.name_score + (1.0 - w) * c.indicator_score;
    score = std::max(score, c.indicator_score);
    if (c.name_score >= config_.name_alone) score = std::max(score, c.name_score);
    c.score = score;
  }

  // 5. Top k.
  auto dropped = [&](const Candidate& c) {
    return c.score <= 0 || static_cast<std::int64_t>(c.item_slot) == excluded;
  };
  auto better = [&](const Candidate& x, const Candidate& y) {
    if (x.score != y.score) return x.score > y.score;
    if (x.name_score != y.name_score) return x.name_score > y.name_score;
    return items_[x.item_slot].item.id < items_[y.item_slot].item.id;
  };
  candidates.erase(std::remove_if(candidates.begin(), candidates.end(), dropped), candidates.end());
  const size_t k = std::min(candidates.size(), static_cast<size_t>(config_.top_k));
  std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(k),
                    candidates.end(), better);

  std::vector<DuplicateMatch> matches;
  matches.reserve(k);
  for (size_t r = 0; r < k; ++r) {
    const Candidate& c = candidates[r];
    const ReviewItem& item = items_[c.item_slot].item;
    DuplicateMatch match;
    match.id = item.id;
    match.name = item.name;
    match.lead = item.lead;
    match.kind = item.kind;
    match.name_score = c.name_score;
    match.indicator_score = c.indicator_score;
    match.score = c.score;
    match.level = LevelOf(c.score);
    // The best pair of each query indicator (hits of a group are in query order).
    for (std::uint32_t h = c.first_hit; h < c.end_hit;) {
      std::uint32_t best = h;
      std::uint32_t end = h;
      while (end < c.end_hit && grouped[end].query_position == grouped[h].query_position) {
        if (grouped[end].score > grouped[best].score) best = end;
        ++end;
      }
      const QuerySet& qi = query_indicators[grouped[best].query_position];
      const IndicatorSlot& is = indicators_[grouped[best].indicator_slot];
      match.overlaps.push_back(
          {indicators[qi.position], item.indicators[is.position], grouped[best].score});
      h = end;
    }
    matches.push_back(std::move(match));
  }
  return matches;
}

// ---- MergeIndicators ---------------------------------------------------------------

Result<std::vector<std::string>> MergeIndicators(const std::vector<std::string>& a,
                                                 const std::vector<std::string>& b,
                                                 double threshold,
                                                 const TextNormalizer& normalizer) {
  if (!(threshold > 0.0 && threshold <= 1.0)) {
    return Status::InvalidArgument("merge threshold must be in (0, 1], got " +
                                   std::to_string(threshold));
  }
  std::vector<std::string> kept;
  std::vector<std::vector<BigramKey>> kept_keys;
  for (const auto* list : {&a, &b}) {
    for (size_t k = 0; k < list->size(); ++k) {
      const std::string& text = (*list)[k];
      Result<std::vector<BigramKey>> keys = normalizer.TextBigrams(text);
      if (!keys.ok()) {
        return Status::InvalidArgument(std::string(list == &a ? "first" : "second") +
                                       " list, indicator " + std::to_string(k) + ": " +
                                       keys.status().message());
      }
      bool duplicate = false;
      for (size_t j = 0; j < kept.size() && !duplicate; ++j) {
        if (keys->empty() || kept_keys[j].empty()) {
          duplicate = keys->empty() && kept_keys[j].empty() && kept[j] == text;
        } else {
          duplicate = DiceSimilarity(*keys, kept_keys[j]) >= threshold;
        }
      }
      if (duplicate) continue;
      kept.push_back(text);
      kept_keys.push_back(std::move(keys).value());
    }
  }
  return kept;
}

Result<std::vector<std::string>> MergeIndicators(const std::vector<std::string>& a,
                                                 const std::vector<std::string>& b,
                                                 double threshold) {
  static const TextNormalizer kDefault(DefaultDuplicateConfig().ToNormalizerOptions());
  return MergeIndicators(a, b, threshold, kDefault);
}

// ---- Quality -----------------------------------------------------------------------

Result<QualityReport> EvaluateProbes(const DuplicateIndex& index,
                                     const std::vector<LabelledProbe>& probes) {
  QualityReport report;
  for (const LabelledProbe& probe : probes) {
    Result<std::vector<DuplicateMatch>> matches = index.Check(probe.name, probe.indicators);
    if (!matches.ok()) {
      return Status::InvalidArgument("probe '" + probe.name + "': " + matches.status().message());
    }
    ++report.probes;
    const bool positive = !probe.expected_id.empty();
    positive ? ++report.positives : ++report.negatives;
    const DuplicateMatch* top = matches->empty() ? nullptr : &matches->front();
    const bool predicted = top != nullptr && top->level == DuplicateLevel::kLikelyDuplicate;
    const bool correct_top = top != nullptr && positive && top->id == probe.expected_id;
    if (predicted && correct_top) {
      ++report.true_positives;
      continue;
    }
    if (predicted) ++report.false_positives;
    if (positive) ++report.false_negatives;
    if (!predicted && top != nullptr && top->level == DuplicateLevel::kNeedsReview) {
      if (positive && correct_top) ++report.positives_needing_review;
      if (!positive) {
        ++report.negatives_needing_review;
        continue;  // not an error: the office looks at it, as intended
      }
    }
    if (!predicted && !positive) continue;  // true negative
    Json error{{"probe", probe.name},
               {"note", probe.note},
               {"expected", positive ? Json(probe.expected_id) : Json(nullptr)}};
    error["top"] = top ? MatchToJson(*top) : Json(nullptr);
    report.errors.push_back(std::move(error));
  }
  const int predicted = report.true_positives + report.false_positives;
  report.precision = predicted == 0 ? 1.0 : static_cast<double>(report.true_positives) / predicted;
  report.recall =
      report.positives == 0 ? 1.0 : static_cast<double>(report.true_positives) / report.positives;
  return report;
}

nlohmann::json QualityReportToJson(const QualityReport& report) {
  return Json{{"probes", report.probes},
              {"positives", report.positives},
              {"negatives", report.negatives},
              {"true_positives", report.true_positives},
              {"false_positives", report.false_positives},
              {"false_negatives", report.false_negatives},
              {"negatives_needing_review", report.negatives_needing_review},
              {"positives_needing_review", report.positives_needing_review},
              {"precision", report.precision},
              {"recall", report.recall},
              {"errors", report.errors}};
}

}  // namespace govassess::registry

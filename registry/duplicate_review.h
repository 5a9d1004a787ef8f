// Duplicate review of special-assessment applications (BRIEF: "Special assessments
// (专项考核) and the registry", duplicate review).
//
// A DuplicateIndex holds the items an application is compared with: licensed special
// assessments, pending applications and the comprehensive indicator set. Check()
// compares one application (a name and its indicators) with all of them and returns
// the best matches with scores, a level and the overlapping indicator pairs.
//
// Similarity (docs/duplicate-review.md has the worked examples):
//   Texts are normalised (registry/text_normalizer.h) and cut into character bigram
//   sets. For two texts with bigram sets A and B:
//       dice(A, B) = 2|A∩B| / (|A| + |B|)
//   overlap(A, B) = |A∩B| / min(|A|, |B|)     (1 when one set contains the other)
//   name_score      n = (dice + overlap) / 2 of the two names' bigram sets — names
//                   often add a qualifier to the same object (食品安全 →
//                   食品安全党政同责), which Dice alone punishes by length.
//   indicator pairs s(c, e) = dice(c, e) for an application indicator c and an item
//                   indicator e; a pair overlaps when s(c, e) >= indicator_pair.
//   indicator_score i = (Σ_c best(c) + Σ_e best(e)) / (|C| + |E|)
//                   where best(x) is x's highest overlapping-pair score on the other
//                   side (0 when x overlaps nothing), C and E the application's and
//                   the item's indicators. A soft Dice over indicators: 1 when every
//                   indicator on both sides has an identical partner, 0 when none
//                   overlaps; indicators that normalise to nothing are not counted.
//   score = max( w·n + (1−w)·i ,          a blend of both
//                i ,                      same indicators under another name
//                n if n >= name_alone )   the same name (after normalisation)
//   When either side has no (non-empty) indicators, score = n.
//   level = likely_duplicate if score >= likely_duplicate,
//           needs_review     if score >= needs_review, else distinct.
//
// Performance: bigrams are interned to integer ids; names and each indicator text
// have postings lists (bigram id → item slots, bigram id → indicator slots). Check
// counts shared bigrams per name and per indicator with dense counters, which gives
// the exact Dice of every name and every indicator pair that shares a bigram, so
// every score is exact — there is no candidate pruning that could miss a match.
//
// Thread safety: Check(), Find() and size() are const and may run concurrently with
// each other (scratch counters are per thread). Add() and Remove() need exclusive
// access: callers serialise them against everything else (e.g. a shared_mutex).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/status.h"
#include "registry/text_normalizer.h"

namespace govassess::registry {

// What a registered item is. Every kind is compared; the kind is reported so that the
// office sees whether a match is licensed, still pending, or part of the
// comprehensive indicator set (综合考评指标).
enum class ReviewItemKind { kLicensed, kPending, kComprehensiveIndicator };

// "licensed", "pending", "comprehensive_indicator".
const char* ReviewItemKindName(ReviewItemKind kind);
// Inverse of ReviewItemKindName; InvalidArgument naming the accepted values otherwise.
Result<ReviewItemKind> ParseReviewItemKind(std::string_view name);

enum class DuplicateLevel { kLikelyDuplicate, kNeedsReview, kDistinct };

// "likely_duplicate", "needs_review", "distinct".
const char* DuplicateLevelName(DuplicateLevel level);

// Thresholds, weights and word lists. A value-initialised DuplicateConfig has the
// default numbers but no word lists; start from DefaultDuplicateConfig().
struct DuplicateConfig {
  double likely_duplicate = 0.6;  // score at or above → likely_duplicate
  double needs_review = 0.4;      // score at or above (and below the above) → needs_review
  double name_weight = 0.5;       // w in the blend; indicators weigh 1 − w
  double name_alone = 0.85;       // name score at or above which the name alone decides
  double indicator_pair = 0.5;    // pair score at or above which two indicators overlap
  int top_k = 5;                  // matches returned by Check
  bool strip_years = true;
  std::vector<std::string> boilerplate;
  std::vector<std::string> place_names;
  std::vector<std::pair<std::string, std::string>> synonyms;  // from → to

  NormalizerOptions ToNormalizerOptions() const;
};

// The starting configuration: thresholds from the brief (0.6 / 0.4), the boilerplate
// words of Chinese assessment names (考核, 考评, 工作, 专项, 年度, 全区, 全市, …), the
// Guangxi region and its 14 cities as place names, and a few synonyms (考评 → 考核).
DuplicateConfig DefaultDuplicateConfig();

// Reads a configuration object. Absent fields keep DefaultDuplicateConfig()'s values;
// a given word list replaces the default list. Fields: likely_duplicate,
// needs_review, name_weight, name_alone, indicator_pair (numbers in [0, 1]), top_k
// (integer 1–100), strip_years (bool), boilerplate, place_names (arrays of non-empty
// strings), synonyms (object {"from": "to"}).
// Fails with InvalidArgument naming the field for a wrong type, a value out of
// range, needs_review > likely_duplicate, or an unknown field.
Result<DuplicateConfig> ParseDuplicateConfig(const nlohmann::json& json);

// The configuration as JSON, in the form ParseDuplicateConfig reads.
nlohmann::json DuplicateConfigToJson(const DuplicateConfig& config);

// Name score from set sizes and the number of shared bigrams: the mean of Dice and
// the overlap coefficient (see above). 0 when either set is empty.
double NameScore(std::uint32_t shared, std::uint32_t a_size, std::uint32_t b_size);

// An item applications are compared with: a licensed special assessment, a pending
// application, or an item of the comprehensive indicator set.
struct ReviewItem {
  std::string id;
  ReviewItemKind kind = ReviewItemKind::kLicensed;
  std::string name;
  std::string lead;  // lead department (牵头考核单位); reported, not compared
  std::vector<std::string> indicators;
};

// Reads {"id", "name", "lead", "indicators": [...], "kind"?}; kind defaults to
// licensed. InvalidArgument naming the field otherwise.
Result<ReviewItem> ReviewItemFromJson(const nlohmann::json& json);

// Two indicators that overlap: an application indicator and an item indicator.
struct IndicatorOverlap {
  std::string candidate;  // the application's indicator, as given
  std::string existing;   // the item's indicator, as registered
  double score = 0;       // dice of their normalised bigram sets
};

struct DuplicateMatch {
  std::string id;
  std::string name;
  std::string lead;
  ReviewItemKind kind = ReviewItemKind::kLicensed;
  double name_score = 0;
  double indicator_score = 0;
  double score = 0;
  DuplicateLevel level = DuplicateLevel::kDistinct;
  // One pair per application indicator that overlaps (its best partner), in the
  // order of the application's indicators.
  std::vector<IndicatorOverlap> overlaps;
};

nlohmann::json MatchToJson(const DuplicateMatch& match);

class DuplicateIndex {
 public:
  // The config must be valid (as returned by ParseDuplicateConfig or
  // DefaultDuplicateConfig).
  explicit DuplicateIndex(DuplicateConfig config = DefaultDuplicateConfig());

  DuplicateIndex(const DuplicateIndex&) = delete;
  DuplicateIndex& operator=(const DuplicateIndex&) = delete;
  DuplicateIndex(DuplicateIndex&&) = default;
  DuplicateIndex& operator=(DuplicateIndex&&) = default;

  // Adds an item. Fails, changing nothing, with InvalidArgument if the id is empty,
  // a text is not valid UTF-8, or the name has nothing left after normalisation;
  // with Conflict if an item with the same id is already indexed.
  // Indicators that normalise to nothing are kept with the item but not compared.
  Status Add(ReviewItem item);

  // Removes an item (merged into another, retired, withdrawn). NotFound if absent.
  Status Remove(std::string_view id);

  // The item with `id`, or nullptr. The pointer is valid until the next Add/Remove.
  const ReviewItem* Find(std::string_view id) const;

  size_t size() const { return by_id_.size(); }

  // Compares an application with every indexed item and returns up to top_k matches
  // with score > 0, best first (ties: higher name score, then id). `exclude_id`, if
  // not empty, leaves that item out (an application already in the index is not its
  // own duplicate). No match is not an error: the result is then empty.
  // Fails with InvalidArgument if a text is not valid UTF-8 or the name has nothing
  // left after normalisation (a name of boilerplate only, e.g. "年度专项考核").
  Result<std::vector<DuplicateMatch>> Check(std::string_view name,
                                            const std::vector<std::string>& indicators,
                                            std::string_view exclude_id = {}) const;

  DuplicateLevel LevelOf(double score) const;
  const DuplicateConfig& config() const { return config_; }
  const TextNormalizer& normalizer() const { return normalizer_; }

 private:
  struct ItemSlot {
    ReviewItem item;
    bool live = false;
    std::vector<std::uint32_t> name_bigrams;     // interned ids, distinct
    std::vector<std::uint32_t> indicator_slots;  // compared indicators only
  };
  struct IndicatorSlot {
    std::uint32_t item_slot = 0;
    std::uint32_t position = 0;          // index into item.indicators
    std::vector<std::uint32_t> bigrams;  // interned ids, distinct
    bool live = false;
  };
  // Query text as interned ids; bigrams unknown to the index only count in `size`.
  struct QuerySet {
    std::vector<std::uint32_t> known;
    std::uint32_t size = 0;
    std::uint32_t position = 0;  // index into the query's indicators
  };

  std::uint32_t Intern(BigramKey key);
  QuerySet Lookup(const std::vector<BigramKey>& keys) const;
  static void ErasePosting(std::vector<std::uint32_t>& postings, std::uint32_t slot);

  DuplicateConfig config_;
  TextNormalizer normalizer_;
  std::unordered_map<BigramKey, std::uint32_t> bigram_ids_;
  std::vector<std::vector<std::uint32_t>> name_postings_;       // bigram id → item slots
  std::vector<std::vector<std::uint32_t>> indicator_postings_;  // bigram id → indicator slots
  std::vector<ItemSlot> items_;
  std::vector<std::uint32_t> free_items_;
  std::vector<IndicatorSlot> indicators_;
  std::vector<std::uint32_t> free_indicators_;
  std::unordered_map<std::string, std::uint32_t> by_id_;
};

// Union of two indicator lists with near-duplicates removed, for merging items: a's
// indicators, then b's, each kept only if its dice with every indicator kept so far
// is below `threshold` (so duplicates inside a or inside b go too). Order is kept;
// the first of a near-duplicate group survives. Indicators that normalise to nothing
// are compared by exact text. Fails with InvalidArgument if threshold is not in
// (0, 1] or a text is not valid UTF-8.
Result<std::vector<std::string>> MergeIndicators(const std::vector<std::string>& a,
                                                 const std::vector<std::string>& b,
                                                 double threshold,
                                                 const TextNormalizer& normalizer);
// Same, with the normaliser of DefaultDuplicateConfig().
Result<std::vector<std::string>> MergeIndicators(const std::vector<std::string>& a,
                                                 const std::vector<std::string>& b,
                                                 double threshold);

// ---- Measuring quality on labelled probes (tests, bench) ----

// An application with the id of the item it duplicates, or an empty id when it
// duplicates nothing.
struct LabelledProbe {
  std::string name;
  std::vector<std::string> indicators;
  std::string expected_id;  // empty: not a duplicate of anything
  std::string note;         // what kind of probe this is; reported, not compared
};

// Reads {"name", "indicators": [...], "expected": "id" | null, "note"?}.
Result<LabelledProbe> LabelledProbeFromJson(const nlohmann::json& json);

// Precision and recall of the likely_duplicate level. A probe is predicted positive
// when its top match is likely_duplicate; a positive prediction is true when that
// top match is the expected id. recall = true positives / probes with an expected id;
// precision = true positives / positive predictions.
struct QualityReport {
  int probes = 0;
  int positives = 0;  // probes with an expected id
  int negatives = 0;  // probes without
  int true_positives = 0;
  int false_positives = 0;           // predicted likely_duplicate, wrong or no expected id
  int false_negatives = 0;           // expected id not the likely_duplicate top match
  int negatives_needing_review = 0;  // negatives whose top match is needs_review
  int positives_needing_review = 0;  // positives whose expected id was top at needs_review
  double precision = 0;
  double recall = 0;
  nlohmann::json errors = nlohmann::json::array();  // one object per wrong probe
};

// Runs every probe through index.Check. Fails if a probe cannot be checked.
Result<QualityReport> EvaluateProbes(const DuplicateIndex& index,
                                     const std::vector<LabelledProbe>& probes);

nlohmann::json QualityReportToJson(const QualityReport& report);

}  // namespace govassess::registry

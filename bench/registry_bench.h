// Registry benchmarks: latency of duplicate review against a large registry, and its
// quality (precision/recall of likely_duplicate) on the labelled test corpus.
//
// Both functions read files (the corpus in tests/data) and print nothing; the bench
// main prints the JSON they return. Not thread-safe: run one at a time.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/status.h"
#include "registry/duplicate_review.h"

namespace govassess::bench {

// Builds a DuplicateIndex of `items` registered items (the corpus of
// tests/data/registry_corpus.json, when it can be read, plus synthetic items that
// combine realistic scopes, topics and actions), runs at least 1000 checks
// (perturbed registered items, fresh applications, the labelled probes) and a
// series of merges (MergeIndicators + Remove both + Add the survivor). Returns
// {"benchmark":"registry","items","checks","check_p50_ms","check_p99_ms",
//  "check_max_ms","check_mean_ms","merge_ms","merge_p99_ms","merges",
//  "index_build_ms","likely_duplicate_checks"} or {"benchmark":"registry","error":...}.
// REQUIRES: items >= 1.
nlohmann::json RunRegistryBench(int items);

// Loads a corpus and labelled probes (formats in docs/duplicate-review.md), checks
// every probe against an index of the corpus with the default configuration, and
// returns the QualityReport as JSON plus "corpus_items" and "corpus_self_duplicates"
// (pairs of registered items that score likely_duplicate against each other — 0 for
// a clean corpus). On a file or format error returns {"error": "..."}.
nlohmann::json RegistryQuality(const std::string& corpus_path, const std::string& probes_path);

// Readers for the two test-data files (shared by the bench and the tests).
Result<std::vector<registry::ReviewItem>> LoadRegistryCorpus(const std::string& path);
Result<std::vector<registry::LabelledProbe>> LoadRegistryProbes(const std::string& path);

}  // namespace govassess::bench

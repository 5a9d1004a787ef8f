// RegistryService: the one door to the special-assessment registry (BRIEF: "Special
// assessments (专项考核) and the registry").
//
// Duplicate review needs every registered item, which a workflow's Decide cannot see
// (it reads one instance and what it loads by id). The service keeps a DuplicateIndex
// of the licensed items (licensed, expired), the pending applications (submitted,
// returned, approved) and the comprehensive indicator set, and runs commands through
// the engine: a submit gets the review (top matches with scores, levels and
// overlapping indicators) attached to its payload as "review", so the journal records
// what the office saw; after every accepted command the touched items are re-indexed
// (Add on submit, Remove on reject, withdraw, merge, retire).
//
// Pure domain: it talks to the Store and Engine ports only. The index is held in
// memory and rebuilt by Load() from the store.
//
// Thread-safe: Check and Quota may run concurrently; Execute serialises index updates
// behind a shared_mutex (the engine call itself runs outside the lock).
#pragma once

#include <shared_mutex>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "registry/duplicate_review.h"
#include "registry/registry_book.h"

namespace govassess::registry {

// Every instance under "registry/item/" (all states), in id order.
Result<std::vector<Instance>> ListItems(Store* store);

// The review item of an instance, or nullopt when its state is not compared
// (draft, withdrawn, rejected, merged, retired).
std::optional<ReviewItem> ReviewItemOf(const Instance& item);

class RegistryService {
 public:
  // `store` and `engine` are not owned and must outlive the service; the engine must
  // have the registry workflows registered (RegisterRegistryWorkflows) with `config`.
  RegistryService(Store* store, Engine* engine, RegistryConfig config = {});

  // Rebuilds the index from the store plus `comprehensive` (the comprehensive
  // indicator set, kind comprehensive_indicator). Fails if the store cannot be read
  // or an item cannot be indexed.
  Status Load(const std::vector<ReviewItem>& comprehensive = {});

  // The duplicate review of an application (see DuplicateIndex::Check). `exclude_id`
  // (short or full id) leaves that item out.
  Result<std::vector<DuplicateMatch>> Check(const std::string& name,
                                            const std::vector<std::string>& indicators,
                                            const std::string& exclude_id = "") const;

  // Executes a registry command through the engine. A "submit" gets payload.review;
  // a caller-supplied review is replaced. Errors as Engine::Execute, plus those of
  // reading the item for a submit.
  Result<CommandResult> Execute(Command command);

  // QuotaState of the year's book (registry_book.h); the configured default when the
  // book does not exist yet.
  Result<Json> Quota(int year);

  size_t indexed() const;
  const RegistryConfig& config() const { return config_; }

 private:
  Status Sync(const std::string& instance_id);

  Store* const store_;    // not owned
  Engine* const engine_;  // not owned
  const RegistryConfig config_;
  mutable std::shared_mutex mu_;
  DuplicateIndex index_;
};

}  // namespace govassess::registry

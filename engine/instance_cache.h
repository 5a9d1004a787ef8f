// InstanceCache: the engine's bounded cache of recently used instances, so a command
// does not re-read and re-parse its instance from storage.
//
// The cache is only a hint: every decision made from it is checked at commit (the
// written instance's expected version, and a VersionCheck for each instance that was
// only read), so a stale entry — e.g. after another process wrote — costs a Conflict
// and a retry from storage, never a wrong commit. Thread-safe (sharded mutexes).
#pragma once

#include <array>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "engine/types.h"

namespace govassess {

class InstanceCache {
 public:
  // `capacity` bounds the number of entries (0 disables the cache).
  explicit InstanceCache(size_t capacity = 20000);

  // Shared and immutable: a hit costs no copy of the instance's data.
  std::shared_ptr<const Instance> Get(const std::string& id) const;
  // Keeps `instance` unless a newer version is already cached.
  void Put(std::shared_ptr<const Instance> instance);
  void Erase(const std::string& id);
  size_t size() const;

 private:
  static constexpr size_t kShards = 16;
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<std::string, std::shared_ptr<const Instance>> entries;
  };
  Shard& ShardOf(const std::string& id) const;

  const size_t per_shard_capacity_;
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace govassess

#include "engine/instance_cache.h"

#include <functional>

namespace govassess {

InstanceCache::InstanceCache(size_t capacity)
    : per_shard_capacity_(capacity == 0 ? 0 : (capacity + kShards - 1) / kShards) {}

InstanceCache::Shard& InstanceCache::ShardOf(const std::string& id) const {
  return shards_[std::hash<std::string>{}(id) % kShards];
}

std::shared_ptr<const Instance> InstanceCache::Get(const std::string& id) const {
  if (per_shard_capacity_ == 0) return nullptr;
  Shard& s = ShardOf(id);
  std::lock_guard<std::mutex> lock(s.mu);
  auto it = s.entries.find(id);
  if (it == s.entries.end()) return nullptr;
  return it->second;
}

void InstanceCache::Put(std::shared_ptr<const Instance> instance) {
  if (per_shard_capacity_ == 0 || !instance) return;
  Shard& s = ShardOf(instance->id);
  // What the cache lets go of is destroyed after the lock is released: destroying an
  // instance's data is the slow part, and other commands wait for the shard meanwhile.
  std::shared_ptr<const Instance> dropped;
  std::lock_guard<std::mutex> lock(s.mu);
  auto it = s.entries.find(instance->id);
  if (it != s.entries.end()) {
    if (it->second->version <= instance->version) {
      dropped = std::move(it->second);
      it->second = std::move(instance);
    }
    return;
  }
  // Full: drop an arbitrary entry. Eviction order does not matter for correctness.
  if (s.entries.size() >= per_shard_capacity_) {
    dropped = std::move(s.entries.begin()->second);
    s.entries.erase(s.entries.begin());
  }
  const std::string& id = instance->id;
  s.entries.emplace(id, std::move(instance));
}

void InstanceCache::Erase(const std::string& id) {
  if (per_shard_capacity_ == 0) return;
  Shard& s = ShardOf(id);
  std::lock_guard<std::mutex> lock(s.mu);
  s.entries.erase(id);
}

size_t InstanceCache::size() const {
  size_t n = 0;
  for (const Shard& s : shards_) {
    std::lock_guard<std::mutex> lock(s.mu);
    n += s.entries.size();
  }
  return n;
}

}  // namespace govassess

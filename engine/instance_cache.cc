#include "engine/instance_cache.h"

#include <functional>
#include <vector>

namespace govassess {

namespace {

// What a Put lets go of, destroyed when it goes out of scope (after the shard's lock):
// usually one instance, so without a heap allocation.
class Dropped {
 public:
  void Add(std::shared_ptr<const Instance> instance) {
    for (auto& slot : few_) {
      if (!slot) {
        slot = std::move(instance);
        return;
      }
    }
    more_.push_back(std::move(instance));
  }

 private:
  std::shared_ptr<const Instance> few_[2];
  std::vector<std::shared_ptr<const Instance>> more_;
};

}  // namespace

InstanceCache::InstanceCache(size_t capacity, size_t text_bytes)
    : per_shard_capacity_(capacity == 0 ? 0 : (capacity + kShards - 1) / kShards),
      per_shard_bytes_((text_bytes + kShards - 1) / kShards) {}

InstanceCache::Shard& InstanceCache::ShardOf(const std::string& id) const {
  return shards_[std::hash<std::string>{}(id) % kShards];
}

std::shared_ptr<const Instance> InstanceCache::Get(const std::string& id) const {
  if (per_shard_capacity_ == 0) return nullptr;
  Shard& s = ShardOf(id);
  std::lock_guard<std::mutex> lock(s.mu);
  auto it = s.entries.find(id);
  if (it == s.entries.end()) return nullptr;
  return it->second.instance;
}

void InstanceCache::Put(std::shared_ptr<const Instance> instance, size_t text_bytes) {
  if (per_shard_capacity_ == 0 || !instance) return;
  const size_t bytes = text_bytes > 0 ? text_bytes : ApproxTextBytes(instance->data);
  Shard& s = ShardOf(instance->id);
  PutLocked(s, std::move(instance), [bytes](const Entry*, const Instance&) { return bytes; });
}

void InstanceCache::PutNext(std::shared_ptr<const Instance> instance, std::ptrdiff_t growth) {
  if (per_shard_capacity_ == 0 || !instance) return;
  Shard& s = ShardOf(instance->id);
  PutLocked(s, std::move(instance), [growth](const Entry* before, const Instance& next) {
    if (before != nullptr && before->instance->version + 1 == next.version) {
      const std::ptrdiff_t bytes = std::ptrdiff_t(before->bytes) + growth;
      return bytes > 0 ? size_t(bytes) : size_t{0};
    }
    // The version before is not the cached one (evicted, or another process wrote):
    // walked, with the shard locked.
    return ApproxTextBytes(next.data);
  });
}

template <class Size>
void InstanceCache::PutLocked(Shard& s, std::shared_ptr<const Instance> instance,
                              const Size& size) {
  // What the cache lets go of is destroyed after the lock is released: destroying an
  // instance's data is the slow part, and other commands wait for the shard meanwhile.
  Dropped dropped;
  std::lock_guard<std::mutex> lock(s.mu);
  auto it = s.entries.find(instance->id);
  size_t bytes = 0;
  if (it != s.entries.end()) {
    if (it->second.instance->version > instance->version) return;
    bytes = size(&it->second, *instance);
    dropped.Add(std::move(it->second.instance));
    s.bytes -= it->second.bytes;
    it->second = Entry{std::move(instance), bytes};
  } else {
    bytes = size(nullptr, *instance);
    const std::string& id = instance->id;
    it = s.entries.emplace(id, Entry{std::move(instance), bytes}).first;
  }
  s.bytes += bytes;
  // Over the shard's share (by count or by size): drop arbitrary other entries until it
  // fits or is alone. Eviction order does not matter for correctness.
  for (auto victim = s.entries.begin(); victim != s.entries.end() &&
                                        (s.entries.size() > per_shard_capacity_ ||
                                         s.bytes > per_shard_bytes_);) {
    if (victim == it) {
      ++victim;
      continue;
    }
    dropped.Add(std::move(victim->second.instance));
    s.bytes -= victim->second.bytes;
    victim = s.entries.erase(victim);
  }
}

void InstanceCache::Erase(const std::string& id) {
  if (per_shard_capacity_ == 0) return;
  Shard& s = ShardOf(id);
  std::shared_ptr<const Instance> dropped;
  std::lock_guard<std::mutex> lock(s.mu);
  auto it = s.entries.find(id);
  if (it == s.entries.end()) return;
  dropped = std::move(it->second.instance);
  s.bytes -= it->second.bytes;
  s.entries.erase(it);
}

size_t InstanceCache::size() const {
  size_t n = 0;
  for (const Shard& s : shards_) {
    std::lock_guard<std::mutex> lock(s.mu);
    n += s.entries.size();
  }
  return n;
}

size_t InstanceCache::text_bytes() const {
  size_t n = 0;
  for (const Shard& s : shards_) {
    std::lock_guard<std::mutex> lock(s.mu);
    n += s.bytes;
  }
  return n;
}

}  // namespace govassess

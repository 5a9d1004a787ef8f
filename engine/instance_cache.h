// InstanceCache: the engine's bounded cache of recently used instances, so a command
// does not re-read and re-parse its instance from storage.
//
// The cache is only a hint: every decision made from it is checked at commit (the
// written instance's expected version, and a VersionCheck for each instance that was
// only read), so a stale entry — e.g. after another process wrote — costs a Conflict
// and a retry from storage, never a wrong commit. Thread-safe (sharded mutexes).
//
// Bounded twice: by the number of entries and by their size, counted as the bytes of
// each instance's data as text (a parsed tree takes about five times that in memory).
// Most instances are a few hundred bytes, but records such as a submitted plan or a
// self-assessment report are tens of kilobytes, and a cache bounded by count alone
// would hold every one written.
#pragma once

#include <array>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "engine/canonical_json.h"
#include "engine/types.h"

namespace govassess {

class InstanceCache {
 public:
  // `capacity` bounds the number of entries (0 disables the cache), `text_bytes` their
  // size. An instance larger than a shard's share of `text_bytes` is still cached, alone
  // in its shard: the few large instances every command reads (a unit directory) must
  // not be parsed again for each.
  explicit InstanceCache(size_t capacity = 20000, size_t text_bytes = kDefaultTextBytes);
  static constexpr size_t kDefaultTextBytes = size_t{64} << 20;

  // Shared and immutable: a hit costs no copy of the instance's data.
  std::shared_ptr<const Instance> Get(const std::string& id) const;
  // Keeps `instance` unless a newer version is already cached. `text_bytes`: the size
  // of its data as text when the caller has it (the row just written), else 0 and the
  // cache estimates it (ApproxTextBytes).
  void Put(std::shared_ptr<const Instance> instance, size_t text_bytes = 0);
  // Keeps `instance`, the version after one the cache may hold, whose data's
  // ApproxTextBytes grew by `growth` (AppendJsonDiff's): the size is carried over from
  // that entry instead of walked again. When the cache holds another version (or none),
  // as Put without a size.
  void PutNext(std::shared_ptr<const Instance> instance, std::ptrdiff_t growth);
  void Erase(const std::string& id);
  size_t size() const;
  // The sum of the cached instances' sizes as text.
  size_t text_bytes() const;

 private:
  static constexpr size_t kShards = 16;
  struct Entry {
    std::shared_ptr<const Instance> instance;
    size_t bytes = 0;
  };
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<std::string, Entry> entries;
    size_t bytes = 0;
  };
  Shard& ShardOf(const std::string& id) const;
  // Put's work with the shard locked; `size(entry, instance)` gives the new entry's size
  // from the entry it replaces (null when there is none).
  template <class Size>
  void PutLocked(Shard& s, std::shared_ptr<const Instance> instance, const Size& size);

  const size_t per_shard_capacity_;
  const size_t per_shard_bytes_;
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace govassess

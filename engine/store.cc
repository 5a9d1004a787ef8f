#include "engine/store.h"

namespace govassess {

Result<std::vector<Instance>> ListAll(Store* store, InstanceFilter filter, size_t cap) {
  std::vector<Instance> all;
  filter.after_id.clear();
  filter.limit = 1000;
  while (all.size() < cap) {
    auto page = store->List(filter);
    if (!page.ok()) return page.status();
    for (Instance& i : *page) all.push_back(std::move(i));
    if (page->size() < filter.limit) break;
    filter.after_id = all.back().id;
  }
  if (all.size() > cap) all.resize(cap);
  return all;
}

}  // namespace govassess

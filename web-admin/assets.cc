#include "web-admin/assets.h"

#include <algorithm>

namespace govassess::web {

const Asset* FindAsset(std::string_view name) {
  const auto& all = Assets();
  auto it = std::lower_bound(all.begin(), all.end(), name,
                             [](const Asset& a, std::string_view n) { return a.name < n; });
  return it != all.end() && it->name == name ? &*it : nullptr;
}

}  // namespace govassess::web

#include "registry/registry_service.h"

#include <mutex>
#include <set>
#include <utility>

#include "engine/canonical_json.h"

namespace govassess::registry {

Result<std::vector<Instance>> ListItems(Store* store) {
  std::vector<Instance> all;
  InstanceFilter filter;
  filter.id_prefix = kItemPrefix;
  filter.limit = 1000;
  for (;;) {
    auto page = store->List(filter);
    if (!page.ok()) return page.status();
    for (Instance& i : *page) {
      if (i.type == kItemType) all.push_back(std::move(i));
    }
    if (page->size() < filter.limit) break;
    filter.after_id = page->back().id;
  }
  return all;
}

std::optional<ReviewItem> ReviewItemOf(const Instance& item) {
  ReviewItem r;
  if (item.state == "licensed" || item.state == "expired") {
    r.kind = ReviewItemKind::kLicensed;
  } else if (item.state == "submitted" || item.state == "returned" || item.state == "approved") {
    r.kind = ReviewItemKind::kPending;
  } else {
    return std::nullopt;
  }
  r.id = ItemShortId(item.id);
  r.name = item.data.value("name", "");
  r.lead = item.data.value("lead", "");
  for (const Json& i : Member(item.data, "indicators")) {
    if (i.is_string()) r.indicators.push_back(i.get<std::string>());
  }
  return r;
}

RegistryService::RegistryService(Store* store, Engine* engine, RegistryConfig config)
    : store_(store), engine_(engine), config_(std::move(config)), index_(config_.duplicate) {}

Status RegistryService::Load(const std::vector<ReviewItem>& comprehensive) {
  auto items = ListItems(store_);
  if (!items.ok()) return items.status();
  DuplicateIndex fresh(config_.duplicate);
  for (ReviewItem c : comprehensive) {
    c.kind = ReviewItemKind::kComprehensiveIndicator;
    Status s = fresh.Add(std::move(c));
    if (!s.ok()) return s;
  }
  for (const Instance& i : *items) {
    auto r = ReviewItemOf(i);
    if (!r) continue;
    Status s = fresh.Add(std::move(*r));
    if (!s.ok()) return Status(s.code(), i.id + ": " + s.message());
  }
  std::unique_lock lock(mu_);
  index_ = std::move(fresh);
  return Status::Ok();
}

Result<std::vector<DuplicateMatch>> RegistryService::Check(
    const std::string& name, const std::vector<std::string>& indicators,
    const std::string& exclude_id) const {
  std::shared_lock lock(mu_);
  return index_.Check(name, indicators, exclude_id.empty() ? "" : ItemShortId(exclude_id));
}

size_t RegistryService::indexed() const {
  std::shared_lock lock(mu_);
  return index_.size();
}

Status RegistryService::Sync(const std::string& instance_id) {
  auto loaded = store_->Get(instance_id);
  if (!loaded.ok() && !loaded.status().IsNotFound()) return loaded.status();
  std::unique_lock lock(mu_);
  const std::string id = ItemShortId(instance_id);
  if (index_.Find(id) != nullptr) index_.Remove(id);
  if (!loaded.ok()) return Status::Ok();
  auto r = ReviewItemOf(*loaded);
  return r ? index_.Add(std::move(*r)) : Status::Ok();
}

Result<CommandResult> RegistryService::Execute(Command command) {
  if (command.name == "submit") {
    auto item = store_->Get(command.instance_id);
    if (!item.ok()) return item.status();
    std::vector<std::string> indicators;
    for (const Json& i : Member(item->data, "indicators")) {
      if (i.is_string()) indicators.push_back(i.get<std::string>());
    }
    Json review{{"likely_duplicate", config_.duplicate.likely_duplicate},
                {"needs_review", config_.duplicate.needs_review},
                {"matches", Json::array()}};
    auto matches = Check(item->data.value("name", ""), indicators, command.instance_id);
    if (matches.ok()) {
      for (const DuplicateMatch& m : *matches) review["matches"].push_back(MatchToJson(m));
    } else {
      // A name of boilerplate only cannot be compared; the office sees why.
      review["error"] = matches.status().message();
    }
    command.payload["review"] = std::move(review);
  }
  auto result = engine_->Execute(command);
  if (!result.ok() || !result->accepted || result->replayed) return result;
  std::set<std::string> touched;
  if (command.instance_id.rfind(kItemPrefix, 0) == 0) touched.insert(command.instance_id);
  for (const char* key : {"absorbed", "imported", "licensed"}) {
    for (const Json& j : result->result.value(key, Json::array())) {
      if (j.is_string()) touched.insert(ItemInstanceId(j.get<std::string>()));
      if (j.is_object() && j.contains("id")) touched.insert(ItemInstanceId(j["id"].get<std::string>()));
    }
  }
  for (const std::string& id : touched) {
    Status s = Sync(id);
    if (!s.ok()) return Status(s.code(), "the command was accepted but the duplicate index could "
                                         "not be updated for " + id + ": " + s.message());
  }
  return result;
}

Result<Json> RegistryService::Quota(int year) {
  auto book = store_->Get(BookInstanceId(year));
  if (book.ok()) return QuotaState(book->data);
  if (!book.status().IsNotFound()) return book.status();
  return QuotaState(NewBookData(year, config_));
}

}  // namespace govassess::registry

#include "registry/licence.h"

#include <algorithm>

#include "engine/canonical_json.h"
#include "engine/date.h"
#include "registry/registry_book.h"

namespace govassess::registry {
namespace {

constexpr int64_t kDayMs = 86400000;
constexpr int64_t kChinaOffsetMs = 8 * 3600000;

std::string NoLicence(const Instance& item, const std::string& date, const std::string& why) {
  const std::string name = item.data.is_object() ? item.data.value("name", "") : "";
  return "专项考核 \"" + (name.empty() ? item.id : name) + "\" has no valid licence on " + date +
         " (" + why + "): no licence, no assessment";
}

}  // namespace

bool LedBy(const Instance& item, const std::string& unit) {
  if (unit.empty()) return false;
  const Json& lead = Member(item.data, "lead");
  if (lead.is_string() && lead.get_ref<const std::string&>() == unit) return true;
  const Json& co_leads = Member(item.data, "co_leads");
  if (!co_leads.is_array()) return false;
  return std::any_of(co_leads.begin(), co_leads.end(), [&](const Json& co) {
    return co.is_string() && co.get_ref<const std::string&>() == unit;
  });
}

Status CheckLicensedFor(const Instance& item, const std::string& date) {
  auto day = Date::Parse(date);
  if (!day.ok()) return day.status();
  if (!item.exists()) {
    return Status::Refused("专项考核 \"" + item.id +
                           "\" is not in the registry: no licence, no assessment");
  }
  if (item.type != kItemType) {
    return Status::Refused("\"" + item.id + "\" is a " + item.type +
                           ", not a special assessment: no licence, no assessment");
  }
  if (item.state != "licensed") {
    std::string why = "state: " + item.state;
    if (item.state == "merged") why += ", merged into " + item.data.value("merged_into", "?");
    return Status::Refused(NoLicence(item, date, why));
  }
  const Json& licence = Member(item.data, "licence");
  if (!Member(licence, "valid_from").is_string() || !Member(licence, "valid_to").is_string()) {
    return Status::Refused(NoLicence(item, date, "state: licensed, but no licence record"));
  }
  auto from = Date::Parse(licence["valid_from"].get<std::string>());
  auto to = Date::Parse(licence["valid_to"].get<std::string>());
  if (!from.ok() || !to.ok()) {
    return Status::Refused(NoLicence(item, date, "state: licensed, but the validity is malformed"));
  }
  if (*day < *from || *to < *day) {
    return Status::Refused(NoLicence(item, date,
                                     "licence " + licence.value("number", std::string("?")) +
                                         " is valid from " + from->ToString() + " to " +
                                         to->ToString()));
  }
  return Status::Ok();
}

std::string ChinaDate(int64_t ms) {
  const int64_t local = ms + kChinaOffsetMs;
  int64_t days = local / kDayMs;
  if (local % kDayMs < 0) --days;
  return Date::FromDays(days).ToString();
}

int64_t ExpiryMs(const std::string& date) {
  auto d = Date::Parse(date);
  return (d->DaysSinceEpoch() + 1) * kDayMs - kChinaOffsetMs;
}

}  // namespace govassess::registry

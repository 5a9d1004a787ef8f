#include "registry/registry_book.h"

#include <set>
#include <vector>

namespace govassess::registry {

std::string ItemInstanceId(const std::string& id) {
  return id.rfind(kItemPrefix, 0) == 0 ? id : std::string(kItemPrefix) + id;
}

std::string ItemShortId(const std::string& instance_id) {
  const std::string prefix = kItemPrefix;
  return instance_id.rfind(prefix, 0) == 0 ? instance_id.substr(prefix.size()) : instance_id;
}

std::string BookInstanceId(int year) { return std::string(kBookPrefix) + std::to_string(year); }

Result<QuotaConfig> ParseQuotaConfig(const Json& json, const QuotaConfig& base) {
  if (!json.is_object()) return Status::InvalidArgument("quota must be an object");
  QuotaConfig q = base;
  for (const auto& [key, value] : json.items()) {
    if (key == "overall") {
      if (value.is_null()) {
        q.overall.reset();
      } else if (value.is_number_integer() && value.get<int64_t>() >= 0) {
        q.overall = value.get<int>();
      } else {
        return Status::InvalidArgument("quota.overall must be a whole number >= 0 or null");
      }
    } else if (key == "per_lead") {
      if (!value.is_number_integer() || value.get<int64_t>() < 0) {
        return Status::InvalidArgument("quota.per_lead must be a whole number >= 0");
      }
      q.per_lead = value.get<int>();
    } else if (key == "per_lead_overrides") {
      if (!value.is_object()) {
        return Status::InvalidArgument("quota.per_lead_overrides must be an object {lead: cap}");
      }
      q.per_lead_overrides.clear();
      for (const auto& [lead, cap] : value.items()) {
        if (!cap.is_number_integer() || cap.get<int64_t>() < 0) {
          return Status::InvalidArgument("quota.per_lead_overrides[\"" + lead +
                                         "\"] must be a whole number >= 0");
        }
        q.per_lead_overrides[lead] = cap.get<int>();
      }
    } else {
      return Status::InvalidArgument("quota has no field \"" + key +
                                     "\" (known: overall, per_lead, per_lead_overrides)");
    }
  }
  return q;
}

Json QuotaConfigToJson(const QuotaConfig& q) {
  Json overrides = Json::object();
  for (const auto& [lead, cap] : q.per_lead_overrides) overrides[lead] = cap;
  return Json{{"overall", q.overall ? Json(*q.overall) : Json(nullptr)},
              {"per_lead", q.per_lead},
              {"per_lead_overrides", overrides}};
}

Result<RegistryConfig> ParseRegistryConfig(const Json& json) {
  if (!json.is_object()) return Status::InvalidArgument("the registry configuration must be an object");
  RegistryConfig c;
  for (const auto& [key, value] : json.items()) {
    if (key == "quota") {
      auto q = ParseQuotaConfig(value, c.quota);
      if (!q.ok()) return q.status();
      c.quota = *q;
    } else if (key == "licence_format") {
      if (!value.is_string() || value.get<std::string>().find("{seq}") == std::string::npos) {
        return Status::InvalidArgument("licence_format must be a string containing {seq}");
      }
      c.licence_format = value.get<std::string>();
    } else if (key == "validity_years") {
      if (!value.is_number_integer() || value.get<int64_t>() < 1 || value.get<int64_t>() > 10) {
        return Status::InvalidArgument("validity_years must be a whole number 1–10");
      }
      c.validity_years = value.get<int>();
    } else if (key == "merge_threshold") {
      if (!value.is_number() || value.get<double>() <= 0 || value.get<double>() > 1) {
        return Status::InvalidArgument("merge_threshold must be a number in (0, 1]");
      }
      c.merge_threshold = value.get<double>();
    } else if (key == "duplicate") {
      auto d = ParseDuplicateConfig(value);
      if (!d.ok()) return Status::InvalidArgument("duplicate: " + d.status().message());
      c.duplicate = *d;
    } else {
      return Status::InvalidArgument("the registry configuration has no field \"" + key + "\"");
    }
  }
  return c;
}

std::string FormatLicenceNumber(const std::string& format, int year, int seq) {
  std::string out = format;
  auto replace = [&out](const std::string& what, const std::string& with) {
    for (size_t at = out.find(what); at != std::string::npos; at = out.find(what, at + with.size())) {
      out.replace(at, what.size(), with);
    }
  };
  replace("{year}", std::to_string(year));
  replace("{seq}", std::to_string(seq));
  return out;
}

Json NewBookData(int year, const RegistryConfig& config) {
  return Json{{"year", year},
              {"quota", QuotaConfigToJson(config.quota)},
              {"licence_format", config.licence_format},
              {"next_seq", 1},
              {"items", Json::object()}};
}

Instance NewBookInstance(int year, const RegistryConfig& config) {
  Instance book;
  book.id = BookInstanceId(year);
  book.type = kBookType;
  book.state = "open";
  book.data = NewBookData(year, config);
  return book;
}

int LeadCap(const Json& book, const std::string& lead) {
  const Json& quota = book.at("quota");
  const Json overrides = quota.value("per_lead_overrides", Json::object());
  if (overrides.contains(lead)) return overrides[lead].get<int>();
  return quota.value("per_lead", 1);
}

namespace {

bool Counts(const Json& entry) {
  const std::string s = entry.value("status", "");
  return s == kApproved || s == kLicensed;
}

std::string Label(const std::string& id, const Json& entry) {
  const std::string number = entry.value("number", "");
  return number.empty() ? id : number;
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

}  // namespace

Status CheckQuota(const Json& book, const std::string& lead, const std::string& item_id) {
  const int year = book.value("year", 0);
  std::vector<std::string> lead_counted, all_counted;
  for (const auto& [id, entry] : book.at("items").items()) {
    if (id == item_id || !Counts(entry)) continue;
    all_counted.push_back(Label(id, entry));
    if (entry.value("lead", "") == lead) lead_counted.push_back(Label(id, entry));
  }
  const int cap = LeadCap(book, lead);
  const int would = static_cast<int>(lead_counted.size()) + 1;
  if (would > cap) {
    std::string msg = "quota for " + lead + " in " + std::to_string(year) + " is " +
                      std::to_string(cap) + "; " + std::to_string(lead_counted.size()) +
                      " already approved or licensed";
    if (!lead_counted.empty()) msg += " (" + Join(lead_counted) + ")";
    return Status::Refused(msg + "; this application would make " + std::to_string(would));
  }
  const Json& overall = book.at("quota").at("overall");
  if (!overall.is_null()) {
    const int overall_cap = overall.get<int>();
    const int total = static_cast<int>(all_counted.size()) + 1;
    if (total > overall_cap) {
      return Status::Refused("overall quota for " + std::to_string(year) + " is " +
                             std::to_string(overall_cap) + "; " +
                             std::to_string(all_counted.size()) +
                             " already approved or licensed; this application would make " +
                             std::to_string(total));
    }
  }
  return Status::Ok();
}

void SetBookEntry(Json& book, const std::string& item_id, const std::string& lead,
                  const std::string& status, const std::string& number) {
  Json& items = book["items"];
  if (status.empty()) {
    items.erase(item_id);
    return;
  }
  Json entry{{"lead", lead}, {"status", status}};
  if (!number.empty()) entry["number"] = number;
  items[item_id] = std::move(entry);
}

Json QuotaState(const Json& book) {
  Json leads = Json::object();
  int licensed = 0, approved = 0, pending = 0;
  for (const auto& [id, entry] : book.at("items").items()) {
    const std::string lead = entry.value("lead", "");
    const std::string status = entry.value("status", "");
    if (!leads.contains(lead)) {
      leads[lead] = {{"cap", LeadCap(book, lead)},
                     {"licensed", 0},
                     {"approved", 0},
                     {"pending", 0},
                     {"items", Json::array()}};
    }
    Json& l = leads[lead];
    l[status] = l.value(status, 0) + 1;
    Json item{{"id", id}, {"status", status}};
    if (entry.contains("number")) item["number"] = entry["number"];
    l["items"].push_back(std::move(item));
    if (status == kLicensed) ++licensed;
    if (status == kApproved) ++approved;
    if (status == kPending) ++pending;
  }
  return Json{{"year", book.value("year", 0)},
              {"overall",
               {{"cap", book.at("quota").at("overall")},
                {"licensed", licensed},
                {"approved", approved},
                {"pending", pending}}},
              {"per_lead_cap", book.at("quota").value("per_lead", 1)},
              {"leads", leads}};
}

}  // namespace govassess::registry

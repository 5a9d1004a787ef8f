// The registry book (登记簿) of one year: total volume control (总量控制) for special
// assessments (BRIEF: "Special assessments (专项考核) and the registry").
//
// A book is a durable instance "registry/book/<year>" of type "registry_book". Its
// data holds the year's quota (overall cap and per-lead cap — configuration, never
// code), the licence-number format and next sequence number, and one entry per item
// that counts against the year: {"lead", "status": pending | approved | licensed,
// "number"?}. Items write their book in the same commit as themselves
// (Decision::other_writes with the version they read), so two concurrent approvals
// can never both squeeze under the cap: one commits, the other conflicts, re-decides
// against the new book and is refused by the quota.
//
// This header also holds RegistryConfig, the configuration the registry workflows are
// built with. Everything here is pure and thread-compatible (plain values).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "engine/status.h"
#include "engine/types.h"
#include "registry/duplicate_review.h"

namespace govassess::registry {

// Workflow types and instance ids.
inline constexpr const char* kItemType = "special_assessment";
inline constexpr const char* kBookType = "registry_book";
inline constexpr const char* kItemPrefix = "registry/item/";
inline constexpr const char* kBookPrefix = "registry/book/";

// "registry/item/<id>" from "<id>"; an id that already has the prefix is kept.
std::string ItemInstanceId(const std::string& id);
// "<id>" from "registry/item/<id>" (or "<id>").
std::string ItemShortId(const std::string& instance_id);
std::string BookInstanceId(int year);

// Book entry statuses.
inline constexpr const char* kPending = "pending";    // submitted or returned
inline constexpr const char* kApproved = "approved";  // in the yearly plan
inline constexpr const char* kLicensed = "licensed";  // licensed (or imported)

struct QuotaConfig {
  std::optional<int> overall = 20;  // approved + licensed items per year; nullopt: no cap
  int per_lead = 1;                 // approved + licensed items per lead department per year
  std::map<std::string, int> per_lead_overrides;  // lead → its own cap
};

// Reads {"overall": int | null, "per_lead": int, "per_lead_overrides": {lead: int}};
// absent fields keep `base`'s values. InvalidArgument naming the field otherwise.
Result<QuotaConfig> ParseQuotaConfig(const Json& json, const QuotaConfig& base = {});
Json QuotaConfigToJson(const QuotaConfig& quota);

struct RegistryConfig {
  QuotaConfig quota;  // the default for a year whose book was not configured
  // "{year}" and "{seq}" are replaced: 专考〔2026〕3号.
  std::string licence_format = "专考〔{year}〕{seq}号";
  // A licence runs from its grant to 31 December of year + validity_years − 1.
  int validity_years = 1;
  // Dice at or above which two indicators count as one when items are merged.
  double merge_threshold = 0.85;
  DuplicateConfig duplicate = DefaultDuplicateConfig();
};

// Reads {"quota": {...}, "licence_format", "validity_years", "merge_threshold",
// "duplicate": {...}}; absent fields keep the defaults. InvalidArgument naming the
// field otherwise (a format without "{seq}" is refused: numbers must differ).
Result<RegistryConfig> ParseRegistryConfig(const Json& json);

// FormatLicenceNumber("专考〔{year}〕{seq}号", 2026, 3) == "专考〔2026〕3号".
std::string FormatLicenceNumber(const std::string& format, int year, int seq);

// A new book's data for `year` from the configuration.
Json NewBookData(int year, const RegistryConfig& config);
// A book instance ready to be written with expected version 0.
Instance NewBookInstance(int year, const RegistryConfig& config);

// The cap for `lead` in `book` (its override, else per_lead).
int LeadCap(const Json& book, const std::string& lead);

// OK when approving item `item_id` of `lead` keeps the book within both caps;
// Refused with the numbers otherwise, e.g.
//   quota for 自治区某厅 in 2026 is 1; 1 already approved or licensed (专考〔2026〕1号);
//   this application would make 2
Status CheckQuota(const Json& book, const std::string& lead, const std::string& item_id);

// Sets (or replaces) the entry of `item_id`; erases it when status is empty.
void SetBookEntry(Json& book, const std::string& item_id, const std::string& lead,
                  const std::string& status, const std::string& number = "");

// The quota at a glance:
// {"year", "overall": {"cap", "licensed", "approved", "pending"},
//  "leads": {lead: {"cap", "licensed", "approved", "pending", "items": [{"id","status","number"?}]}}}
// cap is null when there is none.
Json QuotaState(const Json& book);

}  // namespace govassess::registry

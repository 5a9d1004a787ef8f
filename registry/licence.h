// Licences (准入许可, 持证考核) of special assessments and the enforcement point:
// "no licence, no assessment" (BRIEF: "Special assessments (专项考核) and the registry").
//
// The contract other workflows rely on (the lifecycle reads items via ctx.load): a
// licensed item is an instance "registry/item/<id>" of type "special_assessment" in
// state "licensed" with
//   data.licence = {"number": "专考〔2026〕3号", "valid_from": "YYYY-MM-DD",
//                   "valid_to": "YYYY-MM-DD", ...}
// plus data.name, data.lead, data.co_leads (array) and data.indicators (array of
// strings). The number stays with the item across renewals; a renewal moves valid_to.
//
// Pure functions; thread-safe.
#pragma once

#include <string>

#include "engine/status.h"
#include "engine/types.h"

namespace govassess::registry {

// OK when `item` is a licensed special assessment whose licence is valid on `date`
// (valid_from <= date <= valid_to, both inclusive). Otherwise Refused with a reason
// the caller can journal as is, e.g.
//   专项考核 "食品安全考核" has no valid licence on 2027-03-15 (state: approved): no
//   licence, no assessment
// InvalidArgument when `date` is not YYYY-MM-DD. An instance that does not exist
// (version 0) or is not a special assessment is Refused too.
Status CheckLicensedFor(const Instance& item, const std::string& date_yyyy_mm_dd);

// Whether `unit` leads `item` or is one of its co-leads (data.lead, data.co_leads):
// whose results of the special assessment it may record.
bool LedBy(const Instance& item, const std::string& unit);

// The calendar date (YYYY-MM-DD) of `ms` in China Standard Time (UTC+8), the time
// zone licence validity is written in.
std::string ChinaDate(int64_t ms);

// UTC milliseconds of 00:00 China time on the day after `date` — when a licence
// valid to `date` has expired. REQUIRES: date is YYYY-MM-DD.
int64_t ExpiryMs(const std::string& date);

}  // namespace govassess::registry

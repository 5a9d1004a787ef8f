#include "workflows/china_time.h"

namespace govassess::workflows {

Date BeijingDate(int64_t utc_ms) {
  int64_t local = utc_ms + kBeijingOffsetMs;
  int64_t days = local / kMsPerDay;
  if (local % kMsPerDay < 0) --days;  // floor for instants before 1970
  return Date::FromDays(days);
}

int64_t EndOfBeijingDayMs(Date d) { return (d.DaysSinceEpoch() + 1) * kMsPerDay - kBeijingOffsetMs; }

int64_t BeijingTimeMs(Date d, int64_t minutes) {
  return d.DaysSinceEpoch() * kMsPerDay - kBeijingOffsetMs + minutes * 60'000;
}

Result<Date> ParseCycleDate(const std::string& text) { return Date::Parse(text); }

}  // namespace govassess::workflows

// China time for deadlines: the cycle's dates are dates in China (UTC+8, no daylight
// saving). A deadline date D ends at D 24:00 Beijing time = D 16:00 UTC; "today" for a
// guard is the Beijing date of the command's time.
//
// Pure functions over values; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "engine/date.h"
#include "engine/status.h"

namespace govassess::workflows {

inline constexpr int64_t kMsPerDay = 86'400'000;
inline constexpr int64_t kBeijingOffsetMs = 8 * 3'600'000;

// The Beijing date of the UTC instant `utc_ms`.
Date BeijingDate(int64_t utc_ms);

// The UTC instant at which date `d` ends in Beijing (d 24:00 +08:00 = d 16:00 UTC).
int64_t EndOfBeijingDayMs(Date d);

// The UTC instant `minutes` after midnight of date `d` in Beijing (a reminder's send
// time, the digest's, 09:00 = 540).
int64_t BeijingTimeMs(Date d, int64_t minutes);

// Parses "YYYY-MM-DD" (as the cycle stores dates). InvalidArgument naming the text.
Result<Date> ParseCycleDate(const std::string& text);

}  // namespace govassess::workflows

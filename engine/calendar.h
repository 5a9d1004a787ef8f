// WorkingDayCalendar: which days are working days in one region (e.g. "cn"), and
// deadline arithmetic counted in working days ("within 5 working days").
//
// A day is a working day unless it is a weekend day (Saturday and Sunday by
// default) or a holiday day off; a make-up working day (调休上班, usually a Saturday
// or Sunday) is a working day. The arrangement is published once a year (in China by
// the State Council, 国务院办公厅关于YYYY年部分节假日安排的通知), and the calendar only
// answers for years whose arrangement has been loaded with AddYear(): asked about any
// other year it returns OutOfRange and never guesses.
//
// A notice for year Y may list dates of Y-1 (the 2019 notice makes 2018-12-29 a
// working day and 2018-12-30/31 days off). Such overrides apply by date, whichever
// notice they came from; when two notices list the same date, the notice of the
// later year wins. Coverage is by the date's own calendar year: 2018-12-30 is
// answered only when 2018 is loaded.
//
// The calendar is pure code (no files; see engine/calendar_format.h for the JSON
// format and adapters/cli for loading files). Lookups are O(1) through a per-day
// table rebuilt by AddYear().
//
// Thread-safety: a WorkingDayCalendar is a value. Const member functions may be
// called concurrently; AddYear() needs exclusive access (build the calendar, then
// share it read-only, or copy it and swap).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/date.h"
#include "engine/status.h"

namespace govassess {

// One named holiday of a year's arrangement, e.g. 春节: its days off and its make-up
// working days. Dates need not be in the arrangement's own year (see above).
struct Holiday {
  std::string name;        // "春节", "国庆节、中秋节"
  std::vector<Date> off;   // days off, including weekend days inside the span
  std::vector<Date> work;  // make-up working days (调休上班)
};
bool operator==(const Holiday& a, const Holiday& b);
inline bool operator!=(const Holiday& a, const Holiday& b) { return !(a == b); }

// One year's published arrangement.
struct CalendarYear {
  int year = 0;        // the year in the notice's title
  std::string source;  // notice title(s), number, URL(s): where the data came from
  std::vector<Holiday> holidays;
};
bool operator==(const CalendarYear& a, const CalendarYear& b);
inline bool operator!=(const CalendarYear& a, const CalendarYear& b) { return !(a == b); }

// A set of weekdays (0 = Monday .. 6 = Sunday, as Date::Weekday()).
class WeekdaySet {
 public:
  constexpr WeekdaySet() = default;
  // Saturday and Sunday: the default weekend.
  static constexpr WeekdaySet SaturdaySunday() {
    return WeekdaySet().With(Date::kSaturday).With(Date::kSunday);
  }
  // REQUIRES: 0 <= weekday <= 6.
  constexpr WeekdaySet With(int weekday) const {
    WeekdaySet s = *this;
    s.bits_ = static_cast<uint8_t>(s.bits_ | (1u << weekday));
    return s;
  }
  constexpr bool Contains(int weekday) const { return (bits_ >> weekday) & 1u; }
  // The weekdays in ascending order.
  std::vector<int> ToVector() const;
  friend constexpr bool operator==(WeekdaySet a, WeekdaySet b) { return a.bits_ == b.bits_; }
  friend constexpr bool operator!=(WeekdaySet a, WeekdaySet b) { return a.bits_ != b.bits_; }

 private:
  uint8_t bits_ = 0;
};

class WorkingDayCalendar {
 public:
  // An empty calendar (covers no year) for `region`, e.g. "cn".
  explicit WorkingDayCalendar(std::string region,
                              WeekdaySet weekend = WeekdaySet::SaturdaySunday());

  const std::string& region() const { return region_; }
  WeekdaySet weekend() const { return weekend_; }

  // Adds the arrangement of `year.year`, or replaces the one already loaded.
  // Dates inside each holiday are sorted and de-duplicated; holiday order is kept.
  // Returns InvalidArgument, and changes nothing, when:
  //   - the year is outside 1..9999, or the arrangement lists no holiday or no day off
  //     (an empty placeholder must never be mistaken for "no holidays this year");
  //   - a holiday has an empty name or no dates;
  //   - a date is outside year-1 .. year+1;
  //   - a date is listed both as a day off and as a working day in this arrangement.
  Status AddYear(const CalendarYear& year);

  // True when `year`'s arrangement is loaded. Never an error.
  bool Covers(int year) const { return years_.count(year) != 0; }
  // Covered years, ascending.
  std::vector<int> CoveredYears() const;
  // Covered years for messages: "2007–2016, 2018–2026", or "none".
  std::string CoveredYearsText() const;

  // The loaded arrangement of `year`; OutOfRange when it is not covered.
  Result<CalendarYear> Year(int year) const;
  // The holidays of `year`'s arrangement; OutOfRange when it is not covered.
  Result<std::vector<Holiday>> Holidays(int year) const;
  // All loaded arrangements, ascending by year.
  std::vector<CalendarYear> Years() const;

  // Whether `date` is a working day. OutOfRange when date.year() is not covered.
  Result<bool> IsWorkingDay(Date date) const;

  // The n-th working day after `from` (`from` itself is not counted and need not be
  // a working day or covered). n = 0 returns `from`; n < 0 returns the |n|-th
  // working day before `from`. E.g. in "cn", AddWorkingDays(2025-09-30, 5) is
  // 2025-10-14. OutOfRange when the walk reaches a day whose year is not covered.
  Result<Date> AddWorkingDays(Date from, int n) const;

  // The signed number of working days met when walking from `a` to `b`, not counting
  // `a` and counting `b`:
  //   b >= a:  +#{ working days d : a < d <= b }
  //   b <  a:  -#{ working days d : b <= d < a }
  // so AddWorkingDays(a, n) == b implies WorkingDaysBetween(a, b) == n for every n
  // (the result of AddWorkingDays is always a working day). Note it is not
  // antisymmetric: for a < b, Between(a, b) + Between(b, a) = w(b) - w(a), where
  // w(x) is 1 for a working day. OutOfRange when a counted day is not covered.
  Result<int> WorkingDaysBetween(Date a, Date b) const;

 private:
  enum class DayState : uint8_t { kUncovered = 0, kOff = 1, kWork = 2 };

  void Rebuild();
  Status NotCovered(int year) const;
  // The state of day number `day` (days since 1970-01-01).
  DayState StateOf(int64_t day) const {
    const int64_t i = day - first_day_;
    if (i < 0 || i >= static_cast<int64_t>(states_.size())) return DayState::kUncovered;
    return states_[static_cast<size_t>(i)];
  }

  std::string region_;
  WeekdaySet weekend_;
  std::map<int, CalendarYear> years_;  // the loaded arrangements by year

  // Derived by Rebuild(): one entry per day from 1 January of the first covered year
  // (day number first_day_) to 31 December of the last covered year.
  int64_t first_day_ = 0;
  std::vector<DayState> states_;
  std::vector<int32_t> work_before_;  // work_before_[i]: working days in states_[0, i)
};

}  // namespace govassess

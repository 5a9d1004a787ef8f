#include "engine/calendar.h"

#include <algorithm>
#include <utility>

namespace govassess {
namespace {

void SortUnique(std::vector<Date>* dates) {
  std::sort(dates->begin(), dates->end());
  dates->erase(std::unique(dates->begin(), dates->end()), dates->end());
}

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

}  // namespace

bool operator==(const Holiday& a, const Holiday& b) {
  return a.name == b.name && a.off == b.off && a.work == b.work;
}

bool operator==(const CalendarYear& a, const CalendarYear& b) {
  return a.year == b.year && a.source == b.source && a.holidays == b.holidays;
}

std::vector<int> WeekdaySet::ToVector() const {
  std::vector<int> days;
  for (int d = 0; d < 7; ++d) {
    if (Contains(d)) days.push_back(d);
  }
  return days;
}

WorkingDayCalendar::WorkingDayCalendar(std::string region, WeekdaySet weekend)
    : region_(std::move(region)), weekend_(weekend) {}

Status WorkingDayCalendar::AddYear(const CalendarYear& input) {
  const int y = input.year;
  const std::string where = "the arrangement for " + std::to_string(y) + ": ";
  if (y < Date::kMinYear || y > Date::kMaxYear) {
    return Status::InvalidArgument("the arrangement's year " + std::to_string(y) +
                                   " is outside 1..9999");
  }
  if (input.holidays.empty()) {
    return Status::InvalidArgument(where +
                                   "lists no holidays (an empty placeholder is not an "
                                   "arrangement; wait for the State Council notice)");
  }
  CalendarYear year = input;
  // Which holiday lists a date, and how: to report conflicts by name.
  std::map<Date, std::pair<bool, const std::string*>> seen;  // date -> (is_work, holiday)
  bool any_off = false;
  for (Holiday& h : year.holidays) {
    if (h.name.empty()) return Status::InvalidArgument(where + "a holiday has an empty name");
    if (h.off.empty() && h.work.empty()) {
      return Status::InvalidArgument(where + "holiday " + Quoted(h.name) + " lists no dates");
    }
    SortUnique(&h.off);
    SortUnique(&h.work);
    any_off = any_off || !h.off.empty();
    for (bool is_work : {false, true}) {
      for (const Date& d : is_work ? h.work : h.off) {
        if (d.year() < y - 1 || d.year() > y + 1) {
          return Status::InvalidArgument(where + "holiday " + Quoted(h.name) + " lists " +
                                         d.ToString() + ", outside " + std::to_string(y - 1) +
                                         ".." + std::to_string(y + 1));
        }
        auto [it, inserted] = seen.emplace(d, std::make_pair(is_work, &h.name));
        if (!inserted && it->second.first != is_work) {
          const std::string& off_name = is_work ? *it->second.second : h.name;
          const std::string& work_name = is_work ? h.name : *it->second.second;
          return Status::InvalidArgument(where + d.ToString() + " is listed both as a day off (" +
                                         off_name + ") and as a working day (" + work_name + ")");
        }
      }
    }
  }
  if (!any_off) return Status::InvalidArgument(where + "lists no day off");
  years_[y] = std::move(year);
  Rebuild();
  return Status::Ok();
}

void WorkingDayCalendar::Rebuild() {
  states_.clear();
  work_before_.clear();
  if (years_.empty()) return;
  const int first_year = years_.begin()->first;
  const int last_year = years_.rbegin()->first;
  first_day_ = Date(first_year, 1, 1).DaysSinceEpoch();
  const int64_t end_day = Date(last_year, 12, 31).DaysSinceEpoch() + 1;
  states_.assign(static_cast<size_t>(end_day - first_day_), DayState::kUncovered);

  // Weekly rule for every covered year.
  for (const auto& [y, unused] : years_) {
    (void)unused;
    const int64_t begin = Date(y, 1, 1).DaysSinceEpoch();
    const int64_t end = Date(y, 12, 31).DaysSinceEpoch() + 1;
    int weekday = Date(y, 1, 1).Weekday();
    for (int64_t day = begin; day < end; ++day) {
      states_[static_cast<size_t>(day - first_day_)] =
          weekend_.Contains(weekday) ? DayState::kOff : DayState::kWork;
      weekday = weekday == 6 ? 0 : weekday + 1;
    }
  }
  // Overrides, oldest notice first so that a later notice wins on the same date.
  // A date in an uncovered year stays uncovered.
  for (const auto& [y, year] : years_) {
    (void)y;
    for (const Holiday& h : year.holidays) {
      for (bool is_work : {false, true}) {
        for (const Date& d : is_work ? h.work : h.off) {
          const int64_t i = d.DaysSinceEpoch() - first_day_;
          if (i < 0 || i >= static_cast<int64_t>(states_.size())) continue;
          DayState& state = states_[static_cast<size_t>(i)];
          if (state == DayState::kUncovered) continue;
          state = is_work ? DayState::kWork : DayState::kOff;
        }
      }
    }
  }
  work_before_.resize(states_.size() + 1);
  work_before_[0] = 0;
  for (size_t i = 0; i < states_.size(); ++i) {
    work_before_[i + 1] = work_before_[i] + (states_[i] == DayState::kWork ? 1 : 0);
  }
}

std::vector<int> WorkingDayCalendar::CoveredYears() const {
  std::vector<int> out;
  for (const auto& entry : years_) out.push_back(entry.first);
  return out;
}

std::string WorkingDayCalendar::CoveredYearsText() const {
  if (years_.empty()) return "none";
  std::string out;
  const std::vector<int> years = CoveredYears();
  size_t i = 0;
  while (i < years.size()) {
    size_t j = i;
    while (j + 1 < years.size() && years[j + 1] == years[j] + 1) ++j;
    if (!out.empty()) out += ", ";
    out += std::to_string(years[i]);
    if (j > i) out += "\u2013" + std::to_string(years[j]);  // en dash
    i = j + 1;
  }
  return out;
}

Status WorkingDayCalendar::NotCovered(int year) const {
  const std::string y = std::to_string(year);
  return Status::OutOfRange("the calendar \"" + region_ + "\" does not cover " + y +
                            "; load the State Council arrangement for " + y +
                            " (covered: " + CoveredYearsText() + ")");
}

Result<CalendarYear> WorkingDayCalendar::Year(int year) const {
  auto it = years_.find(year);
  if (it == years_.end()) return NotCovered(year);
  return it->second;
}

Result<std::vector<Holiday>> WorkingDayCalendar::Holidays(int year) const {
  auto it = years_.find(year);
  if (it == years_.end()) return NotCovered(year);
  return it->second.holidays;
}

std::vector<CalendarYear> WorkingDayCalendar::Years() const {
  std::vector<CalendarYear> out;
  for (const auto& entry : years_) out.push_back(entry.second);
  return out;
}

Result<bool> WorkingDayCalendar::IsWorkingDay(Date date) const {
  const DayState state = StateOf(date.DaysSinceEpoch());
  if (state == DayState::kUncovered) return NotCovered(date.year());
  return state == DayState::kWork;
}

Result<Date> WorkingDayCalendar::AddWorkingDays(Date from, int n) const {
  if (n == 0) return from;
  const int step = n > 0 ? 1 : -1;
  int64_t remaining = n > 0 ? static_cast<int64_t>(n) : -static_cast<int64_t>(n);
  int64_t day = from.DaysSinceEpoch();
  while (remaining > 0) {
    day += step;
    const DayState state = StateOf(day);
    if (state == DayState::kUncovered) return NotCovered(Date::FromDays(day).year());
    if (state == DayState::kWork) --remaining;
  }
  return Date::FromDays(day);
}

Result<int> WorkingDayCalendar::WorkingDaysBetween(Date a, Date b) const {
  if (a == b) return 0;
  // Counted days: (a, b] forward, [b, a) backward.
  const bool forward = a < b;
  const Date first = forward ? a.AddDays(1) : b;
  const Date last = forward ? b : a.AddDays(-1);
  for (int y = first.year(); y <= last.year(); ++y) {
    if (!Covers(y)) return NotCovered(y);
  }
  const int64_t lo = first.DaysSinceEpoch() - first_day_;
  const int64_t hi = last.DaysSinceEpoch() - first_day_ + 1;
  const int count = work_before_[static_cast<size_t>(hi)] - work_before_[static_cast<size_t>(lo)];
  return forward ? count : -count;
}

}  // namespace govassess

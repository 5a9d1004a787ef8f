// Date: a civil (proleptic Gregorian) calendar date without time or time zone.
//
// A Date is a small value (year, month, day) that is always valid once constructed
// through Parse() or FromYmd(). Day arithmetic goes through a day number counted
// from 1970-01-01 (Howard Hinnant's days_from_civil / civil_from_days algorithms,
// http://howardhinnant.github.io/date_algorithms.html).
//
// Thread-safety: a Date is an immutable value; concurrent reads are safe, and all
// functions here are pure.
#pragma once

#include <cassert>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

#include "engine/status.h"

namespace govassess {

class Date {
 public:
  // Weekday numbers returned by Weekday(): Monday = 0 .. Sunday = 6.
  static constexpr int kMonday = 0;
  static constexpr int kTuesday = 1;
  static constexpr int kWednesday = 2;
  static constexpr int kThursday = 3;
  static constexpr int kFriday = 4;
  static constexpr int kSaturday = 5;
  static constexpr int kSunday = 6;

  // Years accepted by Parse() and FromYmd().
  static constexpr int kMinYear = 1;
  static constexpr int kMaxYear = 9999;

  // 1970-01-01.
  constexpr Date() = default;

  // REQUIRES: IsValid(year, month, day). Use FromYmd() for untrusted input.
  constexpr Date(int year, int month, int day) : year_(year), month_(month), day_(day) {
    assert(IsValid(year, month, day));
  }

  // Parses exactly "YYYY-MM-DD" (four-digit year 0001..9999, two-digit month and
  // day, ASCII digits, no surrounding space or trailing characters).
  // On failure returns InvalidArgument with a message that quotes the input and
  // says what is wrong, e.g.
  //   invalid date "2025-02-30": February 2025 has 28 days
  //   invalid date "2025-2-30": expected YYYY-MM-DD
  static Result<Date> Parse(std::string_view text);

  // Returns the date, or InvalidArgument if (year, month, day) is not a real date
  // or the year is outside kMinYear..kMaxYear.
  static Result<Date> FromYmd(int year, int month, int day);

  // The date `days` days after 1970-01-01 (negative: before).
  // REQUIRES: the result's year fits in an int (|days| < ~700 million).
  static Date FromDays(int64_t days);

  static constexpr bool IsLeapYear(int year) {
    return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
  }
  // REQUIRES: 1 <= month <= 12.
  static constexpr int DaysInMonth(int year, int month) {
    constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
  }
  // True when (year, month, day) names a real date with year in kMinYear..kMaxYear.
  static constexpr bool IsValid(int year, int month, int day) {
    return year >= kMinYear && year <= kMaxYear && month >= 1 && month <= 12 && day >= 1 &&
           day <= DaysInMonth(year, month);
  }

  constexpr int year() const { return year_; }
  constexpr int month() const { return month_; }
  constexpr int day() const { return day_; }

  // "2025-09-30". Years outside 0..9999 print with more digits or a minus sign.
  std::string ToString() const;

  // Days since 1970-01-01 (1970-01-02 is 1, 1969-12-31 is -1).
  int64_t DaysSinceEpoch() const;

  // 0 = Monday .. 6 = Sunday (ISO 8601 order, counted from zero).
  int Weekday() const;

  // The date `days` days later (negative: earlier).
  Date AddDays(int64_t days) const { return FromDays(DaysSinceEpoch() + days); }

  friend constexpr bool operator==(const Date& a, const Date& b) {
    return a.year_ == b.year_ && a.month_ == b.month_ && a.day_ == b.day_;
  }
  friend constexpr bool operator!=(const Date& a, const Date& b) { return !(a == b); }
  friend constexpr bool operator<(const Date& a, const Date& b) {
    if (a.year_ != b.year_) return a.year_ < b.year_;
    if (a.month_ != b.month_) return a.month_ < b.month_;
    return a.day_ < b.day_;
  }
  friend constexpr bool operator>(const Date& a, const Date& b) { return b < a; }
  friend constexpr bool operator<=(const Date& a, const Date& b) { return !(b < a); }
  friend constexpr bool operator>=(const Date& a, const Date& b) { return !(a < b); }

 private:
  int year_ = 1970;
  int month_ = 1;
  int day_ = 1;
};

// Writes date.ToString(), e.g. for test failure messages.
std::ostream& operator<<(std::ostream& out, const Date& date);

// English month name, "January" .. "December". REQUIRES: 1 <= month <= 12.
const char* MonthName(int month);

}  // namespace govassess

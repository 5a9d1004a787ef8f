#include "engine/date.h"

#include <cstdio>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace govassess {
namespace {

TEST_CASE("Date::Parse accepts exactly YYYY-MM-DD", "[date]") {
  struct Case {
    const char* text;
    int year, month, day;
  };
  const std::vector<Case> cases = {
      {"2025-09-30", 2025, 9, 30}, {"2024-02-29", 2024, 2, 29},  {"2000-02-29", 2000, 2, 29},
      {"0001-01-01", 1, 1, 1},     {"9999-12-31", 9999, 12, 31}, {"1970-01-01", 1970, 1, 1},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    auto d = Date::Parse(c.text);
    REQUIRE(d.ok());
    CHECK(d->year() == c.year);
    CHECK(d->month() == c.month);
    CHECK(d->day() == c.day);
    CHECK(d->ToString() == c.text);
  }
}

TEST_CASE("Date::Parse rejects malformed dates with a clear message", "[date]") {
  struct Case {
    std::string text;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"2025-02-30", "invalid date \"2025-02-30\": February 2025 has 28 days"},
      {"2024-02-30", "invalid date \"2024-02-30\": February 2024 has 29 days"},
      {"1900-02-29", "invalid date \"1900-02-29\": February 1900 has 28 days"},
      {"2025-04-31", "invalid date \"2025-04-31\": April 2025 has 30 days"},
      {"2025-2-30", "invalid date \"2025-2-30\": expected YYYY-MM-DD"},
      {"20250101", "invalid date \"20250101\": expected YYYY-MM-DD"},
      {"2025-01-01x", "invalid date \"2025-01-01x\": expected YYYY-MM-DD"},
      {"2025-01-01 ", "invalid date \"2025-01-01 \": expected YYYY-MM-DD"},
      {" 2025-01-01", "invalid date \" 2025-01-01\": expected YYYY-MM-DD"},
      {"2025/01/01", "invalid date \"2025/01/01\": expected YYYY-MM-DD"},
      {"2025-0a-01", "invalid date \"2025-0a-01\": expected YYYY-MM-DD"},
      {"+025-01-01", "invalid date \"+025-01-01\": expected YYYY-MM-DD"},
      {"", "invalid date \"\": expected YYYY-MM-DD"},
      {"2025-13-01", "invalid date \"2025-13-01\": month must be 01..12"},
      {"2025-00-10", "invalid date \"2025-00-10\": month must be 01..12"},
      {"2025-01-00", "invalid date \"2025-01-00\": day must be 01..31"},
      {"0000-01-01", "invalid date \"0000-01-01\": year must be 0001..9999"},
      {std::string("2025-01-0\n", 10), "invalid date \"2025-01-0\\x0a\": expected YYYY-MM-DD"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    auto d = Date::Parse(c.text);
    REQUIRE_FALSE(d.ok());
    CHECK(d.status().code() == Code::kInvalidArgument);
    CHECK(d.status().message() == c.message);
  }
}

TEST_CASE("Date::FromYmd validates", "[date]") {
  CHECK(Date::FromYmd(2025, 10, 14).ok());
  CHECK(Date::FromYmd(2025, 10, 14)->ToString() == "2025-10-14");
  CHECK_FALSE(Date::FromYmd(2025, 2, 29).ok());
  CHECK_FALSE(Date::FromYmd(2025, 0, 1).ok());
  CHECK_FALSE(Date::FromYmd(10000, 1, 1).ok());
  CHECK(Date::FromYmd(2025, 2, 29).status().code() == Code::kInvalidArgument);
}

TEST_CASE("Date day numbers follow the civil calendar", "[date]") {
  struct Case {
    Date date;
    int64_t days;
    int weekday;
  };
  const std::vector<Case> cases = {
      {Date(1970, 1, 1), 0, Date::kThursday},       {Date(1969, 12, 31), -1, Date::kWednesday},
      {Date(2000, 3, 1), 11017, Date::kWednesday},  {Date(2025, 9, 30), 20361, Date::kTuesday},
      {Date(2025, 10, 11), 20372, Date::kSaturday}, {Date(2024, 10, 12), 20008, Date::kSaturday},
      {Date(2025, 10, 14), 20375, Date::kTuesday},  {Date(2026, 2, 15), 20499, Date::kSunday},
      {Date(1, 1, 1), -719162, Date::kMonday},      {Date(9999, 12, 31), 2932896, Date::kFriday},
  };
  for (const Case& c : cases) {
    INFO(c.date.ToString());
    CHECK(c.date.DaysSinceEpoch() == c.days);
    CHECK(Date::FromDays(c.days) == c.date);
    CHECK(c.date.Weekday() == c.weekday);
  }
}

TEST_CASE("Date round-trips through day numbers for every day 1900-2100", "[date]") {
  Date d(1900, 1, 1);
  int64_t n = d.DaysSinceEpoch();
  int weekday = d.Weekday();
  CHECK(weekday == Date::kMonday);  // 1900-01-01 was a Monday
  int mismatches = 0;
  while (d.year() <= 2100) {
    const Date next = d.AddDays(1);
    if (next.DaysSinceEpoch() != n + 1 || Date::FromDays(n) != d || d.Weekday() != weekday ||
        !(d < next) || Date::Parse(d.ToString()).value() != d) {
      ++mismatches;
    }
    // The successor is the next valid (y, m, d).
    const bool month_end = d.day() == Date::DaysInMonth(d.year(), d.month());
    const Date expected = !month_end       ? Date(d.year(), d.month(), d.day() + 1)
                          : d.month() < 12 ? Date(d.year(), d.month() + 1, 1)
                                           : Date(d.year() + 1, 1, 1);
    if (next != expected) ++mismatches;
    d = next;
    ++n;
    weekday = (weekday + 1) % 7;
  }
  CHECK(mismatches == 0);
}

TEST_CASE("Date arithmetic and comparison", "[date]") {
  const Date a(2025, 9, 30);
  CHECK(a.AddDays(1) == Date(2025, 10, 1));
  CHECK(a.AddDays(-272) == Date(2025, 1, 1));
  CHECK(a.AddDays(0) == a);
  CHECK(Date(2024, 12, 31).AddDays(1) == Date(2025, 1, 1));
  CHECK(Date(2024, 2, 28).AddDays(1) == Date(2024, 2, 29));
  CHECK(Date(2025, 2, 28).AddDays(1) == Date(2025, 3, 1));
  CHECK(Date(2025, 1, 1) < Date(2025, 1, 2));
  CHECK(Date(2025, 1, 31) < Date(2025, 2, 1));
  CHECK(Date(2024, 12, 31) < Date(2025, 1, 1));
  CHECK(Date(2025, 1, 1) <= Date(2025, 1, 1));
  CHECK(Date(2025, 1, 2) > Date(2025, 1, 1));
  CHECK(Date(2025, 1, 1) >= Date(2025, 1, 1));
  CHECK(Date(2025, 1, 1) != Date(2025, 1, 2));
  CHECK(Date().ToString() == "1970-01-01");
}

TEST_CASE("Date text is printf's %04d-%02d-%02d, in range and out of it", "[date]") {
  auto printf_text = [](const Date& d) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year(), d.month(), d.day());
    return std::string(buf);
  };
  for (const Date& d : {Date(1, 1, 1), Date(9, 9, 9), Date(999, 12, 31), Date(2026, 10, 8),
                        Date(9999, 12, 31), Date(10000, 1, 1), Date(-1, 5, 5), Date(0, 0, 0),
                        Date(2026, 100, 7)}) {
    CHECK(d.ToString() == printf_text(d));
  }
  for (int64_t n = -800000; n < 3000000; n += 997) {
    const Date d = Date::FromDays(n);
    if (d.ToString() != printf_text(d)) FAIL(printf_text(d));
  }
}

}  // namespace
}  // namespace govassess

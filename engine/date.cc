#include "engine/date.h"

#include <cstdio>
#include <ostream>

namespace govassess {
namespace {

// Quotes untrusted text for an error message: at most 40 bytes, control bytes as \xNN.
std::string Quote(std::string_view text) {
  constexpr size_t kMaxShown = 40;
  std::string out = "\"";
  for (size_t i = 0; i < text.size() && i < kMaxShown; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else {
      out += static_cast<char>(c);
    }
  }
  if (text.size() > kMaxShown) out += "...";
  out += '"';
  return out;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int Digits(std::string_view text, size_t pos, size_t count) {
  int value = 0;
  for (size_t i = pos; i < pos + count; ++i) value = value * 10 + (text[i] - '0');
  return value;
}

}  // namespace

const char* MonthName(int month) {
  static const char* const kNames[12] = {"January",   "February", "March",    "April",
                                         "May",       "June",     "July",     "August",
                                         "September", "October",  "November", "December"};
  return kNames[month - 1];
}

Result<Date> Date::Parse(std::string_view text) {
  // Layout: YYYY-MM-DD, positions 0-3 year, 4 '-', 5-6 month, 7 '-', 8-9 day.
  bool shape_ok = text.size() == 10 && text[4] == '-' && text[7] == '-';
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!shape_ok) break;
    shape_ok = IsDigit(text[i]);
  }
  if (!shape_ok) {
    return Status::InvalidArgument("invalid date " + Quote(text) + ": expected YYYY-MM-DD");
  }
  const int year = Digits(text, 0, 4);
  const int month = Digits(text, 5, 2);
  const int day = Digits(text, 8, 2);
  if (year < kMinYear) {
    return Status::InvalidArgument("invalid date " + Quote(text) + ": year must be 0001..9999");
  }
  if (month < 1 || month > 12) {
    return Status::InvalidArgument("invalid date " + Quote(text) + ": month must be 01..12");
  }
  if (day < 1) {
    return Status::InvalidArgument("invalid date " + Quote(text) + ": day must be 01.." +
                                   std::to_string(DaysInMonth(year, month)));
  }
  if (day > DaysInMonth(year, month)) {
    return Status::InvalidArgument("invalid date " + Quote(text) + ": " + MonthName(month) + " " +
                                   std::to_string(year) + " has " +
                                   std::to_string(DaysInMonth(year, month)) + " days");
  }
  return Date(year, month, day);
}

Result<Date> Date::FromYmd(int year, int month, int day) {
  if (!IsValid(year, month, day)) {
    return Status::InvalidArgument("invalid date: year " + std::to_string(year) + ", month " +
                                   std::to_string(month) + ", day " + std::to_string(day));
  }
  return Date(year, month, day);
}

// civil_from_days (Howard Hinnant), for int64 day counts.
Date Date::FromDays(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;                                    // [0, 146096]
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const int64_t mp = (5 * doy + 2) / 153;                                     // [0, 11]
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;                             // [1, 31]
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;                                // [1, 12]
  const int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  Date date;
  date.year_ = static_cast<int>(y);
  date.month_ = static_cast<int>(m);
  date.day_ = static_cast<int>(d);
  return date;
}

// days_from_civil (Howard Hinnant).
int64_t Date::DaysSinceEpoch() const {
  const int64_t y = static_cast<int64_t>(year_) - (month_ <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;                          // [0, 399]
  const int64_t mp = month_ > 2 ? month_ - 3 : month_ + 9;    // [0, 11]
  const int64_t doy = (153 * mp + 2) / 5 + day_ - 1;          // [0, 365]
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  // [0, 146096]
  return era * 146097 + doe - 719468;
}

int Date::Weekday() const {
  // 1970-01-01 was a Thursday (3 when Monday is 0).
  const int64_t days = DaysSinceEpoch();
  const int64_t w = (days % 7 + 7 + kThursday) % 7;
  return static_cast<int>(w);
}

std::string Date::ToString() const {
  // Written by hand in the usual range (dates are formatted on every transition);
  // printf's spelling, e.g. of a year past 9999, otherwise.
  if (year_ >= 0 && year_ <= 9999 && month_ >= 0 && month_ <= 99 && day_ >= 0 && day_ <= 99) {
    std::string out(10, '-');
    out[0] = char('0' + year_ / 1000);
    out[1] = char('0' + year_ / 100 % 10);
    out[2] = char('0' + year_ / 10 % 10);
    out[3] = char('0' + year_ % 10);
    out[5] = char('0' + month_ / 10);
    out[6] = char('0' + month_ % 10);
    out[8] = char('0' + day_ / 10);
    out[9] = char('0' + day_ % 10);
    return out;
  }
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year_, month_, day_);
  return buf;
}

std::ostream& operator<<(std::ostream& out, const Date& date) { return out << date.ToString(); }

}  // namespace govassess

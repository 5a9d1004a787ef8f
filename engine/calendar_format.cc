#include "engine/calendar_format.h"

#include <algorithm>
#include <initializer_list>
#include <map>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

namespace govassess {
namespace {

using nlohmann::json;

constexpr const char* kWeekdayKeys[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
// A range longer than this is certainly a typo (no holiday lasts a year).
constexpr int64_t kMaxRangeDays = 366;
// SerialiseCalendar writes runs of at least this many consecutive dates as a range.
constexpr size_t kMinRunForRange = 3;

std::string Field(const std::string& path, const char* key) {
  return path.empty() ? std::string(key) : path + "." + key;
}
std::string Index(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}
Status Error(const std::string& path, const std::string& message) {
  return Status::InvalidArgument(path.empty() ? message : path + ": " + message);
}
// A JSON string literal for messages and output; never throws on bad UTF-8.
std::string JsonString(const std::string& s) {
  return json(s).dump(-1, ' ', false, json::error_handler_t::replace);
}

// Parses JSON text; syntax errors become InvalidArgument with line and column.
Result<json> ParseJson(std::string_view text) {
  try {
    return json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    std::string what = e.what();
    // Drop nlohmann's "[json.exception.parse_error.101] " prefix.
    const size_t close = what.find("] ");
    if (what.rfind("[json.exception", 0) == 0 && close != std::string::npos) {
      what = what.substr(close + 2);
    }
    return Status::InvalidArgument("invalid JSON: " + what);
  }
}

// Fails on any key of `object` not in `allowed`.
Status CheckFields(const json& object, const std::string& path,
                   std::initializer_list<const char*> allowed) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    const bool known =
        std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return it.key() == a; });
    if (!known) {
      std::string list;
      for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      return Error(path, "unknown field " + JsonString(it.key()) + " (expected " + list + ")");
    }
  }
  return Status::Ok();
}

// Finds a required member of type `want` (checked by `is`).
Result<const json*> Member(const json& object, const std::string& path, const char* key,
                           bool (json::*is)() const noexcept, const char* want) {
  auto it = object.find(key);
  if (it == object.end()) return Error(path, "missing field \"" + std::string(key) + "\"");
  if (!((*it).*is)()) {
    return Error(Field(path, key), std::string("expected ") + want + ", got " + it->type_name());
  }
  return &*it;
}

Result<std::string> StringMember(const json& object, const std::string& path, const char* key,
                                 bool allow_empty) {
  auto member = Member(object, path, key, &json::is_string, "a string");
  if (!member.ok()) return member.status();
  std::string value = (*member)->get<std::string>();
  if (!allow_empty && value.empty()) return Error(Field(path, key), "must not be empty");
  return value;
}

Result<int> IntMember(const json& object, const std::string& path, const char* key) {
  auto member = Member(object, path, key, &json::is_number_integer, "an integer");
  if (!member.ok()) return member.status();
  const json& v = **member;
  if (v.is_number_unsigned() ? v.get<uint64_t>() > uint64_t{Date::kMaxYear}
                             : (v.get<int64_t>() < 0 || v.get<int64_t>() > Date::kMaxYear)) {
    return Error(Field(path, key), v.dump() + " is outside 0..9999");
  }
  return static_cast<int>(v.get<int64_t>());
}

// Parses "YYYY-MM-DD" for a message of the form `path: "text" is not a valid date: why`.
Result<Date> ParseDateAt(const std::string& text, const std::string& path) {
  auto date = Date::Parse(text);
  if (date.ok()) return date;
  const std::string& m = date.status().message();
  const size_t colon = m.rfind(": ");
  const std::string why = colon == std::string::npos ? m : m.substr(colon + 2);
  return Error(path, JsonString(text) + " is not a valid date: " + why);
}

// Appends the dates of "YYYY-MM-DD" or "YYYY-MM-DD..YYYY-MM-DD" to `out`.
Status ParseDateOrRange(const json& value, const std::string& path, std::vector<Date>* out) {
  if (!value.is_string()) {
    return Error(path, std::string("expected a date string, got ") + value.type_name());
  }
  const std::string text = value.get<std::string>();
  const size_t dots = text.find("..");
  if (dots == std::string::npos) {
    auto date = ParseDateAt(text, path);
    if (!date.ok()) return date.status();
    out->push_back(*date);
    return Status::Ok();
  }
  auto first = ParseDateAt(text.substr(0, dots), path + " (range start)");
  if (!first.ok()) return first.status();
  auto last = ParseDateAt(text.substr(dots + 2), path + " (range end)");
  if (!last.ok()) return last.status();
  const int64_t a = first->DaysSinceEpoch();
  const int64_t b = last->DaysSinceEpoch();
  if (b < a) return Error(path, JsonString(text) + ": the range ends before it starts");
  if (b - a >= kMaxRangeDays) {
    return Error(path, JsonString(text) + ": a range may span at most 366 days");
  }
  for (int64_t d = a; d <= b; ++d) out->push_back(Date::FromDays(d));
  return Status::Ok();
}

Status ParseDateList(const json& holiday, const std::string& path, const char* key, bool required,
                     std::vector<Date>* out) {
  if (!required && holiday.find(key) == holiday.end()) return Status::Ok();
  auto member = Member(holiday, path, key, &json::is_array, "an array of dates");
  if (!member.ok()) return member.status();
  const json& list = **member;
  for (size_t i = 0; i < list.size(); ++i) {
    Status s = ParseDateOrRange(list[i], Index(Field(path, key), i), out);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Result<Holiday> ParseHoliday(const json& value, const std::string& path) {
  if (!value.is_object())
    return Error(path, std::string("expected an object, got ") + value.type_name());
  Status s = CheckFields(value, path, {"name", "off", "work"});
  if (!s.ok()) return s;
  Holiday h;
  auto name = StringMember(value, path, "name", false);
  if (!name.ok()) return name.status();
  h.name = *name;
  s = ParseDateList(value, path, "off", true, &h.off);
  if (!s.ok()) return s;
  s = ParseDateList(value, path, "work", false, &h.work);
  if (!s.ok()) return s;
  return h;
}

Result<CalendarYear> ParseYear(const json& value, const std::string& path) {
  if (!value.is_object())
    return Error(path, std::string("expected an object, got ") + value.type_name());
  Status s = CheckFields(value, path, {"year", "source", "holidays"});
  if (!s.ok()) return s;
  CalendarYear year;
  auto y = IntMember(value, path, "year");
  if (!y.ok()) return y.status();
  year.year = *y;
  auto source = StringMember(value, path, "source", false);
  if (!source.ok()) return source.status();
  year.source = *source;
  auto holidays = Member(value, path, "holidays", &json::is_array, "an array");
  if (!holidays.ok()) return holidays.status();
  for (size_t i = 0; i < (*holidays)->size(); ++i) {
    auto h = ParseHoliday((**holidays)[i], Index(Field(path, "holidays"), i));
    if (!h.ok()) return h.status();
    year.holidays.push_back(std::move(*h));
  }
  return year;
}

Result<WeekdaySet> ParseWeekend(const json& document) {
  auto member = Member(document, "", "weekend", &json::is_array, "an array of weekday names");
  if (!member.ok()) return member.status();
  WeekdaySet weekend;
  const json& list = **member;
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string path = Index("weekend", i);
    if (!list[i].is_string()) {
      return Error(path, std::string("expected a weekday name, got ") + list[i].type_name());
    }
    const std::string key = list[i].get<std::string>();
    int weekday = -1;
    for (int d = 0; d < 7; ++d) {
      if (key == kWeekdayKeys[d]) weekday = d;
    }
    if (weekday < 0) {
      return Error(path, JsonString(key) +
                             " is not a weekday (expected mon, tue, wed, thu, "
                             "fri, sat or sun)");
    }
    if (weekend.Contains(weekday)) return Error(path, JsonString(key) + " is listed twice");
    weekend = weekend.With(weekday);
  }
  if (weekend.ToVector().size() == 7) return Error("weekend", "cannot hold all seven days");
  return weekend;
}

json DateRanges(const std::vector<Date>& dates) {
  json out = json::array();
  for (const std::string& text : DateRangeStrings(dates)) out.push_back(text);
  return out;
}

// `["a", "b"]` on one line.
std::string InlineArray(const json& array) {
  std::string out = "[";
  for (size_t i = 0; i < array.size(); ++i) {
    if (i > 0) out += ", ";
    out += JsonString(array[i].get<std::string>());
  }
  return out + "]";
}

}  // namespace

const char* WeekdayKey(int weekday) { return kWeekdayKeys[weekday]; }

std::vector<std::string> DateRangeStrings(const std::vector<Date>& dates) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < dates.size()) {
    size_t j = i;
    while (j + 1 < dates.size() && dates[j + 1].DaysSinceEpoch() == dates[j].DaysSinceEpoch() + 1) {
      ++j;
    }
    if (j - i + 1 >= kMinRunForRange) {
      out.push_back(dates[i].ToString() + ".." + dates[j].ToString());
    } else {
      for (size_t k = i; k <= j; ++k) out.push_back(dates[k].ToString());
    }
    i = j + 1;
  }
  return out;
}

Result<CalendarDocument> ParseCalendarDocument(std::string_view json_text) {
  auto parsed = ParseJson(json_text);
  if (!parsed.ok()) return parsed.status();
  const json& doc = *parsed;
  if (!doc.is_object()) {
    return Error("", std::string("a calendar must be a JSON object, got ") + doc.type_name());
  }
  Status s = CheckFields(doc, "", {"format", "region", "weekend", "years"});
  if (!s.ok()) return s;
  auto format = StringMember(doc, "", "format", true);
  if (!format.ok()) return format.status();
  if (*format != kCalendarFormat) {
    return Error("format",
                 JsonString(*format) + " is not supported (expected \"" + kCalendarFormat + "\")");
  }
  CalendarDocument document;
  auto region = StringMember(doc, "", "region", false);
  if (!region.ok()) return region.status();
  document.region = *region;
  auto weekend = ParseWeekend(doc);
  if (!weekend.ok()) return weekend.status();
  document.weekend = *weekend;
  auto years = Member(doc, "", "years", &json::is_array, "an array");
  if (!years.ok()) return years.status();

  // Validate each year as AddYear() would, and take back its normalised form.
  WorkingDayCalendar scratch(document.region, document.weekend);
  std::map<int, size_t> index_of_year;
  for (size_t i = 0; i < (*years)->size(); ++i) {
    const std::string path = Index("years", i);
    auto year = ParseYear((**years)[i], path);
    if (!year.ok()) return year.status();
    auto [it, inserted] = index_of_year.emplace(year->year, i);
    if (!inserted) {
      return Error(Field(path, "year"), std::to_string(year->year) + " appears twice (also in " +
                                            Index("years", it->second) + ")");
    }
    s = scratch.AddYear(*year);
    if (!s.ok()) return Error(path, s.message());
    document.years.push_back(*scratch.Year(year->year));
  }
  return document;
}

Result<WorkingDayCalendar> ParseCalendar(std::string_view json_text) {
  auto document = ParseCalendarDocument(json_text);
  if (!document.ok()) return document.status();
  WorkingDayCalendar calendar(document->region, document->weekend);
  for (const CalendarYear& year : document->years) {
    Status s = calendar.AddYear(year);
    if (!s.ok()) return s;  // cannot happen: validated above
  }
  return calendar;
}

Result<std::vector<CalendarYear>> ParseCalendarYears(std::string_view json_text) {
  auto document = ParseCalendarDocument(json_text);
  if (!document.ok()) return document.status();
  return std::move(document->years);
}

std::string SerialiseCalendarDocument(const CalendarDocument& document) {
  json weekend = json::array();
  for (int d : document.weekend.ToVector()) weekend.push_back(kWeekdayKeys[d]);
  std::string out = "{\n";
  out += "  \"format\": " + JsonString(kCalendarFormat) + ",\n";
  out += "  \"region\": " + JsonString(document.region) + ",\n";
  out += "  \"weekend\": " + InlineArray(weekend) + ",\n";
  out += "  \"years\": [";
  for (size_t y = 0; y < document.years.size(); ++y) {
    const CalendarYear& year = document.years[y];
    out += y == 0 ? "\n" : ",\n";
    out += "    {\n";
    out += "      \"year\": " + std::to_string(year.year) + ",\n";
    out += "      \"source\": " + JsonString(year.source) + ",\n";
    out += "      \"holidays\": [";
    for (size_t h = 0; h < year.holidays.size(); ++h) {
      const Holiday& holiday = year.holidays[h];
      out += h == 0 ? "\n" : ",\n";
      out += "        {\"name\": " + JsonString(holiday.name) +
             ", \"off\": " + InlineArray(DateRanges(holiday.off));
      if (!holiday.work.empty()) out += ", \"work\": " + InlineArray(DateRanges(holiday.work));
      out += "}";
    }
    out += year.holidays.empty() ? "]\n" : "\n      ]\n";
    out += "    }";
  }
  out += document.years.empty() ? "]\n" : "\n  ]\n";
  out += "}\n";
  return out;
}

std::string SerialiseCalendar(const WorkingDayCalendar& calendar) {
  CalendarDocument document;
  document.region = calendar.region();
  document.weekend = calendar.weekend();
  document.years = calendar.Years();
  return SerialiseCalendarDocument(document);
}

Result<CalendarYear> ParseHolidayCn(std::string_view json_text) {
  auto parsed = ParseJson(json_text);
  if (!parsed.ok()) return parsed.status();
  const json& doc = *parsed;
  if (!doc.is_object()) {
    return Error("",
                 std::string("a holiday-cn file must be a JSON object, got ") + doc.type_name());
  }
  CalendarYear year;
  auto y = IntMember(doc, "", "year");
  if (!y.ok()) return y.status();
  year.year = *y;

  auto papers = Member(doc, "", "papers", &json::is_array, "an array of URLs");
  if (!papers.ok()) return papers.status();
  std::string urls;
  for (size_t i = 0; i < (*papers)->size(); ++i) {
    const json& p = (**papers)[i];
    if (!p.is_string()) {
      return Error(Index("papers", i), std::string("expected a string, got ") + p.type_name());
    }
    urls += (urls.empty() ? "" : " ") + p.get<std::string>();
  }

  auto days = Member(doc, "", "days", &json::is_array, "an array");
  if (!days.ok()) return days.status();
  if ((*days)->empty()) {
    return Error("days",
                 "is empty: holiday-cn publishes an empty placeholder for a year "
                 "whose State Council notice has not appeared; it is not an "
                 "arrangement");
  }
  std::map<std::string, size_t> holiday_index;
  for (size_t i = 0; i < (*days)->size(); ++i) {
    const json& day = (**days)[i];
    const std::string path = Index("days", i);
    if (!day.is_object())
      return Error(path, std::string("expected an object, got ") + day.type_name());
    auto name = StringMember(day, path, "name", false);
    if (!name.ok()) return name.status();
    auto date_text = StringMember(day, path, "date", true);
    if (!date_text.ok()) return date_text.status();
    auto date = ParseDateAt(*date_text, Field(path, "date"));
    if (!date.ok()) return date.status();
    auto off = Member(day, path, "isOffDay", &json::is_boolean, "a boolean");
    if (!off.ok()) return off.status();
    auto [it, inserted] = holiday_index.emplace(*name, year.holidays.size());
    if (inserted) year.holidays.push_back(Holiday{*name, {}, {}});
    Holiday& h = year.holidays[it->second];
    ((*off)->get<bool>() ? h.off : h.work).push_back(*date);
  }
  year.source = (urls.empty() ? std::string("no paper listed") : urls) +
                " (converted from holiday-cn " + std::to_string(year.year) + ".json)";

  WorkingDayCalendar scratch("holiday-cn");
  Status s = scratch.AddYear(year);
  if (!s.ok()) return s;
  return *scratch.Year(year.year);
}

}  // namespace govassess

#include "adapters/cli/calendar_command.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>
#include <set>
#include <sstream>
#include <utility>
#include <variant>

#include "adapters/cli/app.h"
#include "adapters/cli/args.h"
#include "adapters/cli/commands.h"
#include "engine/calendar.h"
#include "engine/calendar_format.h"
#include "engine/date.h"
#include "engine/status.h"
#include "workflows/calendar_workflow.h"

namespace govassess {
namespace {

namespace fs = std::filesystem;

constexpr const char* kUsage =
    "usage: govassess calendar <command> [options]\n"
    "\n"
    "Working days by the State Council's arrangements: weekends and holidays are off,\n"
    "make-up working days (调休上班) are on. Dates are YYYY-MM-DD.\n"
    "\n"
    "commands:\n"
    "  add-workdays --from DATE --days N\n"
    "      the N-th working day after DATE (DATE itself not counted; N < 0: before)\n"
    "  is-workday DATE\n"
    "      print yes or no\n"
    "  between --from A --to B\n"
    "      working days met walking from A to B, A not counted, B counted:\n"
    "      #{A < d <= B}, or -#{B <= d < A} when B is before A\n"
    "  years\n"
    "      the covered years and where each year's arrangement came from\n"
    "  holidays YEAR\n"
    "      the holidays of YEAR: days off and make-up working days\n"
    "  convert --from-format holiday-cn FILE... [--region cn] [--out FILE]\n"
    "      turn holiday-cn year files (github.com/NateScarlet/holiday-cn) into our format\n"
    "  merge [CALENDAR] YEARFILE [--from-format govassess|holiday-cn] [--out FILE]\n"
    "      add YEARFILE's years to CALENDAR, replacing years it already has; writes the\n"
    "      merged calendar to --out (may be CALENDAR itself) or to stdout\n"
    "  load FILE --db DB [--reason TEXT]\n"
    "      load FILE's years (a calendar document in our format) into the database's\n"
    "      calendar, as an admin on the 工作日历 page does: journaled, and counted by a\n"
    "      server running on DB within a second; replacing a year needs --reason\n"
    "  withdraw YEAR --db DB --reason TEXT\n"
    "      withdraw a year loaded into the database (a shipped year is corrected by\n"
    "      loading the corrected arrangement)\n"
    "\n"
    "options:\n"
    "  --calendar FILE   the calendar file; default $GOVASSESS_CALENDAR, else\n"
    "                    calendars/cn.json beside the installation's bin/, else the\n"
    "                    source tree's calendars/cn.json\n"
    "  --db FILE         also the years an admin loaded into that database (the\n"
    "                    calendar its server counts with; add-workdays, is-workday,\n"
    "                    between, years, holidays); the database for load, withdraw\n"
    "  --help            this text\n"
    "\n"
    "When the State Council publishes next year's arrangement, an admin loads it into\n"
    "the running server (the page 工作日历, or govassess calendar load). To ship\n"
    "it in this file, write it in our format (see calendars/README.md) or convert it,\n"
    "then merge it:\n"
    "  govassess calendar merge calendars/cn.json 2027.json --out calendars/cn.json\n"
    "\n"
    "exit status: 0 success, 2 bad usage or input (one line on stderr), 1 write failed\n";

// An error to report: the exit code and a one-line message.
struct Failure {
  int exit_code;
  std::string message;
};

Failure Usage(std::string message) { return {kExitUsage, std::move(message)}; }
Failure Usage(const Status& status) { return {kExitUsage, status.message()}; }

// Either output text or a failure.
using Outcome = std::variant<std::string, Failure>;

Result<std::string> ReadFile(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::InvalidArgument("cannot read " + what + " " + path + ": " +
                                   std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return Status::InvalidArgument("cannot read " + what + " " + path + ": " +
                                   std::strerror(errno));
  }
  return text.str();
}

// Writes `text` to `path` through a temporary file and a rename, so that a reader
// never sees half a calendar.
Status WriteFileAtomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::Unavailable("cannot write " + tmp + ": " + std::strerror(errno));
    out << text;
    out.flush();
    if (!out) {
      std::error_code ignored;
      fs::remove(tmp, ignored);
      return Status::Unavailable("cannot write " + tmp + ": " + std::strerror(errno));
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    return Status::Unavailable("cannot write " + path + ": " + ec.message());
  }
  return Status::Ok();
}

Result<std::string> CalendarPath(const Args& args) {
  if (auto given = args.Get("calendar")) return *given;
  return DefaultCalendarPath();
}

// The database --db names, opened with the calendar file `path`; it must exist (a
// calendar command never creates one).
Result<std::unique_ptr<App>> OpenDatabase(const Args& args, const std::string& path) {
  auto db = args.Get("db");
  if (!db) return Status::InvalidArgument("missing option --db FILE (the server's database)");
  std::error_code ec;
  if (!std::filesystem::is_regular_file(*db, ec)) {
    return Status::InvalidArgument("--db: no database at " + *db);
  }
  return App::Open(*db, path);
}

Result<WorkingDayCalendar> LoadCalendar(const Args& args) {
  auto path = CalendarPath(args);
  if (!path.ok()) return path.status();
  if (!args.Get("db")) return LoadCalendarFile(*path);
  // The years an admin loaded into that database, on top: what its server counts with
  // (App::Open reads the file itself).
  auto app = OpenDatabase(args, *path);
  if (!app.ok()) return app.status();
  return (*app)->calendar();
}

Result<Date> DateOption(const Args& args, const std::string& name) {
  auto text = args.Get(name);
  if (!text) return Status::InvalidArgument("missing option --" + name + " DATE");
  auto date = Date::Parse(*text);
  if (!date.ok()) return Status::InvalidArgument("--" + name + ": " + date.status().message());
  return date;
}

Result<int> ParseInt(const std::string& text, const std::string& what) {
  int value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec == std::errc::result_out_of_range) {
    return Status::InvalidArgument(what + ": " + text + " is out of range");
  }
  if (text.empty() || ec != std::errc() || ptr != end) {
    return Status::InvalidArgument(what + ": \"" + text + "\" is not a whole number");
  }
  return value;
}

Status ExpectPositional(const Args& args, size_t count, const std::string& what) {
  const auto& words = args.positional();
  if (words.size() < count) return Status::InvalidArgument("missing " + what);
  if (words.size() > count) {
    return Status::InvalidArgument("unexpected argument \"" + words[count] + "\"");
  }
  return Status::Ok();
}

Outcome AddWorkdays(const std::vector<std::string>& words) {
  auto args = Args::Parse(words, {"from", "days", "calendar", "db"});
  if (!args.ok()) return Usage(args.status());
  if (Status s = ExpectPositional(*args, 0, ""); !s.ok()) return Usage(s);
  auto from = DateOption(*args, "from");
  if (!from.ok()) return Usage(from.status());
  auto days_text = args->Get("days");
  if (!days_text) return Usage("missing option --days N");
  auto days = ParseInt(*days_text, "--days");
  if (!days.ok()) return Usage(days.status());
  auto calendar = LoadCalendar(*args);
  if (!calendar.ok()) return Usage(calendar.status());
  auto result = calendar->AddWorkingDays(*from, *days);
  if (!result.ok()) return Usage(result.status());
  return result->ToString() + "\n";
}

Outcome IsWorkday(const std::vector<std::string>& words) {
  auto args = Args::Parse(words, {"calendar", "db"});
  if (!args.ok()) return Usage(args.status());
  if (Status s = ExpectPositional(*args, 1, "DATE (govassess calendar is-workday DATE)"); !s.ok()) {
    return Usage(s);
  }
  auto date = Date::Parse(args->positional()[0]);
  if (!date.ok()) return Usage(date.status());
  auto calendar = LoadCalendar(*args);
  if (!calendar.ok()) return Usage(calendar.status());
  auto working = calendar->IsWorkingDay(*date);
  if (!working.ok()) return Usage(working.status());
  return std::string(*working ? "yes\n" : "no\n");
}

Outcome Between(const std::vector<std::string>& words) {
  auto args = Args::Parse(words, {"from", "to", "calendar", "db"});
  if (!args.ok()) return Usage(args.status());
  if (Status s = ExpectPositional(*args, 0, ""); !s.ok()) return Usage(s);
  auto from = DateOption(*args, "from");
  if (!from.ok()) return Usage(from.status());
  auto to = DateOption(*args, "to");
  if (!to.ok()) return Usage(to.status());
  auto calendar = LoadCalendar(*args);
  if (!calendar.ok()) return Usage(calendar.status());
  auto count = calendar->WorkingDaysBetween(*from, *to);
  if (!count.ok()) return Usage(count.status());
  return std::to_string(*count) + "\n";
}

Outcome Years(const std::vector<std::string>& words) {
  auto args = Args::Parse(words, {"calendar", "db"});
  if (!args.ok()) return Usage(args.status());
  if (Status s = ExpectPositional(*args, 0, ""); !s.ok()) return Usage(s);
  auto calendar = LoadCalendar(*args);
  if (!calendar.ok()) return Usage(calendar.status());
  std::string out;
  for (const CalendarYear& year : calendar->Years()) {
    out += std::to_string(year.year) + "\t" + year.source + "\n";
  }
  return out;
}

std::string JoinRanges(const std::vector<Date>& dates) {
  std::string out;
  for (const std::string& r : DateRangeStrings(dates)) out += (out.empty() ? "" : ", ") + r;
  return out;
}

Outcome HolidaysOf(const std::vector<std::string>& words) {
  auto args = Args::Parse(words, {"calendar", "db"});
  if (!args.ok()) return Usage(args.status());
  if (Status s = ExpectPositional(*args, 1, "YEAR (govassess calendar holidays YEAR)"); !s.ok()) {
    return Usage(s);
  }
  auto year = ParseInt(args->positional()[0], "YEAR");
  if (!year.ok()) return Usage(year.status());
  auto calendar = LoadCalendar(*args);
  if (!calendar.ok()) return Usage(calendar.status());
  auto holidays = calendar->Holidays(*year);
  if (!holidays.ok()) return Usage(holidays.status());
  std::string out;
  for (const Holiday& h : *holidays) {
    out += h.name + "\toff " + (h.off.empty() ? "-" : JoinRanges(h.off));
    if (!h.work.empty()) out += "\twork " + JoinRanges(h.work);
    out += "\n";
  }
  return out;
}

// Writes `text` to --out (then `summary` to stdout), or `text` to stdout.
Outcome Emit(const Args& args, const std::string& text, const std::string& summary) {
  if (auto path = args.Get("out")) {
    Status s = WriteFileAtomically(*path, text);
    if (!s.ok()) return Failure{kExitFailed, s.message()};
    return summary;
  }
  return text;
}

Outcome Convert(const std::vector<std::string>& words) {
  auto args = Args::Parse(words, {"from-format", "out", "region"});
  if (!args.ok()) return Usage(args.status());
  const auto format = args->Get("from-format");
  if (!format) return Usage("missing option --from-format holiday-cn");
  if (*format != "holiday-cn") {
    return Usage("--from-format: \"" + *format + "\" is not supported (supported: holiday-cn)");
  }
  if (args->positional().empty()) return Usage("missing FILE (a holiday-cn year file)");

  CalendarDocument document;
  document.region = args->GetOr("region", "cn");
  document.weekend = WeekdaySet::SaturdaySunday();
  WorkingDayCalendar check(document.region, document.weekend);
  std::map<int, std::string> file_of_year;
  for (const std::string& path : args->positional()) {
    auto text = ReadFile(path, "holiday-cn file");
    if (!text.ok()) return Usage(text.status());
    auto year = ParseHolidayCn(*text);
    if (!year.ok()) return Usage(path + ": " + year.status().message());
    auto [it, inserted] = file_of_year.emplace(year->year, path);
    if (!inserted) {
      return Usage(path + ": year " + std::to_string(year->year) + " is also in " + it->second);
    }
    if (Status s = check.AddYear(*year); !s.ok()) return Usage(path + ": " + s.message());
  }
  document.years = check.Years();
  std::string summary;
  for (const auto& entry : file_of_year) {
    summary += "converted " + std::to_string(entry.first) + " from " + entry.second + "\n";
  }
  return Emit(*args, SerialiseCalendarDocument(document), summary);
}

Outcome Merge(const std::vector<std::string>& words) {
  auto args = Args::Parse(words, {"calendar", "out", "from-format"});
  if (!args.ok()) return Usage(args.status());
  const auto& positional = args->positional();
  if (positional.empty())
    return Usage("missing YEARFILE (govassess calendar merge [CALENDAR] YEARFILE)");
  if (positional.size() > 2) return Usage("unexpected argument \"" + positional[2] + "\"");

  std::string calendar_path;
  if (positional.size() == 2) {
    if (args->Get("calendar"))
      return Usage("give the calendar either as CALENDAR or as --calendar, not both");
    calendar_path = positional[0];
  } else if (auto given = args->Get("calendar")) {
    calendar_path = *given;
  } else {
    auto found = DefaultCalendarPath();
    if (!found.ok()) return Usage(found.status());
    calendar_path = *found;
  }
  auto calendar_text = ReadFile(calendar_path, "calendar");
  if (!calendar_text.ok()) return Usage(calendar_text.status());
  auto calendar = ParseCalendar(*calendar_text);
  if (!calendar.ok())
    return Usage("calendar " + calendar_path + ": " + calendar.status().message());

  const std::string& year_path = positional.back();
  auto year_text = ReadFile(year_path, "year file");
  if (!year_text.ok()) return Usage(year_text.status());
  const std::string format = args->GetOr("from-format", "govassess");
  std::vector<CalendarYear> years;
  if (format == "govassess") {
    auto document = ParseCalendarDocument(*year_text);
    if (!document.ok()) return Usage(year_path + ": " + document.status().message());
    if (document->region != calendar->region()) {
      return Usage(year_path + ": region \"" + document->region +
                   "\" does not match the calendar's \"" + calendar->region() + "\"");
    }
    years = document->years;
  } else if (format == "holiday-cn") {
    auto year = ParseHolidayCn(*year_text);
    if (!year.ok()) return Usage(year_path + ": " + year.status().message());
    years.push_back(*year);
  } else {
    return Usage("--from-format: \"" + format +
                 "\" is not supported (supported: govassess, holiday-cn)");
  }
  if (years.empty()) return Usage(year_path + ": holds no year");

  std::string summary;
  for (const CalendarYear& year : years) {
    const bool replaced = calendar->Covers(year.year);
    if (Status s = calendar->AddYear(year); !s.ok()) return Usage(year_path + ": " + s.message());
    summary += (replaced ? "replaced " : "added ") + std::to_string(year.year);
    std::vector<Date> earlier;  // dates of other years this notice changes
    for (const Holiday& h : year.holidays) {
      for (const auto* list : {&h.off, &h.work}) {
        for (const Date& d : *list) {
          if (d.year() != year.year) earlier.push_back(d);
        }
      }
    }
    if (!earlier.empty()) {
      std::sort(earlier.begin(), earlier.end());
      summary += "; it also changes " + JoinRanges(earlier);
    }
    summary += "\n";
  }
  summary += "covered: " + calendar->CoveredYearsText() + "\n";
  return Emit(*args, SerialiseCalendar(*calendar), summary);
}

// Sends `command` on the database's calendar record as the admin at this terminal:
// journaled as any admin's load or withdrawal is, and put in force by a server running
// on the database within a second (its calendar watch). A refusal is a usage failure
// with the server's reason; a storage failure is a failed write.
Outcome SendToCalendar(const Args& args, const std::string& name, Json payload) {
  auto path = CalendarPath(args);
  if (!path.ok()) return Usage(path.status());
  auto app = OpenDatabase(args, *path);
  if (!app.ok()) {
    return app.status().code() == Code::kUnavailable
               ? Outcome(Failure{kExitFailed, app.status().message()})
               : Usage(app.status());
  }
  const char* user = std::getenv("USER");
  Command command;
  command.instance_id = workflows::CalendarId((*app)->calendar_in_force()->shipped().region());
  command.type = "calendar";
  command.name = name;
  command.actor = Actor{user != nullptr && *user != '\0' ? user : "cli", "admin", "", "cli"};
  command.reason = args.GetOr("reason", "");
  command.payload = std::move(payload);
  auto r = (*app)->engine()->Execute(command);
  if (!r.ok()) return Failure{kExitFailed, r.status().message()};
  if (!r->accepted) return Usage(r->refusal.message());
  const Json& result = r->result;
  std::string out;
  for (const char* what : {"added", "replaced", "unchanged"}) {
    for (const Json& year : Member(result, what)) {
      out += std::string(what) + " " + year.dump() + "\n";
    }
  }
  if (const Json& year = Member(result, "withdrawn"); !year.is_null()) {
    out += "withdrew " + year.dump() +
           (Member(result, "shipped_again").get<bool>() ? " (the shipped arrangement counts again)"
                                                        : "") +
           "\n";
  }
  const Json& also = Member(result, "also_changes");
  if (also.is_array() && !also.empty()) {
    std::string dates;
    for (const Json& d : also) dates += (dates.empty() ? "" : ", ") + d.get<std::string>();
    out += "it also changes " + dates + "\n";
  }
  out += "covered: " + result.value("covered", std::string()) + "\n";
  out += "journaled as event " + std::to_string(r->event.seq) + " by " + command.actor.user +
         " (admin, cli); a server on this database counts with it within a second\n";
  return out;
}

Outcome LoadYears(const std::vector<std::string>& words) {
  auto args = Args::Parse(words, {"calendar", "db", "reason"});
  if (!args.ok()) return Usage(args.status());
  if (Status s = ExpectPositional(*args, 1, "FILE (a calendar document in our format)"); !s.ok()) {
    return Usage(s);
  }
  const std::string& file = args->positional()[0];
  auto text = ReadFile(file, "calendar document");
  if (!text.ok()) return Usage(text.status());
  Json document = Json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) {
    return Usage(file + ": not JSON (a calendar document, see calendars/README.md)");
  }
  return SendToCalendar(*args, "load", std::move(document));
}

Outcome WithdrawYear(const std::vector<std::string>& words) {
  auto args = Args::Parse(words, {"calendar", "db", "reason"});
  if (!args.ok()) return Usage(args.status());
  if (Status s = ExpectPositional(*args, 1, "YEAR"); !s.ok()) return Usage(s);
  auto year = ParseInt(args->positional()[0], "YEAR");
  if (!year.ok()) return Usage(year.status());
  return SendToCalendar(*args, "withdraw", Json{{"year", *year}});
}

std::string OneLine(std::string message) {
  for (char& c : message) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return message;
}

}  // namespace

int RunCalendarCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  for (const std::string& word : args) {
    if (word == "--help" || word == "-h") {
      out << kUsage;
      return kExitOk;
    }
  }
  if (args.empty()) {
    err << "govassess calendar: missing command (add-workdays, is-workday, between, years, "
           "holidays, convert, merge, load, withdraw); try govassess calendar --help\n";
    return kExitUsage;
  }
  const std::string& command = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  Outcome outcome;
  if (command == "help") {
    outcome = std::string(kUsage);
  } else if (command == "add-workdays") {
    outcome = AddWorkdays(rest);
  } else if (command == "is-workday") {
    outcome = IsWorkday(rest);
  } else if (command == "between") {
    outcome = Between(rest);
  } else if (command == "years") {
    outcome = Years(rest);
  } else if (command == "holidays") {
    outcome = HolidaysOf(rest);
  } else if (command == "convert") {
    outcome = Convert(rest);
  } else if (command == "merge") {
    outcome = Merge(rest);
  } else if (command == "load") {
    outcome = LoadYears(rest);
  } else if (command == "withdraw") {
    outcome = WithdrawYear(rest);
  } else {
    outcome = Usage("unknown command \"" + command + "\"; try govassess calendar --help");
  }
  if (const auto* failure = std::get_if<Failure>(&outcome)) {
    err << "govassess calendar: " << OneLine(failure->message) << "\n";
    return failure->exit_code;
  }
  out << std::get<std::string>(outcome);
  out.flush();
  return kExitOk;
}

Result<std::string> DefaultCalendarPath() {
  if (const char* env = std::getenv("GOVASSESS_CALENDAR"); env != nullptr && *env != '\0') {
    return std::string(env);
  }
  std::vector<std::string> tried;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path beside = exe.parent_path().parent_path() / "calendars" / "cn.json";
    if (fs::is_regular_file(beside, ec)) return beside.string();
    tried.push_back(beside.string());
  }
#ifdef GOVASSESS_SOURCE_DIR
  const fs::path source = fs::path(GOVASSESS_SOURCE_DIR) / "calendars" / "cn.json";
  if (fs::is_regular_file(source, ec)) return source.string();
  tried.push_back(source.string());
#endif
  std::string list;
  for (const std::string& t : tried) list += (list.empty() ? "" : ", ") + t;
  return Status::InvalidArgument("no calendar file found (tried " + list +
                                 "); pass --calendar FILE or set GOVASSESS_CALENDAR");
}

Result<WorkingDayCalendar> LoadCalendarFile(const std::string& path) {
  auto text = ReadFile(path, "calendar");
  if (!text.ok()) return text.status();
  auto calendar = ParseCalendar(*text);
  if (!calendar.ok()) {
    return Status::InvalidArgument("calendar " + path + ": " + calendar.status().message());
  }
  return calendar;
}

}  // namespace govassess

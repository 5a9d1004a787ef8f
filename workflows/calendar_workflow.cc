#include "workflows/calendar_workflow.h"

#include <algorithm>
#include <map>
#include <utility>

#include "engine/calendar_format.h"
#include "engine/canonical_json.h"

namespace govassess::workflows {
namespace {

std::string YearList(const std::vector<int>& years) {
  std::string out;
  for (int y : years) out += (out.empty() ? "" : ", ") + std::to_string(y);
  return out;
}

Json WeekendJson(WeekdaySet weekend) {
  Json out = Json::array();
  for (int day : weekend.ToVector()) out.push_back(WeekdayKey(day));
  return out;
}

// The years as the calendar format writes them (dates sorted, runs as ranges).
Json YearsJson(const WorkingDayCalendar& shipped, const std::vector<CalendarYear>& years) {
  CalendarDocument document{shipped.region(), shipped.weekend(), years};
  return Json::parse(SerialiseCalendarDocument(document)).at("years");
}

// `year` as a calendar holding it would give it back (dates sorted, unique), so that
// an arrangement given again in another order or form compares equal.
Result<CalendarYear> Normalised(const WorkingDayCalendar& shipped, const CalendarYear& year) {
  WorkingDayCalendar one(shipped.region(), shipped.weekend());
  if (Status s = one.AddYear(year); !s.ok()) return s;
  return one.Year(year.year);
}

std::vector<int> YearsOf(const std::map<int, CalendarYear>& years) {
  std::vector<int> out;
  for (const auto& entry : years) out.push_back(entry.first);
  return out;
}

std::vector<CalendarYear> Ascending(const std::map<int, CalendarYear>& years) {
  std::vector<CalendarYear> out;
  out.reserve(years.size());
  for (const auto& [y, year] : years) out.push_back(year);
  return out;
}

// What the decision leaves in force: the loaded years, its data, and the after_commit
// that puts them in force once durable.
Decision Keep(CalendarInForce* calendar, const Instance& cur,
              const CalendarWorkflow::Loaded& loaded) {
  const WorkingDayCalendar& shipped = calendar->shipped();
  std::vector<CalendarYear> years = Ascending(loaded.years);
  Decision d = Decision::Accept("active", Json{{"region", shipped.region()},
                                               {"weekend", WeekendJson(shipped.weekend())},
                                               {"years", YearsJson(shipped, years)},
                                               {"loaded", loaded.by}});
  const int64_t version = cur.version + 1;
  d.after_commit = [calendar, years = std::move(years), version] {
    // The years were composed when decided: Put cannot fail on them.
    (void)calendar->Put(years, version);
  };
  return d;
}

}  // namespace

std::string CalendarId(const std::string& region) { return "calendar/" + region; }

Result<std::vector<CalendarYear>> StoredYears(const Instance& calendar_instance) {
  const Json& data = calendar_instance.data;
  Json document{{"format", kCalendarFormat},
                {"region", Member(data, "region")},
                {"weekend", Member(data, "weekend")},
                {"years", Member(data, "years")}};
  auto parsed = ParseCalendarDocument(document.dump());
  if (!parsed.ok()) {
    return Status::InvalidArgument(calendar_instance.id + " data." + parsed.status().message());
  }
  return std::move(parsed->years);
}

Status PutStoredCalendar(Engine* engine, CalendarInForce* calendar) {
  const std::string id = CalendarId(calendar->shipped().region());
  auto stored = engine->ReadCurrent(id);
  if (!stored.ok()) return stored.status().IsNotFound() ? Status::Ok() : stored.status();
  if ((*stored)->version <= calendar->version()) return Status::Ok();
  auto years = StoredYears(**stored);
  if (!years.ok()) return years.status();
  return calendar->Put(*years, (*stored)->version);
}

Decision CalendarWorkflow::Decide(const Instance& cur, const Command& cmd,
                                  const DecideContext& ctx) const {
  if (cmd.name != "load" && cmd.name != "withdraw") {
    return Decision::Refuse("a calendar knows load and withdraw, not \"" + cmd.name + "\"");
  }
  if (cmd.actor.role != "admin") {
    return Decision::Forbid("only an admin may " + cmd.name + " a calendar's arrangements; " +
                            cmd.actor.user + " acts as " + cmd.actor.role);
  }
  const WorkingDayCalendar& shipped = calendar_->shipped();
  const std::string id = CalendarId(shipped.region());
  if (cmd.instance_id != id) {
    return Decision::Refuse("this server's calendar is " + id + " (region \"" + shipped.region() +
                            "\"), not " + cmd.instance_id);
  }
  Loaded loaded;
  if (cur.exists()) {
    auto stored = StoredYears(cur);
    if (!stored.ok()) return Decision::Refuse(stored.status().message());
    for (CalendarYear& y : *stored) loaded.years[y.year] = std::move(y);
    loaded.by = Member(cur.data, "loaded");
    if (!loaded.by.is_object()) loaded.by = Json::object();
  }
  if (cmd.name == "withdraw") return Withdraw(cur, cmd, std::move(loaded));
  return Load(cur, cmd, FormatUtcMillis(ctx.now_ms), std::move(loaded));
}

Decision CalendarWorkflow::Withdraw(const Instance& cur, const Command& cmd, Loaded loaded) const {
  const WorkingDayCalendar& shipped = calendar_->shipped();
  if (cmd.reason.empty()) {
    return Decision::Refuse(
        "withdrawing a year changes the deadlines counted with it: give a reason");
  }
  const Json& year_json = Member(cmd.payload, "year");
  if (!year_json.is_number_integer()) {
    return Decision::Refuse("payload.year: the year to withdraw, e.g. 2027");
  }
  const int year = year_json.get<int>();
  if (loaded.years.count(year) == 0) {
    return Decision::Refuse(
        "no arrangement of " + std::to_string(year) + " was loaded (loaded: " +
        (loaded.years.empty() ? std::string("none") : YearList(YearsOf(loaded.years))) +
        "); a year shipped with GovAssess is corrected by loading the corrected arrangement");
  }
  loaded.years.erase(year);
  loaded.by.erase(std::to_string(year));
  auto after = CalendarInForce::Compose(shipped, Ascending(loaded.years));
  if (!after.ok()) return Decision::Refuse(after.status().message());
  Decision d = Keep(calendar_, cur, loaded);
  d.result = {{"withdrawn", year},
              {"shipped_again", shipped.Covers(year)},
              {"covered", after->CoveredYearsText()}};
  return d;
}

Decision CalendarWorkflow::Load(const Instance& cur, const Command& cmd, const std::string& now,
                                Loaded loaded) const {
  const WorkingDayCalendar& shipped = calendar_->shipped();
  auto in_force = CalendarInForce::Compose(shipped, Ascending(loaded.years));
  if (!in_force.ok()) return Decision::Refuse(in_force.status().message());
  auto document = ParseCalendarDocument(cmd.payload.dump());
  if (!document.ok()) return Decision::Refuse("payload." + document.status().message());
  if (document->region != shipped.region()) {
    return Decision::Refuse("payload.region: \"" + document->region +
                            "\" is not this calendar's region \"" + shipped.region() + "\"");
  }
  if (document->weekend != shipped.weekend()) {
    return Decision::Refuse("payload.weekend: " + WeekendJson(document->weekend).dump() +
                            " is not this calendar's weekend " +
                            WeekendJson(shipped.weekend()).dump());
  }
  const Json who{{"by", cmd.actor.user}, {"at", now}};
  std::vector<int> added, replaced, unchanged;
  std::vector<Date> elsewhere;  // dates of other years the notices change
  for (const CalendarYear& given : document->years) {
    auto year = Normalised(shipped, given);
    if (!year.ok()) return Decision::Refuse("payload.years: " + year.status().message());
    if (!in_force->Covers(year->year)) {
      added.push_back(year->year);
    } else if (*in_force->Year(year->year) == *year) {
      unchanged.push_back(year->year);
      continue;
    } else {
      replaced.push_back(year->year);
    }
    for (const Holiday& h : year->holidays) {
      for (const auto* dates : {&h.off, &h.work}) {
        for (const Date& day : *dates) {
          if (day.year() != year->year) elsewhere.push_back(day);
        }
      }
    }
    loaded.by[std::to_string(year->year)] = who;
    loaded.years[year->year] = std::move(*year);
  }
  if (added.empty() && replaced.empty()) {
    return Decision::Refuse("the calendar already holds the arrangement of " + YearList(unchanged) +
                            " as given: nothing to load");
  }
  if (!replaced.empty() && cmd.reason.empty()) {
    return Decision::Refuse("replacing the arrangement of " + YearList(replaced) +
                            " changes deadlines already counted with it: give a reason (e.g. "
                            "the corrected or supplementary notice)");
  }
  auto after = CalendarInForce::Compose(shipped, Ascending(loaded.years));
  if (!after.ok()) return Decision::Refuse("payload." + after.status().message());
  std::sort(elsewhere.begin(), elsewhere.end());
  elsewhere.erase(std::unique(elsewhere.begin(), elsewhere.end()), elsewhere.end());
  Decision d = Keep(calendar_, cur, loaded);
  d.result = {{"added", added},
              {"replaced", replaced},
              {"unchanged", unchanged},
              {"also_changes", DateRangeStrings(elsewhere)},
              {"covered", after->CoveredYearsText()}};
  return d;
}

}  // namespace govassess::workflows

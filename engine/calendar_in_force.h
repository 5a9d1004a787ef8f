// CalendarInForce: the working-day calendar deadlines are counted with now — the years
// shipped with the product, with the years an admin loaded on top — replaceable while
// commands run.
//
// The State Council publishes next year's arrangement late in the year, when the
// year's last deadlines (a new task's 30 working days, an appeal's 5) already run
// into it. An admin loads it through the product (the calendar workflow journals it,
// workflows/calendar_workflow.h); from the moment that commit is durable every
// deadline is counted with it, without a restart.
//
// Readers take Now() once per decision: a reference to a calendar that is never
// changed nor freed while this object lives. Each replacement is kept (one or two a
// year, tens of kilobytes each), so no reader needs a lock or a reference count.
//
// Thread-safety: Now(), version() and the accessors may be called concurrently with
// each other and with Put().
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "engine/calendar.h"
#include "engine/status.h"

namespace govassess {

class CalendarInForce {
 public:
  explicit CalendarInForce(WorkingDayCalendar shipped);
  CalendarInForce(const CalendarInForce&) = delete;
  CalendarInForce& operator=(const CalendarInForce&) = delete;

  // The calendar in force. The reference stays valid (and unchanged) while this
  // object lives, also after a Put().
  const WorkingDayCalendar& Now() const { return *now_.load(std::memory_order_acquire); }
  // The years shipped with the product (calendars/cn.json), as loaded at start.
  const WorkingDayCalendar& shipped() const { return shipped_; }

  // The shipped calendar with `loaded` added in order (a loaded year replaces a
  // shipped one of the same year). InvalidArgument, naming the year, when a year is
  // not valid for WorkingDayCalendar::AddYear().
  static Result<WorkingDayCalendar> Compose(const WorkingDayCalendar& shipped,
                                            const std::vector<CalendarYear>& loaded);

  // Puts Compose(shipped, loaded) in force, as of `version` of the record the years
  // came from (the calendar instance's version). A version not newer than the one in
  // force changes nothing (two threads that both saw a new version put it once), and
  // neither does an error (returned).
  Status Put(const std::vector<CalendarYear>& loaded, int64_t version);

  // The record's version the calendar in force came from; 0: the shipped years alone.
  int64_t version() const { return version_.load(std::memory_order_acquire); }
  // The years loaded on top of the shipped ones, as last put.
  std::vector<CalendarYear> Loaded() const;

 private:
  const WorkingDayCalendar shipped_;
  mutable std::mutex mu_;  // serialises Put and guards kept_ and loaded_
  std::vector<std::unique_ptr<const WorkingDayCalendar>> kept_;  // every one put in force
  std::vector<CalendarYear> loaded_;
  std::atomic<const WorkingDayCalendar*> now_;
  std::atomic<int64_t> version_{0};
};

}  // namespace govassess

#include "engine/calendar_in_force.h"

#include <string>
#include <utility>

namespace govassess {

CalendarInForce::CalendarInForce(WorkingDayCalendar shipped)
    : shipped_(std::move(shipped)), now_(&shipped_) {}

Result<WorkingDayCalendar> CalendarInForce::Compose(const WorkingDayCalendar& shipped,
                                                    const std::vector<CalendarYear>& loaded) {
  WorkingDayCalendar composed = shipped;
  for (const CalendarYear& year : loaded) {
    if (Status s = composed.AddYear(year); !s.ok()) {
      return Status::InvalidArgument("year " + std::to_string(year.year) + ": " + s.message());
    }
  }
  return composed;
}

Status CalendarInForce::Put(const std::vector<CalendarYear>& loaded, int64_t version) {
  std::lock_guard<std::mutex> lock(mu_);
  if (version <= version_.load(std::memory_order_relaxed)) return Status::Ok();
  auto composed = Compose(shipped_, loaded);
  if (!composed.ok()) return composed.status();
  kept_.push_back(std::make_unique<const WorkingDayCalendar>(std::move(*composed)));
  loaded_ = loaded;
  now_.store(kept_.back().get(), std::memory_order_release);
  version_.store(version, std::memory_order_release);
  return Status::Ok();
}

std::vector<CalendarYear> CalendarInForce::Loaded() const {
  std::lock_guard<std::mutex> lock(mu_);
  return loaded_;
}

}  // namespace govassess

// Metrics: request counts by route and status, latency histograms, and engine
// figures, rendered in the Prometheus text format for GET /metrics. Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace govassess {

class Metrics {
 public:
  // `route` is the route pattern (e.g. "/api/v1/audit"), never the raw path.
  void ObserveRequest(const std::string& method, const std::string& route, int status,
                      double seconds);
  // Appends the engine's gauges and counters.
  std::string Render(int64_t commits, int64_t transactions, int64_t pending_timers,
                     int64_t journal_events, int64_t events_behind) const;

  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

 private:
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
  std::map<std::pair<std::string, std::string>, Histogram> latency_;
};

}  // namespace govassess

#include "adapters/http/metrics.h"

#include <sstream>
#include <tuple>

namespace govassess {

void Metrics::ObserveRequest(const std::string& method, const std::string& route, int status,
                             double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{method, route, status}];
  Histogram& h = latency_[{method, route}];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  }
  ++h.count;
  h.sum += seconds;
}

std::string Metrics::Render(int64_t commits, int64_t transactions, int64_t pending_timers,
                            int64_t journal_events, int64_t events_behind) const {
  std::ostringstream out;
  std::lock_guard<std::mutex> lock(mu_);
  out << "# HELP govassess_http_requests_total HTTP requests by method, route and status.\n"
         "# TYPE govassess_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, status] = key;
    out << "govassess_http_requests_total{method=\"" << method << "\",route=\"" << route
        << "\",status=\"" << status << "\"} " << n << "\n";
  }
  out << "# HELP govassess_http_request_seconds HTTP request latency.\n"
         "# TYPE govassess_http_request_seconds histogram\n";
  for (const auto& [key, h] : latency_) {
    const std::string labels = "method=\"" + key.first + "\",route=\"" + key.second + "\"";
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      out << "govassess_http_request_seconds_bucket{" << labels << ",le=\"" << kBuckets[i]
          << "\"} " << h.buckets[i] << "\n";
    }
    out << "govassess_http_request_seconds_bucket{" << labels << ",le=\"+Inf\"} " << h.count
        << "\n";
    out << "govassess_http_request_seconds_sum{" << labels << "} " << h.sum << "\n";
    out << "govassess_http_request_seconds_count{" << labels << "} " << h.count << "\n";
  }
  out << "# HELP govassess_commits_total Commands committed (accepted or refused).\n"
         "# TYPE govassess_commits_total counter\n"
      << "govassess_commits_total " << commits << "\n"
      << "# HELP govassess_transactions_total Durable transactions (group commits).\n"
         "# TYPE govassess_transactions_total counter\n"
      << "govassess_transactions_total " << transactions << "\n"
      << "# HELP govassess_pending_timers Timers waiting to fire.\n"
         "# TYPE govassess_pending_timers gauge\n"
      << "govassess_pending_timers " << pending_timers << "\n"
      << "# HELP govassess_journal_events Events in the journal.\n"
         "# TYPE govassess_journal_events gauge\n"
      << "govassess_journal_events " << journal_events << "\n"
      << "# HELP govassess_rows_behind_events Journal events whose instance and timer rows "
         "are not written yet (held in memory; a crash replays them).\n"
         "# TYPE govassess_rows_behind_events gauge\n"
      << "govassess_rows_behind_events " << events_behind << "\n";
  return out.str();
}

}  // namespace govassess

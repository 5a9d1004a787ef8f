// DeliveryDispatcher: sends the deliveries that are due, through the notifier port,
// and records every outcome as a journaled command on the delivery (sent / failed).
//
// One round (RunOnce) takes the pending deliveries whose next_at_ms has come, renders
// each (zh-CN or English, as its recipient chose) and sends it; then the held digest
// items whose digest time has come, one mail per recipient with all of them. The
// outcomes of a round are recorded together, from several threads, so they share
// fsyncs. The
// outcome is committed with the version the round read, so two dispatchers on one
// database never record one delivery twice; a crash between sending and recording
// sends it again (at-least-once), under the same Message-ID / Idempotency-Key.
//
// Not thread-safe: one thread runs the rounds (several processes may each run one).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "workflows/notifier.h"

namespace govassess::workflows {

struct DispatchReport {
  int sent = 0;       // deliveries recorded as sent (digest items included)
  int failed = 0;     // failures recorded (to be retried)
  int incidents = 0;  // deliveries that became incidents this round
  int digests = 0;    // digest mails sent
};

class DeliveryDispatcher {
 public:
  // Not owned; must outlive the dispatcher. `link_base` (e.g. "https://govassess.gx.gov.cn")
  // makes the link in mails and webhooks; empty: no link.
  DeliveryDispatcher(Engine* engine, Notifier* notifier, std::string link_base);

  // Sends what is due at the engine clock's now. Unavailable when storage failed (what
  // was recorded before stays recorded).
  Result<DispatchReport> RunOnce();

 private:
  struct Outcome {
    const Instance* delivery;
    Status status;
    std::string detail;
  };
  // Records every outcome (concurrently, so group commit shares the fsyncs).
  Status RecordAll(const std::vector<Outcome>& outcomes, DispatchReport* report);
  Status Record(const Instance& delivery, const Status& outcome, const std::string& detail,
                DispatchReport* report);
  Status SendPending(int64_t now_ms, DispatchReport* report);
  Status SendDigests(int64_t now_ms, DispatchReport* report);

  Engine* const engine_;      // not owned
  Notifier* const notifier_;  // not owned
  const std::string link_base_;
};

}  // namespace govassess::workflows

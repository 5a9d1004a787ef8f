#include "workflows/delivery_dispatcher.h"

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "workflows/china_time.h"
#include "workflows/notice_text.h"

namespace govassess::workflows {

namespace {


// Every delivery in `state`.
Result<std::vector<Instance>> ListDeliveries(Store* store, const std::string& state) {
  InstanceFilter filter;
  filter.type = "delivery";
  filter.state = state;
  return ListAll(store, filter);
}

}  // namespace

DeliveryDispatcher::DeliveryDispatcher(Engine* engine, Notifier* notifier, std::string link_base)
    : engine_(engine), notifier_(notifier), link_base_(std::move(link_base)) {}

Status DeliveryDispatcher::Record(const Instance& delivery, const Status& outcome,
                                  const std::string& detail, DispatchReport* report) {
  Command c;
  c.instance_id = delivery.id;
  c.actor = Actor::System("dispatcher");
  c.expected_version = delivery.version;
  if (outcome.ok()) {
    c.name = "sent";
    c.payload = {{"detail", detail}};
  } else {
    c.name = "failed";
    c.payload = {{"error", outcome.message()}, {"permanent", outcome.code() != Code::kUnavailable}};
  }
  auto r = engine_->Execute(c);
  if (!r.ok()) {
    // Another dispatcher recorded it first: its record stands.
    return r.status().IsConflict() ? Status::Ok() : r.status();
  }
  if (!r->accepted) return Status::Ok();
  if (outcome.ok()) {
    ++report->sent;
  } else if (r->instance().state == "incident") {
    ++report->incidents;
  } else {
    ++report->failed;
  }
  return Status::Ok();
}

Status DeliveryDispatcher::RecordAll(const std::vector<Outcome>& outcomes, DispatchReport* report) {
  // Several committers at once share fsyncs through group commit: recording a round's
  // outcomes costs a few durable commits, not one per delivery.
  constexpr size_t kRecorders = 8;
  std::atomic<size_t> next{0};
  std::mutex mu;
  Status first_error;
  auto work = [&] {
    DispatchReport mine;
    for (size_t i = next++; i < outcomes.size(); i = next++) {
      const Outcome& o = outcomes[i];
      Status s = Record(*o.delivery, o.status, o.detail, &mine);
      if (!s.ok()) {
        std::lock_guard<std::mutex> lock(mu);
        if (first_error.ok()) first_error = s;
      }
    }
    std::lock_guard<std::mutex> lock(mu);
    report->sent += mine.sent;
    report->failed += mine.failed;
    report->incidents += mine.incidents;
  };
  std::vector<std::thread> threads;
  for (size_t t = 1; t < std::min(kRecorders, outcomes.size()); ++t) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();
  return first_error;
}

Status DeliveryDispatcher::SendPending(int64_t now_ms, DispatchReport* report) {
  auto pending = ListDeliveries(engine_->store(), "pending");
  if (!pending.ok()) return pending.status();
  const std::string link = link_base_.empty() ? "" : link_base_ + "/inbox";
  std::vector<Outcome> outcomes;
  for (const Instance& d : *pending) {
    if (d.data.value("next_at_ms", int64_t(0)) > now_ms) continue;
    const NoticeFacts facts = NoticeFactsFromJson(d.data.value("facts", Json::object()), link);
    Status outcome;
    std::string detail;
    if (d.data.value("channel", "") == "webhook") {
      const Json body = WebhookBody(facts, d.id, now_ms);
      outcome = notifier_->PostWebhook({d.data.value("to", ""), d.id, body.dump()});
      detail = "posted to webhook " + d.data.value("to", "");
    } else {
      const NoticeText text = RenderNotice(facts, d.data.value("language", "zh-CN"));
      outcome = notifier_->SendEmail({{d.data.value("to", "")}, text.subject, text.body, d.id});
      detail = "mailed to " + d.data.value("to", "");
    }
    outcomes.push_back({&d, outcome, detail});
  }
  return RecordAll(outcomes, report);
}

Status DeliveryDispatcher::SendDigests(int64_t now_ms, DispatchReport* report) {
  auto held = ListDeliveries(engine_->store(), "held");
  if (!held.ok()) return held.status();
  // One mail per recipient address with every item whose digest time has come.
  std::map<std::string, std::vector<const Instance*>> by_recipient;
  for (const Instance& d : *held) {
    if (d.data.value("next_at_ms", int64_t(0)) <= now_ms) {
      by_recipient[d.data.value("to", "")].push_back(&d);
    }
  }
  const std::string link = link_base_.empty() ? "" : link_base_ + "/inbox";
  const std::string today = BeijingDate(now_ms).ToString();
  std::vector<Outcome> outcomes;
  for (const auto& [to, items] : by_recipient) {
    std::vector<NoticeFacts> facts;
    for (const Instance* d : items) facts.push_back(NoticeFactsFromJson(d->data.value("facts", Json::object()), link));
    const std::string language = items.front()->data.value("language", "zh-CN");
    const NoticeText text = RenderDigest(facts, language, today);
    const std::string message_id =
        "digest/" + items.front()->data.value("user", to) + "/" + today + "/" + items.front()->id;
    const Status outcome = notifier_->SendEmail({{to}, text.subject, text.body, message_id});
    if (outcome.ok()) ++report->digests;
    for (const Instance* d : items) outcomes.push_back({d, outcome, "in the daily digest to " + to});
  }
  return RecordAll(outcomes, report);
}

Result<DispatchReport> DeliveryDispatcher::RunOnce() {
  DispatchReport report;
  const int64_t now = engine_->clock()->NowMs();
  if (Status s = SendPending(now, &report); !s.ok()) return s;
  if (Status s = SendDigests(now, &report); !s.ok()) return s;
  return report;
}

}  // namespace govassess::workflows

#include "engine/journal.h"

#include <cstdio>
#include <ctime>

#include "engine/sha256.h"
#include "engine/store.h"

namespace govassess {

const char kGenesisHash[] = "0000000000000000000000000000000000000000000000000000000000000000";

Json ToJson(const Timer& t) {
  return Json{{"id", t.id},
              {"instance", t.instance_id},
              {"command", t.command},
              {"due", t.due_ms},
              {"payload", t.payload}};
}

Timer TimerFromJson(const Json& j) {
  Timer t;
  t.id = j.at("id").get<std::string>();
  t.instance_id = j.at("instance").get<std::string>();
  t.command = j.at("command").get<std::string>();
  t.due_ms = j.at("due").get<int64_t>();
  t.payload = j.value("payload", Json::object());
  return t;
}

std::string FormatUtcMillis(int64_t ms) {
  int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  int millis = int(ms - secs * 1000);
  std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
  return buf;
}

namespace {

std::string Dump(const Json& j) {
  // Replace invalid UTF-8 rather than throw, so a hostile payload can never make an
  // event unwritable.
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// The canonical body is the compact dump of one JSON object with sorted keys. Keys
// that sort before "seq" go to the head, the others to the tail; head + "seq" + tail is
// byte for byte the dump of the whole object (a test holds this). Members are dumped
// one by one, in key order, so large payloads are never copied into a temporary.
void AppendMember(std::string* out, const char* key, const Json& value) {
  if (out->size() > 1) out->push_back(',');
  out->push_back('"');
  out->append(key);
  out->append("\":");
  out->append(Dump(value));
}

void AppendString(std::string* out, const char* key, const std::string& value) {
  AppendMember(out, key, Json(value));
}

void SplitBody(const JournalEvent& e, std::string* head, std::string* tail) {
  head->clear();
  head->push_back('{');
  AppendMember(head, "actor",
               Json{{"origin", e.actor.origin},
                    {"role", e.actor.role},
                    {"unit", e.actor.unit},
                    {"user", e.actor.user}});
  AppendMember(head, "change", e.change);
  AppendString(head, "command", e.command);
  AppendString(head, "entity", e.entity);
  AppendString(head, "entity_type", e.entity_type);
  if (!e.idempotency_key.empty()) AppendString(head, "idempotency_key", e.idempotency_key);
  AppendString(head, "outcome", e.outcome);
  AppendMember(head, "payload", e.payload);
  AppendString(head, "reason", e.reason);
  if (!e.refusal_code.empty()) AppendString(head, "refusal_code", e.refusal_code);
  tail->clear();
  tail->push_back('{');
  AppendString(tail, "ts", FormatUtcMillis(e.ts_ms));
  AppendMember(tail, "ts_ms", Json(e.ts_ms));
  tail->push_back('}');
  (*tail)[0] = ',';  // the opening brace: the tail continues the head
}

std::string JoinBody(const std::string& head, int64_t seq, const std::string& tail) {
  std::string body;
  body.reserve(head.size() + tail.size() + 32);
  body += head;
  body += ",\"seq\":";
  body += std::to_string(seq);
  body += tail;
  return body;
}

}  // namespace

void PrepareEventBody(JournalEvent* e) { SplitBody(*e, &e->body_head, &e->body_tail); }

std::string CanonicalBody(const JournalEvent& e) {
  std::string head, tail;
  SplitBody(e, &head, &tail);
  return JoinBody(head, e.seq, tail);
}

std::string ChainHash(const std::string& prev_hash_hex, const std::string& body) {
  Sha256 h;
  h.Update(prev_hash_hex);
  h.Update(body);
  auto d = h.Finish();
  return ToHex(d.data(), d.size());
}

std::string SealEvent(JournalEvent* e, int64_t seq, const std::string& prev_hash) {
  e->seq = seq;
  e->prev_hash = prev_hash;
  if (e->body_head.empty()) PrepareEventBody(e);
  std::string body = JoinBody(e->body_head, seq, e->body_tail);
  e->hash = ChainHash(prev_hash, body);
  return body;
}

Result<JournalEvent> ParseEventBody(const std::string& body) {
  Json j = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::Corruption("journal event body is not a JSON object");
  }
  try {
    JournalEvent e;
    e.seq = j.at("seq").get<int64_t>();
    e.ts_ms = j.at("ts_ms").get<int64_t>();
    const Json& a = j.at("actor");
    e.actor = Actor{a.at("user").get<std::string>(), a.at("role").get<std::string>(),
                    a.at("unit").get<std::string>(), a.at("origin").get<std::string>()};
    e.command = j.at("command").get<std::string>();
    e.entity = j.at("entity").get<std::string>();
    e.entity_type = j.at("entity_type").get<std::string>();
    e.outcome = j.at("outcome").get<std::string>();
    e.reason = j.at("reason").get<std::string>();
    e.refusal_code = j.value("refusal_code", "");
    e.idempotency_key = j.value("idempotency_key", "");
    e.payload = j.at("payload");
    e.change = j.at("change");
    return e;
  } catch (const Json::exception& ex) {
    return Status::Corruption(std::string("journal event body is malformed: ") + ex.what());
  }
}

bool Matches(const JournalFilter& f, const JournalEvent& e) {
  return (f.actor.empty() || f.actor == e.actor.user) && (f.role.empty() || f.role == e.actor.role) &&
         (f.unit.empty() || f.unit == e.actor.unit) && (f.entity.empty() || f.entity == e.entity) &&
         (f.command.empty() || f.command == e.command) &&
         (f.outcome.empty() || f.outcome == e.outcome) && e.ts_ms >= f.from_ms &&
         e.ts_ms <= f.to_ms && e.seq > f.after_seq;
}

std::string ChainHead::ToString() const { return std::to_string(seq) + ":" + hash; }

Result<ChainHead> ChainHead::Parse(const std::string& text) {
  auto colon = text.find(':');
  if (colon == std::string::npos || colon == 0) {
    return Status::InvalidArgument("a chain head looks like SEQ:HASH (e.g. 42:3fa9…), got \"" +
                                   text + "\"");
  }
  ChainHead h;
  try {
    size_t used = 0;
    h.seq = std::stoll(text.substr(0, colon), &used);
    if (used != colon || h.seq < 0) throw std::invalid_argument("seq");
  } catch (const std::exception&) {
    return Status::InvalidArgument("chain head sequence number is not a non-negative integer");
  }
  h.hash = text.substr(colon + 1);
  if (h.hash.size() != 64 || h.hash.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return Status::InvalidArgument("chain head hash must be 64 lower-case hex digits");
  }
  return h;
}

Status ChainVerifier::Feed(int64_t stored_seq, const std::string& body,
                           const std::string& stored_hash) {
  if (!failure_.ok()) return failure_;
  const int64_t expected_seq = head_.seq + 1;
  if (stored_seq != expected_seq) {
    if (stored_seq > expected_seq) {
      failure_ = Status::Corruption("event " + std::to_string(expected_seq) +
                                    " is missing (the next stored event is " +
                                    std::to_string(stored_seq) + ")");
    } else {
      failure_ = Status::Corruption("event " + std::to_string(expected_seq) +
                                    " is out of order (stored as " + std::to_string(stored_seq) +
                                    ")");
    }
    return failure_;
  }
  std::string computed = ChainHash(head_.hash, body);
  if (computed != stored_hash) {
    failure_ = Status::Corruption("event " + std::to_string(expected_seq) +
                                  " does not match its hash: it was altered, or an earlier "
                                  "event was removed or reordered");
    return failure_;
  }
  // The body names its own sequence number, so a body moved to another row fails too.
  auto parsed = ParseEventBody(body);
  if (!parsed.ok() || parsed->seq != expected_seq) {
    failure_ = Status::Corruption("event " + std::to_string(expected_seq) +
                                  " holds the body of another event (reordered)");
    return failure_;
  }
  head_.seq = expected_seq;
  head_.hash = computed;
  if (expected_seq == watch_seq_) watched_hash_ = computed;
  return Status::Ok();
}

Status ChainVerifier::CheckExported(const ChainHead& expected) const {
  if (expected.seq == 0) return Status::Ok();
  if (expected.seq > head_.seq) {
    return Status::Corruption("the exported head names event " + std::to_string(expected.seq) +
                              " but the journal ends at event " + std::to_string(head_.seq) +
                              ": events were removed from the end");
  }
  if (!watched_hash_ || *watched_hash_ != expected.hash) {
    return Status::Corruption("event " + std::to_string(expected.seq) +
                              " differs from the exported head: the chain was rewritten");
  }
  return Status::Ok();
}

}  // namespace govassess

#include "engine/journal.h"

#include <cstdio>
#include <ctime>

#include "engine/canonical_json.h"
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
  // Every event carries one: years 0–9999 are written by hand (civil-from-days, H.
  // Hinnant), the same text as the gmtime_r and printf below, which take the rest.
  if (secs >= -62167219200 && secs < 253402300800) {
    int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
    const int64_t sod = secs - days * 86400;
    days += 719468;
    const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const int64_t doe = days - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    const int day = int(doy - (153 * mp + 2) / 5 + 1);
    const int month = int(mp < 10 ? mp + 3 : mp - 9);
    const int year = int(yoe + era * 400 + (month <= 2 ? 1 : 0));
    char buf[24];
    auto two = [&](int at, int v) {
      buf[at] = char('0' + v / 10);
      buf[at + 1] = char('0' + v % 10);
    };
    two(0, year / 100);
    two(2, year % 100);
    buf[4] = '-';
    two(5, month);
    buf[7] = '-';
    two(8, day);
    buf[10] = 'T';
    two(11, int(sod / 3600));
    buf[13] = ':';
    two(14, int(sod / 60 % 60));
    buf[16] = ':';
    two(17, int(sod % 60));
    buf[19] = '.';
    buf[20] = char('0' + millis / 100);
    two(21, millis % 100);
    buf[23] = 'Z';
    return std::string(buf, 24);
  }
  std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
  return buf;
}

namespace {

// The canonical body is the compact dump of one JSON object with sorted keys. Keys
// that sort before "seq" go to the head, the others to the tail; head + "seq" + tail is
// byte for byte the dump of the whole object (a test holds this). Members are written
// one by one, in key order, straight into the text (engine/canonical_json.h), so
// nothing is copied into a temporary value. Invalid UTF-8 is replaced rather than
// thrown on, so a hostile payload can never make an event unwritable.
void AppendKey(std::string* out, const char* key) {
  if (out->size() > 1) out->push_back(',');
  out->push_back('"');
  out->append(key);
  out->append("\":");
}

void AppendString(std::string* out, const char* key, const std::string& value) {
  AppendKey(out, key);
  AppendJsonString(out, value);
}

// `change_json`: the change as canonical text, or null to write e.change.
void SplitBody(const JournalEvent& e, const std::string* change_json, const Json& payload,
               std::string* head, std::string* tail) {
  head->clear();
  head->reserve(256 + (change_json ? change_json->size() : 0));
  head->push_back('{');
  head->append("\"actor\":{\"origin\":");
  AppendJsonString(head, e.actor.origin);
  head->append(",\"role\":");
  AppendJsonString(head, e.actor.role);
  head->append(",\"unit\":");
  AppendJsonString(head, e.actor.unit);
  head->append(",\"user\":");
  AppendJsonString(head, e.actor.user);
  head->push_back('}');
  AppendKey(head, "change");
  if (change_json != nullptr) {
    head->append(*change_json);
  } else {
    AppendJson(head, e.change);
  }
  AppendString(head, "command", e.command);
  AppendString(head, "entity", e.entity);
  AppendString(head, "entity_type", e.entity_type);
  if (!e.idempotency_key.empty()) AppendString(head, "idempotency_key", e.idempotency_key);
  AppendString(head, "outcome", e.outcome);
  AppendKey(head, "payload");
  AppendJson(head, payload);
  AppendString(head, "reason", e.reason);
  if (!e.refusal_code.empty()) AppendString(head, "refusal_code", e.refusal_code);
  tail->clear();
  tail->append(",\"ts\":");
  AppendJsonString(tail, FormatUtcMillis(e.ts_ms));
  tail->append(",\"ts_ms\":");
  AppendJsonInt(tail, e.ts_ms);
  tail->push_back('}');
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

void PrepareEventBody(JournalEvent* e) {
  SplitBody(*e, nullptr, e->payload, &e->body_head, &e->body_tail);
}

void PrepareEventBody(JournalEvent* e, const std::string& change_json, const Json& payload) {
  SplitBody(*e, &change_json, payload, &e->body_head, &e->body_tail);
}

std::string CanonicalBody(const JournalEvent& e) {
  std::string head, tail;
  SplitBody(e, nullptr, e.payload, &head, &tail);
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

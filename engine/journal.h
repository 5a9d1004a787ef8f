// The journal: an append-only, hash-chained record of every command, accepted or
// refused.
//
// Each event is stored as its canonical body (compact JSON, keys sorted, UTF-8) and
// its hash = SHA-256(prev_hash_hex ‖ body), where prev_hash_hex is the previous
// event's hash (64 zeros for the first). Sequence numbers start at 1 and are
// contiguous, so a removed, altered or reordered event breaks the chain at a place
// the verifier can name. Re-hashing the whole tail is only caught by comparing with
// an exported head (ChainHead), which is why the head can be exported.
//
// The functions here are pure and thread-safe; ChainVerifier is not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine/status.h"
#include "engine/types.h"

namespace govassess {

extern const char kGenesisHash[];  // 64 '0' characters

struct JournalEvent {
  int64_t seq = 0;  // assigned at commit
  int64_t ts_ms = 0;
  Actor actor;
  std::string command;
  std::string entity;       // instance id the command addressed
  std::string entity_type;  // workflow type
  std::string outcome;      // "accepted" or "refused"
  std::string reason;       // the actor's reason, or the refusal's reason
  std::string refusal_code; // for refusals: "refused" or "forbidden"
  std::string idempotency_key;
  Json payload = Json::object();  // what the actor sent
  // For accepted commands: {"instances":[{id,type,type_version,from,to,version,
  // create|patch}], "timers":{"set":[...],"cancel":[...]}}. Replaying these rebuilds state.
  Json change = Json::object();
  std::string prev_hash;  // set at commit
  std::string hash;       // set at commit
  // The canonical body split around "seq" (PrepareEventBody), so that the part that
  // must wait for the commit order is a string concatenation, not a serialisation.
  // When they are set, they are what is stored and hashed: the engine fills them from
  // the change's canonical text and leaves `change` and `payload` empty.
  std::string body_head;
  std::string body_tail;
};

// Fills body_head and body_tail from the event's current fields. Optional: SealEvent
// does it itself when they are empty. Call again after changing the event.
void PrepareEventBody(JournalEvent* e);

// The same, with the change given as its canonical text (engine/canonical_json.h) and
// the payload by reference: e->change and e->payload are not read, so the caller need
// not build or copy them (the engine's hot path). The body is byte for byte what
// PrepareEventBody writes for an event whose change and payload are those values.
// REQUIRES: change_json is the canonical text of a JSON object.
void PrepareEventBody(JournalEvent* e, const std::string& change_json, const Json& payload);

// The compact canonical JSON of `e` without prev_hash and hash.
std::string CanonicalBody(const JournalEvent& e);

// SHA-256(prev_hash_hex ‖ body) in lower-case hex.
std::string ChainHash(const std::string& prev_hash_hex, const std::string& body);

// Sets seq, prev_hash and hash of `e`; returns the canonical body that was hashed.
std::string SealEvent(JournalEvent* e, int64_t seq, const std::string& prev_hash);

// Parses a stored body back into an event (prev_hash/hash left empty).
Result<JournalEvent> ParseEventBody(const std::string& body);

struct ChainHead {
  int64_t seq = 0;  // 0 for an empty journal
  std::string hash = kGenesisHash;

  // "SEQ:HEX", the form `audit head` exports and `audit verify --expect-head` reads.
  std::string ToString() const;
  static Result<ChainHead> Parse(const std::string& text);
};

// Recomputes a chain row by row, in stored order.
class ChainVerifier {
 public:
  // Feeds the next stored row. Returns Corruption naming the first bad event once the
  // chain breaks; every later call returns the same error.
  Status Feed(int64_t stored_seq, const std::string& body, const std::string& stored_hash);
  // The head of what was verified so far.
  const ChainHead& head() const { return head_; }
  int64_t events() const { return head_.seq; }
  // Checks that `expected` (an exported head) is still part of the verified chain:
  // the event at expected.seq must have had exactly that hash.
  Status CheckExported(const ChainHead& expected) const;
  // Remembers the hash at `seq` while feeding, so CheckExported can compare it.
  void WatchSeq(int64_t seq) { watch_seq_ = seq; }

 private:
  ChainHead head_;
  Status failure_;
  int64_t watch_seq_ = -1;
  std::optional<std::string> watched_hash_;
};

}  // namespace govassess

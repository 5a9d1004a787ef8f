// CredentialStore: password hashes, sessions, failed-login counters and the secret
// tokens of calendar feeds, in the same
// SQLite file as the engine's tables but outside the journal — the journal records
// that a password was set or a session opened, never the secret itself.
//
// Stores only what it is given: password hashing (Argon2id) and token hashing happen
// in the HTTP adapter. Thread-safe (one connection behind a mutex; these are not hot).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <string>

#include "engine/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace govassess {

struct SessionRow {
  std::string token_hash;
  std::string username;
  int64_t created_ms = 0;
  int64_t last_seen_ms = 0;
};

class CredentialStore {
 public:
  static Result<std::unique_ptr<CredentialStore>> Open(const std::string& path);
  ~CredentialStore();
  CredentialStore(const CredentialStore&) = delete;
  CredentialStore& operator=(const CredentialStore&) = delete;

  Status SetPasswordHash(const std::string& username, const std::string& hash);
  // NotFound when the user has no password.
  Result<std::string> PasswordHash(const std::string& username);

  Status PutSession(const SessionRow& row);
  Result<SessionRow> GetSession(const std::string& token_hash);  // NotFound
  Status TouchSession(const std::string& token_hash, int64_t now_ms);
  // It is not an error if the session does not exist.
  Status DeleteSession(const std::string& token_hash);
  Status DeleteSessionsOf(const std::string& username);

  // Failed logins: a counter per username with the time of the last failure.
  Status RecordFailure(const std::string& username, int64_t now_ms);
  Status ClearFailures(const std::string& username);
  // (failures, last_failure_ms); (0, 0) when none.
  Result<std::pair<int, int64_t>> Failures(const std::string& username);

  // Calendar feeds: the SHA-256 of a feed's secret URL token → {feed id, username}.
  Status PutFeedToken(const std::string& token_hash, const std::string& feed_id,
                      const std::string& username);
  // NotFound for an unknown token.
  Result<std::pair<std::string, std::string>> FeedOfToken(const std::string& token_hash);
  // It is not an error if the feed had no token.
  Status DeleteFeedToken(const std::string& feed_id);

 private:
  explicit CredentialStore(sqlite3* db) : db_(db) {}
  Status Exec(const std::string& sql, std::initializer_list<std::string> text_args,
              std::initializer_list<int64_t> int_args = {});
  // The statement for `sql`, prepared once per store (every request looks up its
  // session: parsing the SQL each time cost more than the lookup). Null on error.
  // REQUIRES: mu_ held; the caller resets it (Statement below) before releasing mu_.
  sqlite3_stmt* Prepared(const std::string& sql);
  class Statement;

  std::mutex mu_;
  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;  // guarded by mu_
};

}  // namespace govassess

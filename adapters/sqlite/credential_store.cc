#include "adapters/sqlite/credential_store.h"

#include <sqlite3.h>

namespace govassess {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS credentials(
  username TEXT PRIMARY KEY,
  hash     TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sessions(
  token_hash   TEXT PRIMARY KEY,
  username     TEXT NOT NULL,
  created_ms   INTEGER NOT NULL,
  last_seen_ms INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions(username);
CREATE TABLE IF NOT EXISTS feed_tokens(
  token_hash TEXT PRIMARY KEY,
  feed_id    TEXT NOT NULL UNIQUE,
  username   TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS login_failures(
  username TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  last_ms  INTEGER NOT NULL) WITHOUT ROWID;
)sql";

std::string Col(sqlite3_stmt* s, int i) {
  const unsigned char* p = sqlite3_column_text(s, i);
  return p ? std::string(reinterpret_cast<const char*>(p)) : std::string();
}

}  // namespace

// A prepared statement borrowed for one call: reset and unbound when it goes.
class CredentialStore::Statement {
 public:
  Statement(CredentialStore* store, const std::string& sql) : s_(store->Prepared(sql)) {}
  ~Statement() {
    if (s_ != nullptr) {
      sqlite3_reset(s_);
      sqlite3_clear_bindings(s_);
    }
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  sqlite3_stmt* get() const { return s_; }
  explicit operator bool() const { return s_ != nullptr; }

 private:
  sqlite3_stmt* s_;
};

sqlite3_stmt* CredentialStore::Prepared(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return it->second;
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) return nullptr;
  statements_.emplace(sql, s);
  return s;
}

Result<std::unique_ptr<CredentialStore>> CredentialStore::Open(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Status::Unavailable("cannot open " + path + ": " + msg);
  }
  sqlite3_busy_timeout(db, 10000);
  std::unique_ptr<CredentialStore> store(new CredentialStore(db));
  char* err = nullptr;
  const std::string setup = std::string("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;") + kSchema;
  if (sqlite3_exec(db, setup.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return Status::Unavailable("cannot use " + path + " for credentials: " + msg);
  }
  return store;
}

CredentialStore::~CredentialStore() {
  for (auto& [sql, s] : statements_) sqlite3_finalize(s);
  sqlite3_close_v2(db_);
}

Status CredentialStore::Exec(const std::string& sql, std::initializer_list<std::string> texts,
                             std::initializer_list<int64_t> ints) {
  Statement s(this, sql);
  if (!s) return Status::Unavailable(std::string("credentials: ") + sqlite3_errmsg(db_));
  int i = 1;
  for (const auto& t : texts) sqlite3_bind_text(s.get(), i++, t.data(), int(t.size()), SQLITE_TRANSIENT);
  for (int64_t v : ints) sqlite3_bind_int64(s.get(), i++, v);
  if (sqlite3_step(s.get()) != SQLITE_DONE) {
    return Status::Unavailable(std::string("credentials: ") + sqlite3_errmsg(db_));
  }
  return Status::Ok();
}

Status CredentialStore::SetPasswordHash(const std::string& username, const std::string& hash) {
  std::lock_guard<std::mutex> lock(mu_);
  return Exec("INSERT OR REPLACE INTO credentials(username, hash) VALUES(?1, ?2)", {username, hash});
}

Result<std::string> CredentialStore::PasswordHash(const std::string& username) {
  std::lock_guard<std::mutex> lock(mu_);
  Statement s(this, "SELECT hash FROM credentials WHERE username = ?1");
  sqlite3_bind_text(s.get(), 1, username.c_str(), -1, SQLITE_TRANSIENT);
  if (sqlite3_step(s.get()) != SQLITE_ROW) return Status::NotFound("no password for " + username);
  return Col(s.get(), 0);
}

Status CredentialStore::PutSession(const SessionRow& r) {
  std::lock_guard<std::mutex> lock(mu_);
  return Exec(
      "INSERT INTO sessions(token_hash, username, created_ms, last_seen_ms) VALUES(?1, ?2, ?3, ?4)",
      {r.token_hash, r.username}, {r.created_ms, r.last_seen_ms});
}

Result<SessionRow> CredentialStore::GetSession(const std::string& token_hash) {
  std::lock_guard<std::mutex> lock(mu_);
  Statement s(this, "SELECT token_hash, username, created_ms, last_seen_ms FROM sessions "
                   "WHERE token_hash = ?1");
  sqlite3_bind_text(s.get(), 1, token_hash.c_str(), -1, SQLITE_TRANSIENT);
  if (sqlite3_step(s.get()) != SQLITE_ROW) return Status::NotFound("no such session");
  return SessionRow{Col(s.get(), 0), Col(s.get(), 1), sqlite3_column_int64(s.get(), 2),
                    sqlite3_column_int64(s.get(), 3)};
}

Status CredentialStore::TouchSession(const std::string& token_hash, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  return Exec("UPDATE sessions SET last_seen_ms = ?2 WHERE token_hash = ?1", {token_hash}, {now_ms});
}

Status CredentialStore::DeleteSession(const std::string& token_hash) {
  std::lock_guard<std::mutex> lock(mu_);
  return Exec("DELETE FROM sessions WHERE token_hash = ?1", {token_hash});
}

Status CredentialStore::DeleteSessionsOf(const std::string& username) {
  std::lock_guard<std::mutex> lock(mu_);
  return Exec("DELETE FROM sessions WHERE username = ?1", {username});
}

Status CredentialStore::RecordFailure(const std::string& username, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  return Exec(
      "INSERT INTO login_failures(username, failures, last_ms) VALUES(?1, 1, ?2) "
      "ON CONFLICT(username) DO UPDATE SET failures = failures + 1, last_ms = ?2",
      {username}, {now_ms});
}

Status CredentialStore::ClearFailures(const std::string& username) {
  std::lock_guard<std::mutex> lock(mu_);
  return Exec("DELETE FROM login_failures WHERE username = ?1", {username});
}

Result<std::pair<int, int64_t>> CredentialStore::Failures(const std::string& username) {
  std::lock_guard<std::mutex> lock(mu_);
  Statement s(this, "SELECT failures, last_ms FROM login_failures WHERE username = ?1");
  sqlite3_bind_text(s.get(), 1, username.c_str(), -1, SQLITE_TRANSIENT);
  if (sqlite3_step(s.get()) != SQLITE_ROW) return std::pair<int, int64_t>(0, 0);
  return std::pair<int, int64_t>(sqlite3_column_int(s.get(), 0), sqlite3_column_int64(s.get(), 1));
}

Status CredentialStore::PutFeedToken(const std::string& token_hash, const std::string& feed_id,
                                     const std::string& username) {
  std::lock_guard<std::mutex> lock(mu_);
  return Exec("INSERT INTO feed_tokens(token_hash, feed_id, username) VALUES(?1, ?2, ?3)",
              {token_hash, feed_id, username});
}

Result<std::pair<std::string, std::string>> CredentialStore::FeedOfToken(
    const std::string& token_hash) {
  std::lock_guard<std::mutex> lock(mu_);
  Statement s(this, "SELECT feed_id, username FROM feed_tokens WHERE token_hash = ?1");
  sqlite3_bind_text(s.get(), 1, token_hash.c_str(), -1, SQLITE_TRANSIENT);
  if (sqlite3_step(s.get()) != SQLITE_ROW) return Status::NotFound("no such feed");
  return std::pair<std::string, std::string>(Col(s.get(), 0), Col(s.get(), 1));
}

Status CredentialStore::DeleteFeedToken(const std::string& feed_id) {
  std::lock_guard<std::mutex> lock(mu_);
  return Exec("DELETE FROM feed_tokens WHERE feed_id = ?1", {feed_id});
}

}  // namespace govassess

#include "adapters/http/auth.h"

#include <sodium.h>

#include <stdexcept>

#include "engine/sha256.h"

namespace govassess {
namespace {

constexpr size_t kMinPassword = 12, kMaxPassword = 1024;

void InitSodium() {
  static const int ok = sodium_init();
  if (ok < 0) throw std::runtime_error("libsodium cannot start");
}

std::string NewToken() {
  InitSodium();
  unsigned char bytes[16];
  randombytes_buf(bytes, sizeof bytes);
  return ToHex(bytes, sizeof bytes);
}

std::string TokenHash(const std::string& token) { return Sha256Hex(token); }

const std::string kBadLogin = "wrong username or password";

}  // namespace

AuthService::AuthService(CredentialStore* credentials, Engine* engine, AuthOptions options)
    : credentials_(credentials), engine_(engine), options_(options) {}

Result<std::string> AuthService::HashPassword(const std::string& password) {
  if (password.size() < kMinPassword || password.size() > kMaxPassword) {
    return Status::InvalidArgument("a password has 12 to 1024 characters");
  }
  InitSodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return Status::Unavailable("not enough memory to hash the password");
  }
  return std::string(out);
}

Status AuthService::Journal(const std::string& username, const std::string& command,
                            const Actor& actor, bool refused, const std::string& reason,
                            const Json& extra) {
  Command c;
  c.instance_id = "user/" + username;
  c.type = "user";
  c.name = command;
  // The sign-in service acts (role "system") on behalf of the person named.
  c.actor = Actor{actor.user, "system", "", "sign-in, " + actor.origin};
  c.reason = reason;
  c.payload = {{"by", actor.user}, {"from", actor.origin}};
  for (const auto& [key, value] : extra.items()) c.payload[key] = value;
  if (refused) {
    c.payload["ok"] = false;
    c.payload["why"] = reason;
  }
  auto r = engine_->Execute(c);
  if (!r.ok()) return r.status();
  if (!refused && !r->accepted) return r->refusal;
  return Status::Ok();
}

std::string AuthService::NewOneTimePassword() {
  static const char kAlphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  InitSodium();
  std::string out;
  for (int i = 0; i < 16; ++i) out += kAlphabet[randombytes_uniform(sizeof kAlphabet - 1)];
  return out;
}

Status AuthService::SetPassword(const std::string& username, const std::string& password,
                                const Actor& by, bool one_time, const std::string& reason) {
  auto user = engine_->store()->Get("user/" + username);
  if (!user.ok()) return Status::NotFound("no user \"" + username + "\"");
  return StorePassword(username, password, by, one_time, reason);
}

Status AuthService::StorePassword(const std::string& username, const std::string& password,
                                  const Actor& by, bool one_time, const std::string& reason) {
  auto hash = HashPassword(password);
  if (!hash.ok()) return hash.status();
  Status s = credentials_->SetPasswordHash(username, *hash);
  if (!s.ok()) return s;
  credentials_->DeleteSessionsOf(username);
  std::string why = one_time ? "one-time password set by " + by.user : "password set by " + by.user;
  if (!reason.empty()) why += ": " + reason;
  return Journal(username, "set_password", by, false, why, Json{{"one_time", one_time}});
}

Result<std::string> AuthService::IssueOneTimePassword(const std::string& username, const Actor& by,
                                                      const std::string& reason) {
  auto user = engine_->store()->Get("user/" + username);
  if (!user.ok()) {
    if (user.status().code() != Code::kNotFound) return user.status();
    return Status::NotFound("no user \"" + username + "\"");
  }
  if (user->state != "active") {
    const std::string why = "the user \"" + username +
                            "\" is disabled: enable it first (POST /api/v1/instances/user%2F" +
                            username + "/commands/enable), then issue the one-time password";
    Status j = Journal(username, "set_password", by, true, why, Json{{"one_time", true}});
    if (!j.ok()) return j;
    return Status::Refused(why);
  }
  const std::string password = NewOneTimePassword();
  // The user was read above: store without reading it again.
  Status s = StorePassword(username, password, by, /*one_time=*/true, reason);
  if (!s.ok()) return s;
  return password;
}

Status AuthService::ChangePassword(const Principal& who, const std::string& current,
                                   const std::string& replacement, const std::string& origin) {
  const int64_t now = engine_->clock()->NowMs();
  const Actor actor = who.ToActor(origin);
  auto hash = credentials_->PasswordHash(who.username);
  if (!hash.ok()) return Status::NotFound("no password is set for " + who.username);
  InitSodium();
  if (current.size() > kMaxPassword ||
      crypto_pwhash_str_verify(hash->c_str(), current.data(), current.size()) != 0) {
    credentials_->RecordFailure(who.username, now);
    Journal(who.username, "set_password", actor, true, "the current password was wrong");
    return Status::Forbidden("the current password is wrong");
  }
  if (current == replacement) {
    return Status::InvalidArgument("choose a new password, not the current one");
  }
  auto fresh = HashPassword(replacement);
  if (!fresh.ok()) return fresh.status();
  Status s = credentials_->SetPasswordHash(who.username, *fresh);
  if (!s.ok()) return s;
  credentials_->DeleteSessionsOf(who.username);
  return Journal(who.username, "set_password", actor, false, "changed by the user",
                 Json{{"one_time", false}});
}

Result<LoginResult> AuthService::Login(const std::string& username, const std::string& password,
                                       const std::string& origin) {
  const int64_t now = engine_->clock()->NowMs();
  const Actor who{username, "anonymous", "", origin};
  auto failures = credentials_->Failures(username);
  if (!failures.ok()) return failures.status();
  const auto [count, last_ms] = *failures;
  if (count >= options_.free_failures) {
    const int shift = std::min(count - options_.free_failures, 10);
    const int64_t wait_until = last_ms + (options_.backoff_base_ms << shift);
    if (now < wait_until) {
      Journal(username, "login", who, true, "too many failed logins; locked for a while");
      return Status::RateLimited("too many failed logins for \"" + username + "\"; try again in " +
                                 std::to_string((wait_until - now + 999) / 1000) + " s");
    }
  }
  auto fail = [&](const std::string& why) -> Status {
    credentials_->RecordFailure(username, now);
    Journal(username, "login", who, true, why);
    return Status::Unauthenticated(kBadLogin);
  };
  auto user = engine_->store()->Get("user/" + username);
  auto hash = credentials_->PasswordHash(username);
  if (!user.ok() || !hash.ok()) {
    // Spend the same effort as a real check so timing does not tell who exists.
    HashPassword(std::string(kMinPassword, 'x'));
    return fail(user.ok() ? "the user has no password yet" : "no such user");
  }
  InitSodium();
  if (password.size() > kMaxPassword ||
      crypto_pwhash_str_verify(hash->c_str(), password.data(), password.size()) != 0) {
    return fail("wrong password");
  }
  if (user->state != "active") return fail("the user is disabled");
  Status j = Journal(username, "login", who, false, "signed in");
  if (!j.ok()) return j;
  credentials_->ClearFailures(username);
  LoginResult out;
  out.token = NewToken();
  out.principal = Principal{username, user->data.value("role", ""), user->data.value("unit", ""),
                            user->data.value("must_change_password", false)};
  out.expires_ms = now + options_.absolute_timeout_ms;
  Status s = credentials_->PutSession(SessionRow{TokenHash(out.token), username, now, now});
  if (!s.ok()) return s;
  return out;
}

Result<Principal> AuthService::Authenticate(const std::string& token) {
  if (token.size() != 32) return Status::Unauthenticated("no valid session; sign in again");
  const int64_t now = engine_->clock()->NowMs();
  auto row = credentials_->GetSession(TokenHash(token));
  if (!row.ok()) return Status::Unauthenticated("no valid session; sign in again");
  if (now - row->created_ms > options_.absolute_timeout_ms ||
      now - row->last_seen_ms > options_.idle_timeout_ms) {
    credentials_->DeleteSession(row->token_hash);
    return Status::Unauthenticated("the session has expired; sign in again");
  }
  // Current, also after another process (the CLI) changed the user, but parsed only
  // when its version moved.
  auto user = engine_->ReadCurrent("user/" + row->username);
  if (!user.ok() || (*user)->state != "active") {
    credentials_->DeleteSession(row->token_hash);
    return Status::Unauthenticated("the user is no longer active");
  }
  // Touch at most once a minute: a read should not cost a write every time.
  if (now - row->last_seen_ms > 60 * 1000) credentials_->TouchSession(row->token_hash, now);
  const Json& data = (*user)->data;
  return Principal{row->username, data.value("role", ""), data.value("unit", ""),
                   data.value("must_change_password", false)};
}

Status AuthService::Logout(const std::string& token, const std::string& origin) {
  auto row = credentials_->GetSession(TokenHash(token));
  if (!row.ok()) return Status::Ok();
  Status s = credentials_->DeleteSession(row->token_hash);
  if (!s.ok()) return s;
  return Journal(row->username, "logout", Actor{row->username, "", "", origin}, false, "signed out");
}

Result<AuthService::Feed> AuthService::IssueFeed(const Principal& owner, const std::string& scope,
                                                  const std::string& origin) {
  Feed feed;
  feed.id = NewToken().substr(0, 16);
  feed.token = NewToken();
  Command c;
  c.instance_id = "user/" + owner.username;
  c.name = "add_feed";
  // Only the sign-in service records a feed, as it alone hands out the secret link: one
  // added through the generic command route would have none yet count toward the cap.
  c.actor = Actor{owner.username, "system", "", "sign-in, " + origin};
  c.payload = {{"id", feed.id}, {"scope", scope}};
  auto r = engine_->Execute(c);
  if (!r.ok()) return r.status();
  if (!r->accepted) return r->refusal;
  Status s = credentials_->PutFeedToken(TokenHash(feed.token), feed.id, owner.username);
  if (!s.ok()) return s;
  feed.scope = scope;
  feed.subject = scope == "unit" ? owner.unit : owner.username;
  feed.owner = owner;
  return feed;
}

Result<AuthService::Feed> AuthService::ResolveFeed(const std::string& token) {
  const Status unknown = Status::NotFound("no such calendar feed (revoked, or the link is wrong)");
  if (token.size() != 32) return unknown;
  auto row = credentials_->FeedOfToken(TokenHash(token));
  if (!row.ok()) return unknown;
  auto user = engine_->store()->Get("user/" + row->second);
  if (!user.ok() || user->state != "active") return unknown;
  for (const Json& f : user->data.value("feeds", Json::array())) {
    if (f.value("id", "") != row->first) continue;
    Feed feed;
    feed.id = row->first;
    feed.scope = f.value("scope", "user");
    feed.subject = f.value("subject", "");
    feed.owner = Principal{row->second, user->data.value("role", ""), user->data.value("unit", "")};
    return feed;
  }
  return unknown;  // revoked in the journal; the token row is a leftover
}

Status AuthService::RevokeFeed(const Principal& by, const std::string& username,
                               const std::string& id, const std::string& origin) {
  Command c;
  c.instance_id = "user/" + username;
  c.name = "revoke_feed";
  c.actor = by.ToActor(origin);
  c.payload = {{"id", id}};
  auto r = engine_->Execute(c);
  if (!r.ok()) return r.status();
  if (!r->accepted) return r->refusal;
  return credentials_->DeleteFeedToken(id);
}

Result<std::string> AuthService::FeedOwner(const std::string& id) {
  InstanceFilter f;
  f.type = "user";
  f.id_prefix = "user/";
  f.limit = 500;
  for (;;) {
    auto page = engine_->store()->List(f);
    if (!page.ok()) return page.status();
    for (const Instance& user : *page) {
      for (const Json& feed : user.data.value("feeds", Json::array())) {
        if (feed.value("id", "") == id) return user.data.value("username", "");
      }
    }
    if (page->size() < f.limit) break;
    f.after_id = page->back().id;
  }
  return Status::NotFound("no user has a calendar feed \"" + id + "\"");
}

}  // namespace govassess

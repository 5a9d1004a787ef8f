// AuthService: passwords, sessions and who is asking.
//
// Passwords are hashed with Argon2id (libsodium's crypto_pwhash_str); 12 to 1024
// characters are accepted. A session token is 128 random bits (hex); only its SHA-256
// is stored. Sessions end after an idle timeout and an absolute timeout. After
// repeated failed logins for one username the next attempts are refused for a growing
// back-off (RateLimited). Every login, failed login and logout is journaled on the
// user's instance ("user/<name>"), so refusals are on the record.
//
// Thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "adapters/sqlite/credential_store.h"
#include "engine/clock.h"
#include "engine/engine.h"

namespace govassess {

struct AuthOptions {
  int64_t idle_timeout_ms = 30 * 60 * 1000;          // 30 minutes
  int64_t absolute_timeout_ms = 12 * 60 * 60 * 1000;  // 12 hours
  int free_failures = 5;                              // then back-off starts
  int64_t backoff_base_ms = 30 * 1000;                // doubles per further failure
};

struct Principal {
  std::string username;
  std::string role;
  std::string unit;
  // Signed in with a one-time password: until it is changed (PUT /api/v1/me/password)
  // the API answers nothing else.
  bool must_change_password = false;
  Actor ToActor(const std::string& origin) const { return Actor{username, role, unit, origin}; }
};

struct LoginResult {
  std::string token;  // give to the client once; never stored
  Principal principal;
  int64_t expires_ms = 0;  // the absolute end of the session
};

class AuthService {
 public:
  // Not owned; all must outlive the service.
  AuthService(CredentialStore* credentials, Engine* engine, AuthOptions options = {});

  // InvalidArgument for a password outside 12..1024 characters.
  static Result<std::string> HashPassword(const std::string& password);

  // A random password of 16 characters from an alphabet without look-alikes (no 0/O,
  // 1/l/I): for the one-time passwords an admin hands out and the demo users.
  static std::string NewOneTimePassword();

  // Sets the password of an existing user (journaled as "set_password" without the
  // secret) and ends the user's sessions. `one_time`: the user must change it after
  // signing in (initial passwords an admin hands out). `reason`, when given, is added
  // to the journal event's reason. NotFound for an unknown user.
  Status SetPassword(const std::string& username, const std::string& password, const Actor& by,
                     bool one_time = false, const std::string& reason = "");
  // An admin's reset (POST /api/v1/users/{username}/one-time-password): a new one-time
  // password for `username`, set with SetPassword (so the user's sessions end) by `by`.
  // Returns the password — give it to the admin once; it is stored only hashed and
  // never journaled. NotFound for an unknown user; Refused (journaled on the user) for a
  // disabled one.
  Result<std::string> IssueOneTimePassword(const std::string& username, const Actor& by,
                                           const std::string& reason = "");
  // The user's own change: Forbidden (journaled, counted like a failed login) when
  // `current` is wrong; InvalidArgument for a new password outside 12..1024 characters
  // or equal to the current one. Ends every session of the user (sign in again).
  Status ChangePassword(const Principal& who, const std::string& current,
                        const std::string& replacement, const std::string& origin);

  // Unauthenticated (wrong name or password, disabled user — one message for all),
  // RateLimited during back-off.
  Result<LoginResult> Login(const std::string& username, const std::string& password,
                            const std::string& origin);
  // Unauthenticated for an unknown, expired or idle session.
  Result<Principal> Authenticate(const std::string& token);
  // It is not an error if the session had already ended.
  Status Logout(const std::string& token, const std::string& origin);

  // Calendar feeds. A feed is reached by a secret URL token (128 random bits, hex) that
  // replaces the session for this one read-only use; only its SHA-256 is stored and the
  // journal records the feed's id and scope ("add_feed" on the user), never the token.
  struct Feed {
    std::string id;     // public, e.g. for revoking
    std::string token;  // set only when issued: give to the client once
    std::string scope;  // "user" or "unit"
    std::string subject;  // the username or the unit id
    Principal owner;
  };
  // Refused/Forbidden as the user workflow decides (e.g. a unit feed for a user without
  // a unit, more than 10 feeds).
  Result<Feed> IssueFeed(const Principal& owner, const std::string& scope, const std::string& origin);
  // The feed of `token`. NotFound for an unknown or revoked token or a disabled owner.
  Result<Feed> ResolveFeed(const std::string& token);
  // Revokes feed `id` of user `username`, journaled on that user with `by` as the actor:
  // the user themself, or an admin (any user's feed). Refused (journaled) when the user
  // has no such feed, Forbidden when `by` may not.
  Status RevokeFeed(const Principal& by, const std::string& username, const std::string& id,
                    const std::string& origin);
  // The username whose feeds include `id`. NotFound when nobody's do. Reads every user
  // record: for an admin's revocation, not for hot paths.
  Result<std::string> FeedOwner(const std::string& id);

 private:
  // SetPassword once the user is known to exist.
  Status StorePassword(const std::string& username, const std::string& password, const Actor& by,
                       bool one_time, const std::string& reason);
  Status Journal(const std::string& username, const std::string& command, const Actor& actor,
                 bool refused, const std::string& reason, const Json& extra = Json::object());

  CredentialStore* const credentials_;  // not owned
  Engine* const engine_;                // not owned
  const AuthOptions options_;
};

}  // namespace govassess

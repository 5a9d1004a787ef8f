// SmtpMailer: the e-mail delivery channel. Sends one plain-text message per Send over
// SMTP (Poco::Net::SMTPClientSession), optionally upgraded with STARTTLS and signed in
// with AUTH PLAIN or LOGIN.
//
// The domain decides what to send; this class only gets it to the mail server intact:
// subjects and display names (Chinese and English UTF-8) become RFC 2047 encoded-words,
// the body is text/plain; charset=UTF-8 in base64, and Message-ID carries the caller's
// idempotency key so that receivers can drop the duplicates at-least-once delivery
// produces.
//
// Thread-safe: the mailer holds only its configuration, and each Send opens, uses and
// closes its own session.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "engine/status.h"

namespace govassess::notify {

struct SmtpConfig {
  std::string host = "127.0.0.1";
  int port = 25;
  // EHLO, STARTTLS, EHLO again, then AUTH. The server's certificate must be valid for
  // `host` and signed by a CA the system trusts.
  bool starttls = false;
  std::string username;  // empty: no AUTH
  std::string password;
  std::string from_address;        // the envelope sender and the From address: "pmo@gx.gov.cn"
  std::string from_name;           // From's display name, UTF-8: "广西绩效办"; empty: none
  int timeout_ms = 10000;          // for connecting and for each reply of the server
  std::string helo = "govassess";  // the name we give in EHLO
};

struct Email {
  std::vector<std::string> to;  // bare addresses: "zhang.san@nanning.gov.cn"
  std::string subject;          // UTF-8
  std::string text;             // UTF-8; "\n" or "\r\n" line breaks
  // Without <>; the delivery's idempotency key goes here: the same delivery sent twice
  // carries the same Message-ID. Bytes outside RFC 5322's atext (and '=' and '.') are
  // written as =HH, so any key maps one-to-one to a valid Message-ID.
  std::string message_id;
  // Extra headers, e.g. {"X-GovAssess-Unit", "gx-nanning"}. Values may be UTF-8. They
  // may not replace the headers the mailer writes (From, To, Subject, Date,
  // Message-ID, MIME-Version, Content-*).
  std::vector<std::pair<std::string, std::string>> headers;
};

class SmtpMailer {
 public:
  explicit SmtpMailer(SmtpConfig config);

  // Sends `email` to all of `email.to` in one SMTP transaction.
  //
  // Ok: the server accepted the message for every recipient.
  // Unavailable (try again later): no connection, a timeout, a 4xx reply, a dropped
  //   connection, a failed TLS handshake (a certificate that is untrusted or for
  //   another host included).
  // Unauthenticated (permanent): the server refused our login (5xx to AUTH), wants a
  //   login we have no username for (530), or offers no AUTH although a username is
  //   configured.
  // InvalidArgument (permanent): the email is malformed (no recipient, an address or
  //   header with a line break, no message_id, ...; nothing was sent), or the server
  //   answered 5xx to the sender, a recipient, DATA or the message, or does not offer
  //   STARTTLS although the configuration requires it.
  // A failure the server caused names it ("127.0.0.1:25") and quotes its reply; the
  // password never appears.
  Status Send(const Email& email) const;

  // The message as it goes over the wire after DATA (before dot-stuffing), CRLF line
  // endings; `unix_seconds` gives the Date header. Exposed for tests and debugging.
  Result<std::string> Compose(const Email& email, long long unix_seconds) const;

 private:
  SmtpConfig config_;
};

// RFC 2047 encoding of a header value: `text` itself when it is printable ASCII
// without "=?", otherwise "=?UTF-8?B?...?=" words, each holding whole UTF-8 characters,
// folded with CRLF SP so that no line exceeds 78 characters. `used` is how much of the
// first line the header's name already takes ("Subject: " is 9).
std::string EncodeHeaderWords(const std::string& text, size_t used = 0);

}  // namespace govassess::notify

#include "adapters/notify/smtp_mailer.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SecureSMTPClientSession.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <sstream>
#include <string_view>

namespace govassess::notify {

namespace {

constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string Base64(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t v = uint32_t(uint8_t(bytes[i])) << 16 | uint32_t(uint8_t(bytes[i + 1])) << 8 |
                       uint32_t(uint8_t(bytes[i + 2]));
    out += kBase64Alphabet[v >> 18];
    out += kBase64Alphabet[(v >> 12) & 63];
    out += kBase64Alphabet[(v >> 6) & 63];
    out += kBase64Alphabet[v & 63];
  }
  if (i + 1 == bytes.size()) {
    const uint32_t v = uint32_t(uint8_t(bytes[i])) << 16;
    out += kBase64Alphabet[v >> 18];
    out += kBase64Alphabet[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    const uint32_t v = uint32_t(uint8_t(bytes[i])) << 16 | uint32_t(uint8_t(bytes[i + 1])) << 8;
    out += kBase64Alphabet[v >> 18];
    out += kBase64Alphabet[(v >> 12) & 63];
    out += kBase64Alphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

bool HasLineBreak(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

// An address as it may appear in MAIL FROM, RCPT TO and the headers: local@domain,
// printable ASCII, no spaces, brackets, quotes or commas.
bool IsPlainAddress(std::string_view a) {
  const size_t at = a.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == a.size() ||
      a.find('@', at + 1) != std::string_view::npos || a.size() > 254) {
    return false;
  }
  for (char c : a) {
    if (c <= ' ' || c >= 127 || c == '<' || c == '>' || c == '"' || c == ',' || c == ';' ||
        c == '(' || c == ')' || c == '\\') {
      return false;
    }
  }
  return true;
}

// RFC 5322 atext without '=' (our escape) and '.' (dot-atom forbids leading, trailing
// and doubled dots; escaping every dot keeps the mapping simple and one-to-one).
bool IsMessageIdChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-/?^_`{|}~").find(c) != std::string_view::npos;
}

std::string MessageIdLeft(std::string_view key) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : key) {
    if (IsMessageIdChar(c)) {
      out += c;
    } else {
      out += '=';
      out += kHex[uint8_t(c) >> 4];
      out += kHex[uint8_t(c) & 15];
    }
  }
  return out;
}

// A header field name: printable ASCII without ':' or space.
bool IsHeaderName(std::string_view name) {
  if (name.empty() || name.size() > 76) return false;
  for (char c : name) {
    if (c <= ' ' || c >= 127 || c == ':') return false;
  }
  return true;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(uint8_t(a[i])) != std::tolower(uint8_t(b[i]))) return false;
  }
  return true;
}

bool IsReservedHeader(std::string_view name) {
  for (const char* reserved : {"From", "To", "Cc", "Bcc", "Subject", "Date", "Message-ID",
                               "MIME-Version", "Sender", "Reply-To"}) {
    if (EqualsIgnoreCase(name, reserved)) return true;
  }
  return name.size() >= 8 && EqualsIgnoreCase(name.substr(0, 8), "Content-");
}

// "Tue, 03 Mar 2026 17:30:00 +0800": Beijing time, which is where the readers are.
std::string RfcDate(long long unix_seconds) {
  static const char* const kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t t = static_cast<std::time_t>(unix_seconds + 8 * 3600);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0800", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

// A display name as a quoted-string when it is plain ASCII, else as encoded-words.
std::string DisplayName(const std::string& name) {
  bool ascii = name.size() < 60;
  for (char c : name) {
    if (uint8_t(c) < 32 || uint8_t(c) >= 127) ascii = false;
  }
  if (!ascii || name.find("=?") != std::string::npos) return EncodeHeaderWords(name, 6);
  std::string out = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// The body with CRLF line breaks, base64 in lines of 76 characters.
std::string BodyBase64(const std::string& text) {
  std::string crlf;
  crlf.reserve(text.size() + text.size() / 16);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) crlf += '\r';
    crlf += text[i];
  }
  const std::string encoded = Base64(crlf);
  std::string out;
  for (size_t i = 0; i < encoded.size(); i += 76) {
    out.append(encoded, i, 76);
    out += "\r\n";
  }
  return out;
}

// What the server's reply `reply` (code `code`, 0 when there was none) to `step`
// means for the delivery.
Status FromReply(const std::string& server, const std::string& step, int code,
                 const std::string& reply) {
  if (code <= 0) {
    return Status::Unavailable("SMTP server " + server +
                               " closed the connection or sent no readable reply at " + step +
                               "; will retry");
  }
  const std::string message = "SMTP server " + server + " answered \"" + reply + "\" to " + step;
  if (code >= 500 && code < 600) {
    // 530 authentication required; 534, 535 and 538 the login was refused.
    if (code == 530 || code == 534 || code == 535 || code == 538 || step.rfind("AUTH", 0) == 0) {
      return Status::Unauthenticated(message);
    }
    return Status::InvalidArgument(message);
  }
  return Status::Unavailable(message + "; will retry");
}

// Whether the EHLO reply lists the extension `keyword` ("250-AUTH PLAIN LOGIN"), and
// when `parameter` is given, lists it with that parameter ("PLAIN").
bool Offers(const std::string& ehlo_reply, const std::string& keyword,
            const std::string& parameter = "") {
  std::istringstream lines(ehlo_reply);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line.size() > 4 ? line.substr(4) : "");
    std::string word;
    words >> word;
    if (!EqualsIgnoreCase(word, keyword)) continue;
    if (parameter.empty()) return true;
    while (words >> word) {
      if (EqualsIgnoreCase(word, parameter)) return true;
    }
  }
  return false;
}

// Poco's SecureSMTPClientSession, with the steps of a transaction made reachable so
// that each failure can be reported with the reply that caused it.
class Session : public Poco::Net::SecureSMTPClientSession {
 public:
  explicit Session(const Poco::Net::StreamSocket& socket) : SecureSMTPClientSession(socket) {}

  // Says EHLO (HELO if EHLO is refused); returns the reply code and text.
  // REQUIRES: open() read the greeting.
  int Hello(const std::string& helo, std::string& reply) {
    int code = sendCommand("EHLO", helo, reply);
    if (code / 100 != 2) code = sendCommand("HELO", helo, reply);
    return code;
  }
  // STARTTLS, then the TLS handshake, checking the certificate against `peer` (the
  // base class's startTLS() would check it against the empty host name a session
  // made from a socket has). Returns the STARTTLS reply code.
  int StartTls(const std::string& peer, Poco::Net::Context::Ptr context, std::string& reply) {
    const int code = sendCommand("STARTTLS", reply);
    if (code / 100 != 2) return code;
    Poco::Net::SecureStreamSocket secure =
        Poco::Net::SecureStreamSocket::attach(socket(), peer, context);
    socket() = secure;
    return code;
  }

  // AUTH PLAIN, or LOGIN when the server offers that and not PLAIN. Throws
  // SMTPException with the server's reply when the login is refused.
  void Authenticate(const std::string& ehlo_reply, const std::string& user,
                    const std::string& password) {
    if (!Offers(ehlo_reply, "AUTH", "PLAIN") && Offers(ehlo_reply, "AUTH", "LOGIN")) {
      LoginUsingLogin(user, password);
    } else {
      loginUsingPlain(user, password);
    }
  }

  // AUTH LOGIN: the user name, then the password, each after a 334. Poco 1.11's
  // loginUsingLogin answers only prompts that read "Username:" or "Password:" and
  // silently sends nothing otherwise; the prompts carry no meaning, so ignore them.
  void LoginUsingLogin(const std::string& user, const std::string& password) {
    std::string reply;
    int code = sendCommand("AUTH LOGIN", reply);
    if (code == 334) code = sendCommand(Base64(user), reply);
    if (code == 334) code = sendCommand(Base64(password), reply);
    if (code / 100 != 2) throw Poco::Net::SMTPException("Login using LOGIN failed", reply, code);
  }

  int Command(const std::string& command, std::string& reply) {
    return sendCommand(command, reply);
  }
};

Poco::Net::Context::Ptr ClientTlsContext() {
  // Checks the server's certificate against the system's CAs and its host name.
  // VERIFY_STRICT, not RELAXED: Poco 1.11 skips the host name check for local
  // addresses under RELAXED.
  return new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "",
                                Poco::Net::Context::VERIFY_STRICT, 9, true);
}

}  // namespace

std::string EncodeHeaderWords(const std::string& text, size_t used) {
  bool plain = text.size() + used <= 998 && text.find("=?") == std::string::npos;
  for (char c : text) {
    if (uint8_t(c) < 32 || uint8_t(c) >= 127) plain = false;
  }
  if (plain) return text;
  // "=?UTF-8?B?" + base64 + "?=" is 12 characters plus 4 for every 3 bytes of text.
  // Lines stay within 78 characters: a continuation line starts with one space, and
  // a word never exceeds RFC 2047's 75 characters (45 bytes of text).
  constexpr size_t kLine = 78, kOverhead = 12;
  std::string out;
  size_t line_used = used;
  size_t i = 0;
  while (i < text.size()) {
    size_t room = kLine > line_used + kOverhead ? (kLine - line_used - kOverhead) / 4 * 3 : 0;
    room = std::min<size_t>(room, 45);
    if (room < 4) {  // not even one character fits here: start a new line
      out += "\r\n ";
      line_used = 1;
      continue;
    }
    size_t end = std::min(text.size(), i + room);
    while (end < text.size() && end > i + 1 && (uint8_t(text[end]) & 0xC0) == 0x80) --end;
    const std::string word =
        "=?UTF-8?B?" + Base64(std::string_view(text).substr(i, end - i)) + "?=";
    out += word;
    line_used += word.size();
    i = end;
    if (i < text.size()) {
      out += "\r\n ";
      line_used = 1;
    }
  }
  return out;
}

SmtpMailer::SmtpMailer(SmtpConfig config) : config_(std::move(config)) {}

Result<std::string> SmtpMailer::Compose(const Email& email, long long unix_seconds) const {
  if (!IsPlainAddress(config_.from_address)) {
    return Status::InvalidArgument("the sender address \"" + config_.from_address +
                                   "\" is not a plain address like pmo@gx.gov.cn");
  }
  if (email.to.empty()) return Status::InvalidArgument("the email has no recipient");
  for (const std::string& to : email.to) {
    if (!IsPlainAddress(to)) {
      return Status::InvalidArgument("the recipient \"" + to +
                                     "\" is not a plain address like name@unit.gov.cn");
    }
  }
  if (email.message_id.empty()) {
    return Status::InvalidArgument("the email has no message_id (the delivery's idempotency key)");
  }
  if (HasLineBreak(email.subject) || HasLineBreak(config_.from_name)) {
    return Status::InvalidArgument("the subject and the sender's name must be one line");
  }
  for (const auto& [name, value] : email.headers) {
    if (!IsHeaderName(name)) {
      return Status::InvalidArgument("\"" + name + "\" is not a valid header name");
    }
    if (IsReservedHeader(name)) {
      return Status::InvalidArgument("the header " + name + " is written by the mailer itself");
    }
    if (HasLineBreak(value)) {
      return Status::InvalidArgument("the value of the header " + name + " must be one line");
    }
  }

  std::string m;
  m += "Date: " + RfcDate(unix_seconds) + "\r\n";
  m += "From: ";
  if (!config_.from_name.empty()) m += DisplayName(config_.from_name) + " ";
  m += "<" + config_.from_address + ">\r\n";
  m += "To: ";
  for (size_t i = 0; i < email.to.size(); ++i) {
    if (i > 0) m += ",\r\n ";
    m += email.to[i];
  }
  m += "\r\n";
  m += "Subject: " + EncodeHeaderWords(email.subject, 9) + "\r\n";
  m += "Message-ID: <" + MessageIdLeft(email.message_id) + "@govassess>\r\n";
  m += "Auto-Submitted: auto-generated\r\n";  // RFC 3834: no vacation replies, please
  for (const auto& [name, value] : email.headers) {
    m += name + ": " + EncodeHeaderWords(value, name.size() + 2) + "\r\n";
  }
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: text/plain; charset=UTF-8\r\n";
  m += "Content-Transfer-Encoding: base64\r\n";
  m += "\r\n";
  m += BodyBase64(email.text);
  return m;
}

Status SmtpMailer::Send(const Email& email) const {
  Result<std::string> message = Compose(email, static_cast<long long>(std::time(nullptr)));
  if (!message.ok()) return message.status();

  const std::string server = config_.host + ":" + std::to_string(config_.port);
  if (config_.port <= 0 || config_.port > 65535) {
    return Status::InvalidArgument("SMTP port " + std::to_string(config_.port) + " is not valid");
  }
  const Poco::Timespan timeout(Poco::Timespan::TimeDiff(config_.timeout_ms) * 1000);
  std::string step = "connect";
  try {
    Poco::Net::StreamSocket socket;
    socket.connect(Poco::Net::SocketAddress(config_.host, Poco::UInt16(config_.port)), timeout);
    socket.setReceiveTimeout(timeout);
    socket.setSendTimeout(timeout);
    Session session(socket);
    session.setTimeout(timeout);

    step = "the greeting";
    session.open();  // throws SMTPException unless the greeting is 2xx
    std::string reply;
    step = "EHLO " + config_.helo;
    int code = session.Hello(config_.helo, reply);
    if (code / 100 != 2) return FromReply(server, step, code, reply);

    if (config_.starttls) {
      if (!Offers(reply, "STARTTLS")) {
        return Status::InvalidArgument("SMTP server " + server +
                                       " does not offer STARTTLS, which the configuration "
                                       "requires (smtp.starttls)");
      }
      step = "STARTTLS";
      code = session.StartTls(config_.host, ClientTlsContext(), reply);
      if (code / 100 != 2) return FromReply(server, step, code, reply);
      session.setTimeout(timeout);
      step = "EHLO " + config_.helo + " after STARTTLS";
      code = session.Hello(config_.helo, reply);
      if (code / 100 != 2) return FromReply(server, step, code, reply);
    }

    if (!config_.username.empty()) {
      if (!Offers(reply, "AUTH")) {
        return Status::Unauthenticated(
            "SMTP server " + server + " does not offer AUTH, but smtp.username is set" +
            (config_.starttls ? "" : " (does it offer AUTH only after STARTTLS?)"));
      }
      step = "AUTH as \"" + config_.username + "\"";
      session.Authenticate(reply, config_.username, config_.password);
    }

    step = "MAIL FROM:<" + config_.from_address + ">";
    code = session.Command(step, reply);
    if (code / 100 != 2) return FromReply(server, step, code, reply);
    for (const std::string& to : email.to) {
      step = "RCPT TO:<" + to + ">";
      code = session.Command(step, reply);
      if (code / 100 != 2) return FromReply(server, step, code, reply);
    }
    step = "DATA";
    code = session.Command(step, reply);
    if (code / 100 != 3) return FromReply(server, step, code, reply);
    step = "the message";
    std::istringstream body(*message);
    session.sendMessage(body);  // dot-stuffs, ends with CRLF.CRLF, throws unless 2xx
    try {
      session.close();  // QUIT; the message is already accepted
    } catch (const Poco::Exception&) {
    }
    return Status::Ok();
  } catch (const Poco::Net::SMTPException& e) {
    // Poco's message is "<what Poco did>: <the server's reply>".
    const size_t colon = e.message().find(": ");
    return FromReply(server, step, e.code(),
                     colon == std::string::npos ? e.message() : e.message().substr(colon + 2));
  } catch (const Poco::TimeoutException&) {
    return Status::Unavailable("SMTP server " + server + " did not answer within " +
                               std::to_string(config_.timeout_ms) + " ms at " + step +
                               "; will retry");
  } catch (const Poco::Exception& e) {
    return Status::Unavailable("SMTP server " + server + " failed at " + step + ": " +
                               e.displayText() + "; will retry");
  } catch (const std::exception& e) {
    return Status::Unavailable("SMTP server " + server + " failed at " + step + ": " + e.what() +
                               "; will retry");
  }
}

}  // namespace govassess::notify

#!/usr/bin/python3
"""A real SMTP server for the mailer tests, on Debian's python3-aiosmtpd.

Usage: /usr/bin/python3 smtp_sink.py PORT OUTFILE [--user NAME --password PASS [--login-only]]
                                                 [--tls-cert CERT.pem --tls-key KEY.pem]

Listens on 127.0.0.1:PORT (0: any free port) and prints the port it listens on as
the first line of stdout once it accepts connections. Every accepted message is
appended to OUTFILE as one JSON line {"mail_from", "rcpt_tos", "data"} (data: the
message as received after DATA, dot-unstuffed) before the server answers 250, so a
client that got 250 finds its message in the file.

With --user and --password, AUTH LOGIN and PLAIN are offered without TLS and a mail
transaction needs a successful login (535 for wrong credentials, 530 without one).
--login-only offers AUTH LOGIN alone (no PLAIN).
With --tls-cert and --tls-key, STARTTLS is offered with that certificate (not required).

Programmed refusals, to test how a client classifies them — a recipient whose local
part is
  reject550  is refused with "550 5.1.1 mailbox unavailable" (permanent),
  busy451    is refused with "451 4.3.0 try again later" (transient).

SIGTERM or SIGINT stops it (exit code 0); it is an ordinary process, so SIGKILL works.
"""

import argparse
import asyncio
import json
import logging
import signal
import ssl
import sys
import warnings

try:
    from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword
except ImportError:
    sys.stderr.write(
        "smtp_sink.py: the aiosmtpd module is missing; install Debian's python3-aiosmtpd "
        "(apt-get install -y python3-aiosmtpd) and run this with /usr/bin/python3\n")
    sys.exit(3)


class Recorder:
    def __init__(self, path):
        self.path = path

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local == "reject550":
            return "550 5.1.1 mailbox unavailable"
        if local == "busy451":
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        data = envelope.content
        if isinstance(data, bytes):
            data = data.decode("utf-8", "replace")
        line = json.dumps({"mail_from": envelope.mail_from,
                           "rcpt_tos": list(envelope.rcpt_tos),
                           "data": data}, ensure_ascii=False)
        with open(self.path, "a", encoding="utf-8") as out:
            out.write(line + "\n")
            out.flush()
        return "250 2.0.0 Message accepted for delivery"


def make_authenticator(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
               and auth_data.login == user.encode("utf-8")
               and auth_data.password == password.encode("utf-8"))
        return AuthResult(success=ok, handled=False)
    return authenticate


def main():
    parser = argparse.ArgumentParser(description="An SMTP server that records messages.")
    parser.add_argument("port", type=int, help="port on 127.0.0.1; 0 for any free one")
    parser.add_argument("outfile", help="file to append one JSON line per message to")
    parser.add_argument("--user", help="require AUTH with this user name")
    parser.add_argument("--password", help="the password for --user")
    parser.add_argument("--login-only", action="store_true", help="offer AUTH LOGIN, not PLAIN")
    parser.add_argument("--tls-cert", help="offer STARTTLS with this PEM certificate")
    parser.add_argument("--tls-key", help="the PEM private key for --tls-cert")
    args = parser.parse_args()
    if (args.user is None) != (args.password is None):
        parser.error("--user and --password go together")
    if (args.tls_cert is None) != (args.tls_key is None):
        parser.error("--tls-cert and --tls-key go together")

    # aiosmtpd warns (rightly, outside a test) about AUTH without TLS; keep stderr quiet.
    warnings.simplefilter("ignore")
    logging.getLogger("mail.log").setLevel(logging.CRITICAL)

    recorder = Recorder(args.outfile)
    options = dict(hostname="smtp-sink.test", ident="GovAssess test SMTP sink")
    if args.user is not None:
        options.update(authenticator=make_authenticator(args.user, args.password),
                       auth_required=True, auth_require_tls=False)
        if args.login_only:
            options.update(auth_exclude_mechanism=["PLAIN"])
    if args.tls_cert is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        options.update(tls_context=context)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(
        loop.create_server(lambda: SMTP(recorder, loop=loop, **options),
                           host="127.0.0.1", port=args.port))
    port = server.sockets[0].getsockname()[1]
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, loop.stop)
    print(port, flush=True)
    try:
        loop.run_forever()
    finally:
        server.close()
        loop.run_until_complete(server.wait_closed())
        loop.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Network guard: the demo and the tests may only talk to loopback.

Odoo's ``BaseCase`` blocks non-loopback ``requests`` calls inside test methods
only (and just logs them at INFO level); it does not cover module installation,
the demo build, the demo server's crons, nor any other HTTP stack (urllib, smtplib,
raw sockets). This guard patches the ``socket`` module of the process that
installs it: a name resolution or a connection towards anything else than
loopback (or the hosts listed in ``DURET_NET_ALLOW``, e.g. the sandbox service of
docker compose) is refused, logged at ERROR level (which ``tests/run`` counts as
a failure) and appended to the file named by ``DURET_NET_REPORT`` (which the
demo checks after its build).

``python -m tests.netguard <odoo arguments>`` runs Odoo with the guard on, and
Odoo's own phone-home (``publisher_warranty_url``) pointed at a closed loopback
port.
"""

import errno
import ipaddress
import logging
import os
import socket
import sys
import traceback

ALLOW_ENV = "DURET_NET_ALLOW"
REPORT_ENV = "DURET_NET_REPORT"
_logger = logging.getLogger("duret.netguard")
_original = {}
# Frames left out of the caller's stack in the error: the HTTP stack between it and the socket.
PLUMBING = ("/urllib3/", "/requests/", "/http/client.py", "/socket.py", "/netguard.py")
# Odoo's phone-home (publisher warranty, called by l10n_fr's install hook and a weekly cron):
# sent to a closed loopback port, so that it fails at once without leaving the machine.
PUBLISHER_WARRANTY_URL = "http://127.0.0.1:9/publisher-warranty/"


class BlockedConnection(ConnectionRefusedError):
    """A connection the guard refused (an OSError, so callers fail as on a dead network)."""


def _allowed_names():
    extra = os.environ.get(ALLOW_ENV, "")
    return {"localhost"} | {name.strip().lower() for name in extra.split(",") if name.strip()}


def _ip(host):
    try:
        return ipaddress.ip_address(str(host).split("%")[0])
    except ValueError:
        return None


def _allowed_ips():
    """Loopback, plus the addresses of the allowed names (resolved with the real resolver)."""
    ips = set()
    for name in _allowed_names() - {"localhost"}:
        try:
            ips |= {info[4][0] for info in _original["getaddrinfo"](name, None)}
        except OSError:
            continue
    return ips


def host_allowed(host):
    """True for loopback addresses, ``localhost`` and the names of ``DURET_NET_ALLOW``."""
    if not host:  # None or "": the local wildcard
        return True
    ip = _ip(host)
    if ip is not None:
        return ip.is_loopback or str(ip) in _allowed_ips()
    name = str(host).rstrip(".").lower()
    return name in _allowed_names() or name.endswith(".localhost")


def _block(what, host, port):
    message = (
        f"network guard: {what} of {host}:{port} refused, only loopback is allowed "
        "(the demo and the tests never call a real service)"
    )
    caller = "".join(
        frame
        for frame in traceback.format_stack(limit=40)
        if not any(part in frame.split("\n")[0] for part in PLUMBING)
    )
    _logger.error("%s\n%s", message, caller)
    report = os.environ.get(REPORT_ENV)
    if report:
        with open(report, "a", encoding="utf-8") as out:
            out.write(f"{message}\n")
    raise BlockedConnection(errno.ECONNREFUSED, message)


def _guarded_getaddrinfo(host, port, *args, **kwargs):
    if isinstance(host, bytes):
        host = host.decode("idna")
    if not (host_allowed(host) or _ip(host) is not None):
        _block("name resolution", host, port)
    return _original["getaddrinfo"](host, port, *args, **kwargs)


def _check_address(sock, address):
    if sock.family in (socket.AF_INET, socket.AF_INET6) and not host_allowed(address[0]):
        _block("connection", address[0], address[1])


def _guarded_connect(sock, address):
    _check_address(sock, address)
    return _original["connect"](sock, address)


def _guarded_connect_ex(sock, address):
    _check_address(sock, address)
    return _original["connect_ex"](sock, address)


def install():
    """Patch this process's socket module (idempotent)."""
    if _original:
        return
    _original.update(
        getaddrinfo=socket.getaddrinfo,
        connect=socket.socket.connect,
        connect_ex=socket.socket.connect_ex,
    )
    socket.getaddrinfo = _guarded_getaddrinfo
    socket.socket.connect = _guarded_connect
    socket.socket.connect_ex = _guarded_connect_ex


def keep_odoo_home(config):
    """Point Odoo's own phone-home at loopback (a config option without command-line flag)."""
    config["publisher_warranty_url"] = PUBLISHER_WARRANTY_URL


def run_odoo(argv):
    """Odoo's command line (as ``odoo-bin``) with the guard on."""
    os.environ["TZ"] = "UTC"  # what odoo-bin does before anything reads the clock
    install()
    import odoo

    keep_odoo_home(odoo.tools.config)
    sys.argv = ["odoo", *argv]
    odoo.cli.main()


if __name__ == "__main__":
    run_odoo(sys.argv[1:])

"""Routing, fault injection and request log shared by every emulated service.

The server is the standard library's ``ThreadingHTTPServer``: real sockets on
loopback, no mocking library.  Each service is a class exposing ``routes()``
(a list of ``(method, path_regex, handler)``) and ``reset()``; handlers take a
:class:`SandboxRequest` and return a :class:`SandboxResponse`.

Admin endpoints (under ``/_sandbox``), for tests, benchmarks and the demo:

* ``POST /_sandbox/reset``: every service back to its initial state, log cleared.
* ``POST /_sandbox/faults`` ``{"route": "<path prefix>", "kind": "...", "count": N,
  "method": "POST"}``: the next N calls whose path starts with ``route`` fail with
  ``kind`` = ``429`` (``Retry-After: retry_after``, default 1) / ``500`` / ``503`` /
  ``hang`` (sleeps ``seconds``, default 30, past any sane client timeout) / ``malformed``
  (invalid JSON body, HTTP 200) /
  ``drop`` (connection closed without an answer) / ``cut`` (the real answer announced
  whole, half of its body sent, then the connection closed: a stream dropped mid-way) /
  ``lost`` (the service handles the request, then the connection is closed: the answer of
  a deposit that did arrive is lost).
* ``GET /_sandbox/log``: the request log, ``[{method, path, route, status}]``.
* ``GET /_sandbox/counters``: ``{"<METHOD> <route>": {"<status>": count}}``.
* services add their own admin routes under ``/_sandbox/<service>/...``.
"""

import json
import logging
import os
import re
import shutil
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

_logger = logging.getLogger(__name__)

FAULT_KINDS = ("429", "500", "503", "hang", "malformed", "drop", "cut", "lost")


@dataclass
class SandboxRequest:
    method: str
    path: str
    query: dict  # name -> list of values, as parse_qs returns
    headers: dict  # lower-case name -> value
    body: bytes
    match: re.Match = None

    def arg(self, name, default=None):
        values = self.query.get(name)
        return values[0] if values else default

    def json(self):
        """Decoded JSON body; raises ValueError on invalid JSON."""
        return json.loads(self.body.decode("utf-8") or "null")

    def form(self):
        return {k: v[0] for k, v in parse_qs(self.body.decode("utf-8")).items()}


@dataclass
class SandboxResponse:
    status: int = 200
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    #: send only this many bytes of the body, then close (the ``cut`` fault)
    cut_at: int = None
    #: send this file as the body, read piece by piece (a bulk export larger than memory)
    file: str = None

    @classmethod
    def json(cls, payload, status=200, headers=None):
        hdrs = {"Content-Type": "application/json; charset=utf-8"}
        hdrs.update(headers or {})
        return cls(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"), hdrs)


class _Fault:
    def __init__(self, route, kind, count, method=None, seconds=30.0, retry_after=1):
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}, expected one of {FAULT_KINDS}")
        self.route, self.kind, self.count = route, kind, int(count)
        self.method = method.upper() if method else None
        self.seconds = float(seconds)
        self.retry_after = int(retry_after)

    def applies(self, method, path):
        return self.count > 0 and path.startswith(self.route) and self.method in (None, method)


class _DropConnection(Exception):
    """Raised by the fault machinery to close the socket without answering."""


class Sandbox:
    """Holds the services, the fault queue and the request log; serves them over HTTP."""

    def __init__(self, services=None, **options):
        self.options = options
        self._lock = threading.RLock()
        self.services = services if services is not None else _default_services(self, options)
        self._routes = []
        for service in self.services:
            for method, pattern, handler in service.routes():
                self._routes.append((method, re.compile(pattern + r"\Z"), handler))
        self._admin_routes = [
            ("POST", re.compile(r"/_sandbox/reset\Z"), self._admin_reset),
            ("POST", re.compile(r"/_sandbox/faults\Z"), self._admin_faults),
            ("GET", re.compile(r"/_sandbox/log\Z"), self._admin_log),
            ("GET", re.compile(r"/_sandbox/counters\Z"), self._admin_counters),
        ]
        self.faults = []
        self.log = []
        self.httpd = None
        self._thread = None

    # -- state ---------------------------------------------------------------
    def reset(self):
        with self._lock:
            self.faults.clear()
            self.log.clear()
        for service in self.services:
            service.reset()

    def add_fault(self, route, kind, count=1, method=None, seconds=30.0, retry_after=1):
        with self._lock:
            self.faults.append(_Fault(route, kind, count, method, seconds, retry_after))

    def counters(self):
        result = {}
        with self._lock:
            for entry in self.log:
                key = f"{entry['method']} {entry['route']}"
                per_status = result.setdefault(key, {})
                per_status[str(entry["status"])] = per_status.get(str(entry["status"]), 0) + 1
        return result

    def calls(self, path_prefix="", method=None):
        """Number of logged calls whose path starts with ``path_prefix``."""
        with self._lock:
            return sum(
                1
                for e in self.log
                if e["path"].startswith(path_prefix) and method in (None, e["method"])
            )

    def service(self, cls_name):
        for service in self.services:
            if type(service).__name__ == cls_name:
                return service
        raise KeyError(cls_name)

    # -- dispatch ------------------------------------------------------------
    def dispatch(self, request):
        """Route a request; returns a response (or raises _DropConnection)."""
        for method, pattern, handler in self._admin_routes:
            match = pattern.match(request.path)
            if match and method == request.method:
                request.match = match
                return handler(request)
        for method, pattern, handler in self._routes:
            match = pattern.match(request.path)
            if match and method == request.method:
                route = pattern.pattern[:-2]
                fault = self._take_fault(request.method, request.path)
                if fault and fault.kind not in ("cut", "lost"):
                    response = self._apply_fault(fault)
                    self._record(request, route, response.status if response else "dropped")
                    if response is None:
                        raise _DropConnection()
                    return response
                request.match = match
                try:
                    response = handler(request)
                except Exception:  # a sandbox bug must show, not hang the client
                    _logger.exception(
                        "sandbox handler failed for %s %s", request.method, request.path
                    )
                    response = SandboxResponse.json({"error": "sandbox handler crashed"}, 500)
                if fault and fault.kind == "lost":  # handled, the answer never reaches the client
                    self._record(request, route, "lost")
                    raise _DropConnection()
                if fault:  # cut: the real answer, half sent
                    response.cut_at = len(response.body) // 2
                if not request.path.startswith("/_sandbox/"):
                    self._record(request, route, response.status)
                return response
        return SandboxResponse.json({"error": f"no route {request.method} {request.path}"}, 404)

    def _take_fault(self, method, path):
        with self._lock:
            for fault in self.faults:
                if fault.applies(method, path):
                    fault.count -= 1
                    return fault
        return None

    @staticmethod
    def _apply_fault(fault):
        if fault.kind in ("429", "500", "503"):
            headers = {"Retry-After": str(fault.retry_after)} if fault.kind == "429" else {}
            return SandboxResponse.json(
                {"error": f"injected fault {fault.kind}"}, int(fault.kind), headers
            )
        if fault.kind == "malformed":
            return SandboxResponse(
                200, b'{"truncated": [1, 2', {"Content-Type": "application/json"}
            )
        if fault.kind == "hang":
            time.sleep(fault.seconds)
            return SandboxResponse.json({"error": "answered after hanging"}, 504)
        return None  # drop

    def _record(self, request, route, status):
        with self._lock:
            self.log.append(
                {"method": request.method, "path": request.path, "route": route, "status": status}
            )

    # -- admin ---------------------------------------------------------------
    def _admin_reset(self, request):
        self.reset()
        return SandboxResponse.json({"reset": True})

    def _admin_faults(self, request):
        try:
            spec = request.json() or {}
            self.add_fault(
                spec["route"],
                str(spec["kind"]),
                spec.get("count", 1),
                spec.get("method"),
                spec.get("seconds", 30.0),
                spec.get("retry_after", 1),
            )
        except (KeyError, ValueError) as exc:
            return SandboxResponse.json({"error": str(exc)}, 400)
        return SandboxResponse.json({"faults": len(self.faults)})

    def _admin_log(self, request):
        with self._lock:
            return SandboxResponse.json(list(self.log))

    def _admin_counters(self, request):
        return SandboxResponse.json(self.counters())

    # -- server --------------------------------------------------------------
    def start(self, host="127.0.0.1", port=0):
        """Serve in a background thread; returns the base URL."""
        self.httpd = _Server((host, port), _handler_for(self))
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        return self.url

    def serve_forever(self, host="127.0.0.1", port=8899):
        self.httpd = _Server((host, port), _handler_for(self))
        self.httpd.serve_forever()

    @property
    def url(self):
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self):
        if self.httpd:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


def _handler_for(sandbox):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):  # the request log is the admin endpoint
            _logger.debug("%s " + fmt, self.address_string(), *args)

        def _handle(self):
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            request = SandboxRequest(
                method=self.command,
                path=parts.path,
                query=parse_qs(parts.query, keep_blank_values=True),
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body,
            )
            try:
                response = sandbox.dispatch(request)
            except _DropConnection:
                self.close_connection = True
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                return
            try:
                self._write(response)
            except (BrokenPipeError, ConnectionResetError):
                # the client gave up first (e.g. after a ``hang`` fault): nothing to answer
                self.close_connection = True

        def _write(self, response):
            self.send_response(response.status)
            headers = dict(response.headers)
            headers.setdefault("Content-Type", "application/octet-stream")
            for name, value in headers.items():
                self.send_header(name, str(value))
            size = os.path.getsize(response.file) if response.file else len(response.body)
            self.send_header("Content-Length", str(size))
            self.end_headers()
            if self.command == "HEAD":
                return
            if response.file:
                with open(response.file, "rb") as body:
                    shutil.copyfileobj(body, self.wfile, 64 * 1024)
                return
            if response.cut_at is None:
                self.wfile.write(response.body)
                return
            self.wfile.write(response.body[: response.cut_at])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

    return Handler


def _default_services(sandbox, options):
    """Every emulated service, in routing order (imported here to keep core small)."""
    from . import registry

    return registry.build_services(sandbox, options)

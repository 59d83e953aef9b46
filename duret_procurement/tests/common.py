"""Test helpers shared by the suite's addons, so that each addon's tests stand on their own.

* :func:`fixtures_dir`: the shared real-data fixtures (read at test time, never copied);
* :class:`FakeSession` / :class:`FakeResponse`: the one HTTP boundary double of the
  clients' ``requests`` session (unit tests only: end-to-end tests use the sandbox);
* :func:`make_user`: users through Odoo's ``new_test_user`` with the suite's groups
  (:data:`ACCOUNTANT`, :data:`DIRECTOR`, :data:`SALESPERSON`), in their language;
* :class:`TourMixin`: a browser tour run as a user, on a record's form or the home page;
* :func:`sandbox_url` / :class:`SandboxMixin`: the local HTTP sandbox. ``tests/run``
  starts it and exports ``DURET_SANDBOX_URL``; a test run some other way starts it
  in-process from the repository's ``tests/sandbox`` package, loaded from its
  file (no ``sys.path`` edit), so end-to-end tests never silently depend on a
  missing server.
"""

import importlib.util
import json
import os
import re
import sys
from pathlib import Path

import requests

from odoo.tests.common import new_test_user

REPO_ROOT = Path(__file__).resolve().parents[2]
SANDBOX_PACKAGE = "duret_test_sandbox"
_in_process = {}


def fixtures_dir():
    """``$DURET_SHARED_FIXTURES``, else ``<repo>/../shared/fixtures`` (never copied).

    The one lookup is the sandbox's (``tests/sandbox/fixtures.py``).
    """
    return sandbox_module("fixtures").fixtures_dir()


# -- HTTP boundary double ----------------------------------------------------------


class FakeResponse(requests.Response):
    """A real ``requests.Response`` with a given status, JSON payload or raw content."""

    def __init__(self, status=200, payload=None, content=None, headers=None, reason=None):
        super().__init__()
        self.status_code = status
        self.reason = reason or ""
        if content is None:
            content = json.dumps(payload).encode() if payload is not None else b""
        elif isinstance(content, str):
            content = content.encode()
        self._content = content
        self.encoding = "utf-8"
        self.headers.update(headers or {})


class FakeSession:
    """Answers by URL pattern and records every request (the clients' HTTP boundary).

    ``add(pattern, *answers)``: answers are played one per call, the last one
    repeating (adding to a pattern already routed queues more answers); each is
    a response, an exception to raise, or a callable ``(url, params) -> response``.
    ``clock`` (a :class:`FakeClock`) lets a test play a service that hangs: an
    answer ``FakeSession.hang`` advances it by the read timeout and raises
    ``requests.ReadTimeout``, as a silent server would.
    """

    hang = object()

    def __init__(self, clock=None):
        self.routes = []
        self.calls = []
        self.clock = clock

    def add(self, pattern, *answers):
        for route, queued in self.routes:
            if route.pattern == pattern:
                queued.extend(answers)
                return self
        self.routes.append((re.compile(pattern), list(answers)))
        return self

    def request(self, method, url, headers=None, params=None, timeout=None, **kwargs):
        self.calls.append(
            {
                "method": method,
                "url": url,
                "headers": headers or {},
                "params": params or {},
                "timeout": timeout,
                **kwargs,
            }
        )
        for pattern, answers in self.routes:
            if pattern.search(url):
                answer = answers.pop(0) if len(answers) > 1 else answers[0]
                if answer is self.hang:
                    read = timeout[1] if isinstance(timeout, tuple) else timeout
                    self.clock.advance(read)
                    raise requests.ReadTimeout(f"read timed out (read timeout={read})")
                if isinstance(answer, Exception):
                    raise answer
                return answer(url, params) if callable(answer) else answer
        return FakeResponse(404, {"errors": [{"code": "00000", "title": "unrouted"}]})

    def paths(self, fragment=""):
        return [call["url"] for call in self.calls if fragment in call["url"]]


class FakeClock:
    """A monotonic clock and a ``sleep`` that only advance it (tests never wait)."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.advance(seconds)


# -- users --------------------------------------------------------------------------

#: the suite's people, as ``new_test_user`` groups (comma-separated XML ids)
ACCOUNTANT = "base.group_user,account.group_account_invoice"
DIRECTOR = "sales_team.group_sale_manager,duret_procurement.group_manager"
SALESPERSON = "sales_team.group_sale_salesman,duret_procurement.group_user"


def make_user(env, login, groups="base.group_user", lang=None, **values):
    """An internal user with ``groups`` (comma-separated XML ids), in the test's company.

    ``company_id`` puts the user in that company only; ``lang`` is activated first (a
    template database may lack it). The password is the login (what tours log in with).
    """
    company = values.pop("company_id", env.company.id)
    if lang:
        env["res.lang"]._activate_lang(lang)
        values["lang"] = lang
    return new_test_user(
        env,
        login=login,
        groups=groups,
        company_id=company,
        company_ids=[(6, 0, [company])],
        **{"password": login, **values},
    )


def load_migration(addon, version, script):
    """``<addon>/migrations/<version>/<script>`` as Odoo loads it (its file name is no
    module name), for a test to run its ``migrate(cr, version)``."""
    path = REPO_ROOT / addon / "migrations" / version / script
    name = f"{addon}_migration_{version.replace('.', '_')}_{path.stem.replace('-', '_')}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def morning_summary_of(env, user):
    """Run the morning summary job; the summary it recorded for ``user`` (empty if none)."""
    Summary = env["procurement.morning.summary"]
    Summary._cron_morning_summary()
    return Summary.search([("user_id", "=", user.id)], limit=1)


class TourMixin:
    """Mix into an ``HttpCase``: the suite's tours start on a form or on the home page."""

    def tour_as(self, user, tour, record=None):
        """Run ``tour`` logged in as ``user``, on ``record``'s form (else ``/web``)."""
        url = f"/web#id={record.id}&model={record._name}&view_type=form" if record else "/web"
        self.start_tour(url, tour, login=user.login)


# -- sandbox ------------------------------------------------------------------------


def _sandbox_package():
    """The repository's ``tests/sandbox`` package, loaded from its files."""
    if SANDBOX_PACKAGE not in sys.modules:
        folder = REPO_ROOT / "tests" / "sandbox"
        spec = importlib.util.spec_from_file_location(
            SANDBOX_PACKAGE, folder / "__init__.py", submodule_search_locations=[str(folder)]
        )
        package = importlib.util.module_from_spec(spec)
        sys.modules[SANDBOX_PACKAGE] = package
        spec.loader.exec_module(package)
    return sys.modules[SANDBOX_PACKAGE]


def sandbox_module(name):
    """A module of the repository's sandbox package (e.g. ``boamp_generator``)."""
    return importlib.import_module(f"{_sandbox_package().__name__}.{name}")


def sandbox_url():
    url = os.environ.get("DURET_SANDBOX_URL")
    if url:
        return url.rstrip("/")
    if "sandbox" not in _in_process:
        sandbox = _sandbox_package().Sandbox(seed=20261123, boamp_notices=300, token_lifetime=3600)
        sandbox.start()
        _in_process["sandbox"] = sandbox
    return _in_process["sandbox"].url


class SandboxMixin:
    """Mix into an Odoo test case to talk to the sandbox's admin endpoints."""

    @classmethod
    def sandbox_url(cls):
        return sandbox_url()

    @classmethod
    def sandbox_admin(cls, method, path, payload=None):
        response = requests.request(
            method, f"{sandbox_url()}/_sandbox/{path}", json=payload, timeout=30
        )
        response.raise_for_status()
        return response.json()

    @classmethod
    def sandbox_reset(cls):
        return cls.sandbox_admin("POST", "reset")

    @classmethod
    def sandbox_fault(cls, route, kind, count=1, method=None, seconds=30, retry_after=1):
        return cls.sandbox_admin(
            "POST",
            "faults",
            {
                "route": route,
                "kind": kind,
                "count": count,
                "method": method,
                "seconds": seconds,
                "retry_after": retry_after,
            },
        )

    @classmethod
    def sandbox_calls(cls, path_prefix):
        """Calls logged since the last reset whose path starts with ``path_prefix``."""
        log = cls.sandbox_admin("GET", "log")
        return sum(1 for entry in log if entry["path"].startswith(path_prefix))

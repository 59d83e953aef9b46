"""The network guard: loopback passes, anything else fails loudly, in every HTTP stack.

Each check runs in a child Python (the guard patches the process's socket module).
No packet leaves the machine: the refused addresses are TEST-NET (192.0.2.0/24,
RFC 5737) and names the guard refuses before any DNS query.
"""

import json
import re
import subprocess
import sys
import textwrap

import pytest

from tests import netguard
from tests.odoo_env import REPO, find_odoo, subprocess_env

SCRIPT = textwrap.dedent(
    """
    import json, logging, socket, smtplib, sys, urllib.request
    import requests
    from tests import netguard

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    netguard.install()
    outcome = {}

    def attempt(name, call):
        try:
            call()
            outcome[name] = "passed"
        except netguard.BlockedConnection:
            outcome[name] = "blocked"
        except Exception as exc:  # requests wraps the refusal in its own error
            outcome[name] = "blocked" if "network guard" in str(exc) else repr(exc)

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    attempt("loopback", lambda: socket.create_connection(("127.0.0.1", port), 2).close())
    attempt("localhost", lambda: socket.create_connection(("localhost", port), 2).close())
    attempt("raw", lambda: socket.create_connection(("192.0.2.1", 80), 2))
    attempt("requests", lambda: requests.get(
        "https://recherche-entreprises.api.gouv.fr/search?q=duret", timeout=2))
    attempt("urllib", lambda: urllib.request.urlopen("http://192.0.2.7/", timeout=2))
    attempt("smtp", lambda: smtplib.SMTP("smtp.example.org", 25, timeout=2))
    print(json.dumps(outcome))
    """
)


def run_guarded(tmp_path, **env):
    report = tmp_path / "refused.txt"
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), netguard.REPORT_ENV: str(report)}
        | env,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1]), result.stderr, report


def test_loopback_passes_everything_else_is_refused_and_reported(tmp_path):
    outcome, log, report = run_guarded(tmp_path)
    assert outcome == {
        "loopback": "passed",
        "localhost": "passed",
        "raw": "blocked",
        "requests": "blocked",
        "urllib": "blocked",
        "smtp": "blocked",
    }
    refused = report.read_text().splitlines()
    assert len(refused) == 4
    assert any("recherche-entreprises.api.gouv.fr:443" in line for line in refused)
    assert any("192.0.2.1:80" in line for line in refused)
    # ERROR level: tests/run fails on it, and the line names the guard
    errors = re.findall(r"^ERROR duret.netguard: network guard: .*$", log, re.M)
    assert len(errors) == 4, log


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("127.0.0.1", True),
        ("127.3.2.1", True),
        ("::1", True),
        ("localhost", True),
        ("", True),
        ("10.0.0.5", False),
        ("192.0.2.1", False),
        ("recherche-entreprises.api.gouv.fr", False),
        ("sandbox", False),
    ],
)
def test_host_allowed(host, allowed):
    assert netguard.host_allowed(host) is allowed


def test_named_service_allowed_for_docker_compose(monkeypatch):
    """docker compose reaches the sandbox service by name: DURET_NET_ALLOW lets it through."""
    monkeypatch.setenv(netguard.ALLOW_ENV, "sandbox")
    assert netguard.host_allowed("sandbox")
    assert not netguard.host_allowed("recherche-entreprises.api.gouv.fr")


def test_every_odoo_the_suite_starts_is_guarded(monkeypatch):
    """``find_odoo`` (tests/run, the demo, the benchmarks) gives Odoo's command line under the
    guard, importable or from ODOO_PATH, with the warranty URL on loopback."""
    odoo_cmd, odoo_root = find_odoo()
    assert odoo_cmd == [sys.executable, "-m", "tests.netguard"]
    monkeypatch.setenv("ODOO_PATH", str(odoo_root))
    assert find_odoo() == (odoo_cmd, odoo_root)
    result = subprocess.run(
        [*odoo_cmd, "--version"],
        cwd="/",
        env=subprocess_env(odoo_root),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Odoo Server 17.0" in result.stdout
    assert netguard.host_allowed(re.match(r"http://([^:/]+)", netguard.PUBLISHER_WARRANTY_URL)[1])


def test_addons_speak_http_through_requests_only():
    """Odoo's test cases block external calls made through ``requests`` sessions only: the
    addons' code must not open connections another way (the guard would still refuse them,
    but only under tests/run and the demo)."""
    other_stacks = re.compile(
        r"^\s*(?:import|from)\s+(urllib\.request|http\.client|smtplib|ftplib|httpx|aiohttp|"
        r"socket\b)",
        re.M,
    )
    offenders = [
        f"{path.relative_to(REPO)}: {match.group(1)}"
        for path in REPO.glob("duret_*/**/*.py")
        if "tests" not in path.relative_to(REPO).parts
        for match in other_stacks.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []

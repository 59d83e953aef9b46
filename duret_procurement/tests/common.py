"""Test helpers shared by the suite's addons: the local HTTP sandbox.

``tests/run`` starts the sandbox and exports its URL as ``DURET_SANDBOX_URL``.
When a test is run some other way, the sandbox is started in-process from the
project's ``tests/sandbox`` package (the repository holds the addons at its
top level), so end-to-end tests never silently depend on a missing server.
"""

import os
import sys
from pathlib import Path

import requests

_in_process = {}


def sandbox_url():
    url = os.environ.get("DURET_SANDBOX_URL")
    if url:
        return url.rstrip("/")
    if "sandbox" not in _in_process:
        repo_root = str(Path(__file__).resolve().parents[2])
        if repo_root not in sys.path:
            sys.path.insert(0, repo_root)
        from tests.sandbox import Sandbox  # the project's own sandbox package

        sandbox = Sandbox(seed=20261123, boamp_notices=300, token_lifetime=3600)
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
    def sandbox_fault(cls, route, kind, count=1, method=None, seconds=30):
        return cls.sandbox_admin(
            "POST",
            "faults",
            {"route": route, "kind": kind, "count": count, "method": method, "seconds": seconds},
        )

    @classmethod
    def sandbox_calls(cls, path_prefix):
        """Calls logged since the last reset whose path starts with ``path_prefix``."""
        log = cls.sandbox_admin("GET", "log")
        return sum(1 for entry in log if entry["path"].startswith(path_prefix))

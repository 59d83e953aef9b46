"""pytest fixtures shared by the cross-addon suite."""

import pytest
import requests

from tests.sandbox import Sandbox


@pytest.fixture(scope="session")
def sandbox_server():
    """One sandbox per session on a free loopback port (generation is costly)."""
    sandbox = Sandbox(seed=20261123, boamp_notices=300, token_lifetime=3600)
    sandbox.start()
    yield sandbox
    sandbox.stop()


@pytest.fixture
def sandbox(sandbox_server):
    """The session sandbox, reset to its initial state before each test."""
    sandbox_server.reset()
    return sandbox_server


@pytest.fixture
def http():
    with requests.Session() as session:
        yield session

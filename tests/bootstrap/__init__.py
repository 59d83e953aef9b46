"""What ``make demo`` and ``make test`` set up on a fresh machine, idempotently.

Standard library only: it runs with the system ``python3`` before any virtual
environment exists. One module per concern: ``system_packages`` (Debian
packages), ``odoo_source`` (an Odoo 17 to run), ``python_env`` (the Python that
has Odoo's and the suite's requirements), ``postgres`` (a reachable server, else
a private cluster); ``__main__`` chains them and runs the demo or the tests.
Everything it creates lives in the ignored folder ``.bootstrap/`` of the project.
"""

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def state_dir():
    """Where the bootstrap keeps what it creates (``DURET_BOOTSTRAP_DIR`` overrides it)."""
    return Path(os.environ.get("DURET_BOOTSTRAP_DIR") or REPO / ".bootstrap")


def say(message):
    print(f"[bootstrap] {message}", flush=True)


class BootstrapError(Exception):
    """A step cannot be done here; the message says what to do by hand."""

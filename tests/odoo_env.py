"""Find the Odoo 17 to run: ``$ODOO_PATH`` (a source tree) or the importable package.

Shared by ``tests/run``, the demo and the benchmarks, so they all run the same Odoo,
and all under the network guard (``tests.netguard``: loopback only).
"""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


# Odoo's command line under the network guard; run it with ``subprocess_env`` (Odoo importable).
GUARDED_ODOO = [sys.executable, "-m", "tests.netguard"]


def find_odoo():
    """``(command prefix, root directory)`` of Odoo 17, or ``(None, None)``."""
    odoo_path = os.environ.get("ODOO_PATH")
    if odoo_path and (Path(odoo_path) / "odoo" / "release.py").is_file():
        return GUARDED_ODOO, Path(odoo_path)
    probe = "import odoo.release as r; print(r.version_info[0], r.__file__)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    if result.returncode == 0 and result.stdout.split()[0] == "17":
        return GUARDED_ODOO, Path(result.stdout.split()[1]).parent.parent
    return None, None


def addons_path(odoo_root):
    """Odoo's addons directories (source tree or packaged layout), then this repository."""
    candidates = [Path(odoo_root) / "addons", Path(odoo_root) / "odoo" / "addons"]
    return ",".join([str(p) for p in candidates if p.is_dir()] + [str(REPO)])


def addon_names():
    """Every addon of the repository (a top-level folder with a manifest)."""
    return sorted(p.parent.name for p in REPO.glob("*/__manifest__.py"))


def subprocess_env(odoo_root, **extra):
    """Environment for child processes: the repository and Odoo importable."""
    path = [str(REPO), str(odoo_root)] if odoo_root else [str(REPO)]
    return dict(os.environ, PYTHONPATH=os.pathsep.join(path), **extra)

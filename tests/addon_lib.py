"""Import an addon's ``lib/`` package without Odoo (pytest and benchmarks).

``lib/`` modules hold no ORM; they import the suite's shared layer relatively
(``from ...duret_procurement.lib.http import HttpClient``), as siblings under
Odoo's ``odoo.addons`` package. Here the addons are mounted the same way under a
plain namespace package, without running any addon's ``__init__`` (which would
load its models).
"""

import importlib
import sys
import types
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "duret_addons"


def _mount():
    if PACKAGE in sys.modules:
        return
    root = types.ModuleType(PACKAGE)
    root.__path__ = [str(REPO_ROOT)]
    sys.modules[PACKAGE] = root
    for manifest in REPO_ROOT.glob("*/__manifest__.py"):
        addon = types.ModuleType(f"{PACKAGE}.{manifest.parent.name}")
        addon.__path__ = [str(manifest.parent)]
        sys.modules[addon.__name__] = addon


def load_lib(addon, module):
    """The module ``<addon>/lib/<module>.py``, imported without Odoo."""
    _mount()
    return importlib.import_module(f"{PACKAGE}.{addon}.lib.{module}")

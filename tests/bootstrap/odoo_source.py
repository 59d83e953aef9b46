"""Odoo 17 to run: the importable one, ``ODOO_PATH``, else a shallow clone of 17.0.

The clone fetches one commit (``git fetch --depth 1``) of the official
repository into ``.bootstrap/odoo-17.0``; ``DURET_ODOO_GIT_URL`` replaces the URL
(the tests use a local repository) and ``DURET_ODOO_COMMIT`` the commit (a SHA,
or ``17.0`` for the branch tip). A clone already at the requested commit is
reused as it is: nothing is downloaded twice.
"""

import os
import re
import subprocess

from tests.odoo_env import find_odoo

from . import BootstrapError, say, state_dir

URL_ENV = "DURET_ODOO_GIT_URL"
COMMIT_ENV = "DURET_ODOO_COMMIT"
DEFAULT_URL = "https://github.com/odoo/odoo.git"
# A commit of the 17.0 branch that addons declare "Tested on Odoo 17.0" against
# (itpp-labs web_debranding README); see docs/bootstrap.md.
PINNED_COMMIT = "40b19d89846303016098840f4958fe7cc105067c"
MARKER = "duret-bootstrap-ref"
SHA_RE = re.compile(r"^[0-9a-f]{7,40}$")


def is_odoo17(root):
    release = root / "odoo" / "release.py"
    return release.is_file() and "version_info = (17," in release.read_text(encoding="utf-8")


def clone_dir():
    return state_dir() / "odoo-17.0"


def _git(dest, *args):
    result = subprocess.run(["git", "-C", str(dest), *args], capture_output=True, text=True)
    if result.returncode:
        raise BootstrapError(f"git {' '.join(args)} failed:\n{result.stderr.strip()}")
    return result.stdout.strip()


def ensure_clone(dest=None, url=None, commit=None):
    """``(source tree, fetched)``: the clone at ``commit``, fetched only when not there yet."""
    dest = dest or clone_dir()
    url = url or os.environ.get(URL_ENV) or DEFAULT_URL
    commit = commit or os.environ.get(COMMIT_ENV) or PINNED_COMMIT
    marker = dest / ".git" / MARKER
    if marker.is_file() and marker.read_text().strip() == commit and is_odoo17(dest):
        say(f"Odoo 17: {dest} (already at {commit[:12]})")
        return dest, False
    say(f"Odoo 17: shallow clone of {url} at {commit[:12]} into {dest}")
    dest.mkdir(parents=True, exist_ok=True)
    if not (dest / ".git").is_dir():
        _git(dest, "init", "-q")
    _git(dest, "fetch", "-q", "--depth", "1", "--no-tags", url, commit)
    _git(dest, "checkout", "-q", "--force", "FETCH_HEAD")
    head = _git(dest, "rev-parse", "HEAD")
    if SHA_RE.match(commit) and not head.startswith(commit):
        raise BootstrapError(f"{url} gave {head} instead of {commit}")
    if not is_odoo17(dest):
        raise BootstrapError(f"{url} at {commit} is not Odoo 17 (odoo/release.py)")
    marker.write_text(commit + "\n")
    return dest, True


def locate(before_clone=lambda: None):
    """``(Odoo root, importable)``: what is there already, else the clone (ODOO_PATH set)."""
    cmd, root = find_odoo()
    if cmd:
        origin = "ODOO_PATH" if os.environ.get("ODOO_PATH") else "importable by this Python"
        say(f"Odoo 17: {root} ({origin})")
        return root, not os.environ.get("ODOO_PATH")
    before_clone()
    root, _fetched = ensure_clone()
    os.environ["ODOO_PATH"] = str(root)
    return root, False

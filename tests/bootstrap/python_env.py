"""The Python that runs Odoo and the suite: this one when it has everything, else a venv.

* Odoo importable here but a package of the suite missing: a venv in
  ``.bootstrap/venv`` that sees this Python's packages (``--system-site-packages``)
  and adds the suite's requirements;
* Odoo from a source tree whose requirements are missing: a plain venv with
  Odoo's requirements (``psycopg2-binary`` for ``psycopg2``, which would need the
  PostgreSQL headers; no ``python-ldap``, used only by the LDAP module, which needs
  the OpenLDAP headers) and the suite's.

A stamp (hash of the requirement files) makes the second run skip pip entirely.
"""

import hashlib
import re
import subprocess
import sys

from . import REPO, BootstrapError, say, state_dir

# One module per requirement of requirements-test.txt (import name, not PyPI name).
SUITE_MODULES = ["requests", "lxml", "dateutil", "facturx", "pytest", "websocket", "saxonche"]
SUITE_MODULES += ["yaml"]
ODOO_PROBE = "odoo.cli"  # imports the server, its HTTP stack and every command's dependencies
SUITE_REQUIREMENTS = REPO / "requirements-test.txt"
SKIPPED = {"python-ldap"}
SUBSTITUTES = {"psycopg2": "psycopg2-binary"}
STAMP = ".duret-requirements.sha256"
NAME_RE = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9_.-]*)(.*)$", re.S)


def odoo_requirements(text):
    """Odoo's requirements.txt with the known substitutions applied."""
    lines = []
    for line in text.splitlines():
        match = NAME_RE.match(line)
        if not match:
            lines.append(line)
            continue
        name, rest = match.groups()
        if name.lower() in SKIPPED:
            continue
        lines.append(SUBSTITUTES.get(name.lower(), name) + rest)
    return "\n".join(lines) + "\n"


def missing_modules(python, modules, odoo_root=None):
    """The modules of the list that ``python`` cannot import (Odoo's root on its path)."""
    probe = (
        "import importlib, sys\n"
        "for name in sys.argv[1:]:\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception:\n"
        "        print(name)\n"
    )
    path = [str(REPO)] + ([str(odoo_root)] if odoo_root else [])
    code = f"import sys; sys.path[:0] = {path!r}\n" + probe
    result = subprocess.run([str(python), "-c", code, *modules], capture_output=True, text=True)
    if result.returncode:
        raise BootstrapError(f"{python} cannot run: {result.stderr.strip()[-500:]}")
    return result.stdout.split()


def venv_dir():
    return state_dir() / "venv"


def _pip_install(python, requirement_files):
    args = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    for path in requirement_files:
        args += ["-r", str(path)]
    if subprocess.run(args).returncode:
        raise BootstrapError(f"pip could not install {', '.join(map(str, requirement_files))}")


def ensure_venv(dest, requirement_files, system_site=False, install=_pip_install, with_pip=True):
    """``(python, installed)``: the venv at ``dest`` with these requirement files installed.

    ``requirement_files`` may include others with ``-r``: the stamp hashes the
    files and what they include from the same folder. ``with_pip=False`` spares
    the tests the seconds ``ensurepip`` takes.
    """
    python = dest / "bin" / "python"
    digest = hashlib.sha256(f"system_site={system_site}\n".encode())
    for path in requirement_files:
        digest.update(path.read_bytes())
        for included in re.findall(r"^-r\s+(\S+)", path.read_text(), re.M):
            digest.update((path.parent / included).read_bytes())
    stamp = dest / STAMP
    if python.exists() and stamp.is_file() and stamp.read_text() == digest.hexdigest():
        say(f"Python: {python} (requirements already installed)")
        return python, False
    if not python.exists():
        say(f"Python: creating the virtual environment {dest}")
        args = [sys.executable, "-m", "venv", str(dest)]
        if system_site:
            args.append("--system-site-packages")
        if not with_pip:
            args.append("--without-pip")
        subprocess.run(args, check=True)
    say(f"Python: pip install -r {' -r '.join(p.name for p in requirement_files)} into {dest}")
    install(python, requirement_files)
    stamp.write_text(digest.hexdigest())
    return python, True


def ensure_python(odoo_root, importable, before_venv=lambda: None):
    """The interpreter to run Odoo and the suite with (``before_venv`` runs before any venv)."""
    current = sys.executable
    absent = missing_modules(current, [ODOO_PROBE, *SUITE_MODULES], odoo_root)
    if not absent:
        say(f"Python: {current} (Odoo's and the suite's packages present)")
        return current
    say(f"Python: {current} lacks {', '.join(absent)}")
    before_venv()
    dest = venv_dir()
    if importable and ODOO_PROBE not in absent:
        python, _ = ensure_venv(dest, [SUITE_REQUIREMENTS], system_site=True)
    else:
        dest.mkdir(parents=True, exist_ok=True)
        odoo_reqs = dest / "odoo-requirements.txt"
        text = odoo_requirements((odoo_root / "requirements.txt").read_text(encoding="utf-8"))
        if not odoo_reqs.is_file() or odoo_reqs.read_text() != text:
            odoo_reqs.write_text(text)
        python, _ = ensure_venv(dest, [odoo_reqs, SUITE_REQUIREMENTS])
    still = missing_modules(python, [ODOO_PROBE, *SUITE_MODULES], odoo_root)
    if still:
        raise BootstrapError(f"{python} still cannot import {', '.join(still)}")
    return str(python)

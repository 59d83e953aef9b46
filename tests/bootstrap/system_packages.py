"""Debian packages the suite needs: installed with apt-get when root or sudo allow it.

Otherwise the bootstrap stops with the list and the command to run: it never
half-installs a machine behind the user's back.
"""

import importlib.util
import os
import shutil
import subprocess
from pathlib import Path

from . import BootstrapError, say


def _dpkg_installed(package):
    if not shutil.which("dpkg-query"):
        return False
    result = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True
    )
    return result.stdout.endswith("installed")


def _any_command(*names):
    return any(shutil.which(name) for name in names)


# Debian package -> how to tell it is there without asking dpkg (other distributions, images).
PRESENT = {
    "chromium": lambda: _any_command("chromium", "chromium-browser", "google-chrome"),
    "wkhtmltopdf": lambda: _any_command("wkhtmltopdf"),
    "fonts-dejavu-core": lambda: Path("/usr/share/fonts/truetype/dejavu").is_dir(),
    "fonts-liberation": lambda: Path("/usr/share/fonts/truetype/liberation").is_dir(),
    "git": lambda: _any_command("git"),
    "python3-venv": lambda: importlib.util.find_spec("ensurepip") is not None,
}

# What each command needs whatever the machine (PostgreSQL, git and venv only when used).
FOR_TARGET = {
    "demo": ["wkhtmltopdf", "fonts-dejavu-core", "fonts-liberation"],
    "test": ["chromium", "wkhtmltopdf", "fonts-dejavu-core", "fonts-liberation"],
    "setup": ["chromium", "wkhtmltopdf", "fonts-dejavu-core", "fonts-liberation"],
}


def missing(packages, present=None):
    """The packages of the list that are not installed."""
    present = present or {}
    checks = {**PRESENT, **present}
    return [p for p in packages if not (checks[p]() if p in checks else _dpkg_installed(p))]


def _installer():
    """The apt-get command prefix this user may run, or None."""
    if not shutil.which("apt-get"):
        return None
    if os.geteuid() == 0:
        return ["apt-get"]
    if shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"]).returncode == 0:
        return ["sudo", "apt-get"]
    return None


def require(packages, why, present=None):
    """Install the missing packages of the list, or stop with what to install by hand."""
    absent = missing(packages, present)
    if not absent:
        return []
    apt = _installer()
    if apt is None:
        raise BootstrapError(
            f"missing system packages for {why}: {' '.join(absent)}\n"
            f"  install them as root, e.g.: sudo apt-get install -y {' '.join(absent)}\n"
            "  then run the same command again."
        )
    say(f"system packages for {why}: apt-get install {' '.join(absent)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run([*apt, "update", "-qq"], check=True, env=env)
    subprocess.run(
        [*apt, "install", "-y", "-qq", "--no-install-recommends", *absent], check=True, env=env
    )
    still = missing(absent, present)
    if still:
        raise BootstrapError(f"apt-get did not provide: {' '.join(still)}")
    return absent

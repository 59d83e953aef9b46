"""The bootstrap of ``make demo`` / ``make test``, hermetic: no network, nothing installed.

Odoo's repository is stood in for by a small local git repository (the URL
override); a missing PostgreSQL by a closed port, so that a private cluster
really starts, takes a database and stops; every step is run twice to prove the
second run re-downloads and re-installs nothing.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg2
import pytest

from tests.bootstrap import BootstrapError, odoo_source, postgres, python_env, system_packages
from tests.odoo_env import REPO

RELEASE_17 = "version_info = (17, 0, 0, FINAL, 0, '')\n"


def git(cwd, *args):
    return subprocess.run(
        ["git", "-C", str(cwd), *args], check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.fixture
def odoo_repo(tmp_path):
    """A two-commit repository shaped like Odoo's: 17.0 first, then a later commit."""
    repo = tmp_path / "odoo-origin"
    (repo / "odoo").mkdir(parents=True)
    git(tmp_path, "init", "-q", str(repo))
    git(repo, "config", "user.email", "ci@example.org")
    git(repo, "config", "user.name", "CI")
    (repo / "odoo" / "release.py").write_text(RELEASE_17)
    (repo / "requirements.txt").write_text("psycopg2==2.9.5\npython-ldap==3.4.0\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "17.0")
    first = git(repo, "rev-parse", "HEAD")
    (repo / "later.txt").write_text("later\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "later")
    return repo, first


@pytest.fixture
def state(tmp_path, monkeypatch):
    path = tmp_path / "state"
    monkeypatch.setenv("DURET_BOOTSTRAP_DIR", str(path))
    return path


def test_shallow_clone_at_pinned_commit_then_reused(odoo_repo, state, monkeypatch):
    repo, first = odoo_repo
    monkeypatch.setenv(odoo_source.URL_ENV, f"file://{repo}")
    monkeypatch.setenv(odoo_source.COMMIT_ENV, first)
    dest, fetched = odoo_source.ensure_clone()
    assert fetched and dest == state / "odoo-17.0"
    assert git(dest, "rev-parse", "HEAD") == first
    assert git(dest, "rev-parse", "--is-shallow-repository") == "true"
    assert git(dest, "rev-list", "--count", "HEAD") == "1"
    assert not (dest / "later.txt").exists()
    shutil.rmtree(repo)  # the origin is gone: a second run must not need it
    again, fetched = odoo_source.ensure_clone()
    assert again == dest and not fetched


def test_clone_refuses_what_is_not_odoo_17(odoo_repo, state, monkeypatch):
    repo, _first = odoo_repo
    (repo / "odoo" / "release.py").write_text("version_info = (16, 0, 0, FINAL, 0, '')\n")
    git(repo, "commit", "-q", "-am", "16.0")
    monkeypatch.setenv(odoo_source.URL_ENV, f"file://{repo}")
    monkeypatch.setenv(odoo_source.COMMIT_ENV, git(repo, "rev-parse", "HEAD"))
    with pytest.raises(BootstrapError, match="not Odoo 17"):
        odoo_source.ensure_clone()


def test_default_source_is_the_official_repository_at_a_pinned_commit(monkeypatch):
    monkeypatch.delenv(odoo_source.URL_ENV, raising=False)
    assert odoo_source.DEFAULT_URL == "https://github.com/odoo/odoo.git"
    assert odoo_source.SHA_RE.match(odoo_source.PINNED_COMMIT)
    assert len(odoo_source.PINNED_COMMIT) == 40


def test_odoo_requirements_known_substitutions():
    text = (
        "# comment\n"
        "psycopg2==2.9.2 ; sys_platform != 'win32' and python_version < '3.12'\n"
        "psycopg2==2.9.9 ; python_version >= '3.12'\n"
        "python-ldap==3.4.0 ; sys_platform != 'win32'\n"
        "lxml==4.9.2\n"
    )
    assert python_env.odoo_requirements(text) == (
        "# comment\n"
        "psycopg2-binary==2.9.2 ; sys_platform != 'win32' and python_version < '3.12'\n"
        "psycopg2-binary==2.9.9 ; python_version >= '3.12'\n"
        "lxml==4.9.2\n"
    )


def test_venv_installed_once_then_reused(tmp_path):
    requirements = tmp_path / "requirements-test.txt"
    (tmp_path / "requirements.txt").write_text("requests\n")
    requirements.write_text("-r requirements.txt\npytest\n")
    calls = []

    def install(python, files):
        calls.append((python, files))

    dest = tmp_path / "venv"
    python, installed = python_env.ensure_venv(
        dest, [requirements], install=install, with_pip=False
    )
    assert installed and python == dest / "bin" / "python" and python.exists()
    assert calls == [(python, [requirements])]
    python, installed = python_env.ensure_venv(
        dest, [requirements], install=install, with_pip=False
    )
    assert not installed and len(calls) == 1, "second run: pip not called"
    (tmp_path / "requirements.txt").write_text("requests\nlxml\n")  # an included file changes
    python, installed = python_env.ensure_venv(
        dest, [requirements], install=install, with_pip=False
    )
    assert installed and len(calls) == 2


def test_missing_modules_probe():
    assert python_env.missing_modules(sys.executable, ["json", "no_such_module_xyz"]) == [
        "no_such_module_xyz"
    ]


def test_missing_system_packages_listed_when_not_root(monkeypatch):
    monkeypatch.setattr(system_packages, "_installer", lambda: None)
    absent = {"wkhtmltopdf": lambda: False, "chromium": lambda: True}
    with pytest.raises(BootstrapError) as error:
        system_packages.require(["wkhtmltopdf", "chromium"], "`make test`", present=absent)
    assert "missing system packages for `make test`: wkhtmltopdf" in str(error.value)
    assert "sudo apt-get install -y wkhtmltopdf" in str(error.value)
    assert system_packages.require(["chromium"], "x", present=absent) == []


def test_postgres_binaries_found_outside_path(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    bindir = postgres.find_binaries()
    assert bindir is not None and (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file()


@pytest.fixture
def cluster_dir(monkeypatch):
    """A state folder the ``postgres`` user can reach when the tests run as root."""
    path = Path(tempfile.mkdtemp(prefix="duret_boot_pg_"))
    path.chmod(0o755)
    monkeypatch.setenv("DURET_BOOTSTRAP_DIR", str(path))
    yield path
    cluster = postgres.PrivateCluster()
    if cluster.initialised():
        cluster.stop()
    shutil.rmtree(path, ignore_errors=True)


def connect(pg, dbname="postgres"):
    return psycopg2.connect(
        dbname=dbname, host=pg["PGHOST"], port=pg["PGPORT"], user=pg["PGUSER"], connect_timeout=5
    )


def test_private_cluster_when_no_postgres_is_reachable(cluster_dir, monkeypatch):
    for key in ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD"):
        monkeypatch.delenv(key, raising=False)
    closed = postgres.free_port()  # nothing listens there: "no PostgreSQL on this machine"
    monkeypatch.setitem(postgres.DEFAULTS, "PGPORT", str(closed))
    required = []
    pg, cluster = postgres.ensure_server(sys.executable, lambda p, why: required.append(p))
    assert cluster is not None and required == []
    assert pg["PGPORT"] != str(closed) and pg["PGUSER"] == "odoo"
    conn = connect(pg)
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute("CREATE DATABASE duret_boot_check")
    conn.close()
    connect(pg, "duret_boot_check").close()
    version_file = cluster.data / "PG_VERSION"
    initialised_at = version_file.stat().st_mtime_ns
    cluster.stop()
    assert not cluster.running()
    with pytest.raises(psycopg2.OperationalError):
        connect(pg)

    # second run: the same cluster started again, no initdb, the database still there
    pg2, cluster2 = postgres.ensure_server(sys.executable, lambda p, why: required.append(p))
    assert cluster2 is not None and version_file.stat().st_mtime_ns == initialised_at
    connect(pg2, "duret_boot_check").close()
    cluster2.stop()
    assert not cluster2.running()


def test_unreachable_explicit_postgres_is_an_error(monkeypatch):
    monkeypatch.setenv("PGHOST", "127.0.0.1")
    monkeypatch.setenv("PGPORT", str(postgres.free_port()))
    with pytest.raises(BootstrapError, match="refuses the connection"):
        postgres.ensure_server(sys.executable, lambda p, why: None)


def test_this_machine_keeps_its_odoo_and_postgres(tmp_path):
    """Where Odoo 17 is importable and PostgreSQL reachable (CI), the bootstrap creates nothing."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PG", "ODOO_PATH"))}
    env["DURET_BOOTSTRAP_DIR"] = str(tmp_path / "state")
    result = subprocess.run(
        [sys.executable, "-m", "tests.bootstrap", "setup"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(importable by this Python)" in result.stdout
    assert "(reachable)" in result.stdout
    assert f"# Python: {sys.executable}" in result.stdout
    assert not (tmp_path / "state").exists()

"""PostgreSQL: the server the ``PG*`` variables reach, else a private cluster.

The private cluster (the embedded default on a machine without a server) lives
in ``.bootstrap/postgres``: ``initdb`` once (trust authentication, superuser named
after ``PGUSER``, default ``odoo``), then ``pg_ctl start`` on a free loopback port
with its socket in the same folder, and ``pg_ctl stop`` when the demo or the
tests end. PostgreSQL refuses to run as root: as root, the cluster belongs to
the ``postgres`` system user and its commands run through ``runuser``.
"""

import glob
import os
import pwd
import shutil
import socket
import subprocess
from pathlib import Path

from . import BootstrapError, say, state_dir

DEFAULTS = {"PGHOST": "127.0.0.1", "PGPORT": "5432", "PGUSER": "odoo"}


def settings():
    """The PG* connection settings, with the suite's defaults."""
    return {key: os.environ.get(key) or value for key, value in DEFAULTS.items()} | {
        "PGPASSWORD": os.environ.get("PGPASSWORD", "")
    }


def can_connect(python, pg):
    """``(True, "")`` when ``python``'s psycopg2 logs in with these settings, else the reason."""
    code = (
        "import sys, psycopg2\n"
        "host, port, user, password = sys.argv[1:]\n"
        "psycopg2.connect(dbname='postgres', host=host, port=port, user=user,\n"
        "                 password=password or None, connect_timeout=5).close()\n"
    )
    args = [pg["PGHOST"], pg["PGPORT"], pg["PGUSER"], pg["PGPASSWORD"]]
    result = subprocess.run([str(python), "-c", code, *args], capture_output=True, text=True)
    if result.returncode == 0:
        return True, ""
    return False, (result.stderr.strip().splitlines() or ["?"])[-1].strip()


def find_binaries():
    """The folder holding ``initdb`` and ``pg_ctl``: PATH, else the newest Debian/RPM layout."""
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(os.path.realpath(initdb)).parent
    candidates = glob.glob("/usr/lib/postgresql/*/bin") + glob.glob("/usr/pgsql-*/bin")
    candidates = [Path(c) for c in candidates if (Path(c) / "initdb").is_file()]

    def version(path):
        digits = "".join(ch if ch.isdigit() else " " for ch in str(path)).split()
        return [int(d) for d in digits]

    return max(candidates, key=version) if candidates else None


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_free(port):
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class PrivateCluster:
    """A PostgreSQL cluster owned by the project, in one folder."""

    def __init__(self, root=None, user=None, bindir=None):
        self.root = Path(root or state_dir() / "postgres")
        self.data = self.root / "data"
        self.user = user or settings()["PGUSER"]
        self.bindir = bindir or find_binaries()
        self.owner = "postgres" if os.geteuid() == 0 else None

    @property
    def port(self):
        port_file = self.root / "port"
        return int(port_file.read_text()) if port_file.is_file() else None

    def pg_settings(self):
        return {
            "PGHOST": "127.0.0.1",
            "PGPORT": str(self.port),
            "PGUSER": self.user,
            "PGPASSWORD": "",
        }

    def _run(self, *args, check=True):
        if self.bindir is None:
            raise BootstrapError("initdb / pg_ctl not found: install the postgresql package")
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.owner:
            cmd = ["runuser", "-u", self.owner, "--", *cmd]
        result = subprocess.run(cmd, capture_output=True, text=True)
        if check and result.returncode:
            raise BootstrapError(f"{args[0]} failed:\n{(result.stdout + result.stderr).strip()}")
        return result

    def _prepare_root(self):
        self.root.mkdir(parents=True, exist_ok=True)
        if self.owner:
            entry = pwd.getpwnam(self.owner)
            for path in [self.root, *self.root.rglob("*")]:
                os.chown(path, entry.pw_uid, entry.pw_gid)

    def initialised(self):
        return (self.data / "PG_VERSION").is_file()

    def running(self):
        return (
            self.initialised()
            and self._run("pg_ctl", "status", "-D", str(self.data), check=False).returncode == 0
        )

    def start(self):
        """Start the cluster (``initdb`` first if needed); True when this call started it."""
        if self.running():
            say(f"PostgreSQL: private cluster {self.data} already running on port {self.port}")
            return False
        self._prepare_root()
        if not self.initialised():
            say(f"PostgreSQL: initdb {self.data} (superuser {self.user})")
            self._run(
                "initdb", "-D", str(self.data), "-U", self.user, "--auth=trust",
                "--encoding=UTF8", "--locale=C",
            )  # fmt: skip
        port = self.port if self.port and port_free(self.port) else free_port()
        (self.root / "port").write_text(str(port))
        say(f"PostgreSQL: starting the private cluster {self.data} on 127.0.0.1:{port}")
        options = f"-p {port} -k {self.root} -c listen_addresses=127.0.0.1"
        self._run(
            "pg_ctl", "start", "-w", "-D", str(self.data), "-l", str(self.root / "postgres.log"),
            "-o", options,
        )  # fmt: skip
        return True

    def stop(self):
        if self.running():
            say(f"PostgreSQL: stopping the private cluster {self.data}")
            self._run("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.data))


def ensure_server(python, target_packages_require):
    """``(PG* settings, cluster started by this call or None)``."""
    pg = settings()
    ok, reason = can_connect(python, pg)
    if ok:
        say(f"PostgreSQL: {pg['PGUSER']}@{pg['PGHOST']}:{pg['PGPORT']} (reachable)")
        return pg, None
    explicit = [key for key in ("PGHOST", "PGPORT", "PGUSER") if os.environ.get(key)]
    if explicit:
        raise BootstrapError(
            f"PostgreSQL at {pg['PGUSER']}@{pg['PGHOST']}:{pg['PGPORT']} refuses the connection"
            f" ({reason}); fix {', '.join(explicit)} or unset them to use a private cluster."
        )
    say(f"PostgreSQL: none reachable at {pg['PGHOST']}:{pg['PGPORT']} ({reason})")
    if find_binaries() is None:
        target_packages_require(["postgresql"], "a private PostgreSQL cluster")
    cluster = PrivateCluster()
    started = cluster.start()
    return cluster.pg_settings(), cluster if started else None

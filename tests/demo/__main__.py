"""``python -m tests.demo``: build the French demo database and serve it on port 8069.

1. starts the sandbox on loopback (unless ``--sandbox-url`` points at one),
2. drops and recreates the database ``duret_demo`` with the suite in French,
3. sets the company up as Duret Électricité and points every endpoint at the
   sandbox, before any Odoo scheduler runs,
4. runs each nightly job once against the sandbox with the scheduler off (an
   Odoo server without cron threads renders the invoice PDFs), printing what
   happened,
5. serves Odoo on http://localhost:8069 (login ``admin`` / ``admin``), scheduler
   on, until Ctrl-C; ``--no-serve`` stops after the build instead.

Every Odoo process of the demo runs under ``tests.netguard``: nothing reaches a
host other than loopback (or the sandbox service of docker compose); a refused
connection during the build fails the demo. A failed step stops whatever the
demo started and says which step failed.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tests.netguard import REPORT_ENV
from tests.odoo_env import REPO, addon_names, addons_path, find_odoo, subprocess_env


class DemoError(Exception):
    """A step of the demo failed; the message says which, in French."""


def wait_for(url, proc, what, seconds=120):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc and proc.poll() is not None:
            raise DemoError(f"{what} s'est arrêté avant de répondre sur {url}")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.3)
    raise DemoError(f"{what} ne répond pas sur {url} après {seconds} s")


def connection_args(args, odoo_root):
    """Database and addons options: the odoo.conf given, else the PG* variables."""
    if args.config:
        return ["--config", args.config]
    common = [
        "--addons-path",
        addons_path(odoo_root),
        "--db_host",
        os.environ.get("PGHOST", "127.0.0.1"),
        "--db_port",
        os.environ.get("PGPORT", "5432"),
        "--db_user",
        os.environ.get("PGUSER", "odoo"),
    ]
    if os.environ.get("PGPASSWORD"):
        common += ["--db_password", os.environ["PGPASSWORD"]]
    return common


class Demo:
    """The processes of one demo run, so that a failure stops exactly those."""

    def __init__(self, args):
        self.args = args
        odoo_cmd, odoo_root = find_odoo()
        if not odoo_cmd:
            raise DemoError(
                "Odoo 17 est introuvable : lancez `make demo` (qui l'installe) ou voir README.md."
            )
        report = Path(tempfile.mkstemp(prefix="duret_demo_net_", suffix=".txt")[1])
        self.net_report = report
        self.env = subprocess_env(odoo_root, **{REPORT_ENV: str(report)})
        self.odoo = odoo_cmd  # under tests.netguard
        self.common = connection_args(args, odoo_root) + ["--database", args.database]
        self.build = [sys.executable, "-m", "tests.demo.build", *self.common]
        self.build += ["--log-level", "warn"]
        self.started = []  # (label, Popen)

    def spawn(self, label, cmd):
        proc = subprocess.Popen(cmd, cwd=REPO, env=self.env)
        self.started.append((label, proc))
        return proc

    def step(self, label, cmd):
        print(f"• {label}…", flush=True)
        if subprocess.run(cmd, cwd=REPO, env=self.env).returncode:
            raise DemoError(f"étape « {label} » en échec (voir les messages ci-dessus)")
        self.check_network(label)

    def check_network(self, label):
        refused = self.net_report.read_text(encoding="utf-8").strip()
        if refused:
            raise DemoError(f"étape « {label} » : connexion hors boucle locale refusée\n{refused}")

    def start_sandbox(self):
        if self.args.sandbox_url:
            url = self.args.sandbox_url.rstrip("/")
            wait_for(f"{url}/_sandbox/counters", None, "Le bac à sable")
            return url
        port = str(self.args.sandbox_port)
        proc = self.spawn("bac à sable", [sys.executable, "-m", "tests.sandbox", "--port", port])
        url = f"http://127.0.0.1:{port}"
        wait_for(f"{url}/_sandbox/counters", proc, "Le bac à sable")
        return url

    def start_odoo(self, label, crons):
        cmd = self.odoo + self.common
        cmd += ["--db-filter", f"^{self.args.database}$", "--http-port", str(self.args.http_port)]
        if not crons:  # the build's server: no scheduler, and quiet
            cmd += ["--max-cron-threads", "0", "--log-level", "warn"]
        proc = self.spawn(label, cmd)
        wait_for(f"http://127.0.0.1:{self.args.http_port}/web/health", proc, f"Le {label}")
        return proc

    def stop(self, proc):
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.started = [(label, p) for label, p in self.started if p is not proc]

    def stop_all(self):
        """Stop what this run started; return the labels of what was still running."""
        running = [label for label, proc in self.started if proc.poll() is None]
        for _label, proc in reversed(self.started):
            self.stop(proc)
        return running

    def run(self):
        args = self.args
        sandbox_url = self.start_sandbox()
        print(f"Bac à sable : {sandbox_url}", flush=True)
        self.step(f"suppression de l'ancienne base « {args.database} »", self.build + ["--drop"])
        install = [
            *self.odoo,
            *self.common,
            "--init",
            ",".join(addon_names()),
            "--load-language",
            "fr_FR",
            "--without-demo",
            "all",
            "--stop-after-init",
            "--no-http",
            "--max-cron-threads",
            "0",
            "--log-level",
            "warn",
        ]
        self.step(f"installation des modules dans « {args.database} »", install)
        self.step(
            "société et adresses du bac à sable",
            self.build + ["--configure", "--sandbox-url", sandbox_url],
        )
        # The jobs render invoice PDFs, whose stylesheets wkhtmltopdf fetches from Odoo:
        # a server is needed, without its scheduler so that no cron races the demo's jobs.
        server = self.start_odoo("serveur Odoo (planificateur arrêté)", crons=False)
        self.step("une nuit de chaque tâche planifiée", self.build + ["--run"])
        self.stop(server)
        if args.no_serve:
            print("Démonstration construite (--no-serve : rien n'est servi).", flush=True)
            return 0
        server = self.start_odoo("serveur Odoo", crons=True)
        print(
            f"\nOdoo : http://localhost:{args.http_port} (identifiant admin, mot de passe admin)."
            " Ctrl-C pour arrêter.",
            flush=True,
        )
        return server.wait()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", "-d", default="duret_demo")
    parser.add_argument("--sandbox-url", help="use a running sandbox instead of starting one")
    parser.add_argument("--sandbox-port", type=int, default=8899)
    parser.add_argument("--http-port", type=int, default=8069)
    parser.add_argument("--config", help="an odoo.conf (database connection, addons path)")
    parser.add_argument("--no-serve", action="store_true", help="build the database and stop")
    args = parser.parse_args(argv)
    demo = None
    failed = True  # until the demo ends normally: any exception counts
    try:
        demo = Demo(args)
        code = demo.run()
        failed = False
        return code
    except KeyboardInterrupt:
        failed = False
        return 0
    except DemoError as exc:
        print(f"\nÉchec de la démonstration : {exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        if demo:
            running = demo.stop_all()
            if failed:
                stopped = ", ".join(running) or "rien ne tournait encore"
                print(f"Arrêté(s) par la démonstration : {stopped}.", file=sys.stderr, flush=True)
            demo.net_report.unlink(missing_ok=True)


if __name__ == "__main__":
    sys.exit(main())

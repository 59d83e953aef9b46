"""``python -m tests.demo``: build the French demo database and serve it on port 8069.

1. starts the sandbox on loopback (unless ``--sandbox-url`` points at one),
2. drops and recreates the database ``duret_demo`` with the suite in French,
3. sets the company up as Duret Électricité and runs each nightly job once
   against the sandbox, printing what happened,
4. serves Odoo on http://localhost:8069 (login ``admin`` / ``admin``) until Ctrl-C.
"""

import argparse
import os
import subprocess
import sys
import time
import urllib.request

from tests.odoo_env import REPO, addon_names, addons_path, find_odoo, subprocess_env


def wait_for(url, proc, seconds=120):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc and proc.poll() is not None:
            sys.exit(f"{url}: the process stopped before answering")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"no answer from {url}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", "-d", default="duret_demo")
    parser.add_argument("--sandbox-url", help="use a running sandbox instead of starting one")
    parser.add_argument("--sandbox-port", type=int, default=8899)
    parser.add_argument("--http-port", type=int, default=8069)
    parser.add_argument("--config", help="an odoo.conf (database connection, addons path)")
    parser.add_argument("--no-serve", action="store_true", help="build the database and stop")
    args = parser.parse_args(argv)

    odoo_cmd, odoo_root = find_odoo()
    if not odoo_cmd:
        sys.exit("Odoo 17 is not installed: see README.md (or use docker compose up -d).")
    if args.config:
        common = ["--config", args.config]
    else:
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
    env = subprocess_env(odoo_root)

    sandbox = None
    try:
        sandbox_url = args.sandbox_url
        if not sandbox_url:
            sandbox = subprocess.Popen(
                [sys.executable, "-m", "tests.sandbox", "--port", str(args.sandbox_port)],
                cwd=REPO,
                env=env,
            )
            sandbox_url = f"http://127.0.0.1:{args.sandbox_port}"
        wait_for(f"{sandbox_url}/_sandbox/counters", sandbox)
        print(f"Bac à sable : {sandbox_url}", flush=True)

        db = ["--database", args.database]
        build = [sys.executable, "-m", "tests.demo.build", *common, *db]
        subprocess.run(build + ["--drop"], cwd=REPO, env=env, check=True)
        print(f"Installation des modules dans « {args.database} »…", flush=True)
        subprocess.run(
            odoo_cmd
            + common
            + db
            + [
                "--init",
                ",".join(addon_names()),
                "--load-language",
                "fr_FR",
                "--without-demo",
                "all",
                "--stop-after-init",
                "--no-http",
                "--log-level",
                "warn",
            ],
            cwd=REPO,
            env=env,
            check=True,
        )
        if args.no_serve:
            subprocess.run(build + ["--sandbox-url", sandbox_url], cwd=REPO, env=env, check=True)
            return 0
        # Serve first: the invoice PDFs the jobs render fetch their stylesheets from Odoo.
        server = subprocess.Popen(
            odoo_cmd
            + common
            + db
            + ["--db-filter", f"^{args.database}$", "--http-port", str(args.http_port)],
            cwd=REPO,
            env=env,
        )
        wait_for(f"http://127.0.0.1:{args.http_port}/web/health", server)
        subprocess.run(build + ["--sandbox-url", sandbox_url], cwd=REPO, env=env, check=True)
        print(
            f"\nOdoo : http://localhost:{args.http_port} (identifiant admin, mot de passe admin)."
            " Ctrl-C pour arrêter.",
            flush=True,
        )
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if sandbox:
            sandbox.terminate()
            sandbox.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())

"""A throw-away Odoo database for a benchmark, and the sandbox's admin calls.

Shared by the benchmarks so each one only holds what it measures.
"""

import argparse
import os
import subprocess
import sys

from tests.odoo_env import addons_path, find_odoo, subprocess_env


def pg_args():
    """Odoo's connection options from the standard PG* variables."""
    args = [
        "--db_host", os.environ.get("PGHOST", "127.0.0.1"),
        "--db_port", os.environ.get("PGPORT", "5432"),
        "--db_user", os.environ.get("PGUSER", "odoo"),
    ]  # fmt: skip
    if os.environ.get("PGPASSWORD"):
        args += ["--db_password", os.environ["PGPASSWORD"]]
    return args


def _pg_client_args():
    return ["-h", os.environ.get("PGHOST", "127.0.0.1"), "-U", os.environ.get("PGUSER", "odoo")]


def create_database(dbname, module, template=None, demo=False):
    """A fresh database (a copy of ``template`` when it exists) with ``module`` installed."""
    odoo_cmd, odoo_root = find_odoo()
    if not odoo_cmd:
        sys.exit("Odoo 17 is not installed: see README.md")
    pg = _pg_client_args()
    copied = template and subprocess.run(["createdb", *pg, "-T", template, dbname]).returncode == 0
    if not copied:
        subprocess.run(["createdb", *pg, dbname], check=True)
    print(f"database {dbname}" + (f" copied from {template}" if copied else ""), flush=True)
    cmd = [*odoo_cmd, "-d", dbname, *pg_args(), "--addons-path", addons_path(odoo_root)]
    cmd += ["-i", module, "--stop-after-init", "--log-level=warn", "--no-http"]
    if not demo:
        cmd.append("--without-demo=all")
    subprocess.run(cmd, check=True, env=subprocess_env(odoo_root))


def open_registry(dbname):
    """The database's registry, in this process (the benchmark then measures in-process)."""
    import odoo
    from odoo.tools import config

    _, odoo_root = find_odoo()
    config.parse_config(["-d", dbname, *pg_args(), "--addons-path", addons_path(odoo_root)])
    return odoo.modules.registry.Registry(dbname)


def drop_database(dbname):
    import odoo

    odoo.sql_db.close_db(dbname)
    subprocess.run(["dropdb", "--if-exists", *_pg_client_args(), dbname], check=False)


def sandbox_admin(url, path, payload=None, method="POST"):
    import requests

    response = requests.request(method, f"{url}/_sandbox/{path}", json=payload, timeout=300)
    response.raise_for_status()
    return response.json()


def volume_parser(doc):
    """The options of a benchmark run at several multiples of the 73/74/38 volume."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--size", type=int, default=15000, help="contracts at 1× volume")
    parser.add_argument("--factors", default="1,10,100")
    parser.add_argument("--template", help="copy this database instead of an empty one")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    return parser

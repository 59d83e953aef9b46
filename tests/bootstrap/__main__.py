"""``python3 -m tests.bootstrap demo|test|setup [arguments]``: set up what is missing, then run.

``demo`` runs ``python -m tests.demo`` and ``test`` runs ``tests/run`` (their
arguments follow) with the Python, Odoo and PostgreSQL found or set up here;
``setup`` only sets up and prints the environment to use by hand. A private
PostgreSQL cluster started here is stopped when the command ends.
"""

import argparse
import importlib.util
import os
import subprocess
import sys

from . import REPO, BootstrapError, odoo_source, postgres, python_env, say, system_packages

COMMANDS = {
    "demo": lambda python: [python, "-m", "tests.demo"],
    "test": lambda python: [python, str(REPO / "tests" / "run")],
    "setup": None,
}


def fixtures_dir():
    """The sandbox's own lookup, loaded alone: the sandbox package needs more than the stdlib."""
    path = REPO / "tests" / "sandbox" / "fixtures.py"
    spec = importlib.util.spec_from_file_location("duret_sandbox_fixtures", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.fixtures_dir()


def prepare(target):
    """``(python, environment, private cluster started or None)``."""
    try:
        say(f"fixtures: {fixtures_dir()}")
    except FileNotFoundError as exc:  # the sandbox, the demo and the tests all read them
        raise BootstrapError(str(exc))
    system_packages.require(system_packages.FOR_TARGET[target], f"`make {target}`")
    odoo_root, importable = odoo_source.locate(
        before_clone=lambda: system_packages.require(["git"], "cloning Odoo 17")
    )
    python = python_env.ensure_python(
        odoo_root,
        importable,
        before_venv=lambda: system_packages.require(["python3-venv"], "the virtual environment"),
    )
    pg, cluster = postgres.ensure_server(python, system_packages.require)
    env = dict(os.environ, **pg)
    if os.environ.get("ODOO_PATH"):
        env["ODOO_PATH"] = os.environ["ODOO_PATH"]
    return python, env, cluster


def wait_for_child(proc):
    """The child's exit code; Ctrl-C reaches it too, so let it stop what it started first."""
    while True:
        try:
            return proc.wait()
        except KeyboardInterrupt:
            continue


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", choices=sorted(COMMANDS))
    parser.add_argument("args", nargs=argparse.REMAINDER, help="passed to the demo or tests/run")
    options = parser.parse_args(argv)
    cluster = None
    try:
        python, env, cluster = prepare(options.target)
        if options.target == "setup":
            for key in ("ODOO_PATH", "PGHOST", "PGPORT", "PGUSER"):
                if env.get(key):
                    print(f"export {key}={env[key]}")
            print(f"# Python: {python}")
            if cluster:
                say("the private cluster keeps running: stop it with "
                    f"`pg_ctl stop -D {cluster.data}` when done")  # fmt: skip
                cluster = None
            return 0
        command = COMMANDS[options.target](python) + options.args
        say(f"running {' '.join(command[1:])}")
        return wait_for_child(subprocess.Popen(command, cwd=REPO, env=env))
    except BootstrapError as exc:
        print(f"[bootstrap] cannot continue: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    finally:
        if cluster:
            cluster.stop()


if __name__ == "__main__":
    sys.exit(main())

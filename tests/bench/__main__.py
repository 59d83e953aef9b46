"""Run every benchmark of ``tests/bench`` one after the other (``--smoke``: tiny sizes)."""

import argparse
import subprocess
import sys

from tests.odoo_env import REPO, find_odoo, subprocess_env

# Size of each benchmark in a smoke run: enough to exercise every code path, quick on 2 cores.
SMOKE_SIZES = {
    "sandbox_boamp": 300,
    "boamp_relevance": None,  # the labelled file is small: always measured whole
    "boamp_import": 60,
    "chorus_poll": 60,
    "works_statement": 50,
    "decp_lead_tab": 150,
    "decp_sync": 30,
}


def benchmarks():
    return sorted(
        p.stem for p in (REPO / "tests" / "bench").glob("*.py") if not p.stem.startswith("_")
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--size", type=int, help="size passed to every benchmark")
    parser.add_argument("names", nargs="*", help="only these benchmarks")
    args = parser.parse_args(argv)
    _, odoo_root = find_odoo()
    env = subprocess_env(odoo_root)
    failures = []
    for name in args.names or benchmarks():
        cmd = [sys.executable, "-m", f"tests.bench.{name}"]
        size = SMOKE_SIZES.get(name, 50) if args.smoke else args.size
        if size:
            cmd += ["--size", str(size)]
        print(f"\n### {name}: {' '.join(cmd[2:])}", flush=True)
        if subprocess.run(cmd, cwd=REPO, env=env).returncode:
            failures.append(name)
    if failures:
        print(f"\nbenchmarks that failed to run: {', '.join(failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

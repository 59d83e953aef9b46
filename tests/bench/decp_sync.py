"""The DECP sync (first load through the bulk export) as the DECP grows: rows/s and memory.

``python -m tests.bench.decp_sync [--size 15000] [--factors 1,10,100]`` creates a fresh
database with duret_decp, starts the sandbox in a child process, and for each factor writes
``size × factor`` generated contracts in 73/74/38 (``size`` ≈ 24 months of the three
départements, docs/decp.md) as a local export file (a JSON array of flat rows, written a
chunk at a time: 100× the real volume does not fit in memory), has the DECP double serve
that file as its bulk export, and runs a first load from an empty ``decp.contract`` table,
as the nightly job does (batches committed one by one, BOAMP awards read after: none). It
prints, in the same run:

* rows/s and contracts/s of the sync, and the ratio of rows/s to the 1× run (a sync whose
  cost per row does not grow with the volume keeps it near 1);
* the peak resident memory of the Odoo process during the sync, above its level just before
  (a streamed export keeps it flat; a reader holding the whole answer grows with it).
"""

import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import date
from pathlib import Path

from tests.bench._database import (
    create_database,
    drop_database,
    open_registry,
    volume_parser,
)
from tests.bench._database import sandbox_admin as admin
from tests.odoo_env import REPO
from tests.sandbox import decp, decp_generator

SEED = 20261205
PAGE = os.sysconf("SC_PAGE_SIZE")
#: contracts generated at a time while writing an export file
CHUNK = 5000


def write_export(path, count):
    """``count`` generated contracts as an export file; returns its number of rows.

    Generated ``CHUNK`` contracts at a time (a seed per chunk, the chunk in the contract
    id so keys stay unique), so that neither this process nor the double holds them all.
    """
    rows = 0
    with open(path, "w", encoding="utf-8") as out:
        out.write("[")
        for first in range(0, count, CHUNK):
            marches, _ = decp_generator.generate(
                min(CHUNK, count - first), SEED + first, date.today()
            )
            for marche in marches:
                marche["id"] = f"{marche['id']}-{first // CHUNK}"
                for row in decp.flat_rows([marche], "sandbox"):
                    out.write(("," if rows else "") + json.dumps(row, ensure_ascii=False))
                    rows += 1
        out.write("]")
    return rows


def rss():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE


class PeakMemory:
    """Highest resident memory of this process while the ``with`` block runs (sampled)."""

    def __enter__(self):
        self.base = self.peak = rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, rss())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss())

    @property
    def growth_mb(self):
        return (self.peak - self.base) / 2**20


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_sandbox():
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.sandbox", "--port", str(port), "--boamp-notices", "0"],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            admin(url, "reset")
            return process, url
        except Exception:  # not listening yet
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the sandbox did not start")


def prepare(registry, url):
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        icp = env["ir.config_parameter"].sudo()
        icp.set_param("duret_decp.base_url", url)
        icp.set_param("duret_decp.departements", "73, 74, 38")
        icp.set_param("duret_boamp.base_url_mode", "custom")
        icp.set_param("duret_boamp.custom_base_url", url)


def sync(registry):
    """One first load on empty tables: ``(run values, seconds, memory growth in MB)``."""
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        cr.execute("DELETE FROM decp_holder; DELETE FROM decp_contract; DELETE FROM decp_sync")
        cr.commit()
        env = api.Environment(cr, SUPERUSER_ID, {})
        with PeakMemory() as memory:
            started = time.perf_counter()
            run = env["decp.sync"]._decp_run()
            seconds = time.perf_counter() - started
        values = run.read(["state", "reader", "rows_read", "contracts_created", "message"])[0]
        cr.commit()
    return values, seconds, memory.growth_mb


def main(argv=None):
    args = volume_parser(__doc__).parse_args(argv)
    dbname = f"bench_decp_sync_{uuid.uuid4().hex[:8]}"
    create_database(dbname, "duret_decp", args.template)
    process = None
    try:
        registry = open_registry(dbname)
        process, url = start_sandbox()
        prepare(registry, url)
        print(
            "factor  contracts      rows  seconds   rows/s  contracts/s  ratio  memory +MB  reader"
        )
        base = None
        with tempfile.TemporaryDirectory(prefix="decp_sync_bench_") as folder:
            for factor in [int(f) for f in args.factors.split(",")]:
                count = args.size * factor
                export = Path(folder) / f"decp_{factor}.json"
                rows = write_export(export, count)
                admin(url, "decp/export_file", {"path": str(export)})
                admin(url, "boamp/load", {"records": []})
                values, seconds, growth = sync(registry)
                export.unlink()
                if values["state"] != "done":
                    raise RuntimeError(f"sync failed: {values['message']}")
                if values["rows_read"] != rows:
                    raise RuntimeError(f"{values['rows_read']} rows read of {rows}")
                rate = values["rows_read"] / seconds
                base = base or rate
                print(
                    f"{factor:>5}×  {count:>9}  {values['rows_read']:>8}  {seconds:>7.1f}  "
                    f"{rate:>7.0f}  {values['contracts_created'] / seconds:>11.0f}  "
                    f"{rate / base:>5.2f}  {growth:>10.1f}  {values['reader']}",
                    flush=True,
                )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"process peak resident memory over the run: {peak:.0f} MB")
    finally:
        if process:
            process.terminate()
            process.wait(timeout=30)
        if not args.keep:
            drop_database(dbname)
    return 0


if __name__ == "__main__":
    sys.exit(main())

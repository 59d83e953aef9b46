"""BOAMP import: the nightly job vs a bare batch create and a naive per-notice loop.

``python -m tests.bench.boamp_import [--size 5000] [--template DB]``
creates a fresh database (from ``--template``, else an empty one), installs
duret_boamp, starts the sandbox in-process with ``size`` generated notices
(``POST /_sandbox/boamp/load``), then measures in the same run:

* import: the real job (``boamp.watch._run_job``: HTTP, parsing, scoring,
  partners, leads, notices, run log, page commits);
* floor: Odoo's bare batch ``crm.lead.create`` of as many leads as the import
  created (batches of 100, minimal values, rolled back);
* naive: one notice at a time, search the lead by idweb, search or create the
  buyer, create the lead (the usual hand-written loop; records already
  fetched, rolled back);
* re-run: the job again over the same window (all duplicates, fetch included).

Goals: import >= 1x the floor's throughput, >= 3x the naive loop,
re-run >= 5x faster than the import, HTTP calls = ceil(matching / 100) + a
constant. SQL queries are counted with ``odoo.sql_db.sql_counter``.

``--memory [N]`` also measures that the import streams: the job runs in a fresh process
over ``--size`` notices, then over N (default 50 000), each on its own copy of the
freshly installed database; the process's peak resident memory during the job
(``VmHWM``, reset just before it) must stay within 10 % between the two sizes.
"""

import argparse
import json
import math
import subprocess
import sys
import time
import uuid
from datetime import date

from tests.bench._database import _pg_client_args, create_database, drop_database, open_registry
from tests.bench._database import sandbox_admin as admin

SEED = 20261123


class Counter:
    """Wall time and SQL queries of a block (every cursor of the process)."""

    def __enter__(self):
        import odoo

        self._sql = odoo.sql_db.sql_counter
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        import odoo

        self.seconds = time.perf_counter() - self._start
        self.queries = odoo.sql_db.sql_counter - self._sql


def prepare(registry, url):
    """Settings pointing at the sandbox and one profile with Duret's rules."""
    import odoo

    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        icp = env["ir.config_parameter"]
        for key, value in (("base_url_mode", "custom"), ("custom_base_url", url),
                           ("lookback_days", "60"), ("overlap_days", "60")):  # fmt: skip
            icp.set_param("duret_boamp." + key, value)
        env["boamp.watch"].search([]).active = False
        watch = env["boamp.watch"].create({"name": "Bench", "company_id": env.company.id})
        env["boamp.watch"]._apply_default_rules(watch.ids)
        return watch.id


def job(registry, watch_id):
    import odoo

    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        with Counter() as counter:
            run_id = env["boamp.watch"].browse(watch_id)._run_job("manual").id
    with registry.cursor() as cr:
        run = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})["boamp.run"].browse(run_id)
        keys = ("state", "fetched", "kept", "created", "duplicates", "rejected", "errors")
        figures = {k: run[k] for k in keys + ("http_calls", "error_text")}
    figures.update(seconds=counter.seconds, queries=counter.queries)
    return figures


def floor(registry, count):
    import odoo

    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        values = [{"name": f"Bench floor {i}", "type": "lead"} for i in range(count)]
        with Counter() as counter:
            for start in range(0, count, 100):
                env["crm.lead"].create(values[start : start + 100])
            env.flush_all()
        cr.rollback()
    return {"seconds": counter.seconds, "queries": counter.queries, "created": count}


def naive(registry, watch_id, url, since):
    """Search by idweb, then create, one notice at a time (records fetched beforehand)."""
    import odoo
    from odoo.addons.duret_boamp.lib.boamp_client import BoampClient
    from odoo.addons.duret_boamp.lib.notice_parser import NoticeParseError, parse_record
    from odoo.addons.duret_boamp.lib.relevance import score_notice

    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        watch = env["boamp.watch"].browse(watch_id)
        records = list(
            BoampClient(url).iter_window(since, None, watch._departement_codes(), watch._natures())
        )
        rules = watch._scoring_rules()
        Lead, Partner = env["crm.lead"], env["res.partner"]
        created = 0
        with Counter() as counter:
            for record in records:
                try:
                    notice = parse_record(record)
                except NoticeParseError:
                    continue
                if not score_notice(notice, rules).kept:
                    continue
                if Lead.with_context(active_test=False).search(
                    [("boamp_idweb", "=", notice.idweb)], limit=1
                ):
                    continue
                partner = Partner.search([("siret", "=", notice.buyer_siret)], limit=1)
                if not partner and notice.buyer_name:
                    partner = Partner.create({"name": notice.buyer_name, "is_company": True,
                                              "siret": notice.buyer_siret})  # fmt: skip
                Lead.create(
                    {
                        "name": notice.objet[:120],
                        "type": "lead",
                        "boamp_idweb": notice.idweb,
                        "company_id": env.company.id,
                        "partner_id": partner.id,
                        "expected_revenue": notice.amount or 0,
                    }
                )
                created += 1
            env.flush_all()
        cr.rollback()
    return {"seconds": counter.seconds, "queries": counter.queries, "created": created}


def _status_kb(name):
    """A ``/proc/self/status`` figure in kB (``VmRSS``, ``VmHWM``)."""
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith(name + ":"):
                return int(line.split()[1])
    return 0


def _reset_peak():
    """Reset the process's peak resident memory (Linux: ``5`` into ``clear_refs``)."""
    with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
        handle.write("5")


def peak_child(dbname, url, size):
    """In a fresh process: serve ``size`` notices, run the job, print its peak memory."""
    registry = open_registry(dbname)
    admin(url, "boamp/load", {"generate": {"count": size, "seed": SEED,
                                           "day": date.today().isoformat()}})  # fmt: skip
    watch_id = prepare(registry, url)
    baseline = _status_kb("VmRSS")
    _reset_peak()
    figures = job(registry, watch_id)
    figures.update(peak_kb=_status_kb("VmHWM"), baseline_kb=baseline, size=size)
    print(json.dumps(figures, default=str))
    return 0


def memory(copies, url):
    """Peak memory of the job at each size, each in its own process and database copy."""
    results = {}
    for size, copy in copies.items():
        cmd = [sys.executable, "-m", "tests.bench.boamp_import", "--peak-child", copy,
               "--url", url, "--size", str(size)]  # fmt: skip
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode:
            print(done.stdout[-2000:], done.stderr[-4000:])
            raise SystemExit(f"memory run at {size} notices failed")
        results[size] = json.loads(done.stdout.strip().splitlines()[-1])
    return results


def report_memory(results):
    (small, low), (large, high) = sorted(results.items())
    print("\nstreaming: peak resident memory of the job process (VmHWM, reset before the job)")
    for size, fig in ((small, low), (large, high)):
        print(f"  {size:>6} notices: peak {fig['peak_kb'] / 1024:7.1f} MiB (before the job "
              f"{fig['baseline_kb'] / 1024:7.1f} MiB), fetched {fig['fetched']}, created "
              f"{fig['created']}, {fig['seconds']:.0f} s, state {fig['state']}")  # fmt: skip
    growth = high["peak_kb"] / low["peak_kb"] - 1
    print(f"  peak at {large} vs {small}: {growth:+.1%} (goal within 10 %: "
          f"{'met' if abs(growth) <= 0.10 else 'NOT met'})")  # fmt: skip


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=5000, help="generated notices served")
    parser.add_argument("--template", help="copy this database instead of an empty one")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--memory", type=int, nargs="?", const=50000, metavar="N",
                        help="also measure the peak memory at --size and at N notices")  # fmt: skip
    parser.add_argument("--peak-child", metavar="DB", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.peak_child:
        return peak_child(args.peak_child, args.url, args.size)

    dbname = f"bench_boamp_{uuid.uuid4().hex[:8]}"
    create_database(dbname, "duret_boamp", args.template)
    # copies of the fresh database for the memory runs, taken before anything connects
    copies = {}
    if args.memory:
        for size in (args.size, args.memory):
            copies[size] = f"{dbname}_m{size}"
            subprocess.run(["createdb", *_pg_client_args(), "-T", dbname, copies[size]], check=True)
    peaks = None
    try:
        registry = open_registry(dbname)
        import odoo
        from odoo.addons.duret_boamp.lib.boamp_client import BoampClient, build_where
        from odoo.addons.duret_boamp.services.params import boamp_params
        from tests.sandbox import Sandbox

        sandbox = Sandbox()
        url = sandbox.start()
        admin(url, "boamp/load", {"generate": {"count": args.size, "seed": SEED,
                                               "day": date.today().isoformat()}})  # fmt: skip
        watch_id = prepare(registry, url)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            watch = env["boamp.watch"].browse(watch_id)
            since = watch._window_since(boamp_params(env))
            where = build_where(since, None, watch._departement_codes(), watch._natures())
        matching = BoampClient(url).count(where)
        loop = naive(registry, watch_id, url, since)  # first, on the empty database
        first = job(registry, watch_id)
        rerun = job(registry, watch_id)
        bare = floor(registry, max(first["created"], 1))
        if copies:
            peaks = memory(copies, url)
        sandbox.stop()
    finally:
        if not args.keep:
            drop_database(dbname)
        for copy in copies.values():
            subprocess.run(["dropdb", "--if-exists", *_pg_client_args(), copy], check=False)

    for name, figures in (("import", first), ("re-run", rerun)):
        if figures["state"] != "done":
            print(f"{name} run {figures['state']}: {figures['error_text']}")
            return 1
    fetched = max(first["fetched"], 1)
    print(f"\nBOAMP import, {args.size} generated notices, {matching} matching the profile's query")
    print(f"{'':10}{'seconds':>9}{'notices/s':>11}{'leads':>7}{'SQL':>8}{'SQL/notice':>11}"
          f"{'HTTP':>6}")  # fmt: skip
    for name, fig in (("import", first), ("re-run", rerun)):
        print(f"{name:10}{fig['seconds']:>9.2f}{fig['fetched'] / fig['seconds']:>11.0f}"
              f"{fig['created']:>7}{fig['queries']:>8}{fig['queries'] / fetched:>11.1f}"
              f"{fig['http_calls']:>6}")  # fmt: skip
    for name, fig in (("floor", bare), ("naive", loop)):
        print(f"{name:10}{fig['seconds']:>9.2f}{'':>11}{fig['created']:>7}{fig['queries']:>8}"
              f"{fig['queries'] / max(fig['created'], 1):>11.1f}{'':>6}  (per lead)")  # fmt: skip
    print(f"counts: fetched {first['fetched']}, kept {first['kept']}, created {first['created']}, "
          f"rejected {first['rejected']}, errors {first['errors']}; re-run duplicates "
          f"{rerun['duplicates']}, created {rerun['created']}")  # fmt: skip
    floor_share = bare["seconds"] / first["seconds"]
    naive_ratio = loop["seconds"] / first["seconds"]
    rerun_ratio = first["seconds"] / rerun["seconds"]
    pages = math.ceil(matching / 100)
    extra_calls = first["http_calls"] - pages

    def verdict(ok):
        return "met" if ok else "NOT met"

    print(f"throughput vs floor (same {first['created']} leads): {floor_share:.2f}x the floor "
          f"(goal >= 1x: {verdict(floor_share >= 1)})")  # fmt: skip
    print(f"vs naive loop: {naive_ratio:.1f}x faster (goal >= 3x: {verdict(naive_ratio >= 3)})")
    print(f"re-run: {rerun_ratio:.1f}x faster than the import (goal >= 5x: "
          f"{verdict(rerun_ratio >= 5)}), {rerun['created']} created")  # fmt: skip
    print(f"HTTP calls: {first['http_calls']} = ceil({matching}/100) + {extra_calls} "
          f"(goal: constant extra: {verdict(0 <= extra_calls <= 2)})")  # fmt: skip
    if peaks:
        report_memory(peaks)
    return 0


if __name__ == "__main__":
    sys.exit(main())

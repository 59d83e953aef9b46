"""Throughput of the BOAMP sandbox on a large generated dataset.

Serves SIZE generated notices (plus the seed fixtures) on loopback and measures, over
real HTTP with one keep-alive ``requests`` session:

* baseline: 100-record pages with no ``where`` (walking ``offset``);
* nightly: 100-record pages of the client's nightly query (docs/boamp.md section 10, 30 days,
  ``order_by=dateparution desc, idweb asc``), the query repeated as the client pages it;
* cold: a different ``where`` on every request (no query cache: full evaluation);
* search: ``search(objet, "éclairage public")`` pages, each with a new date bound.

Prints requests/s and the ratio of each to the baseline, plus generation and seed time.

    python -m tests.bench.sandbox_boamp [--size 10000] [--seconds 3]
"""

import argparse
import itertools
import time
from datetime import date, timedelta

import requests

from tests.sandbox import Sandbox
from tests.sandbox.boamp import BoampService

RECORDS = "/api/explore/v2.1/catalog/datasets/boamp/records"
HOME = ("73", "74", "38")
NATURES = ("APPEL_OFFRE", "RECTIFICATIF", "ANNULATION", "MODIFICATION", "ATTRIBUTION")


def nightly_where(since):
    deps = [f'code_departement="{d}"' for d in HOME]
    deps += [f'code_departement_prestation="{d}"' for d in HOME]
    nats = " OR ".join(f'nature="{n}"' for n in NATURES)
    return f"dateparution >= date'{since.isoformat()}' AND ({' OR '.join(deps)}) AND ({nats})"


def rate(session, url, params_iter, seconds):
    """Requests per second over ``seconds``; every answer must be a 200."""
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        response = session.get(url, params=next(params_iter), timeout=30)
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code}: {response.text[:200]}")
        count += 1
    return count / (time.perf_counter() - start)


def pages(where, total, order="dateparution desc, idweb asc"):
    """Endless page parameters: offsets 0, 100, ... over the matching rows, then again."""
    offsets = range(0, max(min(total, 10_000), 1), 100)
    for offset in itertools.cycle(offsets):
        yield {"where": where, "order_by": order, "limit": 100, "offset": offset}


def warm_up(session, url, where, total, order):
    """One full walk first: per-record JSON and field indexes are built lazily."""
    for params in itertools.islice(pages(where, total, order), -(-total // 100)):
        session.get(url, params=params, timeout=30).raise_for_status()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000, help="generated notices")
    parser.add_argument("--seconds", type=float, default=3.0, help="per measurement")
    args = parser.parse_args(argv)

    day = date.today()
    options = {"boamp_notices": args.size, "seed": 20261123, "boamp_day": day}
    start = time.perf_counter()
    service = BoampService(None, options)
    seed_time = time.perf_counter() - start
    sandbox = Sandbox(services=[service], **options)
    url = sandbox.start() + RECORDS
    rows = len(service.dataset.rows)
    try:
        with requests.Session() as session:

            def total(where):
                params = {"where": where, "limit": 0}
                return session.get(url, params=params, timeout=30).json()["total_count"]

            nightly = nightly_where(day - timedelta(days=30))
            matching, everything = total(nightly), total("")
            warm_up(session, url, "", everything, "idweb")
            warm_up(session, url, nightly, matching, "dateparution desc, idweb asc")
            since = [day - timedelta(days=d) for d in range(1, 46)]
            figures = {
                "baseline (no where)": rate(
                    session, url, pages("", everything, "idweb"), args.seconds
                ),
                "nightly query pages": rate(session, url, pages(nightly, matching), args.seconds),
                "cold: new where each call": rate(
                    session,
                    url,
                    (
                        {
                            "where": nightly_where(since[i % 45]) + f' AND NOT idweb="x{i}"',
                            "order_by": "dateparution desc, idweb asc",
                            "limit": 100,
                        }
                        for i in itertools.count()
                    ),
                    args.seconds,
                ),
                "cold: search() each call": rate(
                    session,
                    url,
                    (
                        {
                            "where": f'search(objet, "éclairage public") AND dateparution >= '
                            f"date'{since[i % 45].isoformat()}' AND NOT idweb=\"x{i}\"",
                            "limit": 100,
                        }
                        for i in itertools.count()
                    ),
                    args.seconds,
                ),
            }
    finally:
        sandbox.stop()

    print(f"sandbox_boamp: {rows} records served ({args.size} generated)")
    print(f"  seed dataset built in {seed_time:.2f} s (generation, fixtures, eForms examples)")
    print(f"  nightly query (30 days, 73/74/38) matches {matching} records")
    baseline = figures["baseline (no where)"]
    for name, value in figures.items():
        print(f"  {name:<28} {value:8.1f} req/s   x{value / baseline:.2f} vs baseline")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

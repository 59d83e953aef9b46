"""How long a service that never answers holds a job, with the clients' real timeouts.

A loopback server accepts every connection and never answers (the worst case of issue 12,
defect 6). Measured, with real sockets and nothing patched:

* BOAMP: one nightly run's read of its first page (``BoampClient.count``);
* API Entreprise: one refresh of ``--size`` documents (the nightly job's loop: every document
  tried in turn, the batch going on after a transport error as the job does);
* Chorus Pro: one status poll, which stops at its first transport error (its PISTE token).

``--before DIR`` also measures the clients of another checkout (e.g. ``git worktree add
/tmp/prev 0112e64``), the baseline of the same run. Both are measured concurrently (threads),
so the whole takes about as long as the slowest measurement.
"""

import argparse
import importlib.util
import socket
import sys
import threading
import time
import types
from pathlib import Path

from tests.odoo_env import REPO

CLIENT_MODULES = (
    ("duret_boamp", "boamp_client"),
    ("duret_api_entreprise", "api_entreprise"),
    ("duret_api_entreprise", "errors"),
    ("duret_chorus", "chorus_client"),
    ("duret_chorus", "errors"),
)
ENDPOINTS = [
    ("urssaf_vigilance", "842317653"),
    ("dgfip_fiscale", "842317653"),
    ("qualifelec", "84231765300017"),
    ("qualibat", "84231765300017"),
    ("opqibi", "842317653"),
    ("cibtp", "84231765300017"),
    ("cnetp", "842317653"),
    ("probtp", "84231765300017"),
    ("fntp", "842317653"),
    ("kbis", "842317653"),
]


class SilentServer:
    """Accepts connections and reads requests, never answers."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.held = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)


def load_tree(root, name):
    """Mount the addons of checkout ``root`` as ``name.<addon>`` without running their
    ``__init__`` (no Odoo), so that their ``lib`` packages import as in Odoo."""
    package = types.ModuleType(name)
    package.__path__ = [str(root)]
    sys.modules[name] = package
    for manifest in Path(root).glob("*/__manifest__.py"):
        addon = types.ModuleType(f"{name}.{manifest.parent.name}")
        addon.__path__ = [str(manifest.parent)]
        sys.modules[addon.__name__] = addon

    def lib(addon, module):
        spec = importlib.util.find_spec(f"{name}.{addon}.lib.{module}")
        return importlib.import_module(spec.name)

    return lib


def measure_boamp(lib, url):
    client_module = lib("duret_boamp", "boamp_client")
    client = client_module.BoampClient(url)
    started = time.monotonic()
    try:
        client.count("dateparution >= date'2026-01-01'")
    except Exception as exc:
        outcome = type(exc).__name__
    else:
        outcome = "answered"
    return time.monotonic() - started, outcome


def measure_api_entreprise(lib, url, size):
    module = lib("duret_api_entreprise", "api_entreprise")
    errors = lib("duret_api_entreprise", "errors")
    kwargs = {}
    http = sys.modules.get(module.__name__.rsplit(".", 3)[0] + ".duret_procurement.lib.http")
    if http is not None:  # the shared layer: one budget for the refresh, as the model gives it
        kwargs["budget"] = http.Budget(90)
    client = module.ApiEntrepriseClient(
        url, "token", "10000001700010", "Marchés publics", "Bench", **kwargs
    )
    started = time.monotonic()
    outcomes = []
    for endpoint, identifier in (ENDPOINTS * (size // len(ENDPOINTS) + 1))[:size]:
        try:
            client.get(endpoint, identifier)
        except errors.RemoteError as exc:
            outcomes.append(type(exc).__name__)
            if exc.stop_batch:
                break
    return time.monotonic() - started, ", ".join(sorted(set(outcomes)))


def measure_chorus(lib, url):
    module = lib("duret_chorus", "chorus_client")
    errors = lib("duret_chorus", "errors")
    kwargs = {}
    http = sys.modules.get(module.__name__.rsplit(".", 3)[0] + ".duret_procurement.lib.http")
    if http is not None and issubclass(module.ChorusClient, http.HttpClient):
        kwargs["budget"] = http.Budget(300)  # the poll's (chorus_poll_run.POLL_BUDGET)
    client = module.ChorusClient(url, url, "client", "secret", "login", "password", **kwargs)
    failure = getattr(errors, "RemoteError", None) or errors.ChorusError  # base, after / before
    started = time.monotonic()
    try:
        client.search_invoices(periodeDateHeureEtatCourantDu="2026-03-01T00:00:00.000+00:00")
    except failure as exc:
        outcome = type(exc).__name__
    else:
        outcome = "answered"
    return time.monotonic() - started, outcome


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=10, help="API Entreprise documents")
    parser.add_argument("--before", help="checkout whose clients are the baseline")
    args = parser.parse_args(argv)
    server = SilentServer()
    trees = {"after": load_tree(REPO, "bench_after")}
    if args.before:
        trees["before"] = load_tree(Path(args.before).resolve(), "bench_before")
    # every module the measurements use is imported here, before the threads start: two
    # threads importing the same packages at once can deadlock on the import locks
    # (seen: urllib3's six importer), which would hang the benchmark itself
    for lib in trees.values():
        for addon, module in CLIENT_MODULES:
            lib(addon, module)
    results, threads = {}, []

    def run(key, function, *call_args):
        results[key] = function(*call_args)

    for label, lib in trees.items():
        for what, function, call_args in (
            ("BOAMP run", measure_boamp, (lib, server.url)),
            (
                f"API Entreprise refresh of {args.size}",
                measure_api_entreprise,
                (lib, server.url, args.size),
            ),
            ("Chorus Pro poll", measure_chorus, (lib, server.url)),
        ):
            thread = threading.Thread(target=run, args=((what, label), function, *call_args))
            thread.start()
            threads.append(thread)
    for thread in threads:
        thread.join()
    print(f"{'job':<36} {'code':<7} {'blocked (s)':>12}  outcome")
    for (what, label), (seconds, outcome) in sorted(results.items()):
        print(f"{what:<36} {label:<7} {seconds:>12.1f}  {outcome}")
    for what in sorted({what for what, _label in results}):
        if (what, "before") in results:
            ratio = results[(what, "after")][0] / results[(what, "before")][0]
            print(f"{what}: after / before = {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

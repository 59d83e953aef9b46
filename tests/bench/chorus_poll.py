"""Chorus status polling: one incremental search vs one history call per invoice.

``python -m tests.bench.chorus_poll [--size 1000]`` creates a fresh database
(a copy of ``--template`` if given), installs
duret_chorus, starts the sandbox in-process, and seeds ``size`` invoices in
flight both in the sandbox (``/_sandbox/chorus/seed_invoices``) and in Odoo
(SQL copies of one draft invoice: no PDF renders). 5 % of them changed since
the last poll, a fifth of those to a status with a reason (SUSPENDUE).

It then measures, in the same run and on the same data:

* baseline: what existing modules do, one ``consulter/historique`` per invoice
  (stored through the same ``_chorus_sync_history`` as the poll);
* incremental: the addon's poll (one paged ``rechercher/fournisseur`` for the
  changes since the last poll, then the history of each changed invoice, so
  that every step between two polls is kept with its date).

Goal at --size 1000: calls = ceil(50 / page size) + 50 (+ token), the same
status lines as the baseline, and at least 10x fewer calls than the baseline.
"""

import argparse
import math
import sys
import time
import uuid
from datetime import timedelta

from tests.bench._database import create_database, drop_database, open_registry
from tests.bench._database import sandbox_admin as admin

REASON = "Bon de commande manquant"


def seed(env, url, size, changed, with_reason):
    """Invoices in flight in the sandbox and, with the same ids, in Odoo."""
    from odoo import fields
    from tests.sandbox.chorus_directory import OWN_ID_STRUCTURE, OWN_SIRET, PUBLIC_BUYERS

    admin(url, "reset")
    answer = admin(url, "chorus/seed_invoices", {
        "count": size, "prefix": "BENCH-", "statut": "MISE_A_DISPOSITION",
        "buyers": [b["siret"] for b in PUBLIC_BUYERS if not b["payment_not_reported"]],
        "changed": changed,
    })  # fmt: skip
    invoices = answer["factures"]
    changed_ids = answer["changed"]
    for chorus_id in changed_ids[:with_reason]:
        admin(url, "chorus/advance", {
            "identifiantFactureCPP": chorus_id, "statut": "SUSPENDUE", "commentaire": REASON,
        })  # fmt: skip

    company = env.company
    company.write({
        "siret": OWN_SIRET, "chorus_oauth_url": url, "chorus_api_url": url,
        "chorus_client_id": "duret-sandbox-client", "chorus_client_secret": "duret-sandbox-secret",
        "chorus_login": "TECH_1_duret@cpro.fr", "chorus_password": "duret-sandbox-password",
        "chorus_structure_id": OWN_ID_STRUCTURE,
        # the last poll ran after the seeding (two days ago) and before the changes
        "chorus_last_poll": fields.Datetime.now() - timedelta(days=1),
    })  # fmt: skip
    buyer = env["res.partner"].create({"name": "Commune (bench)", "is_company": True})
    template = env["account.move"].create({"move_type": "out_invoice", "partner_id": buyer.id})
    env.cr.execute(
        """INSERT INTO chorus_flow (name, company_id, date_sent, state)
           SELECT flow, %s, now() at time zone 'UTC' - interval '3 days', 'integrated'
             FROM unnest(%s::text[]) AS flow""",
        [company.id, [i["numeroFluxDepot"] for i in invoices]],
    )
    env.cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'account_move'"
        " AND column_name NOT IN ('id', 'name', 'chorus_invoice_id', 'chorus_state',"
        " 'chorus_status', 'chorus_flow_id')"
    )
    columns = [row[0] for row in env.cr.fetchall()]
    column_list = ", ".join(f'"{c}"' for c in columns)
    env.cr.execute(
        f"""INSERT INTO account_move ({column_list}, name, chorus_invoice_id, chorus_state,
                                       chorus_status, chorus_flow_id)
            SELECT {", ".join(f'm."{c}"' for c in columns)}, s.number, s.chorus_id,
                   'integrated', 'MISE_A_DISPOSITION', f.id
              FROM account_move m,
                   unnest(%s::text[], %s::int[], %s::text[]) AS s(number, chorus_id, flow)
              JOIN chorus_flow f ON f.name = s.flow
             WHERE m.id = %s""",
        [
            [i["numeroFacture"] for i in invoices],
            [i["identifiantFactureCPP"] for i in invoices],
            [i["numeroFluxDepot"] for i in invoices],
            template.id,
        ],
    )
    template.unlink()
    env.cr.commit()
    env.invalidate_all()
    return company


def tracked(env, company):
    return env["account.move"].search(
        [("company_id", "=", company.id), ("chorus_state", "=", "integrated"),
         ("chorus_done", "=", False)]
    )  # fmt: skip


def per_invoice_poll(env, company):
    """Baseline: one ``consulter/historique`` per invoice in flight."""
    client = company._chorus_client()
    changes = 0
    start = time.perf_counter()
    for move in tracked(env, company):
        before = move.chorus_status
        move._chorus_sync_history(client.invoice_history(move.chorus_invoice_id))
        changes += move.chorus_status != before
    seconds = time.perf_counter() - start
    return {"calls": client.calls, "by_op": dict(client.calls_by_operation), "seconds": seconds,
            "changes": changes, "lines": status_lines(env)}  # fmt: skip


def status_lines(env):
    """Every stored status step, as comparable tuples."""
    env.flush_all()
    env.cr.execute(
        "SELECT move_id, code, date, comment FROM chorus_invoice_status ORDER BY move_id, date, id"
    )
    return env.cr.fetchall()


def restore(env, moves):
    """Put the baseline's changes back so that the incremental poll sees the same data."""
    env.flush_all()
    env.cr.execute(
        "UPDATE account_move SET chorus_status = 'MISE_A_DISPOSITION', chorus_done = FALSE,"
        " chorus_status_date = NULL WHERE id IN %s",
        [tuple(moves.ids)],
    )
    env.cr.execute("DELETE FROM chorus_invoice_status")
    env.cr.execute("DELETE FROM mail_activity WHERE res_model = 'account.move'")
    env.cr.commit()
    env.invalidate_all()


def incremental_poll(env, company):
    start = time.perf_counter()
    run = env["chorus.poll.run"]._poll_company(company, "manual")
    seconds = time.perf_counter() - start
    if run.state != "done":
        raise SystemExit(f"incremental poll {run.state}: {run.log}")
    import json

    return {"calls": run.calls, "by_op": json.loads(run.calls_detail or "{}"),
            "seconds": seconds, "changes": run.changes, "lines": status_lines(env)}  # fmt: skip


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000, help="invoices in flight")
    parser.add_argument("--template", help="copy this database instead of an empty one")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args(argv)
    size = args.size
    changed = max(1, size * 5 // 100)
    with_reason = max(1, changed // 5)

    dbname = f"bench_chorus_{uuid.uuid4().hex[:8]}"
    create_database(dbname, "duret_chorus", args.template, demo=True)
    try:
        registry = open_registry(dbname)
        import odoo
        from odoo.addons.duret_chorus.lib import chorus_client
        from tests.sandbox import Sandbox

        sandbox = Sandbox()
        url = sandbox.start()
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            company = seed(env, url, size, changed, with_reason)
            moves = tracked(env, company)
            baseline = per_invoice_poll(env, company)
            restore(env, moves)
            incremental = incremental_poll(env, company)
        sandbox.stop()
    finally:
        if not args.keep:
            drop_database(dbname)

    page = chorus_client.PAGE_SIZE
    goal = math.ceil(changed / page) + changed
    print(
        f"\nChorus poll, {size} invoices in flight, {changed} changed, {with_reason} with a reason"
    )
    print(f"{'':14}{'calls':>8}{'seconds':>10}{'changes':>9}  calls per operation")
    for name, figures in (("per-invoice", baseline), ("incremental", incremental)):
        print(f"{name:14}{figures['calls']:>8}{figures['seconds']:>10.2f}{figures['changes']:>9}"
              f"  {figures['by_op']}")  # fmt: skip
    api_calls = incremental["calls"] - incremental["by_op"].get("token", 0)
    call_ratio = baseline["calls"] / max(incremental["calls"], 1)
    time_ratio = baseline["seconds"] / max(incremental["seconds"], 1e-9)
    verdict = "met" if api_calls <= goal else "NOT met"
    print(f"goal: ceil({changed}/{page}) + {changed} = {goal} API calls (+ token); "
          f"measured {api_calls} API calls: {verdict}")  # fmt: skip
    print(f"ratios: {call_ratio:.1f}x fewer calls, {time_ratio:.1f}x less time "
          f"({'met' if call_ratio >= 10 else 'below 10x'} for calls)")  # fmt: skip
    polled = {line[0] for line in incremental["lines"]}
    same = incremental["lines"] == [line for line in baseline["lines"] if line[0] in polled]
    print(f"status lines: {len(incremental['lines'])} stored by the poll for {len(polled)} "
          f"changed invoices, identical to the baseline's for them: {same}")  # fmt: skip
    if not same or len(polled) != changed:
        print("WARNING: the poll did not store every step of every changed invoice")
        return 1
    if baseline["changes"] != incremental["changes"]:
        print(f"WARNING: changes differ ({baseline['changes']} vs {incremental['changes']})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Payment-delay ledger: the daily refresh of open public invoices.

``python -m tests.bench.late_payment [--size 1000]`` creates a fresh database with
duret_late_payment (demo data, for a chart of accounts), then ``size`` posted invoices to a
local authority (SQL copies of one posted invoice, no lines: the figures come from the
Chorus dates) with their Chorus history as ``chorus.invoice.status`` lines: every invoice
deposited and made available, one in ten suspended then completed, half of them paid
(``MISE_EN_PAIEMENT``) at various delays.

It measures, in the same run and on the same invoices:

* baseline: the ledger computed invoice by invoice (what a per-record compute costs: the
  rates, the buyer and the status lines read for each invoice);
* batch: the daily job's refresh (``_late_payment_recompute_open``: one recompute of the
  whole set, rates read once, status lines prefetched).

Both must give the same figures; the ratio is the time gained by the batch.
"""

import argparse
import time
import uuid

from tests.bench._database import create_database, drop_database, open_registry

# compared between the two runs (the expected payment day is not: invoice by invoice, it
# depends on which other invoices of the buyer were refreshed before it)
LEDGER_COLUMNS = (
    "late_payment_state", "late_payment_due_date", "late_payment_days_late",
    "late_payment_interest", "late_payment_claimable",
)  # fmt: skip


def seed(env, size):
    """``size`` posted invoices of 1 200.00 with their Chorus history, from 1 March 2025."""
    buyer = env["res.partner"].create(
        {"name": "Commune (bench)", "is_company": True, "late_payment_buyer_category": "local"}
    )
    template = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": buyer.id,
            "invoice_date": "2025-03-01",
            "invoice_line_ids": [(0, 0, {"name": "Travaux", "price_unit": 1000.0})],
        }
    )
    template.action_post()
    env.flush_all()
    env.cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'account_move'"
        " AND column_name NOT IN ('id', 'name')"
    )
    columns = [row[0] for row in env.cr.fetchall()]
    column_list = ", ".join(f'"{c}"' for c in columns)
    env.cr.execute(
        f"""INSERT INTO account_move ({column_list}, name)
            SELECT {", ".join(f'm."{c}"' for c in columns)}, 'BENCH/' || n
              FROM account_move m, generate_series(1, %s) AS n
             WHERE m.id = %s
         RETURNING id""",
        [size, template.id],
    )
    ids = [row[0] for row in env.cr.fetchall()]
    steps = []
    for index, move_id in enumerate(ids):
        day = 1 + index % 28
        steps += [(move_id, "DEPOSEE", f"2025-03-{day:02d} 09:00"),
                  (move_id, "MISE_A_DISPOSITION", f"2025-03-{day:02d} 11:00")]  # fmt: skip
        if index % 10 == 0:
            steps += [(move_id, "SUSPENDUE", f"2025-04-{day:02d} 10:00"),
                      (move_id, "COMPLETEE", f"2025-04-{min(day + 5, 30):02d} 10:00")]  # fmt: skip
        if index % 2 == 0:
            steps.append((move_id, "MISE_EN_PAIEMENT", f"2025-05-{day:02d} 10:00"))
    env.cr.execute(
        """INSERT INTO chorus_invoice_status (move_id, company_id, code, date, history_number,
                                             create_uid, write_uid, create_date, write_date)
           SELECT s.move_id, %s, s.code, s.day::timestamp, 0, 1, 1, now(), now()
             FROM unnest(%s::int[], %s::text[], %s::text[]) AS s(move_id, code, day)""",
        [env.company.id, [s[0] for s in steps], [s[1] for s in steps], [s[2] for s in steps]],
    )
    env.cr.commit()
    env.invalidate_all()
    return env["account.move"].browse(ids), len(steps)


def figures(env, moves):
    env.flush_all()
    columns = ", ".join(LEDGER_COLUMNS)
    env.cr.execute(f"SELECT id, {columns} FROM account_move WHERE id IN %s ORDER BY id",
                   [tuple(moves.ids)])  # fmt: skip
    return env.cr.fetchall()


def reset(env, moves):
    env.cr.execute(
        "UPDATE account_move SET late_payment_state = 'on_time', late_payment_applies = TRUE,"
        " late_payment_due_date = NULL, late_payment_days_late = 0, late_payment_interest = 0,"
        " late_payment_claimable = 0, late_payment_expected_date = NULL,"
        " late_payment_paid_date = NULL, late_payment_payment_delay = 0 WHERE id IN %s",
        [tuple(moves.ids)],
    )
    env.cr.commit()
    env.invalidate_all()


def per_invoice(env, moves):
    start = time.perf_counter()
    queries = env.cr.sql_log_count
    for move in moves.with_env(env):
        move.invalidate_recordset()
        for name in ("late_payment_state", "late_payment_expected_date"):
            env.add_to_compute(move._fields[name], move)
        move.flush_recordset()
    return time.perf_counter() - start, env.cr.sql_log_count - queries


def batch(env):
    start = time.perf_counter()
    queries = env.cr.sql_log_count
    moves = env["account.move"]._late_payment_recompute_open()
    return time.perf_counter() - start, env.cr.sql_log_count - queries, moves


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000, help="open invoices")
    parser.add_argument("--template", help="copy this database instead of an empty one")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args(argv)

    dbname = f"bench_ledger_{uuid.uuid4().hex[:8]}"
    create_database(dbname, "duret_late_payment", args.template, demo=True)
    try:
        registry = open_registry(dbname)
        import odoo

        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            moves, lines = seed(env, args.size)
            reset(env, moves)
            base_seconds, base_queries = per_invoice(env, moves)
            base_figures = figures(env, moves)
            reset(env, moves)
            batch_seconds, batch_queries, refreshed = batch(env)
            batch_figures = figures(env, moves)
    finally:
        if not args.keep:
            drop_database(dbname)

    print(f"\nLedger refresh, {args.size} open invoices, {lines} Chorus status lines")
    print(f"{'':14}{'seconds':>10}{'queries':>10}{'ms/invoice':>12}")
    for name, seconds, queries in (
        ("per-invoice", base_seconds, base_queries),
        ("batch", batch_seconds, batch_queries),
    ):
        print(f"{name:14}{seconds:>10.2f}{queries:>10}{1000 * seconds / args.size:>12.2f}")
    print(f"ratio: {base_seconds / max(batch_seconds, 1e-9):.1f}x less time, "
          f"{base_queries / max(batch_queries, 1):.1f}x fewer queries; "
          f"{len(refreshed & moves)} invoices refreshed by the job")  # fmt: skip
    same = base_figures == batch_figures
    differing = [(a, b) for a, b in zip(base_figures, batch_figures, strict=True) if a != b]
    if differing:
        print("first differences (per-invoice, batch):", differing[:3])
    print(f"figures: {'identical' if same else 'DIFFERENT'} "
          f"({sum(1 for row in batch_figures if row[1] == 'paid_late')} paid late)")  # fmt: skip
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())

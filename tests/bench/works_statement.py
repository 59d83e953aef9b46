"""Works statements: compute and render a statement vs Odoo posting an invoice of the same size.

``python -m tests.bench.works_statement [--size 500] [--statements 24]`` creates a
fresh database (a copy of ``--template`` if given) with duret_works and the French
chart of accounts, a works contract whose price schedule has ``size`` lines, then
enters ``statements`` monthly statements (every line progressing each month, the
last one final) and measures, in the same run:

* per statement: computing and storing the figures (the cumulative progress
  of every line, lib/statement.py), creating and posting its invoice and
  rendering the statement (the invoice report with the works summary and one
  row per schedule line, as HTML: the PDF conversion by wkhtmltopdf is the
  same for any report and is left out);
* baseline: Odoo creating and posting an ordinary invoice with ``size`` lines.

It prints the median and worst time of each step and the ratio
(compute + invoice + render) / baseline. No sandbox call: sending is measured
elsewhere (the deposit is one upload and one ``soumettre``, whatever the size).
"""

import argparse
import statistics
import sys
import time
import uuid

from tests.bench._database import create_database, drop_database, open_registry


def setup(env, size):
    """A French company, a buyer and a running contract with ``size`` schedule lines."""
    from odoo import Command

    company = env.company
    if not company.chart_template:
        env["account.chart.template"].try_loading("fr", company=company, install_demo=False)
    company.tax_exigibility = True
    tax = env["account.tax"].search(
        [("company_id", "=", company.id), ("type_tax_use", "=", "sale"), ("amount", "=", 20.0),
         ("tax_exigibility", "=", "on_payment")], limit=1,
    )  # fmt: skip
    buyer = env["res.partner"].create(
        {"name": "Commune (bench)", "is_company": True, "siret": "21733030700018"}
    )
    lines = [
        {
            "sequence": index,
            "code": f"{index // 20 + 1}.{index % 20 + 1}",
            "name": f"Ouvrage {index} : fourniture et pose",
            "uom_label": "ens" if index % 10 == 0 else "u",
            "quantity": 1.0 if index % 10 == 0 else float(10 + index % 37),
            "price_unit": round(12.37 + (index * 7.913) % 900, 2),
            "progress_mode": "percent" if index % 10 == 0 else "quantity",
        }
        for index in range(size)
    ]
    total = sum(round(line["quantity"] * line["price_unit"], 2) for line in lines)
    contract = env["works.contract"].create(
        {
            "name": "Marché de travaux (bench)",
            "partner_id": buyer.id,
            "amount_untaxed": total,
            "tax_id": tax.id,
            "advance_rate": 10.0,
            "market_number": "BENCH-001",
            "line_ids": [Command.create(line) for line in lines],
        }
    )
    contract.action_start()
    return contract, buyer, tax


def progress(statement, k, count):
    """Every line a little further each month; all done at the last statement."""
    for line in statement.line_ids:
        share = min(1.0, k / count)
        if line.progress_mode == "percent":
            line.cumulative_percent = round(100 * share, 2)
        else:
            line.cumulative_quantity = round(line.quantity * share)


def measure_statements(env, contract, count):
    report = env.ref("account.account_invoices")
    timings = {"compute": [], "invoice": [], "render": []}
    for k in range(1, count + 1):
        action = (
            contract.action_new_final_statement() if k == count else contract.action_new_statement()
        )
        statement = env["works.statement"].browse(action["res_id"])
        progress(statement, k, count)
        env.flush_all()
        start = time.perf_counter()
        statement._works_store_figures()
        env.flush_all()
        timings["compute"].append(time.perf_counter() - start)
        start = time.perf_counter()
        statement._works_make_invoice()
        env.flush_all()
        timings["invoice"].append(time.perf_counter() - start)
        start = time.perf_counter()
        html = env["ir.actions.report"]._render_qweb_html(report.report_name, statement.move_id.ids)
        timings["render"].append(time.perf_counter() - start)
        if b"works_summary" not in html[0]:
            raise SystemExit("the statement report lacks its works summary")
    return timings


def measure_baseline(env, buyer, tax, size, repeat):
    from odoo import Command

    seconds = []
    for _run in range(repeat):
        start = time.perf_counter()
        move = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": buyer.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": f"Ouvrage {i}",
                            "quantity": 1 + i % 7,
                            "price_unit": round(12.37 + (i * 7.913) % 900, 2),
                            "tax_ids": [Command.set(tax.ids)],
                        }
                    )  # fmt: skip
                    for i in range(size)
                ],
            }
        )
        move.action_post()
        env.flush_all()
        seconds.append(time.perf_counter() - start)
    return seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=500, help="price schedule lines")
    parser.add_argument("--statements", type=int, default=24)
    parser.add_argument("--template", help="copy this database instead of an empty one")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args(argv)

    dbname = f"bench_works_{uuid.uuid4().hex[:8]}"
    create_database(dbname, "duret_works", args.template)
    try:
        registry = open_registry(dbname)
        import odoo

        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "fr_FR"})
            contract, buyer, tax = setup(env, args.size)
            timings = measure_statements(env, contract, args.statements)
            baseline = measure_baseline(env, buyer, tax, args.size, min(5, args.statements))
            executed = contract.executed_percent
            cr.rollback()
    finally:
        if not args.keep:
            drop_database(dbname)

    print(f"\nWorks statements: {args.size}-line schedule, {args.statements} statements")
    print(f"{'step':28}{'median s':>10}{'worst s':>10}")
    for name, values in timings.items():
        print(f"{name:28}{statistics.median(values):>10.3f}{max(values):>10.3f}")
    total = [sum(step) for step in zip(*timings.values(), strict=True)]
    print(f"{'statement (all three)':28}{statistics.median(total):>10.3f}{max(total):>10.3f}")
    base = statistics.median(baseline)
    print(f"{'baseline: post invoice':28}{base:>10.3f}{max(baseline):>10.3f}  ({args.size} lines)")
    print(f"ratio statement / baseline (medians): {statistics.median(total) / base:.2f}")
    print(f"executed at the end: {executed:.2f} % (expected 100.00)")
    return 0 if abs(executed - 100.0) < 1e-6 else 1


if __name__ == "__main__":
    sys.exit(main())

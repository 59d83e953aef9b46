"""The "Past contracts" tab of a tender lead: form load with the tab vs without, as the DECP grows.

``python -m tests.bench.decp_lead_tab [--size 15000] [--factors 1,10,100]`` creates a fresh
database with duret_decp, fills ``decp.contract`` / ``decp.holder`` by SQL with ``size × factor``
contracts in 73/74/38 (``size`` ≈ 24 months of the three départements: about 250 000 contracts a
year nationally, 3 % of them there, docs/decp.md), and measures in the same run, for one tender
lead whose buyer has contracts:

* baseline: reading the lead form's fields without the tab's;
* with the tab: the same read plus the tab's fields (buyer's contracts, statistics, top holders).

It prints the median time of each, their ratio, and the SQL queries per load (which must not
grow with the volume: the tab runs a constant number of queries). The summaries the tab reads
are rebuilt after each fill (``_decp_rebuild_summaries``, timed: what a first load costs) and the
tables vacuumed as autovacuum would after such a load, then
the competitor book's pivot (company × year, electrical works) is timed on the summaries and, for
comparison, on the holders themselves (the book before the summaries); last the re-tender
radar's search for one watch profile.
"""

import statistics
import subprocess
import sys
import time
import uuid

from dateutil.relativedelta import relativedelta

from tests.bench._database import (
    _pg_client_args,
    create_database,
    drop_database,
    open_registry,
    volume_parser,
)

REPEAT = 21
BUYER = "21730065600018"


def fill(env, count):
    """``count`` contracts (one holder each) spread over 73/74/38, classes, buyers, 3 years."""
    env.cr.execute("DELETE FROM decp_holder")
    env.cr.execute("DELETE FROM decp_contract")
    env.cr.execute(
        """INSERT INTO decp_contract (key, market_id, buyer_siret, buyer_siren, object, cpv_code,
                  cpv_class, departement, notified, end_date, amount_initial, amount_current,
                  offers_received, framework, duration_months, modification_count, origin,
                  create_uid, write_uid, create_date, write_date)
           SELECT 'b' || (i %% 500) || '|' || i, 'M' || i,
                  CASE WHEN i %% 500 = 0 THEN %(buyer)s ELSE lpad((i %% 500)::text, 14, '2') END,
                  '217300656', 'Travaux ' || i,
                  (ARRAY['45311000','45315000','45421100','45330000','71321000'])[1 + i %% 5],
                  (ARRAY['4531','4531','4542','4533','7132'])[1 + i %% 5],
                  (ARRAY['73','74','38'])[1 + i %% 3],
                  current_date - (i %% 1095), current_date - (i %% 1095) + 365,
                  40000 + (i::bigint * 7919) %% 900000, 40000 + (i::bigint * 7919) %% 900000,
                  1 + i %% 9, i %% 11 = 0, 12, 0, 'decp', 1, 1, now(), now()
             FROM generate_series(1, %(n)s) AS i""",
        {"n": count, "buyer": BUYER},
    )
    env.cr.execute(
        """INSERT INTO decp_holder (contract_id, identifier, id_type, siren, notified, year,
                  amount, buyer_siret, departement, cpv_class, create_uid, write_uid,
                  create_date, write_date)
           SELECT id, lpad((id % 300)::text, 14, '3'), 'SIRET', lpad((id % 300)::text, 9, '3'),
                  notified, extract(year FROM notified)::text, amount_current, buyer_siret,
                  departement, cpv_class, 1, 1, now(), now()
             FROM decp_contract"""
    )
    started = time.perf_counter()
    env["decp.contract"]._decp_rebuild_summaries()
    rebuilt = time.perf_counter() - started
    env.cr.commit()  # a throw-away database: committed so that VACUUM sees the rows
    vacuum(env.cr.dbname)
    return rebuilt


def vacuum(dbname):
    """What autovacuum does soon after a bulk load: statistics, and the visibility map that
    lets index-only scans skip the table (the buyer's contracts, the amounts of a bin)."""
    tables = ["decp_contract", "decp_holder", "decp_contract_summary", "decp_holder_summary"]
    commands = [arg for table in tables for arg in ("-c", f"VACUUM ANALYZE {table}")]
    subprocess.run(["psql", *_pg_client_args(), "-d", dbname, "-q", *commands], check=True)


def book_time(env, model, company_field):
    """Median time of the competitor book's pivot: company × year, electrical works."""
    times = []
    for _ in range(5):
        env.invalidate_all()
        started = time.perf_counter()
        env[model].read_group(
            [("cpv_class", "=", "4531")],
            ["amount:sum"],
            [company_field, "year"],
            lazy=False,
        )
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def radar_time(env):
    """Median time of the re-tender radar's search for one watch profile (electrical works in
    Savoie), and how many contracts it finds."""
    from odoo.addons.duret_decp.models.decp_contract import RADAR_FROM_MONTHS, RADAR_TO_MONTHS
    from odoo.fields import Date

    watch = env["boamp.watch"].new({"departements": "73", "cpv_include": "4531"})
    today = Date.context_today(env["decp.contract"])
    start = today + relativedelta(months=RADAR_FROM_MONTHS)
    stop = today + relativedelta(months=RADAR_TO_MONTHS)
    domain = env["decp.contract"]._decp_radar_domain(watch, start, stop)
    times = []
    for _ in range(5):
        env.invalidate_all()
        started = time.perf_counter()
        found = env["decp.contract"].search(domain)
        times.append(time.perf_counter() - started)
    return statistics.median(times), len(found)


def measure(env, lead, without, with_tab):
    """Median time and most queries of a load without the tab and with it. The two loads
    alternate so that the load of a shared machine weighs on both alike; a first load of each
    warms the caches (settings, views)."""
    specs = (without, with_tab)
    times, queries = ([], []), ([], [])
    for spec in specs:
        lead.web_read(spec)
    for _ in range(REPEAT):
        for index, spec in enumerate(specs):
            env.invalidate_all()
            before = env.cr.sql_log_count
            started = time.perf_counter()
            lead.web_read(spec)
            times[index].append(time.perf_counter() - started)
            queries[index].append(env.cr.sql_log_count - before)
    return [(statistics.median(t), max(q)) for t, q in zip(times, queries, strict=True)]


def form_spec(env, with_tab):
    """The fields the lead form reads (as the web client asks for them), with or without the
    tab's; the buyer's contracts with the columns of the tab's list."""
    models = env["crm.lead"].get_views([(False, "form")])["models"]
    fields = models["crm.lead"]
    fields = fields.get("fields", fields)
    spec = {}
    for name, description in fields.items():
        if name.startswith("decp_") and not with_tab:
            continue
        if description.get("type") in ("one2many", "many2many", "many2one"):
            spec[name] = {"fields": {"display_name": {}}}
        else:
            spec[name] = {}
    if with_tab:
        columns = ("notified", "object", "holder_label", "amount_current", "offers_received")
        spec["decp_buyer_contract_ids"] = {"fields": dict.fromkeys(columns, {})}
    return spec


def main(argv=None):
    args = volume_parser(__doc__).parse_args(argv)
    dbname = f"bench_decp_{uuid.uuid4().hex[:8]}"
    create_database(dbname, "duret_decp", args.template)
    try:
        registry = open_registry(dbname)
        from odoo import SUPERUSER_ID, api

        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            buyer = env["res.partner"].create({"name": "Commune (bench)", "siret": BUYER})
            lead = env["crm.lead"].create(
                {
                    "name": "AO (bench)",
                    "type": "opportunity",
                    "company_id": env.company.id,
                    "partner_id": buyer.id,
                    "boamp_idweb": "26-000001",
                    "tender_cpv_codes": "45311000",
                    "tender_departement": "73, 74, 38",
                }
            )
            without, with_tab = form_spec(env, False), form_spec(env, True)
            print(
                "factor  contracts  without(ms)  with tab(ms)  ratio  queries w/o  queries tab"
                "  similar  buyer's  summaries(s)  book(ms)  book on holders(ms)"
                "  radar(ms)  radar found"
            )
            for factor in [int(f) for f in args.factors.split(",")]:
                count = args.size * factor
                rebuilt = fill(env, count)
                (base_time, base_queries), (tab_time, tab_queries) = measure(
                    env, lead, without, with_tab
                )
                book = book_time(env, "decp.holder.summary", "holder_key")
                book_raw = book_time(env, "decp.holder", "siren")
                radar, radar_found = radar_time(env)
                print(
                    f"{factor:>5}×  {count:>9}  {base_time * 1000:>11.1f}  "
                    f"{tab_time * 1000:>12.1f}  {tab_time / base_time:>5.2f}  "
                    f"{base_queries:>11}  {tab_queries:>11}  {lead.decp_similar_count:>7}  "
                    f"{lead.decp_buyer_count:>7}  {rebuilt:>12.1f}  {book * 1000:>8.1f}  "
                    f"{book_raw * 1000:>19.1f}  {radar * 1000:>9.1f}  {radar_found:>11}",
                    flush=True,
                )
            cr.rollback()
    finally:
        if not args.keep:
            drop_database(dbname)
    return 0


if __name__ == "__main__":
    sys.exit(main())

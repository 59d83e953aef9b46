"""An upgrade from a previous revision keeps all data: ``make upgrade-check REV=<commit>``.

``python -m tests.upgrade_check --rev 39f614e``

1. checks the revision out in a temporary ``git worktree`` (its own addons path),
2. installs the suite from it, with Odoo's demo data, in a fresh database,
3. seeds what the demo data lacks (``seed``, run with the old code): a French company with
   its API Entreprise and Chorus settings, checked partners, compliance documents, invoices
   with Chorus deposits and their status history, a BOAMP watch and tender lead, a works
   contract with its schedule and a statement, DECP contracts with holders, a late-payment
   claim, a user default on an API Entreprise setting and tracked changes,
4. snapshots the suite's data (``snapshot``, with the old code),
5. runs ``-u all`` with this tree's addons (migration scripts included),
6. snapshots again with the new code and compares.

The snapshot is keyed by database ids, not names: a model is matched by its ``ir_model``
id and a field by its ``ir_model_fields`` id, so a model or field renamed by a migration
script (which renames the rows, as ``duret_api_entreprise/migrations`` does) is matched
with its old self and its values are compared, while a field dropped and recreated under
a new name shows as lost. Compared: the row count of every table of a model of the suite
(its own models, and Odoo's models it adds fields to), the values of every stored field
of the suite's own models and of every field the suite added to Odoo's models
(many2many: the related ids), record by record, the chatter messages of each model and
the user defaults and tracked changes of each field. A lost table, lost rows, messages,
defaults or tracked changes, a lost field or a value that changed fails the check; a
computed field whose value changed is reported only (the upgrade may recompute it).

Too slow for every ``tests/run`` (two installs of the suite, a few minutes each on the
shared machine) and it needs a revision to start from: run it before merging a branch
that changes stored names, from the branch's base.
"""

import argparse
import datetime
import decimal
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SUITE_PREFIX = "duret_"
#: columns Odoo itself rewrites: not the suite's data
MAGIC_COLUMNS = {"id", "create_uid", "create_date", "write_uid", "write_date"}
#: what points at a field's record (``ir_model_fields``) and dies with it: defaults set by
#: users, tracked changes shown in the chatter
FIELD_LINKS = {"defaults": "ir_default", "tracked": "mail_tracking_value"}
ERROR_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (ERROR|CRITICAL) ")


# --- comparison (plain Python: tests/test_upgrade_check.py) -----------------------------


def compare(before, after):
    """Problems and notes from two snapshots; ``problems`` empty means nothing was lost.

    A snapshot is ``{"models": {model_id: {"model", "table", "rows", "messages"}}, "fields":
    {field_id: {"model_id", "model", "name", "computed", "values": {record_id: value},
    "defaults", "tracked"}}}`` (ids as strings, as JSON keeps them).
    """
    problems, notes = [], []
    rows = values = 0
    for model_id, old in sorted(before["models"].items()):
        new = after["models"].get(model_id)
        rows += old["rows"]
        if new is None:
            problems.append(f"{old['model']}: model gone ({old['rows']} rows in {old['table']})")
            continue
        if new["model"] != old["model"]:
            notes.append(f"model {old['model']} renamed {new['model']} ({old['rows']} rows)")
        if new["rows"] < old["rows"]:
            problems.append(
                f"{old['table']}: {old['rows'] - new['rows']} of {old['rows']} rows lost"
            )
        if new.get("messages", 0) < old.get("messages", 0):
            problems.append(f"{old['model']}: {old['messages'] - new['messages']} messages lost")
    new_by_name = {(f["model_id"], f["name"]): key for key, f in after["fields"].items()}
    for field_id, old in sorted(before["fields"].items()):
        label = f"{old['model']}.{old['name']}"
        key = field_id if field_id in after["fields"] else None
        key = key or new_by_name.get((old["model_id"], old["name"]))
        if key is None:
            if old["values"]:
                problems.append(f"{label}: field gone with its {len(old['values'])} values")
            continue
        new = after["fields"][key]
        if new["name"] != old["name"]:
            notes.append(f"field {label} renamed {new['name']} ({len(old['values'])} values)")
        values += len(old["values"])
        for link in FIELD_LINKS:
            if new.get(link, 0) < old.get(link, 0):
                problems.append(f"{label}: {old[link] - new[link]} of {old[link]} {link} lost")
        lost = [rid for rid in old["values"] if new["values"].get(rid) is None]
        changed = [
            rid
            for rid, value in old["values"].items()
            if new["values"].get(rid) is not None and new["values"][rid] != value
        ]
        if not lost and not changed:
            continue
        text = f"{label}: {len(lost)} values lost, {len(changed)} changed"
        example = (lost or changed)[0]
        text += f" (record {example}: {old['values'][example]!r} -> "
        text += f"{new['values'].get(example)!r})"
        (notes if old["computed"] else problems).append(text + (" [computed]" * old["computed"]))
    messages = sum(model.get("messages", 0) for model in before["models"].values())
    links = {
        link: sum(field.get(link, 0) for field in before["fields"].values()) for link in FIELD_LINKS
    }
    summary = (
        f"{len(before['models'])} tables, {rows} rows, {messages} messages, "
        f"{len(before['fields'])} fields, {values} values, {links['defaults']} defaults, "
        f"{links['tracked']} tracked changes compared"
    )
    return {"problems": problems, "notes": notes, "summary": summary}


# --- inside Odoo: snapshot and seed ------------------------------------------------------


def _jsonable(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True)
    if isinstance(value, memoryview):
        return value.tobytes().hex()
    return value


def _count_links(cr, table, field_id):
    cr.execute(f"SELECT count(*) FROM {table} WHERE field_id = %s", [field_id])
    return cr.fetchone()[0]


def snapshot(env):
    """Row counts and stored values of the suite's models (see the module docstring)."""
    cr = env.cr
    cr.execute(
        "SELECT name FROM ir_module_module WHERE state = 'installed' AND name LIKE %s",
        [SUITE_PREFIX + "%"],
    )
    suite = [name for (name,) in cr.fetchall()]
    # every module extending a model gets an XML id for it: the suite's own models are
    # those whose XML ids are all the suite's (same for fields: those Odoo's modules define
    # and the suite only overrides, ``tracking=True``..., are Odoo's data)
    owned_sql = """SELECT res_id FROM ir_model_data WHERE model = %s
                    GROUP BY res_id HAVING bool_and(module = ANY(%s))"""
    cr.execute(owned_sql, ["ir.model", suite])
    owned = {res_id for (res_id,) in cr.fetchall()}
    cr.execute(owned_sql, ["ir.model.fields", suite])
    added = {field_id for (field_id,) in cr.fetchall()}
    models, fields = {}, {}
    for ir_field in env["ir.model.fields"].search([]):
        model_id = ir_field.model_id.id
        if ir_field.id not in added and model_id not in owned:
            continue
        Model = env.get(ir_field.model)
        if Model is None or Model._abstract or Model._transient or not Model._auto:
            continue
        if model_id not in models:
            cr.execute(f'SELECT count(*) FROM "{Model._table}"')
            rows = cr.fetchone()[0]
            cr.execute("SELECT count(*) FROM mail_message WHERE model = %s", [Model._name])
            models[model_id] = {
                "model": Model._name,
                "table": Model._table,
                "rows": rows,
                "messages": cr.fetchone()[0],
            }
        field = Model._fields.get(ir_field.name)
        if field is None or not field.store or field.name in MAGIC_COLUMNS:
            continue
        if (field.type == "binary" and field.attachment) or field.type == "one2many":
            continue
        if field.type == "many2many":
            cr.execute(f'SELECT "{field.column1}", "{field.column2}" FROM "{field.relation}"')
            related = {}
            for record_id, other_id in cr.fetchall():
                related.setdefault(str(record_id), []).append(other_id)
            found = {rid: sorted(ids) for rid, ids in related.items()}
        else:
            cr.execute(
                f'SELECT id, "{field.name}" FROM "{Model._table}" WHERE "{field.name}" IS NOT NULL'
            )
            found = {str(rid): _jsonable(value) for rid, value in cr.fetchall()}
        fields[ir_field.id] = {
            "model_id": model_id,
            "model": Model._name,
            "name": field.name,
            "computed": bool(field.compute),
            "values": found,
            **{link: _count_links(cr, table, ir_field.id) for link, table in FIELD_LINKS.items()},
        }
    return {"models": models, "fields": fields}


def _first_field(Model, *names):
    """The first of ``names`` the model has (the seed runs with old and new field names)."""
    return next(name for name in names if name in Model._fields)


def seed(env):
    """What the demo data lacks, made with the revision's own code; ``[(section, outcome)]``."""
    from odoo import Command

    done = []
    state = {}
    sections = [
        ("company", _seed_company),
        ("partners", _seed_partners),
        ("compliance", _seed_compliance),
        ("invoices", _seed_invoices),
        ("boamp", _seed_boamp),
        ("works", _seed_works),
        ("decp", _seed_decp),
        ("late payment", _seed_late_payment),
    ]
    for name, section in sections:
        with env.cr.savepoint():
            done.append((name, section(env, state, Command)))
    # Odoo does not track changes to records created in the same transaction
    env.cr.commit()
    done.append(("tracked changes", _seed_tracking(env, state)))
    return done


def _seed_tracking(env, state):
    contract, lead = state["contract"], state["lead"]
    contract.write({"market_number": "2026-TRX-014-A", "reception_date": "2026-11-30"})
    lead.write({"expected_revenue": 185000.0, "tender_procedure": "Appel d'offres ouvert"})
    env.flush_all()
    env.cr.execute("SELECT count(*) FROM mail_tracking_value")
    return f"on the works contract and the tender lead ({env.cr.fetchone()[0]} in all)"


def _seed_company(env, state, Command):
    company = env["res.company"].create(
        {
            "name": "Duret Électricité (contrôle de mise à jour)",
            "country_id": env.ref("base.fr").id,
            "currency_id": env.ref("base.EUR").id,
            "siret": "84231765300017",
            "street": "145 avenue du Général de Gaulle",
            "zip": "73200",
            "city": "Albertville",
        }
    )
    env.user.company_ids |= company
    env["account.chart.template"].try_loading("fr", company=company, install_demo=False)
    Company = env["res.company"]
    types = env["compliance.document.type"].search([], limit=2)
    settings = {
        ("compliance_environment", "duret_ae_environment"): "sandbox",
        ("compliance_sandbox_url", "duret_ae_sandbox_url"): "http://127.0.0.1:8899",
        ("compliance_token", "duret_ae_token"): "upgrade-check-token",
        ("compliance_token_expiry", "duret_ae_token_expiry"): "2027-06-30",
        ("compliance_recipient", "duret_ae_recipient"): "21730011000012",
        ("compliance_context", "duret_ae_context"): "Marchés publics",
        ("compliance_object", "duret_ae_object"): "Contrôle de mise à jour",
        ("compliance_reminder_days", "duret_ae_reminder_days"): 21,
        ("compliance_award_margin_days", "duret_ae_award_margin_days"): 45,
        ("compliance_responsible_id", "duret_ae_responsible_id"): env.user.id,
        ("compliance_tracked_type_ids", "duret_ae_tracked_type_ids"): [Command.set(types.ids)],
        ("compliance_blocked_until", "duret_ae_blocked_until"): "2026-01-05 08:00:00",
        ("compliance_auto_verify", "duret_ae_auto_verify"): False,
    }
    company.write({_first_field(Company, *names): value for names, value in settings.items()})
    reminder = _first_field(Company, "compliance_reminder_days", "duret_ae_reminder_days")
    env["ir.default"].set("res.company", reminder, 15)
    company.write(
        {
            "chorus_login": "TECH_1_duret@cpro.fr",
            "chorus_client_id": "duret-sandbox-client",
        }
    )
    state["company"] = company.with_context(allowed_company_ids=company.ids)
    return f"company {company.id}, {len(settings)} API Entreprise settings and a default"


def _seed_partners(env, state, Command):
    company = state["company"]
    Partner = company.env["res.partner"].with_context(
        duret_no_siret_check=True, compliance_no_siret_check=True
    )
    buyer = Partner.create(
        {
            "name": "Commune d'Ugine",
            "is_company": True,
            "siret": "21730303000011",
            "street": "Place de l'Hôtel de Ville",
            "zip": "73400",
            "city": "Ugine",
            "country_id": env.ref("base.fr").id,
        }
    )
    official = {
        "siret_status": "ok",
        "checked_on": "2026-02-01 07:30:00",
        "check_message": "Établissement actif",
        "legal_name": "COMMUNE D'UGINE",
        "official_street": "PLACE DE L'HOTEL DE VILLE",
        "official_zip": "73400",
        "official_city": "UGINE",
        "naf_code": "84.11Z",
        "naf_label": "Administration publique générale",
        "legal_category": "7210 Commune et commune nouvelle",
        "is_public_body": True,
        "closed": False,
    }
    buyer.write(
        {
            _first_field(Partner, f"compliance_{key}", f"duret_ae_{key}"): value
            for key, value in official.items()
        }
    )
    closed = Partner.create({"name": "Ancien fournisseur", "siret": "44306184100047"})
    closed.write(
        {
            _first_field(Partner, "compliance_siret_status", "duret_ae_siret_status"): "closed",
            _first_field(Partner, "compliance_closed", "duret_ae_closed"): True,
            _first_field(Partner, "compliance_closed_on", "duret_ae_closed_on"): "2024-12-31",
        }
    )
    state["buyer"] = buyer
    return f"partners {buyer.id}, {closed.id} with their SIRET check"


def _seed_compliance(env, state, Command):
    company = state["company"]
    Document = company.env["compliance.document"]
    documents = Document
    for doc_type in env["compliance.document.type"].search([], limit=3):
        documents |= Document.create(
            {
                "name": f"{doc_type.name} (contrôle)",
                "type_id": doc_type.id,
                "company_id": company.id,
                "partner_id": company.partner_id.id,
                "issue_date": "2026-01-15",
                "date_end": "2026-07-15",
                "external_ref": f"UPG-{doc_type.id}",
            }
        )
    return f"{len(documents)} compliance documents"


def _seed_invoices(env, state, Command):
    company, buyer = state["company"], state["buyer"]
    tax = company.account_sale_tax_id
    moves = company.env["account.move"]
    for amount in (1200.0, 3450.5):
        moves |= moves.create(
            {
                "move_type": "out_invoice",
                "partner_id": buyer.id,
                "invoice_date": "2026-03-10",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Remplacement de luminaires LED",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.set(tax.ids)],
                        }
                    )
                ],
            }
        )
    moves.action_post()
    flow = company.env["chorus.flow"].create(
        {
            "name": "CPO-UPGRADE-0001",
            "company_id": company.id,
            "date_sent": "2026-03-11 09:00:00",
            "user_id": env.user.id,
            "state": "integrated",
        }
    )
    moves.write({"chorus_flow_id": flow.id})
    Status = company.env["chorus.invoice.status"]
    for move in moves:
        for number, code in enumerate(("DEPOSEE", "MISE_A_DISPOSITION"), start=1):
            Status.create(
                {
                    "move_id": move.id,
                    "code": code,
                    "date": f"2026-03-1{number} 10:00:00",
                    "flow_id": flow.id,
                    "history_number": number,
                }
            )
    state["moves"] = moves
    return f"{len(moves)} invoices, deposit {flow.name} with 4 statuses"


def _seed_boamp(env, state, Command):
    company = state["company"]
    watch = company.env["boamp.watch"].create(
        {
            "name": "Éclairage public Savoie (contrôle)",
            "company_id": company.id,
            "include_keywords": "éclairage\nluminaire",
            "departements": "73,74",
            "min_amount": 20000.0,
        }
    )
    lead = company.env["crm.lead"].create(
        {
            "name": "Rénovation de l'éclairage du gymnase",
            "type": "opportunity",
            "partner_id": state["buyer"].id,
            "company_id": company.id,
            "boamp_watch_id": watch.id,
            "tender_deadline": "2026-04-30 12:00:00",
            "tender_cpv_codes": "45316100",
            "tender_procedure": "Procédure adaptée",
            "tender_score": 72,
        }
    )
    state["lead"] = lead
    return f"watch {watch.id}, tender lead {lead.id}"


def _seed_works(env, state, Command):
    company = state["company"]
    contract = company.env["works.contract"].create(
        {
            "name": "Éclairage du gymnase (contrôle)",
            "company_id": company.id,
            "partner_id": state["buyer"].id,
            "lead_id": state["lead"].id,
            "market_number": "2026-TRX-014",
            "notification_date": "2026-03-02",
            "amount_untaxed": 120000.0,
            "tax_id": company.account_sale_tax_id.id,
            "retention_rate": 5.0,
            "line_ids": [
                Command.create(
                    {
                        "code": f"{index}.1",
                        "name": name,
                        "quantity": quantity,
                        "price_unit": price,
                        "progress_mode": "quantity",
                    }
                )
                for index, (name, quantity, price) in enumerate(
                    [("Luminaires LED", 80.0, 950.0), ("Câblage", 1200.0, 35.0)], start=1
                )
            ],
        }
    )
    state["contract"] = contract
    statement = company.env["works.statement"].create(
        {"contract_id": contract.id, "date": "2026-03-31"}
    )
    if not statement.line_ids:
        statement._works_fill_lines()
    statement.line_ids.write({"cumulative_quantity": 10.0})
    statement.action_compute()
    return f"works contract {contract.id} ({len(contract.line_ids)} lines), statement"


def _seed_decp(env, state, Command):
    Contract = env["decp.contract"]
    contracts = Contract
    for number in (1, 2):
        contracts |= Contract.create(
            {
                "key": f"21730303000011|2025-UPG-{number}",
                "market_id": f"2025-UPG-{number}",
                "buyer_siret": "21730303000011",
                "buyer_siren": "217303030",
                "buyer_partner_id": state["buyer"].id,
                "object": f"Maintenance de l'éclairage public, lot {number}",
                "cpv_code": "50232100",
                "cpv_class": "5023",
                "departement": "73",
                "notified": f"2025-0{number}-15",
                "duration_months": 36,
                "amount_initial": 85000.0 * number,
                "holder_ids": [
                    Command.create(
                        {"identifier": "84231765300017", "id_type": "SIRET", "siren": "842317653"}
                    )
                ],
            }
        )
    return f"{len(contracts)} DECP contracts with holders"


def _seed_late_payment(env, state, Command):
    company = state["company"]
    move = state["moves"][:1]
    claim = company.env["late.payment.claim"].create(
        {
            "company_id": company.id,
            "partner_id": state["buyer"].id,
            "date": "2026-05-20",
            "line_ids": [
                Command.create(
                    {
                        "move_id": move.id,
                        "amount_total": move.amount_total,
                        "due_date": "2026-04-09",
                        "paid_date": "2026-05-12",
                        "days_late": 33,
                        "rate": 12.15,
                        "amount_late": move.amount_total,
                        "interest": 15.84,
                        "fee": 40.0,
                    }
                )
            ],
        }
    )
    return f"late-payment claim {claim.id}"


def _in_odoo(argv, work):
    """Run ``work(env)`` in the database of ``argv`` (Odoo options), committed."""
    import odoo
    from odoo.tools import config

    config.parse_config(argv)
    registry = odoo.modules.registry.Registry(config["db_name"])
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "fr_FR"})
        return work(env)


# --- the driver ---------------------------------------------------------------------------


class Check:
    """One upgrade check: the old tree, the database, the timings."""

    def __init__(self, args):
        from tests.odoo_env import find_odoo, subprocess_env

        self.args = args
        self.odoo_cmd, self.odoo_root = find_odoo()
        if not self.odoo_cmd:
            raise SystemExit("Odoo 17 not found (see tests/run)")
        self.env = subprocess_env(self.odoo_root)
        self.db = args.database or f"hygiene_upgrade_{uuid.uuid4().hex[:8]}"
        self.tmp = Path(tempfile.mkdtemp(prefix="duret_upgrade_"))
        self.old_tree = self.tmp / "old"
        self.timings = []

    def addons_path(self, tree):
        from tests.odoo_env import addons_path

        return addons_path(self.odoo_root).replace(str(REPO), str(tree))

    def connection(self, tree):
        args = ["--database", self.db, "--addons-path", self.addons_path(tree)]
        args += ["--db_host", os.environ.get("PGHOST", "127.0.0.1")]
        args += ["--db_port", os.environ.get("PGPORT", "5432")]
        args += ["--db_user", os.environ.get("PGUSER", "odoo")]
        if os.environ.get("PGPASSWORD"):
            args += ["--db_password", os.environ["PGPASSWORD"]]
        return args

    def timed(self, label, cmd, cwd=REPO, check=True):
        print(f"• {label}…", flush=True)
        start = time.monotonic()
        result = subprocess.run(cmd, cwd=cwd, env=self.env)
        self.timings.append((label, time.monotonic() - start))
        if check and result.returncode:
            raise SystemExit(f"upgrade check: step failed: {label}")
        return result.returncode

    def odoo(self, label, tree, *options):
        """One Odoo run; its log is kept (beside the temporary folder) when it failed."""
        log = Path(tempfile.gettempdir()) / f"{self.db}_{len(self.timings)}.log"
        cmd = [*self.odoo_cmd, *self.connection(tree), *options, "--stop-after-init"]
        cmd += ["--no-http", "--max-cron-threads", "0", "--log-level", "warn"]
        returncode = self.timed(label, cmd + ["--logfile", str(log)], check=False)
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
        errors = [line for line in lines if ERROR_LINE.match(line)]
        if returncode or errors:
            print("\n".join(errors[:10] + ["…"] + lines[-40:]))
            raise SystemExit(f"upgrade check: {label}: failed, {len(errors)} errors ({log})")
        log.unlink()

    def inside(self, label, tree, command, *extra):
        cmd = [sys.executable, "-m", "tests.upgrade_check", command, *extra]
        self.timed(label, cmd + ["--", *self.connection(tree), "--log-level", "warn"])

    def run(self):
        rev = self.args.rev
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(self.old_tree), rev],
            cwd=REPO,
            check=True,
            capture_output=True,
        )
        if self.args.seeded:
            self.timed(f"copy of {self.args.seeded}", _copy_db_cmd(self.args.seeded, self.db))
        else:
            old_addons = sorted(p.parent.name for p in self.old_tree.glob("*/__manifest__.py"))
            install = ["--init", ",".join(old_addons), "--load-language", "fr_FR"]
            self.odoo(f"install the suite at {rev} with demo data", self.old_tree, *install)
            self.inside(f"seed with the code of {rev}", self.old_tree, "seed")
            if self.args.save_seeded:
                self.timed("copy kept", _copy_db_cmd(self.db, self.args.save_seeded))
        before, after = self.tmp / "before.json", self.tmp / "after.json"
        self.inside("snapshot before", self.old_tree, "snapshot", "--out", str(before))
        self.odoo("upgrade: -u all with this tree", REPO, "--update", "all")
        self.inside("snapshot after", REPO, "snapshot", "--out", str(after))
        result = compare(json.loads(before.read_text()), json.loads(after.read_text()))
        for note in result["notes"]:
            print(f"note: {note}")
        for problem in result["problems"]:
            print(f"LOST: {problem}")
        print(f"Upgrade {rev} -> working tree: {result['summary']}")
        print("Time: " + ", ".join(f"{label} {seconds:.0f} s" for label, seconds in self.timings))
        return 1 if result["problems"] else 0

    def cleanup(self):
        subprocess.run(
            ["git", "worktree", "remove", "--force", str(self.old_tree)],
            cwd=REPO,
            capture_output=True,
        )
        subprocess.run(["rm", "-rf", str(self.tmp)], check=False)
        if not self.args.keep_db:
            _drop(self.db)


def _copy_db_cmd(source, target):
    """A command copying a database and its filestore (``--seeded``: iterate on the upgrade)."""
    script = (
        "import sys; from tests.upgrade_check import _copy_db; _copy_db(sys.argv[1], sys.argv[2])"
    )
    return [sys.executable, "-c", script, source, target]


def _connect():
    import psycopg2

    conn = psycopg2.connect(
        dbname="postgres",
        host=os.environ.get("PGHOST", "127.0.0.1"),
        port=os.environ.get("PGPORT", "5432"),
        user=os.environ.get("PGUSER", "odoo"),
        password=os.environ.get("PGPASSWORD") or None,
    )
    conn.autocommit = True
    return conn


def _copy_db(source, target):
    conn = _connect()
    with conn.cursor() as cr:
        cr.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
    conn.close()
    store = Path.home() / ".local/share/Odoo/filestore"
    if (store / source).is_dir():
        subprocess.run(["cp", "-r", str(store / source), str(store / target)], check=True)


def _drop(dbname):
    conn = _connect()
    with conn.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
    conn.close()
    subprocess.run(
        ["rm", "-rf", str(Path.home() / ".local/share/Odoo/filestore" / dbname)], check=False
    )


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in ("seed", "snapshot"):
        command, rest = argv[0], argv[1:]
        ours, odoo_args = (rest[: rest.index("--")], rest[rest.index("--") + 1 :])
        if command == "seed":
            for section, outcome in _in_odoo(odoo_args, seed):
                print(f"  seed {section}: {outcome}", flush=True)
            return 0
        out = Path(ours[ours.index("--out") + 1])
        out.write_text(json.dumps(_in_odoo(odoo_args, snapshot), sort_keys=True))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", required=True, help="the revision to upgrade from")
    parser.add_argument("--database", help="database name (default: a fresh one)")
    parser.add_argument("--keep-db", action="store_true", help="keep the upgraded database")
    parser.add_argument("--save-seeded", metavar="DB", help="keep a copy of the seeded database")
    parser.add_argument("--seeded", metavar="DB", help="start from a copy of a seeded database")
    args = parser.parse_args(argv)
    check = Check(args)
    try:
        return check.run()
    finally:
        check.cleanup()


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())

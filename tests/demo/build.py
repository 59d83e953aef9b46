"""Fill the demo database: Duret's company, then each integration's demo hook.

Runs inside Odoo (``python -m tests.demo.build -d duret_demo ...``), under the
network guard, in three separate calls: ``--drop``, ``--configure`` (the
company, then every endpoint pointed at the sandbox, before any Odoo scheduler
runs) and ``--run`` (each nightly job once). Each integration contributes
``tests/demo/<name>.py`` with ``setup(env, sandbox_url)`` (point its endpoints
at the sandbox) and ``run(env) -> list[str]`` (run its nightly jobs once, return
what happened, in French).
"""

import argparse
import importlib
import sys

from tests import netguard

# (hook module, addon that must be installed, French title)
HOOKS = [
    ("boamp", "duret_boamp", "Veille BOAMP"),
    ("api_entreprise", "duret_api_entreprise", "Documents administratifs"),
    ("chorus", "duret_chorus", "Chorus Pro"),
    ("late_payment", "duret_late_payment", "Retards de paiement"),
    ("decp", "duret_decp", "Marchés attribués (DECP)"),
]

DURET = {
    "name": "Duret Électricité",
    "street": "145 avenue du Général de Gaulle",
    "zip": "73200",
    "city": "Albertville",
    "email": "contact@duret-electricite.fr",
    "phone": "+33 4 79 32 00 00",
    "website": "https://www.duret-electricite.fr",
    "siret": "84231765300017",
    "company_registry": "842317653",
    "vat": "FR54842317653",
    "iban": "FR7630004000031234567890143",
}


def setup_company(env):
    """Duret Électricité as the main company, French, with the French chart of accounts."""
    company = env.ref("base.main_company")
    france = env.ref("base.fr")
    savoie = env["res.country.state"].search(
        [("country_id", "=", france.id), ("code", "=", "73")], limit=1
    )
    company.write(
        {
            "name": DURET["name"],
            "street": DURET["street"],
            "zip": DURET["zip"],
            "city": DURET["city"],
            "country_id": france.id,
            "state_id": savoie.id or False,
            "email": DURET["email"],
            "phone": DURET["phone"],
            "website": DURET["website"],
            "vat": DURET["vat"],
            "company_registry": DURET["company_registry"],
            "siret": DURET["siret"],
        }
    )
    if company.currency_id != env.ref("base.EUR"):  # only possible before any journal item
        company.currency_id = env.ref("base.EUR")
    if "account.chart.template" in env and not company.chart_template:
        env["account.chart.template"].try_loading("fr", company, install_demo=False)
    if "res.partner.bank" in env and not company.partner_id.bank_ids:
        env["res.partner.bank"].create(
            {"acc_number": DURET["iban"], "partner_id": company.partner_id.id}
        )
    admin = env.ref("base.user_admin")
    admin.write({"lang": "fr_FR", "tz": "Europe/Paris", "password": "admin"})
    env["res.partner"].search([("lang", "!=", "fr_FR")]).write({"lang": "fr_FR"})
    return company


def configure(env, sandbox_url):
    """Company, then every endpoint on the sandbox: done before any scheduler runs."""
    lines = []
    company = setup_company(env)
    lines.append(f"Société : {company.name} (SIRET {company.siret}, {company.city})")
    env.cr.commit()
    for _title, hook in installed_hooks(env, lines):
        hook.setup(env, sandbox_url)
        env.cr.commit()
    return lines


def run_jobs(env):
    """Each integration's nightly jobs once; French summary lines."""
    lines = []
    for title, hook in installed_hooks(env, lines):
        lines.extend(f"{title} : {line}" for line in hook.run(env))
        env.cr.commit()
    return lines


def installed_hooks(env, lines):
    """``(title, hook)`` of the installed integrations; notes the others in lines."""
    installed = set(env["ir.module.module"].search([("state", "=", "installed")]).mapped("name"))
    for module_name, addon, title in HOOKS:
        if addon not in installed:
            lines.append(f"{title} : module {addon} non installé")
            continue
        try:
            hook = importlib.import_module(f"tests.demo.{module_name}")
        except ModuleNotFoundError:
            lines.append(f"{title} : pas encore de démonstration pour ce module")
            continue
        yield title, hook


def main(argv=None):
    parser = argparse.ArgumentParser()
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--drop", action="store_true", help="drop the database if it exists")
    mode.add_argument("--configure", action="store_true", help="company and sandbox endpoints")
    mode.add_argument("--run", action="store_true", help="run each nightly job once")
    parser.add_argument("--sandbox-url")
    args, odoo_args = parser.parse_known_args(argv)
    if args.configure and not args.sandbox_url:
        parser.error("--configure needs --sandbox-url")

    netguard.install()
    import odoo
    from odoo.tools import config

    config.parse_config(odoo_args)
    netguard.keep_odoo_home(config)
    dbname = config["db_name"]
    if args.drop:
        if odoo.service.db.exp_db_exist(dbname):
            odoo.service.db.exp_drop(dbname)
        return 0
    registry = odoo.modules.registry.Registry(dbname)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "fr_FR", "tz": "Europe/Paris"})
        lines = configure(env, args.sandbox_url) if args.configure else run_jobs(env)
    print("\n".join(lines), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

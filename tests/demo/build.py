"""Fill the demo database: Duret's company, then each integration's demo hook.

Runs inside Odoo (``python -m tests.demo.build -d duret_demo ...``). Each
integration contributes ``tests/demo/<name>.py`` with ``setup(env, sandbox_url)``
(point its endpoints at the sandbox) and ``run(env) -> list[str]`` (run its
nightly jobs once, return what happened, in French).
"""

import argparse
import importlib
import sys

# (hook module, addon that must be installed, French title)
HOOKS = [
    ("boamp", "duret_boamp", "Veille BOAMP"),
    ("api_entreprise", "duret_api_entreprise", "Documents administratifs"),
    ("chorus", "duret_chorus", "Chorus Pro"),
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


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--sandbox-url")
    parser.add_argument("--drop", action="store_true", help="only drop the database if it exists")
    args, odoo_args = parser.parse_known_args(argv)

    import odoo
    from odoo.tools import config

    config.parse_config(odoo_args)
    dbname = config["db_name"]
    if args.drop:
        if odoo.service.db.exp_db_exist(dbname):
            odoo.service.db.exp_drop(dbname)
        return 0
    registry = odoo.modules.registry.Registry(dbname)
    lines = []
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "fr_FR", "tz": "Europe/Paris"})
        company = setup_company(env)
        lines.append(f"Société : {company.name} (SIRET {company.siret}, {company.city})")
        cr.commit()
        installed = set(
            env["ir.module.module"].search([("state", "=", "installed")]).mapped("name")
        )
        for module_name, addon, title in HOOKS:
            if addon not in installed:
                lines.append(f"{title} : module {addon} non installé")
                continue
            try:
                hook = importlib.import_module(f"tests.demo.{module_name}")
            except ModuleNotFoundError:
                lines.append(f"{title} : pas encore de démonstration pour ce module")
                continue
            hook.setup(env, args.sandbox_url)
            cr.commit()
            lines.extend(f"{title} : {line}" for line in hook.run(env))
            cr.commit()
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())

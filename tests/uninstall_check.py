"""Uninstall every addon of the suite from a test database and report what remains.

Run by ``tests/run`` after the Odoo tests, on the same database:
``python -m tests.uninstall_check -d DB --addons-path ... --db_host ...``.
Exits non-zero when an addon cannot be uninstalled or leaves its models behind.
"""

import sys

from tests.odoo_env import addon_names


def main(argv=None):
    import odoo
    from odoo.tools import config

    config.parse_config(argv if argv is not None else sys.argv[1:])
    registry = odoo.modules.registry.Registry(config["db_name"])
    names = addon_names()
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        modules = env["ir.module.module"].search([("name", "in", names)])
        owned = set(
            env["ir.model.data"]
            .search([("module", "in", names), ("model", "=", "ir.model")])
            .mapped("name")
        )
        modules.button_immediate_uninstall()
    registry = odoo.modules.registry.Registry(config["db_name"])
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        states = dict(
            env["ir.module.module"]
            .search([("name", "in", names)])
            .mapped(lambda m: (m.name, m.state))
        )
        left = env["ir.model.data"].search_count([("module", "in", names)])
    problems = [f"{name} is {state}" for name, state in states.items() if state != "uninstalled"]
    if left:
        problems.append(f"{left} records of the suite's modules are left in ir.model.data")
    print(f"Uninstall: {len(names)} addons, {len(owned)} of their models removed")
    for problem in problems:
        print(f"Uninstall problem: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

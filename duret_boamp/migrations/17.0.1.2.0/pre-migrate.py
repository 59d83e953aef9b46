"""17.0.1.2.0: the nightly cron follows the suite's naming scheme (README, "Naming").

``ir_cron_boamp_nightly`` calling ``model._cron_nightly()`` becomes ``ir_cron_boamp_watch``
calling ``model._cron_boamp_watch()``. Runs before the new data loads: the cron keeps its
record, so its schedule, its active flag and any change an administrator made (it is
``noupdate``) survive the upgrade.
"""

from odoo.addons.duret_procurement.lib.upgrade import rename_cron

MODULE = "duret_boamp"
OLD_XMLID, NEW_XMLID = "ir_cron_boamp_nightly", "ir_cron_boamp_watch"
OLD_METHOD, NEW_METHOD = "_cron_nightly(", "_cron_boamp_watch("


def migrate(cr, version):
    if version:
        rename_cron(cr, MODULE, OLD_XMLID, NEW_XMLID, OLD_METHOD, NEW_METHOD)

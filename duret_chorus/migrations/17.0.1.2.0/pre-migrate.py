"""17.0.1.2.0: the poll cron calls ``_cron_chorus_poll`` (README, "Naming").

The cron is ``noupdate``: an upgrade would keep calling the old method name,
which no longer exists. Its server action's code is changed in place, so the
record keeps its id, its schedule and whether an administrator deactivated it.
"""

import logging

from odoo.addons.duret_procurement.lib.upgrade import rename_cron

_logger = logging.getLogger(__name__)
OLD_CALL, NEW_CALL = "model._cron_poll()", "model._cron_chorus_poll()"


def migrate(cr, version):
    if not version:
        return
    found = rename_cron(
        cr, "duret_chorus", "ir_cron_chorus_poll", "ir_cron_chorus_poll", OLD_CALL, NEW_CALL
    )
    _logger.info("duret_chorus: the poll cron calls %s (found: %s)", NEW_CALL, found)

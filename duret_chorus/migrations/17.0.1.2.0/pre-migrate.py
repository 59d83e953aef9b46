"""17.0.1.2.0: the poll cron calls ``_cron_chorus_poll`` (README, "Naming").

The cron is ``noupdate``: an upgrade would keep calling the old method name,
which no longer exists. Its server action's code is changed in place, so the
record keeps its id, its schedule and whether an administrator deactivated it.
"""

import logging

_logger = logging.getLogger(__name__)
OLD_CALL, NEW_CALL = "model._cron_poll()", "model._cron_chorus_poll()"


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """UPDATE ir_act_server SET code = replace(code, %s, %s)
            WHERE id = (SELECT c.ir_actions_server_id FROM ir_cron c
                          JOIN ir_model_data d ON d.res_id = c.id AND d.model = 'ir.cron'
                         WHERE d.module = 'duret_chorus' AND d.name = 'ir_cron_chorus_poll')""",
        [OLD_CALL, NEW_CALL],
    )
    _logger.info("duret_chorus: the poll cron calls %s (%d row)", NEW_CALL, cr.rowcount)

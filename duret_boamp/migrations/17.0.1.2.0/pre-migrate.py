"""17.0.1.2.0: the nightly cron follows the suite's naming scheme (README, "Naming").

``ir_cron_boamp_nightly`` calling ``model._cron_nightly()`` becomes ``ir_cron_boamp_watch``
calling ``model._cron_boamp_watch()``. Runs before the new data loads: the cron keeps its
record, so its schedule, its active flag and any change an administrator made (it is
``noupdate``) survive the upgrade.
"""

MODULE = "duret_boamp"
OLD_XMLID, NEW_XMLID = "ir_cron_boamp_nightly", "ir_cron_boamp_watch"
OLD_METHOD, NEW_METHOD = "_cron_nightly(", "_cron_boamp_watch("


def rename_cron(cr):
    """Move the cron's XML id, its server action's (``_inherits``) and the method it calls.

    Both XML ids move: a record whose XML id is no longer in the data is deleted at the
    end of the upgrade, and deleting the server action deletes its cron.
    """
    cr.execute(
        """UPDATE ir_model_data SET name = %s
            WHERE module = %s AND name = %s AND model = 'ir.actions.server'""",
        [f"{NEW_XMLID}_ir_actions_server", MODULE, f"{OLD_XMLID}_ir_actions_server"],
    )
    cr.execute(
        "UPDATE ir_model_data SET name = %s WHERE module = %s AND name = %s AND model = 'ir.cron'"
        " RETURNING res_id",
        [NEW_XMLID, MODULE, OLD_XMLID],
    )
    row = cr.fetchone()
    if row:
        cr.execute(
            """UPDATE ir_act_server SET code = replace(code, %s, %s)
                WHERE id = (SELECT ir_actions_server_id FROM ir_cron WHERE id = %s)""",
            [OLD_METHOD, NEW_METHOD, row[0]],
        )


def migrate(cr, version):
    if version:
        rename_cron(cr)

"""SQL steps the suite's migration scripts share (plain cursor, no ORM: they run before
the new code's models are loaded).

Kept here so that every addon renames its records the same way; see the README, "Naming":
a stored name that changes gets a migration script.
"""


def rename_cron(cr, module, old_xmlid, new_xmlid, old_call, new_call):
    """Give a cron its new XML id and make it call its new method; returns whether it existed.

    The cron record is kept, so its schedule, its active flag and any change an
    administrator made (crons are ``noupdate``) survive the upgrade. Both XML ids move, the
    cron's and its server action's (``_inherits``): a record whose XML id is no longer in
    the data is deleted at the end of the upgrade, and deleting the server action deletes
    its cron. ``old_call`` / ``new_call``: the text of the call in the server action's
    code, e.g. ``"model._cron_poll()"``.
    """
    if old_xmlid != new_xmlid:
        cr.execute(
            """UPDATE ir_model_data SET name = %s
                WHERE module = %s AND name = %s AND model = 'ir.actions.server'""",
            [f"{new_xmlid}_ir_actions_server", module, f"{old_xmlid}_ir_actions_server"],
        )
        cr.execute(
            """UPDATE ir_model_data SET name = %s
                WHERE module = %s AND name = %s AND model = 'ir.cron'""",
            [new_xmlid, module, old_xmlid],
        )
    cr.execute(
        """UPDATE ir_act_server SET code = replace(code, %s, %s)
            WHERE id = (SELECT c.ir_actions_server_id FROM ir_cron c
                          JOIN ir_model_data d ON d.res_id = c.id AND d.model = 'ir.cron'
                         WHERE d.module = %s AND d.name = %s)
        RETURNING id""",
        [old_call, new_call, module, new_xmlid],
    )
    return bool(cr.fetchall())

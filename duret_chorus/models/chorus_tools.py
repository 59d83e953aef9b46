"""Who may run what uses the Chorus Pro credentials (issue 12, defect 1)."""

from odoo.exceptions import AccessError

ACCOUNTANTS = "account.group_account_invoice"
ADMINISTRATORS = "base.group_system"


def chorus_check_group(env, group, message):
    """Refuse a credential-using action to a caller outside ``group`` (RPC included).

    Checked on the real user, before any ``sudo()``: superuser jobs (crons) pass.
    """
    if not env.su and not env.user.has_group(group):
        raise AccessError(message)

"""Transaction helpers: commits that a killed job must keep, outside of tests."""

import threading

from odoo.exceptions import AccessError


def _testing(env):
    return getattr(threading.current_thread(), "testing", False) or env.registry.in_test_mode()


def chorus_commit(env):
    """Commit finished work in crons; in tests the test transaction must stay open."""
    if _testing(env):
        env.flush_all()
        return
    env.cr.commit()


def chorus_rollback(env):
    """Drop a failed job's unfinished work (what was committed stays); not in tests."""
    if _testing(env):
        return
    env.cr.rollback()
    env.invalidate_all()


#: who may run what uses the Chorus Pro credentials (issue 12, defect 1)
ACCOUNTANTS = "account.group_account_invoice"
ADMINISTRATORS = "base.group_system"


def chorus_check_group(env, group, message):
    """Refuse a credential-using action to a caller outside ``group`` (RPC included).

    Checked on the real user, before any ``sudo()``: superuser jobs (crons) pass.
    """
    if not env.su and not env.user.has_group(group):
        raise AccessError(message)

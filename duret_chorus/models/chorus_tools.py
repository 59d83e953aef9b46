"""Transaction helpers: commits that a killed job must keep, outside of tests."""

from odoo.modules import module


def chorus_commit(env):
    """Commit finished work in crons; in tests the test transaction must stay open."""
    if module.current_test or env.registry.in_test_mode():
        env.flush_all()
        return
    env.cr.commit()


def chorus_rollback(env):
    """Drop a failed job's unfinished work (what was committed stays); not in tests."""
    if module.current_test or env.registry.in_test_mode():
        return
    env.cr.rollback()
    env.invalidate_all()

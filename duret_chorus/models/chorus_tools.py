"""Transaction helpers: commits that a killed job must keep, outside of tests."""

import threading


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

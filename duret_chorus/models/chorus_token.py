"""PISTE access tokens shared by every Odoo worker.

A token lives one hour; keeping it in a table (not ``ormcache``, which broke
the OCA cron in Odoo 17) lets all workers and crons reuse it. Rows are written
through their own cursor so that a rolled-back transaction does not forget a
token that PISTE already issued.
"""

import logging

from odoo import fields, models

_logger = logging.getLogger(__name__)


class ChorusToken(models.Model):
    _name = "chorus.token"
    _description = "PISTE access token (shared cache)"
    _log_access = False

    key = fields.Char(required=True, index=True, help="PISTE OAuth URL and client id.")
    access_token = fields.Char(groups="base.group_system")
    expires_at = fields.Float(help="Expiry as a Unix timestamp.")

    _sql_constraints = [("key_uniq", "unique(key)", "One token per PISTE client.")]


class DbTokenStore:
    """``TokenStore`` of lib/chorus_client.py backed by the ``chorus_token`` table."""

    def __init__(self, registry, key):
        self.registry = registry
        self.key = key

    def get(self):
        try:
            with self.registry.cursor() as cr:
                cr.execute(
                    "SELECT access_token, expires_at FROM chorus_token WHERE key = %s", [self.key]
                )
                row = cr.fetchone()
        except Exception:  # a cache must never break a call
            _logger.warning("Could not read the cached PISTE token", exc_info=True)
            return None
        return (row[0], row[1]) if row and row[0] else None

    def set(self, token, expires_at):
        try:
            with self.registry.cursor() as cr:
                cr.execute(
                    """INSERT INTO chorus_token (key, access_token, expires_at)
                       VALUES (%s, %s, %s)
                       ON CONFLICT (key) DO UPDATE
                       SET access_token = EXCLUDED.access_token,
                           expires_at = EXCLUDED.expires_at""",
                    [self.key, token, expires_at],
                )
        except Exception:
            _logger.warning("Could not store the PISTE token", exc_info=True)

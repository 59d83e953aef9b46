"""17.0.1.1.0 adds the summaries the lead tab and the competitor book read: build them once
from the contracts already stored (later syncs keep them up to date)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["decp.contract"]._decp_rebuild_summaries()

"""The user's choice to receive the morning summary (their preferences)."""

from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    duret_morning_summary = fields.Boolean(
        string="Morning summary by email",
        default=True,
        help="Each morning, one email with what is new for you: Chorus Pro events, late "
        "invoices, certificates to renew, tenders. Nothing is sent on a morning without news.",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["duret_morning_summary"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return super().SELF_WRITEABLE_FIELDS + ["duret_morning_summary"]

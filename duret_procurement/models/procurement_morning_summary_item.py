"""What a morning summary announced: the keys of its items, so each is told once."""

from odoo import fields, models


class ProcurementMorningSummaryItem(models.Model):
    _name = "procurement.morning.summary.item"
    _description = "Item announced by a morning summary"

    summary_id = fields.Many2one(
        "procurement.morning.summary", required=True, index=True, ondelete="cascade"
    )
    user_id = fields.Many2one(related="summary_id.user_id", store=True, index=True)
    key = fields.Char(required=True, index=True)

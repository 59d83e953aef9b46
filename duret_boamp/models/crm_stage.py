"""Stages of the tender pipeline: which ones mean "our offer is submitted"."""

from odoo import fields, models


class CrmStage(models.Model):
    _inherit = "crm.stage"

    boamp_submitted = fields.Boolean(
        string="Offer submitted",
        help="Tenders in this stage count as answered in the tender dashboard.",
    )

"""The invoice of a works statement reacts to its Chorus statuses."""

from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    works_statement_id = fields.Many2one(
        "works.statement", string="Works statement", readonly=True, copy=False, index=True
    )

    def _chorus_apply_status(self, code, moment=None, comment=None, force=False):
        changed = super()._chorus_apply_status(code, moment=moment, comment=comment, force=force)
        if changed and self.works_statement_id:
            self.works_statement_id._works_on_status(code, moment, comment)
        return changed

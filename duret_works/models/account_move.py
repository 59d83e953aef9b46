"""The invoice of a works statement: deposited in its works cadre only, reacting to its statuses."""

from odoo import _, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    works_statement_id = fields.Many2one(
        "works.statement", string="Works statement", readonly=True, copy=False, index=True
    )

    def _post(self, soft=True):
        """Never queued for duret_chorus's automatic A1 deposit: the statement sends it."""
        posted = super()._post(soft=soft)
        posted.filtered("works_statement_id").chorus_send_pending = False
        return posted

    def _chorus_problems(self):
        """The ordinary "Send to Chorus" (cadre A1, flow) refuses a works statement's invoice."""
        problems = super()._chorus_problems()
        if self.works_statement_id:
            problems.insert(
                0,
                _(
                    "it is the invoice of %(statement)s: send it from the statement, in the works "
                    "cadre %(cadre)s with its validator",
                    statement=self.works_statement_id.name,
                    cadre=self.works_statement_id.cadre,
                ),
            )
        return problems

    def _chorus_apply_status(self, code, moment=None, comment=None, force=False):
        changed = super()._chorus_apply_status(code, moment=moment, comment=comment, force=force)
        if changed and self.works_statement_id:
            self.works_statement_id._works_on_status(code, moment, comment)
        return changed

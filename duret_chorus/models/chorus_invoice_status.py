"""One line per status Chorus Pro reports for an invoice, with Chorus's own date.

Shared interface (BRIEF): the late-payment ledger and the works statements read
transition dates from these lines, never from the chatter. Lines come only from
``consulter/historique`` (``account.move._chorus_sync_history``), so every
transition, including the ones a poll jumped over, is kept exactly once.
"""

from odoo import api, fields, models

from ..lib import statuses


class ChorusInvoiceStatus(models.Model):
    _name = "chorus.invoice.status"
    _description = "Chorus Pro invoice status step"
    _order = "date, id"
    _rec_name = "code"

    move_id = fields.Many2one(
        "account.move", string="Invoice", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="move_id.company_id", store=True, index=True)
    code = fields.Char(string="Chorus status code", required=True, index=True)
    label = fields.Char(string="Status", compute="_compute_label")
    date = fields.Datetime(string="Date (Chorus Pro)", help="Chorus Pro's own timestamp, UTC.")
    comment = fields.Text(string="Buyer's comment")
    flow_id = fields.Many2one("chorus.flow", string="Deposit", index=True, ondelete="set null")
    history_number = fields.Integer(
        string="Chorus history id",
        help="histoStatutId: identifies the step in Chorus Pro, so it is stored once.",
    )

    def init(self):
        # a step with its Chorus id is stored once, even by two polls at the same time
        self.env.cr.execute(
            """CREATE UNIQUE INDEX IF NOT EXISTS chorus_invoice_status_history_number_uniq
                   ON chorus_invoice_status (move_id, history_number)
                WHERE history_number != 0"""
        )

    @api.depends("code")
    @api.depends_context("lang")
    def _compute_label(self):
        for line in self:
            line.label = statuses.status_label(line.code, self.env.lang)

    @api.model
    def _chorus_known_keys(self, lines):
        """Keys identifying steps already stored: the Chorus id, else code and date."""
        return {line.history_number or (line.code, line.date) for line in lines}

    @staticmethod
    def _chorus_key(entry):
        return entry.number or (entry.code, entry.date)

"""One line per status Chorus Pro reports for an invoice, with Chorus's own date.

Shared interface (BRIEF): the late-payment ledger and the works statements read
transition dates from these lines, never from the chatter. Lines come only from
``consulter/historique`` (``_chorus_sync`` below), so every
transition, including the ones a poll jumped over, is kept exactly once.
"""

from odoo import api, fields, models

from ..lib import wire
from .chorus_status_labels import status_label


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
            line.label = status_label(line.code, self.env.lang)

    @api.model
    def _chorus_sync(self, move, answer):
        """Store every step of a ``consulter/historique`` answer once; apply the latest.

        The one status-refresh algorithm, used by the poll, the "Update" button and
        the actions (Compléter, Recycler). The current status is the latest step by
        date (never the first or last position); a step already stored (same Chorus
        id, else same code and date) is never stored again. True when something changed.
        """
        entries = wire.history_entries(answer)
        known = {line.history_number or (line.code, line.date) for line in move.chorus_status_ids}
        new = [
            entry for entry in entries if (entry.number or (entry.code, entry.date)) not in known
        ]
        if new:
            self.create(
                [
                    {
                        "move_id": move.id,
                        "code": entry.code,
                        "date": entry.date,
                        "comment": entry.comment,
                        "history_number": entry.number or 0,
                        "flow_id": move.chorus_flow_id.id,
                    }
                    for entry in new
                ]
            )
        latest = wire.latest_entry(entries)
        if latest is None:
            return move._chorus_apply_status(answer.get("statutCourantCode")) or bool(new)
        reentered = latest in new and latest.code == move.chorus_status
        changed = move._chorus_apply_status(
            latest.code, latest.date, latest.comment, force=reentered
        )
        return changed or bool(new)

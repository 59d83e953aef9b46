"""Compléter: answer a suspension from Odoo (comment + documents) instead of the portal."""

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib import chorus_client, errors
from ..models.chorus_messages import chorus_error_message
from ..models.chorus_tools import ACCOUNTANTS, chorus_check_group

#: what the buyer is told the document is (free text of 30 characters at most)
DOCUMENT_TYPE = "COMPLEMENT"


class ChorusCompleteWizard(models.TransientModel):
    _name = "chorus.complete.wizard"
    _description = "Complete a suspended invoice in Chorus Pro"

    move_id = fields.Many2one("account.move", string="Invoice", required=True, readonly=True)
    reason = fields.Text(related="move_id.chorus_status_comment", string="Buyer's reason")
    comment = fields.Text(string="Answer to the buyer")
    attachment_ids = fields.Many2many(
        "ir.attachment",
        string="Documents",
        help="10 MB each, 118 MB in all, names of 50 characters at most, usual office formats.",
    )

    @api.model
    def _problems(self, attachments):
        """Chorus Pro limits on the documents, checked before any call (translated)."""
        texts = {
            "extension": _("this kind of file is not accepted by Chorus Pro"),
            "name": _("the file name is longer than 50 characters"),
            "size": _("the file is larger than 10 MB"),
        }
        problems, total = [], 0
        for attachment in attachments:
            size = len(attachment.raw or b"")
            total += size
            code = chorus_client.attachment_problem_code(attachment.name or "", size)
            if code:
                problems.append(
                    _("%(name)s: %(problem)s", name=attachment.name, problem=texts[code])
                )
        if total > chorus_client.ATTACHMENTS_TOTAL_MAX_BYTES:
            problems.append(_("the documents weigh more than 118 MB together"))
        return problems

    def action_complete(self):
        self.ensure_one()
        chorus_check_group(
            self.env, ACCOUNTANTS, _("Only accountants can complete invoices in Chorus Pro.")
        )
        move = self.move_id
        if move.chorus_status != "SUSPENDUE" or not move.chorus_invoice_id:
            raise UserError(_("%s is not suspended in Chorus Pro.", move.name))
        if not (self.comment or "").strip() and not self.attachment_ids:
            raise UserError(_("Write an answer to the buyer or add a document."))
        problems = self._problems(self.attachment_ids)
        if problems:
            raise UserError(_("Chorus Pro would refuse these documents:\n%s", "\n".join(problems)))
        client = move.company_id._chorus_client()
        try:
            pieces = [
                (
                    client.add_attachment(att.raw, att.name, att.mimetype or "application/pdf"),
                    att.name,
                    DOCUMENT_TYPE,
                )
                for att in self.attachment_ids
            ]
            client.complete_invoice(move.chorus_invoice_id, self.comment, pieces)
        except errors.RemoteError as exc:
            raise UserError(chorus_error_message(self.env, exc)) from exc
        move.message_post(
            body=_("Completed in Chorus Pro: %s", self.comment or "-"),
            attachment_ids=self.attachment_ids.ids,
        )
        move._chorus_close_activities(_("Completed in Chorus Pro."))
        move._chorus_refresh_from_chorus(client)
        return {"type": "ir.actions.act_window_close"}

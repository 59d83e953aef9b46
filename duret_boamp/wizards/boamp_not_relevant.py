"""Feedback from sales: this tender is not for us (feeds the profile's precision)."""

from markupsafe import Markup

from odoo import _, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import clean_context


class BoampNotRelevantWizard(models.TransientModel):
    _name = "boamp.not.relevant.wizard"
    _description = "Mark tender leads as not relevant"

    lead_ids = fields.Many2many("crm.lead", string="Tender leads", required=True)
    # required in the form, not in the table: the digest's link prepares the dialog empty
    reason = fields.Text(help="Why is it not relevant? Used to tune the profile.")
    open_lead_after = fields.Boolean(
        help="Opened from the digest: show the lead afterwards instead of closing a dialog."
    )

    def _compute_display_name(self):
        for wizard in self:
            wizard.display_name = _("Not relevant: %s", ", ".join(wizard.lead_ids.mapped("name")))

    def action_confirm(self):
        self.ensure_one()
        if not (self.reason or "").strip():
            raise UserError(_("Say why the tender is not relevant: it tunes the watch profile."))
        # the caller's defaults (default_type of the lead action...) must not reach the messages
        leads = self.lead_ids.with_context(clean_context(self.env.context))
        # a logged note: no mail goes out, so users without an e-mail address can do it too
        body = Markup("<p>%s</p><p>%s</p>") % (_("Marked as not relevant."), self.reason)
        leads._message_log_batch(bodies=dict.fromkeys(leads.ids, body))
        leads.write({"tender_not_relevant": True, "tender_not_relevant_reason": self.reason})
        leads.action_archive()
        if self.open_lead_after and len(leads) == 1:
            return leads._tender_form_action()
        return {"type": "ir.actions.act_window_close"}

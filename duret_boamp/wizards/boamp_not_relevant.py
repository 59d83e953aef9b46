"""Feedback from sales: this tender is not for us (feeds the profile's precision)."""

from markupsafe import Markup

from odoo import _, fields, models


class BoampNotRelevantWizard(models.TransientModel):
    _name = "boamp.not.relevant.wizard"
    _description = "Mark tender leads as not relevant"

    lead_ids = fields.Many2many("crm.lead", string="Tender leads", required=True)
    reason = fields.Text(required=True, help="Why is it not relevant? Used to tune the profile.")

    def action_confirm(self):
        self.ensure_one()
        for lead in self.lead_ids:
            lead.message_post(
                body=Markup("<p>%s</p><p>%s</p>") % (_("Marked as not relevant."), self.reason)
            )
        self.lead_ids.write(
            {"tender_not_relevant": True, "tender_not_relevant_reason": self.reason}
        )
        self.lead_ids.action_archive()
        return {"type": "ir.actions.act_window_close"}

"""Go / no-go: the sales director's decision on a tender, with its reason, kept on the lead."""

from markupsafe import Markup

from odoo import _, fields, models
from odoo.tools.misc import clean_context


class BoampDecisionWizard(models.TransientModel):
    _name = "boamp.decision.wizard"
    _description = "Go / no-go decision on a tender"

    lead_id = fields.Many2one("crm.lead", required=True, ondelete="cascade")
    decision = fields.Selection([("go", "Go"), ("no_go", "No-go")], required=True)
    reason = fields.Text(required=True, help="Why we bid, or why we do not.")

    def action_confirm(self):
        """Record the decision; go moves the tender to preparation, no-go closes it as lost."""
        self.ensure_one()
        lead = self.lead_id.with_context(clean_context(self.env.context))
        lead.write(
            {
                "tender_decision": self.decision,
                "tender_decision_reason": self.reason,
                "tender_decision_date": fields.Datetime.now(),
                "tender_decision_user_id": self.env.user.id,
            }
        )
        label = dict(self._fields["decision"]._description_selection(self.env))[self.decision]
        # a logged note: no mail goes out, so users without an e-mail address can decide too
        lead._message_log(
            body=Markup("<p><strong>%s</strong></p><p>%s</p>")
            % (_("Decision: %s", label), self.reason),
        )
        if self.decision == "go":
            stage = self.env.ref(
                "duret_boamp.crm_stage_tender_preparation", raise_if_not_found=False
            )
            if stage and (not stage.team_id or stage.team_id == lead.team_id):
                lead.stage_id = stage
        else:
            reason = self.env.ref("duret_boamp.lost_reason_no_go", raise_if_not_found=False)
            lead.action_set_lost(lost_reason_id=reason.id if reason else False)
        return {"type": "ir.actions.act_window_close"}

"""A rule change of a watch profile applied from the sales team's feedback.

Each change keeps the field's value before and after, so the sales director can undo it
in one click; both the change and its undoing are written in the profile's chatter.
"""

from odoo import _, fields, models
from odoo.exceptions import UserError

INTEGER_FIELDS = ("min_score",)


class BoampRuleChange(models.Model):
    _name = "boamp.rule.change"
    _description = "BOAMP watch rule change"
    _order = "create_date desc, id desc"

    watch_id = fields.Many2one("boamp.watch", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="watch_id.company_id", store=True, index=True)
    kind = fields.Selection(
        [("penalty", "Penalty phrase"), ("keyword", "Keyword"), ("threshold", "Threshold")],
        required=True,
    )
    field_name = fields.Char(required=True, readonly=True)
    old_value = fields.Text(readonly=True)
    new_value = fields.Text(readonly=True)
    description = fields.Char(required=True, readonly=True)
    effect = fields.Text(string="Measured effect", readonly=True)
    state = fields.Selection(
        [("applied", "Applied"), ("reverted", "Reverted")], default="applied", required=True
    )

    def _stored_value(self, text):
        if self.field_name in INTEGER_FIELDS:
            return int(text or 0)
        return text or False

    def action_revert(self):
        """Put the field back as it was before this change (the chatter says so)."""
        self.check_access_rights("write")
        self.check_access_rule("write")
        for change in self:
            if change.state != "applied":
                raise UserError(_("This rule change was already reverted."))
            watch = change.watch_id
            watch.write({change.field_name: change._stored_value(change.old_value)})
            change.state = "reverted"
            watch.message_post(body=_("Rule change reverted: %s", change.description))
        return True

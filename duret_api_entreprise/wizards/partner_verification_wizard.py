from odoo import _, api, fields, models

from ..models.res_partner import COMPARED_FIELDS


class PartnerVerificationWizard(models.TransientModel):
    """Current vs official values, side by side; the user picks what to apply."""

    _name = "compliance.partner.verification.wizard"
    _description = "Partner verification: proposed changes"

    partner_id = fields.Many2one("res.partner", required=True, readonly=True)
    line_ids = fields.One2many("compliance.partner.verification.line", "wizard_id")
    closed = fields.Boolean(related="partner_id.compliance_closed")

    @api.model
    def open_for(self, partner):
        labels = {
            name: partner._fields[name].get_description(self.env)["string"]
            for name in COMPARED_FIELDS
        }
        wizard = self.create(
            {
                "partner_id": partner.id,
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "field_name": field,
                            "label": labels[field],
                            "current_value": current,
                            "official_value": official,
                        },
                    )
                    for field, (current, official) in partner._compliance_differences().items()
                ],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": _("Official data"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_apply(self):
        self.ensure_one()
        values = {
            line.field_name: line.official_value
            for line in self.line_ids
            if line.apply and line.field_name in COMPARED_FIELDS
        }
        if values:
            self.partner_id.with_context(compliance_no_siret_check=True).write(values)
        return {"type": "ir.actions.act_window_close"}


class PartnerVerificationLine(models.TransientModel):
    _name = "compliance.partner.verification.line"
    _description = "Partner verification: one proposed change"

    wizard_id = fields.Many2one(
        "compliance.partner.verification.wizard", required=True, ondelete="cascade"
    )
    field_name = fields.Char(required=True)
    label = fields.Char(string="Field", readonly=True)
    current_value = fields.Char(string="Current value", readonly=True)
    official_value = fields.Char(string="Official value", readonly=True)
    apply = fields.Boolean(default=True)

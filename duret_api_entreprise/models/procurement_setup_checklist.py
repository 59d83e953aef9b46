from odoo import _, api, fields, models

SETTINGS = "duret_procurement.action_procurement_settings"


class ProcurementSetupChecklist(models.TransientModel):
    _inherit = "procurement.setup.checklist"

    @api.model
    def _procurement_setup_items(self, company):
        """API Entreprise: the token, the parameters every call carries, who is reminded."""
        items = super()._procurement_setup_items(company)
        secret = company.sudo()
        expiry = company.compliance_token_expiry
        token_ok = bool(secret.compliance_token) and not (
            expiry and expiry <= fields.Date.context_today(self)
        )
        params_ok = all(
            (company.compliance_recipient, company.compliance_context, company.compliance_object)
        )
        return items + [
            {
                "sequence": 20,
                "name": _("API Entreprise token"),
                "done": token_ok,
                "missing": _(
                    "Enter the API Entreprise token (granted on DataPass to a public body) in "
                    "the settings; without it only open data is fetched."
                ),
                "action": SETTINGS,
            },
            {
                "sequence": 21,
                "name": _("API Entreprise call parameters"),
                "done": params_ok,
                "missing": _(
                    "Set the recipient SIRET (the public body), the context and the object sent "
                    "with every call."
                ),
                "action": SETTINGS,
            },
            {
                "sequence": 22,
                "name": _("Compliance responsible"),
                "done": bool(company.compliance_responsible_id),
                "missing": _("Choose who renews the compliance documents and gets the reminders."),
                "action": SETTINGS,
            },
        ]

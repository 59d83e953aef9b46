from odoo import _, api, models

SETTINGS = "duret_procurement.action_procurement_settings"


class ProcurementSetupChecklist(models.TransientModel):
    _inherit = "procurement.setup.checklist"

    @api.model
    def _procurement_setup_items(self, company):
        """Chorus Pro: the PISTE application and the technical account (presence only)."""
        items = super()._procurement_setup_items(company)
        secret = company.sudo()
        return items + [
            {
                "sequence": 30,
                "name": _("PISTE application"),
                "done": bool(secret.chorus_client_id and secret.chorus_client_secret),
                "missing": _(
                    "Enter the client id and secret of the PISTE application subscribed to the "
                    "Chorus Pro API."
                ),
                "action": SETTINGS,
            },
            {
                "sequence": 31,
                "name": _("Chorus Pro technical account"),
                "done": bool(secret.chorus_login and secret.chorus_password),
                "missing": _(
                    "Enter the login and password of the Chorus Pro technical account linked to "
                    "the company's structure."
                ),
                "action": SETTINGS,
            },
        ]

from odoo import _, api, models


class ProcurementSetupChecklist(models.TransientModel):
    _inherit = "procurement.setup.checklist"

    @api.model
    def _procurement_setup_items(self, company):
        """BOAMP: a watch profile to run at night and who reads its morning digest."""
        items = super()._procurement_setup_items(company)
        watches = self.env["boamp.watch"].search([("company_id", "=", company.id)])
        return items + [
            {
                "sequence": 40,
                "name": _("BOAMP watch profile"),
                "done": bool(watches),
                "missing": _(
                    "Create a watch profile (départements, keywords): the nightly job reads "
                    "BOAMP for it."
                ),
                "action": "duret_boamp.action_boamp_watch",
            },
            {
                "sequence": 41,
                "name": _("Digest recipients"),
                # empty, the list sends the digest to the sales managers: done if anyone gets it
                "done": bool(self.env["boamp.digest"]._digest_recipients(company)),
                "missing": _("Choose who receives the morning digest of new tenders."),
                "action": "duret_procurement.action_procurement_settings",
            },
        ]

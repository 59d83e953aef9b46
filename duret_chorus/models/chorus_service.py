"""Services (services exécutants) of a public buyer, imported from Chorus Pro."""

from odoo import api, fields, models

RESERVED_SERVICE = "FACTURES_PUBLIQUES"


class ChorusService(models.Model):
    _name = "chorus.service"
    _description = "Chorus Pro service of a public buyer"
    _order = "partner_id, code"
    _rec_names_search = ["code", "name"]

    partner_id = fields.Many2one(
        "res.partner", string="Public buyer", required=True, ondelete="cascade", index=True
    )
    chorus_id = fields.Integer(string="Chorus service id", required=True)
    code = fields.Char(required=True, help="Service code, sent as BuyerReference (BT-10).")
    name = fields.Char()
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "partner_chorus_uniq",
            "unique(partner_id, chorus_id)",
            "A Chorus service is imported once per buyer.",
        )
    ]

    @api.depends("code", "name")
    def _compute_display_name(self):
        for service in self:
            service.display_name = (
                f"{service.code} - {service.name}" if service.name else service.code
            )

    @api.model
    def _sync_from_chorus(self, partner, services):
        """Create or update ``partner``'s services from a ``rechercher/services`` list.

        FACTURES_PUBLIQUES is skipped: it is reserved to invoices between public
        bodies and rejects supplier invoices. Services gone from Chorus are archived.
        """
        existing = {
            service.chorus_id: service
            for service in self.with_context(active_test=False).search(
                [("partner_id", "=", partner.id)]
            )
        }
        seen = set()
        for item in services:
            code = item.get("codeService") or ""
            if code == RESERVED_SERVICE or not item.get("idService"):
                continue
            chorus_id = int(item["idService"])
            seen.add(chorus_id)
            vals = {
                "code": code,
                "name": item.get("libelleService") or "",
                "active": bool(item.get("estActif", True)),
            }
            if chorus_id in existing:
                existing[chorus_id].write(vals)
            else:
                self.create(dict(vals, partner_id=partner.id, chorus_id=chorus_id))
        for chorus_id, service in existing.items():
            if chorus_id not in seen and service.active:
                service.active = False

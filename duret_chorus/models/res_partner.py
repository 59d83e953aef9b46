"""Public buyers: their Chorus Pro structure, requirements and services."""

import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.addons.duret_procurement.lib.http import Budget
from odoo.exceptions import UserError

from ..lib import errors
from .chorus_messages import chorus_error_message, siret_message
from .chorus_tools import ACCOUNTANTS, chorus_check_group

_logger = logging.getLogger(__name__)
#: seconds of remote calls the weekly refresh of one company's buyers may use (3 calls or so
#: per buyer, well under a second each)
REFRESH_BUDGET = 600.0


def _flag(parameters, key):
    """Chorus flags come as booleans or as "true"/"false" strings."""
    value = parameters.get(key)
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "oui", "yes")
    return bool(value)


class ResPartner(models.Model):
    _inherit = "res.partner"

    chorus_structure_id = fields.Integer(
        string="Chorus structure id", copy=False, help="idStructureCPP of this public buyer."
    )
    chorus_structure_name = fields.Char(string="Name in Chorus Pro", copy=False)
    chorus_service_required = fields.Boolean(
        string="Service code required",
        copy=False,
        help="The buyer requires a service code (BT-10).",
    )
    chorus_ej_required = fields.Boolean(
        string="Legal commitment required",
        copy=False,
        help="The buyer requires an engagement juridique (BT-13).",
    )
    chorus_ej_or_service_required = fields.Boolean(
        string="Service code or legal commitment required", copy=False
    )
    chorus_payment_reported = fields.Boolean(
        string="Reports payment status",
        default=True,
        copy=False,
        help="False when the buyer never reports MISE_EN_PAIEMENT: polling then stops at the "
        "accounting statuses.",
    )
    chorus_checked_date = fields.Datetime(string="Checked in Chorus on", copy=False)
    chorus_service_ids = fields.One2many("chorus.service", "partner_id", string="Chorus services")
    chorus_service_count = fields.Integer(compute="_compute_chorus_service_count")

    def _compute_chorus_service_count(self):
        groups = self.env["chorus.service"]._read_group(
            [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
        )
        counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.chorus_service_count = counts.get(partner.id, 0)

    def action_chorus_check(self):
        """Find the buyer in Chorus Pro by SIRET, store its requirements and services."""
        chorus_check_group(
            self.env, ACCOUNTANTS, _("Only accountants can check buyers in Chorus Pro.")
        )
        problems = [
            message
            for partner in self
            if (message := siret_message(self.env, partner.siret, partner.display_name))
        ]
        if problems:
            raise UserError("\n".join(problems))
        client = self.env.company._chorus_client()
        for partner in self:
            try:
                partner._chorus_refresh(client)
            except errors.RemoteError as exc:
                raise UserError(chorus_error_message(self.env, exc)) from exc
        if len(self) == 1:
            message = _(
                "%(name)s found in Chorus Pro (structure %(id)s, %(count)s services).",
                name=self.chorus_structure_name,
                id=self.chorus_structure_id,
                count=self.chorus_service_count,
            )
        else:
            message = _("%s buyers checked in Chorus Pro.", len(self))
        return self.env["duret.notify"]._duret_notification(
            message, title=_("Chorus Pro"), next_action={"type": "ir.actions.act_window_close"}
        )

    def _chorus_refresh(self, client):
        """Structure, parameters and services of this buyer (3 calls + service pages)."""
        self.ensure_one()
        structure = client.search_structure(self.siret)
        if not structure:
            raise UserError(
                _(
                    "No Chorus Pro structure has the SIRET %(siret)s (%(name)s).",
                    siret=self.siret,
                    name=self.display_name,
                )
            )
        structure_id = int(structure["idStructureCPP"])
        detail = client.structure_detail(structure_id)
        parameters = detail.get("parametres") or {}
        services = client.structure_services(structure_id)
        self.write(
            {
                "chorus_structure_id": structure_id,
                "chorus_structure_name": structure.get("designationStructure")
                or (detail.get("informationGenerales") or {}).get("raisonSocialeStructure"),
                "chorus_service_required": _flag(parameters, "codeServiceDoitEtreRenseigne"),
                "chorus_ej_required": _flag(parameters, "numeroEJDoitEtreRenseigne"),
                "chorus_ej_or_service_required": _flag(parameters, "gestionNumeroEJOuCodeService"),
                "chorus_payment_reported": not _flag(
                    parameters, "statutMiseEnPaiementNestPasRemonte"
                ),
                "chorus_checked_date": fields.Datetime.now(),
            }
        )
        self.env["chorus.service"]._sync_from_chorus(self, services)

    @api.model
    def _cron_chorus_refresh_buyers(self):
        """Weekly: buyers invoiced through Chorus in the last year, one commit each."""
        since = fields.Datetime.now() - timedelta(days=365)
        for company in self.env["res.company"].search([]):
            if not company._chorus_is_configured():
                continue
            moves = self.env["account.move"].search(
                [
                    ("company_id", "=", company.id),
                    ("chorus_state", "!=", "not_sent"),
                    ("chorus_sent_date", ">=", since),
                ]
            )
            buyers = moves.commercial_partner_id.filtered("chorus_structure_id")
            client = company._chorus_client(Budget(REFRESH_BUDGET))
            for buyer in buyers:
                try:
                    with self.env.cr.savepoint():
                        buyer.with_company(company)._chorus_refresh(client)
                except (errors.RemoteError, UserError) as exc:
                    _logger.warning("Chorus refresh of buyer %s failed: %s", buyer.id, exc)
                    if getattr(exc, "stop_batch", False):  # credentials, budget: all would fail
                        break
                self.env["duret.job"]._duret_commit_progress()
            try:
                company._chorus_read_own_structure(client)
            except (errors.RemoteError, UserError) as exc:
                _logger.warning("Chorus refresh of company %s failed: %s", company.id, exc)
            self.env["duret.job"]._duret_commit_progress()

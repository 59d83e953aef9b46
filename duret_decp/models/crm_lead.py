"""The "Past contracts" tab of a tender lead: the buyer's history and similar contracts.

Figures come from a constant number of small SQL queries whatever the volume: the buyer's
contracts (indexed, ordered, limited), the similar contracts' statistics from the per (CPV class,
département, year) histograms of ``decp.contract.summary`` (exact median and quartiles, see that
module) and their top holders from ``decp.holder.summary``; tests/bench/decp_lead_tab.py measures
it. Framework agreements are left out of the statistics: their amount is a ceiling.
"""

from datetime import date

from odoo import _, api, fields, models

from .params import param, split_codes

BUYER_CONTRACTS_SHOWN = 20
TOP_HOLDERS = 5


class CrmLead(models.Model):
    _inherit = "crm.lead"

    decp_contract_id = fields.Many2one(
        "decp.contract",
        string="Contract to re-tender",
        index=True,
        copy=False,
        help="The DECP contract whose end made this lead (re-tender radar).",
    )
    decp_buyer_siret = fields.Char(compute="_compute_decp_tab", string="Buyer SIRET (DECP)")
    decp_cpv_class = fields.Char(compute="_compute_decp_tab", string="CPV class")
    decp_buyer_contract_ids = fields.Many2many(
        "decp.contract", compute="_compute_decp_tab", string="Buyer's past contracts"
    )
    decp_buyer_count = fields.Integer(compute="_compute_decp_tab", string="Buyer's contracts")
    decp_similar_count = fields.Integer(compute="_compute_decp_tab", string="Similar contracts")
    decp_similar_since = fields.Date(
        compute="_compute_decp_tab",
        string="Notified since",
        help="1 January of the first year counted (settings: similar contracts over N years).",
    )
    decp_similar_median = fields.Float(compute="_compute_decp_tab", string="Median amount")
    decp_similar_p25 = fields.Float(compute="_compute_decp_tab", string="Amount, 1st quartile")
    decp_similar_p75 = fields.Float(compute="_compute_decp_tab", string="Amount, 3rd quartile")
    decp_similar_offers = fields.Float(compute="_compute_decp_tab", string="Median offers")
    decp_top_holders = fields.Text(compute="_compute_decp_tab", string="Top holders")
    decp_sync_missing = fields.Boolean(
        compute="_compute_decp_tab",
        string="No DECP sync yet",
        help="No DECP sync has succeeded yet.",
    )

    def _decp_similar_scope(self):
        """(CPV class, départements, since) of the similar contracts, None when unknown.

        ``since`` is the 1st of January ``similar_years`` years ago: the statistics are kept
        per calendar year (decp.contract.summary)."""
        self.ensure_one()
        codes = [c for c in split_codes(self.tender_cpv_codes) if c[:4].isdigit()]
        departements = split_codes(self.tender_departement)
        if not codes or not departements:
            return None
        today = fields.Date.context_today(self)
        since = date(today.year - param(self.env, "similar_years"), 1, 1)
        return codes[0][:4], departements, since

    @api.depends(
        "partner_id.siret", "decp_contract_id.buyer_siret", "tender_cpv_codes", "tender_departement"
    )
    @api.depends_context("lang")
    def _compute_decp_tab(self):
        Contract = self.env["decp.contract"]
        Contract.flush_model()
        cr = self.env.cr
        sync_missing = Contract._decp_sync_missing()
        for lead in self:
            # a radar lead's buyer is often no partner: its contract names the buyer
            siret = (lead.partner_id.siret or lead.decp_contract_id.buyer_siret or "").replace(
                " ", ""
            )
            scope = lead._decp_similar_scope()
            values = {
                "decp_buyer_siret": siret or False,
                "decp_cpv_class": scope[0] if scope else False,
                "decp_similar_since": scope[2] if scope else False,
                "decp_buyer_contract_ids": Contract,
                "decp_buyer_count": 0,
                "decp_similar_count": 0,
                "decp_similar_median": 0.0,
                "decp_similar_p25": 0.0,
                "decp_similar_p75": 0.0,
                "decp_similar_offers": 0.0,
                "decp_top_holders": False,
                "decp_sync_missing": sync_missing,
            }
            if siret:
                # the latest ones in index order, and how many there are (index entries only)
                cr.execute(
                    """SELECT id, (SELECT count(*) FROM decp_contract WHERE buyer_siret = %(s)s)
                         FROM decp_contract WHERE buyer_siret = %(s)s
                     ORDER BY notified DESC NULLS LAST, id DESC LIMIT %(limit)s""",
                    {"s": siret, "limit": BUYER_CONTRACTS_SHOWN},
                )
                rows = cr.fetchall()
                values["decp_buyer_contract_ids"] = Contract.browse([r[0] for r in rows])
                values["decp_buyer_count"] = rows[0][1] if rows else 0
            if scope:
                values.update(lead._decp_similar_figures(*scope))
            lead.update(values)

    def _decp_similar_figures(self, cpv_class, departements, since):
        stats = self.env["decp.contract.summary"]._decp_statistics(
            cpv_class, departements, since.year
        )
        top = []
        for name, contracts, total in self.env["decp.holder.summary"]._decp_top_holders(
            cpv_class, departements, since.year, TOP_HOLDERS
        ):
            amount = f"{total or 0:,.0f}".replace(",", " ")
            top.append(
                _(
                    "%(name)s: %(count)s contract(s), %(amount)s €",
                    name=name,
                    count=contracts,
                    amount=amount,
                )
            )
        return {
            "decp_similar_count": stats["count"],
            "decp_similar_median": stats["median"],
            "decp_similar_p25": stats["p25"],
            "decp_similar_p75": stats["p75"],
            "decp_similar_offers": stats["offers"],
            "decp_top_holders": "\n".join(top) or False,
        }

    # -- buttons -----------------------------------------------------------------------------
    def _decp_contract_action(self, name, domain):
        action = self.env["ir.actions.act_window"]._for_xml_id("duret_decp.decp_contract_action")
        action.update(name=name, domain=domain, context={})
        return action

    def action_decp_open_buyer_contracts(self):
        self.ensure_one()
        siret = (self.partner_id.siret or "").replace(" ", "")
        return self._decp_contract_action(
            _("Past contracts of %s", self.partner_id.display_name or siret),
            [("buyer_siret", "=", siret or "-")],
        )

    def action_decp_sync_now(self):
        """The empty state's "Sync now" (sales managers, checked by decp.contract)."""
        return self.env["decp.contract"].action_decp_sync_first()

    def action_decp_open_similar_contracts(self):
        self.ensure_one()
        scope = self._decp_similar_scope()
        if not scope:
            domain = [("id", "=", 0)]
        else:
            cpv_class, departements, since = scope
            domain = [
                ("cpv_class", "=", cpv_class),
                ("departement", "in", departements),
                ("notified", ">=", since),
            ]
        return self._decp_contract_action(_("Similar contracts"), domain)

    # -- the BOAMP import meets a radar lead -------------------------------------------------
    @api.model
    def _boamp_create_tender_leads(self, vals_list):
        """A new notice of a buyer whose contract of the same CPV class is on the radar
        completes that radar lead instead of making a new one."""
        radar = self._decp_radar_leads_for(vals_list)
        leads, to_create, positions = [None] * len(vals_list), [], []
        for position, vals in enumerate(vals_list):
            lead = radar.pop(self._decp_radar_key(vals), None)
            if lead:
                lead.write(vals)
                lead.message_post(body=_("The expected notice has been published."))
                leads[position] = lead
            else:
                to_create.append(vals)
                positions.append(position)
        created = super()._boamp_create_tender_leads(to_create) if to_create else self.browse()
        for position, lead in zip(positions, created, strict=True):
            leads[position] = lead
        return self.browse([lead.id for lead in leads])

    @api.model
    def _decp_radar_key(self, vals):
        partner = self.env["res.partner"].browse(vals.get("partner_id") or [])
        siret = (partner.siret or "").replace(" ", "")
        codes = [c for c in split_codes(vals.get("tender_cpv_codes")) if c[:4].isdigit()]
        if not siret or not codes:
            return None
        return (vals.get("company_id"), siret, codes[0][:4])

    @api.model
    def _decp_radar_leads_for(self, vals_list):
        """``{(company, buyer SIRET, CPV class): radar lead}`` still waiting for a notice."""
        keys = {k for k in map(self._decp_radar_key, vals_list) if k}
        if not keys:
            return {}
        leads = self.search(
            [
                ("decp_contract_id", "!=", False),
                ("boamp_idweb", "=", False),
                ("decp_contract_id.buyer_siret", "in", [k[1] for k in keys]),
            ],
            order="id",
        )
        found = {}
        for lead in leads:
            contract = lead.decp_contract_id
            key = (lead.company_id.id, contract.buyer_siret, contract.cpv_class)
            if key in keys:
                found.setdefault(key, lead)
        return found

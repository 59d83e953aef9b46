"""A holder (titulaire) of a DECP contract: the competitor book's unit."""

from odoo import _, api, fields, models, tools


class DecpHolder(models.Model):
    _name = "decp.holder"
    _description = "Holder of an awarded public contract (DECP)"
    _order = "notified desc, id desc"

    contract_id = fields.Many2one(
        "decp.contract", required=True, index=True, ondelete="cascade", string="Contract"
    )
    identifier = fields.Char(required=True, help="SIRET, VAT number or foreign identifier.")
    id_type = fields.Char(string="Identifier type")
    siren = fields.Char(string="SIREN", index=True)
    partner_id = fields.Many2one(
        "res.partner", string="Company", index=True, help="The contact with this SIRET or SIREN."
    )
    name = fields.Char(compute="_compute_name", string="Holder")
    # stored copies of the contract's figures: the pivot groups and sums on them
    notified = fields.Date(related="contract_id.notified", store=True, index=True)
    year = fields.Char(compute="_compute_year", store=True, string="Year")
    amount = fields.Float(
        related="contract_id.amount_current", store=True, string="Contract amount (€ excl. VAT)"
    )
    buyer_siret = fields.Char(related="contract_id.buyer_siret", store=True, string="Buyer")
    departement = fields.Char(related="contract_id.departement", store=True)
    cpv_class = fields.Char(related="contract_id.cpv_class", store=True, string="CPV class")
    object = fields.Char(related="contract_id.object", string="Object")
    is_own_company = fields.Boolean(
        compute="_compute_is_own_company",
        search="_search_is_own_company",
        string="Our company",
    )

    def init(self):
        """The "Contracts won" list opens on one CPV class, latest first: index order."""
        tools.create_index(
            self._cr,
            "decp_holder_class_latest_index",
            self._table,
            ["cpv_class", "notified DESC", "id DESC"],
        )

    @api.model_create_multi
    def create(self, vals_list):
        holders = super().create(vals_list)
        holders.contract_id._decp_mark_summaries()
        return holders

    def write(self, vals):
        self.contract_id._decp_mark_summaries()
        result = super().write(vals)
        self.contract_id._decp_mark_summaries()
        return result

    def unlink(self):
        self.contract_id._decp_mark_summaries()
        return super().unlink()

    @api.depends("partner_id", "identifier")
    def _compute_name(self):
        for holder in self:
            holder.name = holder.partner_id.name or holder.identifier

    @api.depends("notified")
    def _compute_year(self):
        for holder in self:
            holder.year = str(holder.notified.year) if holder.notified else False

    def _decp_own_sirens(self):
        companies = self.env["res.company"].sudo().search([])
        sirens = {(c.siret or c.company_registry or "").replace(" ", "")[:9] for c in companies}
        return [s for s in sirens if len(s) == 9 and s.isdigit()]

    def _compute_is_own_company(self):
        own = set(self._decp_own_sirens())
        for holder in self:
            holder.is_own_company = holder.siren in own

    def _search_is_own_company(self, operator, value, field="siren"):
        if operator not in ("=", "!="):
            raise NotImplementedError(_("Unsupported search on 'Our company'."))
        positive = (operator == "=") == bool(value)
        return [(field, "in" if positive else "not in", self._decp_own_sirens())]

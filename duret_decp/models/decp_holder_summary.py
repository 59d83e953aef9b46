"""Contracts won per company, CPV class, département and year: the competitor book's pivot and
the lead tab's top holders read these rows instead of every holder of every contract.

A company is its SIREN (else the holder's identifier, a VAT number for instance): the
establishments of one company count together, and a contract won by two establishments of the
same company counts once. Rows are rebuilt bucket by bucket from ``decp_holder`` and
``decp_contract`` (``_decp_refresh``), like ``decp.contract.summary``.
"""

from odoo import api, fields, models, tools

from .decp_contract_summary import _clear_buckets


class DecpHolderSummary(models.Model):
    _name = "decp.holder.summary"
    _description = "Contracts won per company, CPV class, département and year (DECP)"
    _log_access = False
    _order = "year desc, amount desc"
    _rec_name = "holder_key"

    cpv_class = fields.Char(string="CPV class", required=True)
    departement = fields.Char(string="Département", required=True)
    year = fields.Char(required=True, help="Year of notification.")
    framework = fields.Boolean(
        string="Framework agreement", help="Its amount is a ceiling, not what was spent."
    )
    holder_key = fields.Char(string="Company (SIREN)", required=True)
    partner_id = fields.Many2one("res.partner", string="Company")
    contract_count = fields.Integer(string="Contracts")
    amount = fields.Float(string="Amount (€ excl. VAT)")
    is_own_company = fields.Boolean(
        compute="_compute_is_own_company", search="_search_is_own_company", string="Our company"
    )

    def init(self):
        tools.create_index(
            self._cr,
            "decp_holder_summary_bucket_index",
            self._table,
            ["cpv_class", "departement", "year"],
        )

    def _compute_is_own_company(self):
        own = set(self.env["decp.holder"]._decp_own_sirens())
        for row in self:
            row.is_own_company = row.holder_key in own

    def _search_is_own_company(self, operator, value):
        return self.env["decp.holder"]._search_is_own_company(operator, value, "holder_key")

    def _decp_refresh(self, keys):
        """Rebuild the rows of the buckets ``keys`` (``(cpv_class, departement, year)``)."""
        cr = self.env.cr
        params = _clear_buckets(cr, self._table, keys)
        cr.execute(
            """WITH won AS (
                    SELECT DISTINCT ON (c.id, coalesce(h.siren, h.identifier))
                           k.cpv, k.dep, k.year, c.framework IS TRUE AS framework,
                           coalesce(h.siren, h.identifier) AS holder_key,
                           h.partner_id, c.amount_current
                      FROM unnest(%(cpv)s::varchar[], %(dep)s::varchar[], %(year)s::varchar[])
                           AS k(cpv, dep, year)
                      JOIN decp_contract c
                        ON c.cpv_class = k.cpv AND c.departement = k.dep
                       AND c.notified >= make_date(k.year::int, 1, 1)
                       AND c.notified < make_date(k.year::int + 1, 1, 1)
                      JOIN decp_holder h ON h.contract_id = c.id
                  ORDER BY c.id, coalesce(h.siren, h.identifier), h.partner_id NULLS LAST)
                INSERT INTO decp_holder_summary (cpv_class, departement, year, framework,
                       holder_key, partner_id, contract_count, amount)
                SELECT cpv, dep, year, framework, holder_key, max(partner_id), count(*),
                       sum(amount_current)
                  FROM won GROUP BY cpv, dep, year, framework, holder_key""",
            params,
        )

    @api.model
    def _decp_top_holders(self, cpv_class, departements, since_year, limit):
        """``[(name, contracts, amount)]`` of the companies winning most contracts of the
        class (framework agreements left out), in one query on the summary rows."""
        self.env.cr.execute(
            """SELECT coalesce(max(p.name), s.holder_key), sum(s.contract_count), sum(s.amount)
                 FROM decp_holder_summary s
            LEFT JOIN res_partner p ON p.id = s.partner_id
                WHERE s.cpv_class = %(cpv)s AND s.departement IN %(deps)s
                  AND s.year >= %(year)s AND NOT s.framework
             GROUP BY s.holder_key
             ORDER BY 2 DESC, 3 DESC, 1 LIMIT %(limit)s""",
            {
                "cpv": cpv_class,
                "deps": tuple(departements),
                "year": str(since_year),
                "limit": limit,
            },
        )
        return self.env.cr.fetchall()

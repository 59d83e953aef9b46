"""The cumulative progress of one price-schedule line in a statement."""

from odoo import api, fields, models

from ..lib import statement as st


class WorksStatementLine(models.Model):
    _name = "works.statement.line"
    _description = "Statement progress line"
    _order = "statement_id, sequence, id"

    statement_id = fields.Many2one("works.statement", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="statement_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="statement_id.currency_id")
    contract_line_id = fields.Many2one(
        "works.contract.line", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(related="contract_line_id.sequence", store=True)
    code = fields.Char(related="contract_line_id.code")
    name = fields.Char(related="contract_line_id.name")
    uom_label = fields.Char(related="contract_line_id.uom_label")
    quantity = fields.Float(related="contract_line_id.quantity", string="Contract quantity")
    price_unit = fields.Float(related="contract_line_id.price_unit")
    line_amount = fields.Monetary(related="contract_line_id.amount", string="Line total")
    progress_mode = fields.Selection(related="contract_line_id.progress_mode")
    cumulative_quantity = fields.Float(string="Quantity to date", digits="Product Unit of Measure")
    cumulative_percent = fields.Float(string="Percent to date", digits=(5, 2))
    amount_to_date = fields.Monetary(readonly=True)
    amount_previous = fields.Monetary(readonly=True)
    amount_month = fields.Monetary(readonly=True)

    @api.onchange("cumulative_quantity")
    def _onchange_cumulative_quantity(self):
        if self.progress_mode == "quantity" and self.quantity:
            self.cumulative_percent = 100.0 * self.cumulative_quantity / self.quantity

    def _works_progress(self):
        self.ensure_one()
        in_percent = self.progress_mode == "percent"
        return st.LineProgress(
            self.code,
            st.dec(self.quantity),
            st.dec(self.price_unit),
            cumulative_quantity=None if in_percent else st.dec(self.cumulative_quantity),
            cumulative_percent=st.dec(self.cumulative_percent) if in_percent else None,
        )

"""One line of a works contract's price schedule (DPGF / BPU)."""

from odoo import api, fields, models

from ..lib import statement as st


class WorksContractLine(models.Model):
    _name = "works.contract.line"
    _description = "Price schedule line"
    _order = "contract_id, sequence, id"

    contract_id = fields.Many2one("works.contract", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="contract_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="contract_id.currency_id")
    sequence = fields.Integer(default=10)
    code = fields.Char(required=True)
    name = fields.Char(string="Description", required=True)
    uom_label = fields.Char(string="Unit")
    quantity = fields.Float(digits="Product Unit of Measure", required=True)
    price_unit = fields.Float(string="Unit price", digits="Product Price", required=True)
    amount = fields.Monetary(compute="_compute_amount", store=True)
    progress_mode = fields.Selection(
        [("quantity", "Quantity"), ("percent", "Percent")],
        default="quantity",
        required=True,
        help="How the progress of this line is entered in the statements: quantity "
        "executed to date, or percent for a lump-sum line.",
    )

    _sql_constraints = [
        ("code_unique", "UNIQUE(contract_id, code)", "A code appears once per schedule."),
    ]

    @api.depends("quantity", "price_unit")
    def _compute_amount(self):
        for line in self:
            line.amount = float(
                st.LineProgress(line.code, st.dec(line.quantity), st.dec(line.price_unit)).total
            )

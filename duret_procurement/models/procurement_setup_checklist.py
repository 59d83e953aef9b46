"""The administrator's first-setup checklist: what the suite needs, done or missing.

Each addon adds its own items by overriding :meth:`_procurement_setup_items`
(calling ``super()``), so the checklist grows with the installed integrations
and says nothing about an integration that is not there.
"""

from odoo import _, api, fields, models


class ProcurementSetupChecklist(models.TransientModel):
    _name = "procurement.setup.checklist"
    _description = "Public procurement: first-setup checklist"

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    line_ids = fields.One2many("procurement.setup.checklist.line", "checklist_id", readonly=True)
    done_count = fields.Integer(compute="_compute_counts", string="Done")
    missing_count = fields.Integer(compute="_compute_counts", string="Missing")

    def _compute_display_name(self):
        # the breadcrumb shows this, not "procurement.setup.checklist,1"
        for checklist in self:
            checklist.display_name = _("First setup")

    @api.depends("line_ids.done")
    def _compute_counts(self):
        for checklist in self:
            checklist.done_count = len(checklist.line_ids.filtered("done"))
            checklist.missing_count = len(checklist.line_ids) - checklist.done_count

    @api.model
    def _procurement_setup_items(self, company):
        """The checklist items for ``company``: a list of dicts.

        Keys: ``sequence``, ``name``, ``done`` (bool), ``missing`` (what to do
        when not done), ``action`` (an XML id of an action, or an action dict)
        opening the screen where it is set.
        """
        company_form = {
            "type": "ir.actions.act_window",
            "res_model": "res.company",
            "res_id": company.id,
            "view_mode": "form",
            "target": "current",
        }
        siret = "".join((company["siret"] or "").split()) if "siret" in company._fields else ""
        problem = self.env["duret.siret"]._duret_siret_message(siret)
        ibans = company.partner_id.bank_ids.filtered(lambda bank: bank.acc_type == "iban")
        return [
            {
                "sequence": 10,
                "name": _("Company SIRET"),
                "done": not problem,
                "missing": problem or "",
                "action": company_form,
            },
            {
                "sequence": 11,
                "name": _("Company IBAN"),
                "done": bool(ibans),
                "missing": _(
                    "Add the company's bank account (IBAN): public buyers pay to it and it is "
                    "printed on invoices."
                ),
                "action": company_form,
            },
        ]

    def _procurement_fill(self):
        for checklist in self:
            items = sorted(
                self._procurement_setup_items(checklist.company_id), key=lambda i: i["sequence"]
            )
            checklist.line_ids.unlink()
            checklist.line_ids = [
                (
                    0,
                    0,
                    {
                        "sequence": item["sequence"],
                        "name": item["name"],
                        "done": item["done"],
                        "missing": False if item["done"] else item["missing"],
                        "action_data": item["action"],
                    },
                )
                for item in items
            ]

    @api.model
    def action_open(self):
        """The checklist of the current company (menu entry)."""
        checklist = self.create({"company_id": self.env.company.id})
        checklist._procurement_fill()
        return checklist._procurement_form_action()

    def action_refresh(self):
        self._procurement_fill()
        return self._procurement_form_action()

    def _procurement_form_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("First setup"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }


class ProcurementSetupChecklistLine(models.TransientModel):
    _name = "procurement.setup.checklist.line"
    _description = "Public procurement: one first-setup item"
    _order = "sequence, id"

    checklist_id = fields.Many2one("procurement.setup.checklist", required=True, ondelete="cascade")
    sequence = fields.Integer()
    # Text: a list wraps them instead of cutting the item or the advice short
    name = fields.Text(string="Item", required=True)
    done = fields.Boolean()
    missing = fields.Text(string="What to do")
    action_data = fields.Json()

    def action_configure(self):
        """Open the screen where this item is set."""
        self.ensure_one()
        action = self.action_data
        if isinstance(action, str):
            return self.env["ir.actions.actions"]._for_xml_id(action)
        return dict(action or {})

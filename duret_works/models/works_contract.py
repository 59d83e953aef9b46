"""A public works contract (marché de travaux) and its money terms."""

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date, plaintext2html

from ..lib import statement as st

#: legal ceiling of the retention (CCP R2191-32), in percent
RETENTION_MAX_PERCENT = 5.0
#: the guarantee period of works (parfait achèvement): one year after reception
GUARANTEE_MONTHS = 12


class WorksContract(models.Model):
    _name = "works.contract"
    _description = "Works contract"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "notification_date desc, id desc"

    name = fields.Char(string="Subject", required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        [("draft", "Draft"), ("running", "In progress"), ("closed", "Closed")],
        default="draft",
        required=True,
        tracking=True,
    )
    role = fields.Selection(
        [("holder", "Holder"), ("subcontractor", "Subcontractor paid directly")],
        default="holder",
        required=True,
        help="Holder: monthly statements in cadre A4 validated by the project manager. "
        "Subcontractor: invoices in cadre A9 validated by the main contractor.",
    )
    partner_id = fields.Many2one(
        "res.partner", string="Public buyer", required=True, tracking=True, index=True
    )
    buyer_siret = fields.Char(related="partner_id.siret", string="Buyer SIRET")
    chorus_service_id = fields.Many2one(
        "chorus.service",
        string="Chorus service",
        domain="[('partner_id', '=', partner_id)]",
        help="Service exécutant of the buyer in Chorus Pro.",
    )
    market_number = fields.Char(string="Contract number", tracking=True, help="BT-12")
    legal_commitment = fields.Char(string="Legal commitment (EJ)", tracking=True, help="BT-13")
    lot = fields.Char()
    validator_partner_id = fields.Many2one(
        "res.partner",
        string="Validator",
        tracking=True,
        help="The project manager (MOE) who validates the statements, or the main contractor "
        "for a subcontractor's invoices.",
    )
    validator_siret = fields.Char(related="validator_partner_id.siret", string="Validator SIRET")
    validator_service_code = fields.Char(
        string="Validator's Chorus service", help="Service code of the validator in Chorus Pro."
    )
    notification_date = fields.Date(tracking=True)
    start_order_date = fields.Date(string="Start order date")
    duration_months = fields.Integer(string="Duration (months)")
    amount_untaxed = fields.Monetary(string="Amount excl. VAT", required=True, tracking=True)
    tax_id = fields.Many2one(
        "account.tax",
        string="VAT",
        required=True,
        domain="[('type_tax_use', '=', 'sale'), ('company_id', '=', company_id)]",
        default=lambda self: self._works_default_tax(),
        help="Works: VAT on receipts. Subcontractor: autoliquidation.",
    )
    retention_mode = fields.Selection(
        [
            ("withheld", "Withheld on each statement"),
            ("first_demand", "Replaced by a first-demand guarantee"),
            ("surety", "Replaced by a personal surety"),
        ],
        default="withheld",
        required=True,
        tracking=True,
    )
    retention_rate = fields.Float(string="Retention (%)", default=RETENTION_MAX_PERCENT)
    advance_rate = fields.Float(string="Advance (%)")
    advance_start_percent = fields.Float(string="Advance repaid from (%)", default=65.0)
    advance_end_percent = fields.Float(string="Advance repaid by (%)", default=80.0)
    advance_amount = fields.Monetary(compute="_compute_advance_amount")
    revision = fields.Boolean(string="Price revision")
    revision_index = fields.Char(string="Index", default="BT47")
    revision_fixed_part = fields.Float(string="Fixed part", default=0.15, digits=(3, 4))
    revision_base_month = fields.Date(string="Base month")
    revision_base_index = fields.Float(string="Base index value", digits=(12, 4))
    penalty_per_day = fields.Monetary(string="Late penalty per day")
    reception_date = fields.Date(string="Reception of the works", tracking=True)
    guarantee_end_date = fields.Date(compute="_compute_guarantee_end_date", store=True)
    retention_released = fields.Boolean(tracking=True, copy=False)
    retention_reminded = fields.Boolean(copy=False)
    lead_id = fields.Many2one("crm.lead", string="Tender", index=True, copy=False)
    user_id = fields.Many2one(
        "res.users",
        string="Accountant",
        default=lambda self: self.env.user,
        help="Receives the reminders of this contract (validator late, refusal, retention).",
    )
    line_ids = fields.One2many("works.contract.line", "contract_id", string="Price schedule")
    statement_ids = fields.One2many("works.statement", "contract_id", string="Statements")
    schedule_total = fields.Monetary(compute="_compute_dashboard")
    executed_percent = fields.Float(string="Executed (%)", compute="_compute_dashboard")
    billed_amount = fields.Monetary(string="Billed incl. VAT", compute="_compute_dashboard")
    paid_amount = fields.Monetary(string="Paid", compute="_compute_dashboard")
    retained_amount = fields.Monetary(string="Retained", compute="_compute_dashboard")
    advance_outstanding = fields.Monetary(string="Advance to repay", compute="_compute_dashboard")
    statement_count = fields.Integer(compute="_compute_dashboard")

    _sql_constraints = [
        ("amount_positive", "CHECK(amount_untaxed > 0)", "The amount must be positive."),
    ]

    def _works_default_tax(self):
        """20 % VAT on receipts (works are services), else the company's sale tax."""
        company = self.env.company
        tax = self.env["account.tax"].search(
            [
                ("company_id", "=", company.id),
                ("type_tax_use", "=", "sale"),
                ("amount", "=", 20.0),
                ("tax_exigibility", "=", "on_payment"),
            ],
            limit=1,
        )
        return tax or company.account_sale_tax_id

    @api.onchange("role")
    def _onchange_role(self):
        """A subcontractor paid directly invoices under autoliquidation (VAT category AE)."""
        if self.role == "subcontractor":
            reverse_charge = self.env["account.tax"].search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("type_tax_use", "=", "sale"),
                    ("chorus_vat_category", "=", "AE"),
                ],
                limit=1,
            )
            self.tax_id = reverse_charge or self.tax_id
        elif self.tax_id.chorus_vat_category == "AE":
            self.tax_id = self._works_default_tax()

    @api.constrains("retention_rate", "advance_start_percent", "advance_end_percent")
    def _check_rates(self):
        for contract in self:
            if not 0 <= contract.retention_rate <= RETENTION_MAX_PERCENT:
                raise ValidationError(
                    _("The retention rate must be between 0 and %s %%.", RETENTION_MAX_PERCENT)
                )
            if not 0 <= contract.advance_start_percent < contract.advance_end_percent <= 100:
                raise ValidationError(
                    _("The advance repayment must start before it ends, between 0 and 100 %.")
                )

    @api.depends("amount_untaxed", "advance_rate")
    def _compute_advance_amount(self):
        for contract in self:
            contract.advance_amount = float(contract._works_terms().advance_amount)

    @api.depends("reception_date")
    def _compute_guarantee_end_date(self):
        for contract in self:
            contract.guarantee_end_date = contract.reception_date and (
                contract.reception_date + relativedelta(months=GUARANTEE_MONTHS)
            )

    @api.depends(
        "amount_untaxed",
        "advance_amount",
        "retention_released",
        "line_ids.amount",
        "statement_ids.state",
        "statement_ids.works_to_date",
        "statement_ids.total_month",
    )
    def _compute_dashboard(self):
        for contract in self:
            statements = contract.statement_ids.filtered(lambda s: s.state != "draft")
            last = statements.sorted("number")[-1:] if statements else statements
            contract.schedule_total = sum(contract.line_ids.mapped("amount"))
            contract.executed_percent = (
                100.0 * last.works_to_date / contract.amount_untaxed
                if last and contract.amount_untaxed
                else 0.0
            )
            contract.billed_amount = sum(statements.mapped("total_month"))
            contract.paid_amount = sum(
                statements.filtered(lambda s: s.state == "paid").mapped("net_to_pay")
            )
            contract.retained_amount = (
                0.0 if contract.retention_released else last.retention_to_date if last else 0.0
            )
            contract.advance_outstanding = contract.advance_amount - (
                last.advance_to_date if last else 0.0
            )
            contract.statement_count = len(contract.statement_ids)

    def _works_terms(self):
        """The money terms for lib/statement.py."""
        self.ensure_one()
        withheld = self.retention_mode == "withheld"
        tax = self.tax_id
        return st.Terms(
            amount_untaxed=st.money(self.amount_untaxed),
            vat_rate=st.dec(tax.amount) / st.HUNDRED if tax.amount_type == "percent" else st.ZERO,
            retention_rate=st.dec(self.retention_rate if withheld else 0) / st.HUNDRED,
            advance_rate=st.dec(self.advance_rate) / st.HUNDRED,
            advance_start=st.dec(self.advance_start_percent) / st.HUNDRED,
            advance_end=st.dec(self.advance_end_percent) / st.HUNDRED,
            revision_fixed_part=st.dec(self.revision_fixed_part) if self.revision else None,
            revision_base_index=st.dec(self.revision_base_index) if self.revision else None,
            vat_round_per_line=self.company_id.tax_calculation_rounding_method == "round_per_line",
        )

    def _works_check_chorus_ready(self):
        """Every contract datum a Chorus works deposit needs, as one French message."""
        self.ensure_one()
        missing = []
        if not self.partner_id.siret:
            missing.append(_("the buyer's SIRET"))
        if not self.validator_partner_id.siret:
            missing.append(_("the validator's SIRET"))
        if not self.market_number:
            missing.append(_("the contract number"))
        if missing:
            raise UserError(
                _("The contract %(name)s lacks %(what)s.", name=self.name, what=", ".join(missing))
            )

    # ---------------------------------------------------------------- actions
    def action_start(self):
        for contract in self:
            if not contract.line_ids:
                raise UserError(_("Import or enter the price schedule first."))
            difference = contract.currency_id.compare_amounts(
                contract.schedule_total, contract.amount_untaxed
            )
            if difference:
                raise UserError(
                    _(
                        "The price schedule adds up to %(schedule)s but the contract amount is "
                        "%(amount)s: correct one of them.",
                        schedule=contract.schedule_total,
                        amount=contract.amount_untaxed,
                    )
                )
        self.write({"state": "running"})

    def action_new_statement(self):
        """The next statement, progress pre-filled with the previous one's."""
        self.ensure_one()
        if self.state != "running":
            raise UserError(_("Start the contract before entering statements."))
        if self.statement_ids.filtered(lambda s: s.state == "draft"):
            raise UserError(_("A draft statement is already open: finish it first."))
        statement = self.env["works.statement"].create(
            {"contract_id": self.id, "kind": self.env.context.get("works_kind", "monthly")}
        )
        return statement._works_open()

    def action_new_final_statement(self):
        return self.with_context(works_kind="final").action_new_statement()

    def action_open_statements(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("duret_works.works_statement_action")
        action["domain"] = [("contract_id", "=", self.id)]
        action["context"] = {"default_contract_id": self.id}
        return action

    def action_import_schedule(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Import the price schedule"),
            "res_model": "works.schedule.import",
            "view_mode": "form",
            "target": "new",
            "context": {"default_contract_id": self.id},
        }

    def action_release_retention(self):
        for contract in self:
            contract.retention_released = True
            contract.message_post(
                body=_(
                    "Retention released: %(amount)s.",
                    amount=contract.currency_id.format(contract.retained_amount),
                )
            )

    # ------------------------------------------------------------------- cron
    def _cron_works_retention(self):
        """A reminder on each contract whose guarantee period ended (retention to claim)."""
        contracts = self.search(
            [
                ("guarantee_end_date", "<=", fields.Date.today()),
                ("retention_released", "=", False),
                ("retention_reminded", "=", False),
                ("retention_mode", "=", "withheld"),
            ]
        )
        for contract in contracts:
            if not contract.retained_amount:
                continue
            contract = self.env["duret.job"]._duret_in_job_lang(
                contract, contract.company_id, contract._works_accountant().partner_id
            )
            note = _(
                "The guarantee period of %(name)s ended on %(date)s: ask %(buyer)s to release "
                "the retention of %(amount)s (within one month, unless reserves remain).",
                name=contract.name,
                date=format_date(contract.env, contract.guarantee_end_date),
                buyer=contract.partner_id.display_name,
                amount=contract.currency_id.format(contract.retained_amount),
            )
            contract.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=_("Release of the retention"),
                note=plaintext2html(note),
                user_id=contract._works_accountant().id,
            )
            contract.retention_reminded = True

    def _works_accountant(self):
        self.ensure_one()
        if self.user_id.active and not self.user_id.share:
            return self.user_id
        return self.company_id._chorus_admin_user() or self.env.user

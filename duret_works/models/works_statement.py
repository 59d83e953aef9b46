"""A monthly works statement (situation n° k) or the final statement of a contract.

The figures come from lib/statement.py (cumulative progress → month, advance,
retention, VAT); this model stores them, creates the invoice and deposits it
in Chorus Pro in the works cadre (A4 monthly, A7 final, A9 subcontractor).
"""

from datetime import timedelta

from odoo import Command, _, api, fields, models
from odoo.addons.duret_chorus.lib import errors
from odoo.addons.duret_chorus.models.chorus_messages import chorus_error_message
from odoo.addons.duret_chorus.models.chorus_tools import ACCOUNTANTS, chorus_check_group
from odoo.exceptions import UserError
from odoo.tools import format_datetime, plaintext2html

from ..lib import statement as st
from ..lib import works_client
from ..lib import works_statuses as ws

FIGURES = (
    "works_to_date",
    "works_previous",
    "works_month",
    "revision_to_date",
    "revision_month",
    "advance_to_date",
    "advance_month",
    "untaxed_month",
    "vat_month",
    "total_month",
    "retention_to_date",
    "retention_month",
    "net_to_pay",
)
STATES = [
    ("draft", "Draft"),
    ("invoiced", "Invoiced"),
    ("sent", "Waiting for the validator"),
    ("refused", "Refused by the validator"),
    ("validated", "Validated"),
    ("paid", "Paid"),
]


class WorksStatement(models.Model):
    _name = "works.statement"
    _description = "Works statement"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "contract_id, number"

    contract_id = fields.Many2one("works.contract", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="contract_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="contract_id.currency_id")
    number = fields.Integer(readonly=True, default=lambda self: self._works_next_number())
    name = fields.Char(compute="_compute_name", store=True)
    kind = fields.Selection(
        [("monthly", "Monthly statement"), ("final", "Final statement")],
        default="monthly",
        required=True,
    )
    date = fields.Date(default=fields.Date.context_today, required=True)
    state = fields.Selection(STATES, default="draft", required=True, tracking=True, copy=False)
    line_ids = fields.One2many("works.statement.line", "statement_id", string="Progress")
    month_index = fields.Float(string="Index of the month", digits=(12, 4))
    penalty_amount = fields.Monetary(string="Late penalties")
    works_to_date = fields.Monetary(string="Works to date", readonly=True)
    works_previous = fields.Monetary(string="Works previously", readonly=True)
    works_month = fields.Monetary(string="Works this month", readonly=True)
    revision_to_date = fields.Monetary(readonly=True)
    revision_month = fields.Monetary(string="Price revision", readonly=True)
    advance_to_date = fields.Monetary(string="Advance repaid to date", readonly=True)
    advance_month = fields.Monetary(string="Advance repayment", readonly=True)
    untaxed_month = fields.Monetary(string="Untaxed this month", readonly=True)
    vat_month = fields.Monetary(string="VAT", readonly=True)
    total_month = fields.Monetary(string="Total incl. VAT", readonly=True)
    retention_to_date = fields.Monetary(readonly=True)
    retention_month = fields.Monetary(string="Retention", readonly=True)
    net_to_pay = fields.Monetary(readonly=True)
    executed_percent = fields.Float(string="Executed (%)", readonly=True)
    progress_warnings = fields.Text(readonly=True)
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True, copy=False)
    chorus_status = fields.Char(related="move_id.chorus_status")
    chorus_status_label = fields.Char(related="move_id.chorus_status_label")
    chorus_status_ids = fields.One2many(
        related="move_id.chorus_status_ids", string="Chorus Pro history"
    )
    cadre = fields.Char(string="Chorus cadre", compute="_compute_cadre")
    contract_revision = fields.Boolean(related="contract_id.revision", string="With revision")
    validator_received_at = fields.Datetime(
        string="Received by the validator",
        compute="_compute_validator_received_at",
        store=True,
        help="Chorus Pro's time stamp of the last deposit reaching the validator (status "
        "history): the validator's and the payment deadlines run from it.",
    )
    validator_deadline = fields.Datetime(compute="_compute_deadlines", store=True)
    payment_deadline = fields.Date(
        compute="_compute_deadlines",
        store=True,
        help="The buyer's payment deadline runs from the validator's reception time-stamped "
        "by Chorus Pro (30 days unless the buyer's legal delay is known).",
    )
    validator_late_notified = fields.Boolean(copy=False)
    refusal_reason = fields.Text(readonly=True, copy=False)

    _sql_constraints = [
        ("number_unique", "UNIQUE(contract_id, number)", "A statement number is used once."),
    ]

    @api.model
    def _works_next_number(self):
        contract_id = self.env.context.get("default_contract_id")
        return self._works_number_after(contract_id) if contract_id else 1

    def _works_number_after(self, contract_id):
        last = self.search([("contract_id", "=", contract_id)], order="number desc", limit=1)
        return (last.number or 0) + 1

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("contract_id") and not vals.get("number"):
                vals["number"] = self._works_number_after(vals["contract_id"])
        statements = super().create(vals_list)
        for statement in statements:
            statement._works_fill_lines()
        return statements

    @api.depends("number", "kind", "contract_id.name")
    def _compute_name(self):
        for statement in self:
            if statement.kind == "final":
                statement.name = _("Final statement – %s", statement.contract_id.name)
            else:
                statement.name = _(
                    "Statement no. %(number)s – %(contract)s",
                    number=statement.number,
                    contract=statement.contract_id.name,
                )

    @api.depends("kind", "contract_id.role")
    def _compute_cadre(self):
        for statement in self:
            if statement.contract_id.role == "subcontractor":
                statement.cadre = works_client.A9_SUBCONTRACTOR
            elif statement.kind == "final":
                statement.cadre = works_client.A7_FINAL
            else:
                statement.cadre = works_client.A4_MONTHLY

    @api.depends("move_id.chorus_status_ids.code", "move_id.chorus_status_ids.date")
    def _compute_validator_received_at(self):
        for statement in self:
            waiting = statement.move_id.chorus_status_ids.filtered(
                lambda line: line.code in ws.WAITING_MOE or line.code in ws.WAITING_CONTRACTOR
            )
            statement.validator_received_at = max(waiting.mapped("date"), default=False)

    @api.depends("validator_received_at", "contract_id.role")
    def _compute_deadlines(self):
        for statement in self:
            days = (
                ws.CONTRACTOR_DAYS if statement.contract_id.role == "subcontractor" else ws.MOE_DAYS
            )
            statement.validator_deadline = statement.validator_received_at and (
                statement.validator_received_at + timedelta(days=days)
            )

    # ------------------------------------------------------------- figures
    def _works_previous(self):
        """The statement just before this one (any state but draft), or an empty recordset."""
        self.ensure_one()
        return self.search(
            [
                ("contract_id", "=", self.contract_id.id),
                ("number", "<", self.number),
                ("state", "!=", "draft"),
            ],
            order="number desc",
            limit=1,
        )

    def _works_fill_lines(self):
        """One progress line per schedule line, starting from the previous cumulative progress."""
        self.ensure_one()
        previous = {line.contract_line_id: line for line in self._works_previous().line_ids}
        commands = []
        for schedule_line in self.contract_id.line_ids:
            before = previous.get(schedule_line)
            commands.append(
                Command.create(
                    {
                        "contract_line_id": schedule_line.id,
                        "cumulative_quantity": before.cumulative_quantity if before else 0.0,
                        "cumulative_percent": before.cumulative_percent if before else 0.0,
                    }
                )
            )
        self.line_ids = commands

    def _works_figures(self):
        """lib/statement.py on this statement's progress and the previous statement."""
        self.ensure_one()
        previous = self._works_previous()
        cumul = (
            st.Cumul(
                st.money(previous.works_to_date),
                st.money(previous.revision_to_date),
                st.money(previous.advance_to_date),
                st.money(previous.retention_to_date),
            )
            if previous
            else st.Cumul()
        )
        return st.compute_statement(
            self.contract_id._works_terms(),
            [line._works_progress() for line in self.line_ids],
            cumul,
            month_index=st.dec(self.month_index) if self.month_index else None,
            final=self.kind == "final",
            penalty=st.money(self.penalty_amount),
        )

    def action_compute(self):
        """Button "Compute": store the figures of the draft statements."""
        for statement in self:
            statement._works_store_figures()
        return True

    def _works_store_figures(self):
        self.ensure_one()
        if self.state != "draft":
            raise UserError(_("Only a draft statement can be recomputed."))
        figures = self._works_figures()
        values = {name: float(getattr(figures, name)) for name in FIGURES}
        values["executed_percent"] = float(figures.executed_ratio * 100)
        values["progress_warnings"] = self._works_warning_text(figures.problems)
        self.write(values)
        before = {
            line.contract_line_id.id: line.amount_to_date
            for line in self._works_previous().line_ids
        }
        for line in self.line_ids:
            to_date = float(figures.line_amounts[line.code])
            previous = before.get(line.contract_line_id.id, 0.0)
            line.write(
                {
                    "amount_to_date": to_date,
                    "amount_previous": previous,
                    "amount_month": to_date - previous,
                }
            )

    def _works_warning_text(self, problems):
        texts = {
            "above_schedule": _("line %s: quantity above the schedule (overrun to justify)"),
            "percent_out_of_range": _("line %s: percent outside 0–100"),
            "negative_quantity": _("line %s: negative quantity"),
        }
        return "\n".join(texts[kind] % code for code, kind in problems) or False

    # ------------------------------------------------------------- invoice
    def _works_move_lines(self):
        """Invoice lines: works of the month, revision, advance repayment (same VAT)."""
        self.ensure_one()
        contract = self.contract_id
        taxes = [Command.set(contract.tax_id.ids)]
        label = _(
            "Works executed this month (to date %(to_date)s, previously %(previous)s)",
            to_date=contract.currency_id.format(self.works_to_date),
            previous=contract.currency_id.format(self.works_previous),
        )
        lines = [(label, self.works_month)]
        if self.revision_month:
            lines.append(
                (
                    _(
                        "Price revision (%(index)s, coefficient %(coefficient)s)",
                        index=contract.revision_index or "",
                        coefficient=st.revision_coefficient(
                            st.dec(contract.revision_fixed_part),
                            st.dec(contract.revision_base_index),
                            st.dec(self.month_index),
                        ),
                    ),
                    self.revision_month,
                )
            )
        if self.advance_month:
            lines.append((_("Repayment of the advance"), -self.advance_month))
        return [
            Command.create({"name": name, "quantity": 1.0, "price_unit": amount, "tax_ids": taxes})
            for name, amount in lines
        ]

    def action_create_invoice(self):
        """Compute, then create (or rewrite after a refusal) and post the invoice."""
        self._works_check_accountant()
        for statement in self:
            statement._works_store_figures()
            statement._works_make_invoice()
        return True

    def _works_make_invoice(self):
        for statement in self:
            contract = statement.contract_id
            if contract.currency_id.is_zero(statement.untaxed_month):
                raise UserError(_("Nothing to invoice: the progress did not change."))
            values = {
                "move_type": "out_invoice",
                "partner_id": contract.partner_id.id,
                "company_id": contract.company_id.id,
                "invoice_date": statement.date,
                "ref": statement.name,
                "contract_reference": contract.market_number,
                "purchase_order_reference": contract.legal_commitment,
                "chorus_service_id": contract.chorus_service_id.id,
                "works_statement_id": statement.id,
                "narration": statement._works_narration(),
            }
            move = statement.move_id
            if move:
                values["invoice_line_ids"] = [Command.clear()] + statement._works_move_lines()
                move.write(values)
            else:
                values["invoice_line_ids"] = statement._works_move_lines()
                move = self.env["account.move"].create(values)
            move.action_post()
            statement.write({"move_id": move.id, "state": "invoiced"})

    def _works_narration(self):
        self.ensure_one()
        if not self.retention_month and not self.penalty_amount:
            return False
        fmt = self.contract_id.currency_id.format
        parts = []
        if self.retention_month:
            parts.append(
                _(
                    "Retention withheld: %(amount)s (to date %(to_date)s).",
                    amount=fmt(self.retention_month),
                    to_date=fmt(self.retention_to_date),
                )
            )
        if self.penalty_amount:
            parts.append(_("Late penalties: %s.", fmt(self.penalty_amount)))
        parts.append(_("Net to pay: %s.", fmt(self.net_to_pay)))
        return plaintext2html(" ".join(parts))

    def action_preview(self):
        self.ensure_one()
        if not self.move_id:
            raise UserError(_("Create the invoice first."))
        # HTML in the browser: a preview needs no PDF rendering (the PDF is built at sending)
        action = self.env.ref("account.account_invoices").report_action(self.move_id)
        action["report_type"] = "qweb-html"
        return action

    # ---------------------------------------------------------------- send
    def _works_check_accountant(self):
        chorus_check_group(
            self.env, ACCOUNTANTS, _("Only accountants can invoice and send works statements.")
        )

    def _works_document(self, piece_id, filename, supplier_id):
        """Plain values of the deposit (lib/works_client.submission_payload)."""
        self.ensure_one()
        move, contract = self.move_id, self.contract_id
        tax = contract.tax_id
        exempt = tax.chorus_vat_category in ("AE", "E") or not tax.amount
        return {
            "number": move.name,
            "date": fields.Date.to_string(move.invoice_date),
            "cadre": self.cadre,
            "buyer_siret": contract.partner_id.siret,
            "service_code": contract.chorus_service_id.code or None,
            "supplier_id": supplier_id,
            "validator_siret": contract.validator_partner_id.siret,
            "validator_service": contract.validator_service_code or None,
            "contract_number": contract.market_number,
            "ej": contract.legal_commitment,
            "vat_type": works_client.VAT_EXEMPT
            if exempt
            else works_client.VAT_ON_RECEIPTS
            if tax.tax_exigibility == "on_payment"
            else works_client.VAT_ON_DEBITS,
            "exemption_reason": (
                tax.chorus_exemption_reason or _("Autoliquidation – article 283-2 nonies du CGI")
            )
            if exempt
            else None,
            "lines": [
                {
                    "reference": f"SIT-{self.number}-{index}",
                    "name": line.name[:100],
                    "quantity": line.quantity,
                    "unit": "lot",
                    "unit_price": line.price_unit,
                    "vat_rate": tax.amount,
                }
                for index, line in enumerate(move.invoice_line_ids, start=1)
            ],
            "vat": [{"rate": tax.amount, "base": move.amount_untaxed, "amount": move.amount_tax}]
            if not exempt
            else [],
            "untaxed": move.amount_untaxed,
            "tax": move.amount_tax,
            "total": move.amount_total,
            "to_pay": move.amount_total - self.retention_month - self.penalty_amount,
            "piece_id": piece_id,
            "piece_name": filename,
            "comment": self.name[:255],
        }

    def action_send(self):
        """Deposit the statement in its works cadre, PDF first; never twice."""
        self._works_check_accountant()
        for statement in self:
            statement._works_send_one()
        return True

    def _works_send_one(self):
        self.ensure_one()
        move, contract = self.move_id, self.contract_id
        if self.state != "invoiced" or not move or move.state != "posted":
            raise UserError(_("Create the invoice of %s before sending it.", self.name))
        contract._works_check_chorus_ready()
        company = contract.company_id
        client = works_client.WorksChorusClient.from_client(company._chorus_client())
        if not company.chorus_structure_id:
            company._chorus_read_own_structure(client)
        pdf = move._chorus_build_file()
        filename = move._chorus_filename()
        previous_state, previous_flow = move.chorus_state, move.chorus_flow_id
        flow = self.env["chorus.flow"]._chorus_claim(move)
        if not flow:
            raise UserError(_("%s is already being sent to Chorus Pro.", move.name))
        self.env["duret.job"]._duret_commit_progress()
        try:
            # an upload that fails leaves at most an unused file in Chorus: nothing was deposited
            piece_id = client.add_attachment(pdf, filename, "application/pdf")
        except errors.RemoteError as exc:
            flow._chorus_abandon(move, previous_state, previous_flow)
            self.env["duret.job"]._duret_commit_progress()
            raise UserError(chorus_error_message(self.env, exc)) from exc
        payload = works_client.submission_payload(
            self._works_document(piece_id, filename, company.chorus_structure_id)
        )
        try:
            answer = client.submit_invoice(payload)
        except errors.RemoteError as exc:  # a Chorus refusal never "may have arrived"
            if exc.request_may_have_arrived:
                flow._chorus_uncertain(move, str(exc))
                self.env["duret.job"]._duret_commit_progress()
                return "uncertain"
            flow._chorus_abandon(move, previous_state, previous_flow)
            self.env["duret.job"]._duret_commit_progress()
            raise UserError(chorus_error_message(self.env, exc)) from exc
        chorus_id = int(answer["identifiantFactureCPP"])
        flow.attachment_id = self.env["ir.attachment"].create(
            {
                "name": f"Chorus_{chorus_id}_{filename}",
                "raw": pdf,
                "mimetype": "application/pdf",
                "res_model": "account.move",
                "res_id": move.id,
            }
        )
        flow._chorus_set_state(
            move,
            "integrated",
            chorus_invoice_id=chorus_id,
            chorus_flow_number=False,
            chorus_attachment_id=flow.attachment_id.id,
            chorus_status=False,
            chorus_status_date=False,
            chorus_status_comment=False,
            chorus_done=False,
        )
        self.write({"state": "sent", "refusal_reason": False, "validator_late_notified": False})
        message = _(
            "Deposited in Chorus Pro in cadre %(cadre)s (invoice %(id)s), validator %(validator)s.",
            cadre=self.cadre,
            id=answer["identifiantFactureCPP"],
            validator=contract.validator_partner_id.display_name,
        )
        self.message_post(body=message)
        move.message_post(body=message)
        move._chorus_apply_status(answer.get("statutFacture"), fields.Datetime.now())
        self.env["duret.job"]._duret_commit_progress()
        return "sent"

    def action_update_status(self):
        """Button "Update": duret_chorus's one status refresh, on these invoices."""
        moves = self.mapped("move_id").filtered(lambda m: m.chorus_state != "not_sent")
        if not moves:
            raise UserError(_("None of these statements was sent to Chorus Pro."))
        return moves.action_chorus_update()

    def action_correct(self):
        """After a refusal: back to draft to correct the progress, then a new deposit."""
        self._works_check_accountant()
        for statement in self:
            if statement.state != "refused":
                raise UserError(_("Only a refused statement is corrected and deposited again."))
            move = statement.move_id
            move.button_draft()
            # detached from the refused deposit, which keeps its status history
            move.chorus_flow_id._chorus_set_state(
                move,
                "not_sent",
                chorus_flow_id=False,
                chorus_invoice_id=0,
                chorus_status=False,
                chorus_status_date=False,
                chorus_status_comment=False,
                chorus_done=False,
            )
            statement.state = "draft"
            summary = statement._works_refusal_summary()
            statement.activity_ids.filtered(lambda a, s=summary: a.summary == s).action_done()
            statement.message_post(body=_("Statement reopened for correction after refusal."))
        return True

    # ------------------------------------------------------- Chorus statuses
    def _works_on_status(self, code, moment, comment):
        """React to a Chorus status of this statement's invoice (called for every change)."""
        self.ensure_one()
        stage = ws.works_stage(code)
        if stage == "waiting":
            self.state = "sent"
        elif stage == "refused":
            self.write({"state": "refused", "refusal_reason": comment or False})
            self._works_refusal_activity(code, comment)
        elif stage == "validated" and self.state in ("sent", "invoiced"):
            self.state = "validated"
        elif stage == "paid":
            self.state = "paid"

    def _works_refusal_summary(self):
        return _("Statement refused in Chorus Pro")

    def _works_refusal_activity(self, code, comment):
        statement = self.env["duret.job"]._duret_in_job_lang(
            self, self.company_id, self.contract_id._works_accountant().partner_id
        )
        note = _(
            "%(name)s was refused (%(code)s). Reason given: %(reason)s\n"
            'Correct the statement (button "Correct") and deposit it again.',
            name=statement.name,
            code=code,
            reason=comment or _("none"),
        )
        statement.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=statement._works_refusal_summary(),
            note=plaintext2html(note),
            user_id=statement.contract_id._works_accountant().id,
        )

    @api.model
    def _cron_works_validator_deadline(self):
        """An activity when the validator let its deadline pass (MOE 7 days, contractor 15)."""
        late = self.search(
            [
                ("state", "=", "sent"),
                ("validator_deadline", "<", fields.Datetime.now()),
                ("validator_late_notified", "=", False),
            ]
        )
        for statement in late:
            statement = self.env["duret.job"]._duret_in_job_lang(
                statement,
                statement.company_id,
                statement.contract_id._works_accountant().partner_id,
            )
            note = _(
                "%(validator)s received %(name)s on %(received)s and has not processed it by "
                "%(deadline)s. Remind them: the payment deadline already runs.",
                validator=statement.contract_id.validator_partner_id.display_name,
                name=statement.name,
                received=format_datetime(
                    statement.env, statement.validator_received_at, dt_format="short"
                ),
                deadline=format_datetime(
                    statement.env, statement.validator_deadline, dt_format="short"
                ),
            )
            statement.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=_("Validator late"),
                note=plaintext2html(note),
                user_id=statement.contract_id._works_accountant().id,
            )
            statement.validator_late_notified = True

    def _works_open(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

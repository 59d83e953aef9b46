"""The payment-delay ledger on customer invoices to public buyers.

Each posted invoice to a buyer with a category gets its legal clock (from the Chorus
status dates, ``chorus.invoice.status``), its interest and fee, a state, and the
expected payment day from the buyer's habit.  "Today" enters the figures of open
invoices: the daily job recomputes them and alerts the accountant when one passes its
deadline.
"""

from datetime import timedelta
from decimal import Decimal

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date, formatLang, plaintext2html

from ..lib import deadline, interest, stats

PARIS = pytz.timezone("Europe/Paris")
LEDGER_STATES = [
    ("on_time", "On time"),
    ("interrupted", "Deadline interrupted"),
    ("late", "Late"),
    ("paid_late", "Paid late"),
    ("claimed", "Interest claimed"),
    ("received", "Interest received"),
]
OPEN_STATES = ("on_time", "interrupted", "late")
LEDGER_FIELDS = (
    "late_payment_applies",
    "late_payment_deadline_days",
    "late_payment_deposit_date",
    "late_payment_start_date",
    "late_payment_due_date",
    "late_payment_interrupted_date",
    "late_payment_completed_date",
    "late_payment_paid_date",
    "late_payment_payment_delay",
    "late_payment_days_late",
    "late_payment_rate_day",
    "late_payment_ecb_rate",
    "late_payment_rate",
    "late_payment_rate_missing",
    "late_payment_amount_late",
    "late_payment_interest",
    "late_payment_fee",
    "late_payment_claimable",
    "late_payment_state",
)


def _paris_date(moment):
    """Calendar day in Paris of a naive UTC datetime (Chorus dates are stored in UTC)."""
    return pytz.utc.localize(moment).astimezone(PARIS).date() if moment else None


class AccountMove(models.Model):
    _inherit = "account.move"

    late_payment_applies = fields.Boolean(
        string="Public buyer's legal deadline",
        compute="_compute_late_payment",
        store=True,
        help="A posted customer invoice to a buyer whose public category is set.",
    )
    late_payment_deadline_days = fields.Integer(
        string="Legal deadline (days)", compute="_compute_late_payment", store=True
    )
    late_payment_deposit_date = fields.Date(
        string="Deposited on", compute="_compute_late_payment", store=True
    )
    late_payment_start_date = fields.Date(
        string="Deadline starts on",
        compute="_compute_late_payment",
        store=True,
        help="Day the buyer received the invoice (R2192-12): made available in Chorus Pro, "
        "or the project manager's reception for works statements; without a Chorus date, "
        "the invoice date plus two days.",
    )
    late_payment_due_date = fields.Date(
        string="Legal due date", compute="_compute_late_payment", store=True, index=True
    )
    late_payment_interrupted_date = fields.Date(
        string="Deadline interrupted on", compute="_compute_late_payment", store=True
    )
    late_payment_completed_date = fields.Date(
        string="Completed on", compute="_compute_late_payment", store=True
    )
    late_payment_paid_date = fields.Date(
        string="Paid on", compute="_compute_late_payment", store=True
    )
    late_payment_payment_delay = fields.Integer(
        string="Payment delay (days)",
        compute="_compute_late_payment",
        store=True,
        help="Days from the deposit to the payment.",
    )
    late_payment_days_late = fields.Integer(
        string="Days late", compute="_compute_late_payment", store=True
    )
    late_payment_rate_day = fields.Date(
        string="Rate of the half-year starting", compute="_compute_late_payment", store=True
    )
    late_payment_ecb_rate = fields.Float(
        string="ECB rate (%)", digits=(16, 3), compute="_compute_late_payment", store=True
    )
    late_payment_rate = fields.Float(
        string="Interest rate (%)", digits=(16, 3), compute="_compute_late_payment", store=True
    )
    late_payment_rate_missing = fields.Boolean(
        string="ECB rate missing", compute="_compute_late_payment", store=True
    )
    late_payment_amount_late = fields.Monetary(
        string="Amount paid late",
        currency_field="company_currency_id",
        compute="_compute_late_payment",
        store=True,
    )
    late_payment_interest = fields.Monetary(
        string="Late-payment interest",
        currency_field="company_currency_id",
        compute="_compute_late_payment",
        store=True,
    )
    late_payment_fee = fields.Monetary(
        string="Recovery fee",
        currency_field="company_currency_id",
        compute="_compute_late_payment",
        store=True,
    )
    late_payment_claimable = fields.Monetary(
        string="Claimable (interest and fee)",
        currency_field="company_currency_id",
        compute="_compute_late_payment",
        store=True,
    )
    late_payment_state = fields.Selection(
        LEDGER_STATES,
        string="Payment delay",
        compute="_compute_late_payment",
        store=True,
        index=True,
    )
    late_payment_expected_date = fields.Date(
        string="Expected payment",
        compute="_compute_late_payment_expected_date",
        store=True,
        help="Paid invoices: the payment day. Open ones: the start of the deadline plus the "
        "buyer's median payment delay (3 paid invoices at least), else the legal due date.",
    )
    late_payment_claim_line_ids = fields.One2many(
        "late.payment.claim.line", "move_id", string="Interest claims"
    )
    late_payment_alert_date = fields.Date(string="Late alert sent on", copy=False, readonly=True)

    # ------------------------------------------------------------------ compute
    @api.depends(
        "state",
        "move_type",
        "invoice_date",
        "amount_total",
        "amount_residual",
        "payment_state",
        "chorus_sent_date",
        "chorus_status",
        "chorus_status_ids.code",
        "chorus_status_ids.date",
        "commercial_partner_id.late_payment_buyer_category",
        "late_payment_claim_line_ids.claim_id.state",
    )
    def _compute_late_payment(self):
        today = fields.Date.context_today(self)
        rate_on = self.env["late.payment.rate"]._late_payment_rate_lookup()
        moves = self.filtered(
            lambda m: (
                m.state == "posted"
                and m.move_type == "out_invoice"
                and m.commercial_partner_id.late_payment_buyer_category
            )
        )
        for move in self - moves:
            move.update(dict.fromkeys(LEDGER_FIELDS, False))
        for move in moves:
            move.update(move._late_payment_values(today, rate_on))

    @api.depends(
        "late_payment_applies",
        "late_payment_deposit_date",
        "late_payment_start_date",
        "late_payment_due_date",
        "late_payment_paid_date",
    )
    def _compute_late_payment_expected_date(self):
        """Apart from the ledger: it reads the other paid invoices of the buyer."""
        moves = self.filtered("late_payment_applies")
        habits = moves.commercial_partner_id._late_payment_delay_stats() if moves else {}
        for move in self:
            if not move.late_payment_applies:
                move.late_payment_expected_date = False
                continue
            move.late_payment_expected_date = move.late_payment_paid_date or (
                stats.expected_payment(
                    move.late_payment_deposit_date or move.late_payment_start_date,
                    move.late_payment_due_date,
                    habits.get(move.commercial_partner_id),
                )
            )

    def _late_payment_events(self):
        """``(code, Paris date)`` of every Chorus status of this invoice, oldest first."""
        lines = self.chorus_status_ids.sorted(lambda line: (line.date, line.id))
        return [(line.code, _paris_date(line.date)) for line in lines if line.date]

    def _late_payment_reception_date(self, events):
        """Hook: the day the buyer (or its project manager) received the payment request,
        when another addon knows it better than the Chorus history (e.g. a works
        statement's reception by the project manager recorded outside Chorus Pro).
        None: read from the Chorus dates (R2192-12, see ``lib/deadline.py``)."""
        return None

    def _late_payment_payments(self, clock):
        """(payments, open amount) of the principal.

        Payments are the reconciled payments with their accounting dates; a credit note
        lowers the principal instead.  The Chorus ``MISE_EN_PAIEMENT`` date (the legal
        end of the delay, R2192-32) replaces the bank date of a single payment, and
        stands for the whole payment while no bank line is reconciled yet.
        """
        receivable = self.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        payments, credited = [], Decimal("0")
        for partial in receivable.matched_credit_ids:
            counterpart = partial.credit_move_id
            if counterpart.move_id.move_type == "out_refund":
                credited += Decimal(str(partial.amount))
                continue
            payments.append(interest.Payment(counterpart.date, Decimal(str(partial.amount))))
        principal = Decimal(str(self.amount_total_signed)) - credited
        open_amount = Decimal(str(self.amount_residual_signed))
        if clock.paid_on:
            if not payments:
                return [interest.Payment(clock.paid_on, principal)], Decimal("0")
            if len(payments) == 1 and not open_amount:
                return [interest.Payment(clock.paid_on, payments[0].amount)], open_amount
        return payments, open_amount

    def _late_payment_values(self, today, rate_on):
        self.ensure_one()
        buyer = self.commercial_partner_id
        days = deadline.CATEGORY_DAYS[buyer.late_payment_buyer_category]
        events = deadline.current_request(self._late_payment_events())
        clock = deadline.legal_clock(
            days, events, self.invoice_date, self._late_payment_reception_date(events)
        )
        deposit = next((day for code, day in events if code == deadline.DEPOSITED), None)
        deposit = deposit or _paris_date(self.chorus_sent_date)
        payments, open_amount = self._late_payment_payments(clock)
        result = interest.compute(clock.due, payments, open_amount, rate_on, today)
        paid_date = max((p.day for p in payments), default=None) if not open_amount else None
        origin = deposit or clock.start
        values = {
            "late_payment_applies": True,
            "late_payment_deadline_days": days,
            "late_payment_deposit_date": deposit,
            "late_payment_start_date": clock.start,
            "late_payment_due_date": clock.due,
            "late_payment_interrupted_date": clock.interrupted_on,
            "late_payment_completed_date": clock.completed_on,
            "late_payment_paid_date": paid_date,
            "late_payment_payment_delay": (paid_date - origin).days if paid_date and origin else 0,
            "late_payment_days_late": result.days_late,
            "late_payment_rate_day": result.rate_day,
            "late_payment_ecb_rate": float(result.ecb_rate or 0),
            "late_payment_rate": float(result.rate or 0),
            "late_payment_rate_missing": result.rate_missing,
            "late_payment_amount_late": float(sum((p.amount for p in result.parts), Decimal(0))),
            "late_payment_interest": float(result.interest or 0),
            "late_payment_fee": float(result.fee),
            "late_payment_claimable": float(result.claimable or 0),
            "late_payment_state": self._late_payment_state(clock, result, paid_date, today),
        }
        return values

    def _late_payment_state(self, clock, result, paid_date, today):
        claim_states = set(self.late_payment_claim_line_ids.claim_id.mapped("state"))
        if "received" in claim_states:
            return "received"
        if "sent" in claim_states:
            return "claimed"
        if paid_date:
            return "paid_late" if result.days_late > 0 else "on_time"
        if clock.interrupted:
            return "interrupted"
        return "late" if clock.due and today > clock.due else "on_time"

    @api.model
    def _late_payment_recompute_open(self):
        """Refresh the invoices whose figures move with the calendar or the rates."""
        moves = self.search(
            [
                ("late_payment_applies", "=", True),
                "|",
                ("late_payment_state", "in", OPEN_STATES),
                ("late_payment_rate_missing", "=", True),
            ]
        )
        names = (*LEDGER_FIELDS, "late_payment_expected_date")
        for name in names:
            self.env.add_to_compute(self._fields[name], moves)
        moves.flush_recordset(list(names))
        return moves

    # ------------------------------------------------------------------ payment term
    def _compute_invoice_payment_term_id(self):
        """A public buyer without a payment term of its own: its legal deadline.  A buyer
        known in Chorus Pro whose category is not set yet gets the general rule, 30 days
        (R2192-10); the ledger itself waits for the category."""
        super()._compute_invoice_payment_term_id()
        for move in self:
            buyer = move.commercial_partner_id
            if move.invoice_payment_term_id or not move.is_sale_document(include_receipts=True):
                continue
            if buyer.late_payment_buyer_category:
                days = deadline.CATEGORY_DAYS[buyer.late_payment_buyer_category]
            elif buyer.chorus_structure_id:
                days = deadline.CATEGORY_DAYS["other_public"]
            else:
                continue
            move.invoice_payment_term_id = self.env.ref(
                f"duret_late_payment.account_payment_term_legal_{days}", raise_if_not_found=False
            )

    # ------------------------------------------------------------------ claims
    def action_late_payment_claim(self):
        """Button "Claim the interest": one draft claim per buyer and company."""
        claimable = self.filtered(
            lambda m: (
                m.late_payment_state == "paid_late"
                and m.late_payment_claimable > 0
                and not m.late_payment_rate_missing
                and not m.late_payment_claim_line_ids.filtered(
                    lambda line: line.claim_id.state != "cancelled"
                )
            )
        )
        if not claimable:
            raise UserError(
                _(
                    "None of the selected invoices has interest to claim: an invoice must be "
                    "paid late, with a known ECB rate, and not already in a claim."
                )
            )
        claims = self.env["late.payment.claim"]
        for (company, buyer), moves in claimable.grouped(
            lambda m: (m.company_id, m.commercial_partner_id)
        ).items():
            claims |= claims.create(
                {
                    "company_id": company.id,
                    "partner_id": buyer.id,
                    "line_ids": [(0, 0, {"move_id": move.id}) for move in moves],
                }
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "duret_late_payment.late_payment_claim_action"
        )
        if len(claims) == 1:
            action.update({"view_mode": "form", "views": [(False, "form")], "res_id": claims.id})
        else:
            action["domain"] = [("id", "in", claims.ids)]
        return action

    # ------------------------------------------------------------------ alerts
    def _late_payment_alert_text(self):
        self.ensure_one()
        lang = self.env.lang
        return _(
            "%(invoice)s to %(buyer)s was due on %(due)s (legal deadline of %(days)s days) and "
            "is not paid: %(late)s day(s) late. Interest runs at %(rate)s %% a year on "
            "%(amount)s, plus a flat fee of 40 EUR (Code de la commande publique, R2192-31 and "
            "D2192-35).",
            invoice=self.name,
            buyer=self.commercial_partner_id.display_name,
            due=format_date(self.env, self.late_payment_due_date, lang_code=lang),
            days=self.late_payment_deadline_days,
            late=self.late_payment_days_late,
            rate=formatLang(self.env, self.late_payment_rate, digits=2)
            if not self.late_payment_rate_missing
            else "?",
            amount=formatLang(
                self.env, self.late_payment_amount_late, currency_obj=self.company_currency_id
            ),
        )

    @api.model
    def _cron_late_payment_daily(self):
        """Daily: refresh open invoices, one activity per invoice newly past its deadline."""
        self._late_payment_recompute_open()
        today = fields.Date.context_today(self)
        late = self.search(
            [("late_payment_state", "=", "late"), ("late_payment_alert_date", "=", False)]
        )
        for move in late:
            user = move._chorus_accountant()
            move.with_context(
                lang=move.company_id.partner_id.lang or user.lang
            )._late_payment_alert(user)
            move.late_payment_alert_date = today
        return late

    def _late_payment_summary_owed(self):
        """What an open late invoice owes so far: the running interest and the flat fee
        (``late_payment_claimable`` counts only the parts already paid)."""
        self.ensure_one()
        return self.late_payment_interest + self.late_payment_fee

    def _late_payment_alert(self, user):
        """The accountant's activity, in the language of the context."""
        self.ensure_one()
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=_("Legal payment deadline passed"),
            note=plaintext2html(self._late_payment_alert_text()),
            user_id=user.id,
        )

    @api.model
    def _late_payment_digest_values(self, company, since):
        """What the accountants' digest of ``company`` shows, read once."""
        domain = [("company_id", "=", company.id), ("late_payment_applies", "=", True)]
        newly_late = self.search(
            domain + [("late_payment_state", "=", "late"), ("late_payment_alert_date", ">", since)],
            order="late_payment_due_date",
        )
        claimable = self.search(
            domain + [("late_payment_state", "=", "paid_late"), ("late_payment_claimable", ">", 0)],
            order="commercial_partner_id, late_payment_paid_date",
        )
        missing = self.search_count(domain + [("late_payment_rate_missing", "=", True)])
        params = self.env["ir.config_parameter"].sudo()
        return {
            "ecb_error": params.get_param("duret_late_payment.ecb_last_error"),
            "rates_known_until": self.env["late.payment.rate"]._late_payment_known_until(),
            "company": company,
            "newly_late": newly_late,
            "claimable": claimable,
            "claimable_total": sum(claimable.mapped("late_payment_claimable")),
            "rate_missing_count": missing,
            "since": since,
        }

    @api.model
    def _cron_late_payment_digest(self):
        """Weekly: each company's accounting managers get newly late invoices and what can be
        claimed; nothing is sent when there is nothing to say.  The last digest day is kept
        per company, so a rerun after a crash sends nothing twice."""
        params = self.env["ir.config_parameter"].sudo()
        today = fields.Date.context_today(self)
        sent = self.env["mail.mail"]
        for company in self.env["res.company"].search([]):
            key = f"duret_late_payment.digest_last.{company.id}"
            since = fields.Date.to_date(params.get_param(key)) or today - timedelta(days=7)
            if since >= today:
                continue
            recipients = self.env.ref("account.group_account_manager").users.filtered(
                lambda u, c=company: c in u.company_ids and u.email and not u.share
            )
            lang = company.partner_id.lang or (recipients[:1].lang if recipients else None)
            moves = self.with_company(company).with_context(lang=lang)
            values = moves._late_payment_digest_values(company, since)
            worth_sending = values["newly_late"] or values["claimable"] or values["ecb_error"]
            if recipients and worth_sending:
                sent |= moves._late_payment_digest_mail(values, recipients)
            params.set_param(key, fields.Date.to_string(today))
        sent.send()
        return sent

    @api.model
    def _late_payment_digest_mail(self, values, recipients):
        """The digest email, in the language of the context."""
        company = values["company"]
        body = self.env["ir.qweb"]._render("duret_late_payment.late_payment_digest", values)
        subject = _(
            "Payment delays: %(late)s newly late invoice(s), %(amount)s to claim",
            late=len(values["newly_late"]),
            amount=formatLang(
                self.env, values["claimable_total"], currency_obj=company.currency_id
            ),
        )
        return (
            self.env["mail.mail"]
            .sudo()
            .create(
                {
                    "subject": subject,
                    "body_html": body,
                    "email_from": company.email_formatted or company.partner_id.email_formatted,
                    "recipient_ids": [(6, 0, recipients.partner_id.ids)],
                    "auto_delete": False,
                }
            )
        )

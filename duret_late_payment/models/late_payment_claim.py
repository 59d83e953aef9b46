"""A claim of late-payment interest and fees sent to one public buyer, and what came back."""

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class LatePaymentClaim(models.Model):
    _name = "late.payment.claim"
    _description = "Late-payment interest claim"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner", string="Public buyer", required=True, readonly=True, tracking=True
    )
    date = fields.Date(
        string="Claim date", default=fields.Date.context_today, required=True, tracking=True
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("sent", "Sent"),
            ("received", "Received"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
    )
    line_ids = fields.One2many("late.payment.claim.line", "claim_id", string="Invoices")
    amount_interest = fields.Monetary(string="Interest", compute="_compute_amounts", store=True)
    amount_fee = fields.Monetary(string="Recovery fees", compute="_compute_amounts", store=True)
    amount_total = fields.Monetary(string="Total claimed", compute="_compute_amounts", store=True)
    received_date = fields.Date(string="Received on", readonly=True, tracking=True)
    received_amount = fields.Monetary(string="Amount received", readonly=True, tracking=True)

    @api.depends("line_ids.interest", "line_ids.fee")
    def _compute_amounts(self):
        for claim in self:
            claim.amount_interest = sum(claim.line_ids.mapped("interest"))
            claim.amount_fee = sum(claim.line_ids.mapped("fee"))
            claim.amount_total = claim.amount_interest + claim.amount_fee

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = (
                    self.env["ir.sequence"].with_company(company).next_by_code("late.payment.claim")
                    or "/"
                )
        return super().create(vals_list)

    def _late_payment_check_draft(self):
        for claim in self:
            if claim.state != "draft":
                raise UserError(_("The claim %s was already sent.", claim.name))

    def action_send(self):
        """Mark the claim sent (figures frozen) and print its letter."""
        self._late_payment_check_draft()
        for claim in self:
            if not claim.line_ids:
                raise UserError(_("The claim %s lists no invoice.", claim.name))
            claim.line_ids._snapshot()
            claim.write({"state": "sent", "date": fields.Date.context_today(self)})
            claim._late_payment_attach_letter()
        return self.action_print()

    def _late_payment_attach_letter(self):
        """Keep the letter as sent on the claim (its chatter shows it)."""
        self.ensure_one()
        report = self.env.ref("duret_late_payment.action_report_late_payment_claim")
        content, _type = (
            self.env["ir.actions.report"].sudo()._render_qweb_pdf(report.report_name, self.ids)
        )
        name = "%s.pdf" % self.name.replace("/", "_")
        attachment = self.env["ir.attachment"].create(
            {
                "name": name,
                "raw": content,
                "mimetype": "application/pdf",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        self.message_post(body=_("Claim sent: %s", self.name), attachment_ids=attachment.ids)
        return attachment

    def action_print(self):
        return self.env.ref("duret_late_payment.action_report_late_payment_claim").report_action(
            self
        )

    def action_receive(self):
        """Button "Payment received": a wizard asks the amount and the day."""
        for claim in self:
            if claim.state != "sent":
                raise UserError(_("Only a sent claim can be marked as received."))
        return {
            "type": "ir.actions.act_window",
            "name": _("Interest received"),
            "res_model": "late.payment.receive.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_ids": self.ids},
        }

    def _late_payment_receive(self, amount, day):
        self.write({"state": "received", "received_amount": amount, "received_date": day})
        for claim in self:
            if claim.currency_id.compare_amounts(amount, claim.amount_total) < 0:
                claim.message_post(
                    body=_(
                        "Only %(received)s received out of %(claimed)s claimed.",
                        received=amount,
                        claimed=claim.amount_total,
                    )
                )

    def action_cancel(self):
        self.filtered(lambda c: c.state in ("draft", "sent")).write({"state": "cancelled"})

    def action_draft(self):
        self.filtered(lambda c: c.state == "cancelled").write({"state": "draft"})

    def _legal_references(self):
        """The articles the letter cites, in order."""
        return [
            _(
                "Code de la commande publique, article L2192-13: interest and fee are due "
                "automatically, without any formality, when the payment deadline is exceeded."
            ),
            _(
                "Articles R2192-10 and R2192-11: payment deadline of 30 days (50 days for public "
                "health establishments, 60 days for public companies)."
            ),
            _(
                "Article R2192-12: the deadline runs from the reception of the payment request; "
                "for an invoice sent through Chorus Pro, from the notification of its availability."
            ),
            _(
                "Article R2192-31: rate of the ECB's main refinancing operations in force on the "
                "first day of the half-year in which interest started to run, plus 8 points."
            ),
            _("Article D2192-35: flat recovery fee of 40 euros."),
            _(
                "Article R2192-36: interest and fee are paid within 45 days of the payment of the "
                "principal."
            ),
        ]

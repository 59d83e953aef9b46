"""Chorus Pro on customer invoices: checks, Factur-X deposit, status tracking."""

import logging

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import RedirectWarning, UserError
from odoo.tools import plaintext2html

from ..lib import errors, facturx, statuses, wire
from .chorus_flow import SENDABLE_STATES
from .chorus_messages import chorus_error_message, facturx_error_message, siret_message
from .chorus_status_labels import status_label
from .chorus_tools import ACCOUNTANTS, chorus_check_group

_logger = logging.getLogger(__name__)

CHORUS_STATES = [
    ("not_sent", "Not sent"),
    ("sending", "Sending"),
    ("uncertain", "Sending uncertain"),
    ("sent", "Sent (flow deposited)"),
    ("integrated", "Integrated"),
    ("flow_rejected", "Flow rejected"),
]
MAX_INVOICE_NUMBER = 20
MAX_EJ = facturx.LEGAL_COMMITMENT_MAX_CHARS
ODOO_CII_CHECKS_COVERED = {
    "seller_phone",
    "seller_email",
    "seller_payment_instructions_1",
    "seller_payment_instructions_2",
}


class AccountMove(models.Model):
    _inherit = "account.move"

    chorus_state = fields.Selection(
        CHORUS_STATES,
        string="Chorus state",
        default="not_sent",
        required=True,
        copy=False,
        tracking=True,
        index=True,
    )
    chorus_status = fields.Char(
        string="Chorus status code", copy=False, index=True, help="Raw Chorus Pro invoice status."
    )
    chorus_status_label = fields.Char(
        string="Chorus status", compute="_compute_chorus_status_label"
    )
    chorus_done = fields.Boolean(
        string="Chorus tracking finished",
        copy=False,
        help="A terminal status was reached: the invoice is no longer polled.",
    )
    chorus_invoice_id = fields.Integer(string="Chorus invoice id", copy=False, index=True)
    chorus_flow_number = fields.Char(
        string="Chorus flow number", related="chorus_flow_id.name", readonly=True
    )
    chorus_status_date = fields.Datetime(string="Chorus status date", copy=False)
    chorus_status_comment = fields.Text(
        string="Buyer's comment",
        copy=False,
        help="What the buyer wrote with the current Chorus status (reason of a rejection or "
        "suspension).",
    )
    chorus_status_ids = fields.One2many(
        "chorus.invoice.status", "move_id", string="Chorus status history", copy=False
    )
    chorus_rejection_handled = fields.Boolean(
        string="Rejection handled",
        copy=False,
        help="Chorus Pro was told (traiterRejet) that the buyer's rejection was handled.",
    )
    chorus_flow_id = fields.Many2one(
        "chorus.flow", string="Chorus deposit", copy=False, index=True, readonly=True
    )
    chorus_sent_date = fields.Datetime(
        string="Sent to Chorus on", related="chorus_flow_id.date_sent", readonly=True
    )
    chorus_sent_by = fields.Many2one(
        string="Sent to Chorus by", related="chorus_flow_id.user_id", readonly=True
    )
    chorus_flow_errors = fields.Text(
        string="Chorus errors", related="chorus_flow_id.errors", readonly=True
    )
    chorus_attachment_id = fields.Many2one(
        string="File sent to Chorus", related="chorus_flow_id.attachment_id", readonly=True
    )
    chorus_send_pending = fields.Boolean(copy=False, help="Queued for an automatic send.")
    chorus_is_buyer = fields.Boolean(
        string="Chorus buyer", compute="_compute_chorus_is_buyer", search="_search_chorus_is_buyer"
    )
    chorus_service_id = fields.Many2one(
        "chorus.service",
        string="Chorus service",
        copy=False,
        domain="[('partner_id', '=', commercial_partner_id)]",
        help="Service exécutant of the buyer; its code fills the buyer reference.",
    )
    chorus_stage = fields.Selection(
        [
            ("to_send", "To send"),
            ("in_progress", "In progress"),
            ("action", "Action needed"),
            ("paid", "Payment issued"),
            ("closed", "Closed"),
        ],
        string="Chorus Pro stage",
        compute="_compute_chorus_stage",
        store=True,
        help="Where the invoice stands for the accountant: the Chorus Pro overview's columns.",
    )
    buyer_reference = fields.Char(
        compute="_compute_buyer_reference", store=True, readonly=False, precompute=True
    )

    @api.depends("chorus_status")
    @api.depends_context("lang")
    def _compute_chorus_status_label(self):
        for move in self:
            move.chorus_status_label = status_label(move.chorus_status, self.env.lang)

    @api.depends(
        "state",
        "move_type",
        "commercial_partner_id.chorus_structure_id",
        "chorus_state",
        "chorus_status",
        "chorus_rejection_handled",
    )
    def _compute_chorus_stage(self):
        for move in self:
            move.chorus_stage = move._chorus_stage()

    def _chorus_stage(self):
        """To send, in progress, action needed (the accountant must act), paid, closed."""
        if (
            self.state != "posted"
            or self.move_type not in ("out_invoice", "out_refund")
            or not self.commercial_partner_id.chorus_structure_id
        ):
            return False
        if self.chorus_state == "not_sent":
            return "to_send"
        if self.chorus_state in ("uncertain", "flow_rejected"):
            return "action"
        if self.chorus_status in statuses.ACTION_NEEDED:
            return "action"
        if self.chorus_status == "REJETEE":
            return "closed" if self.chorus_rejection_handled else "action"
        if self.chorus_status in statuses.TERMINAL_OK:
            return "paid"
        if self.chorus_status in statuses.TERMINAL_KO:
            return "closed"
        return "in_progress"

    @api.depends("commercial_partner_id.chorus_structure_id")
    def _compute_chorus_is_buyer(self):
        for move in self:
            move.chorus_is_buyer = bool(move.commercial_partner_id.chorus_structure_id)

    def _search_chorus_is_buyer(self, operator, value):
        positive = (operator == "=") == bool(value)
        return [("commercial_partner_id.chorus_structure_id", ">" if positive else "=", 0)]

    @api.depends("chorus_service_id")
    def _compute_buyer_reference(self):
        for move in self:
            if move.chorus_service_id:
                move.buyer_reference = move.chorus_service_id.code
            elif not move.buyer_reference:
                move.buyer_reference = False

    # ------------------------------------------------------------------ checks
    def _chorus_sendable(self):
        self.ensure_one()
        return self.chorus_state in SENDABLE_STATES or (
            self.chorus_state == "integrated" and self.chorus_status == "REJETEE"
        )

    def _chorus_problems(self):
        """Every reason why this invoice cannot be sent, as translated sentences."""
        self.ensure_one()
        problems = []
        buyer = self.commercial_partner_id
        company = self.company_id
        if self.move_type not in ("out_invoice", "out_refund"):
            problems.append(_("it is not a customer invoice or credit note"))
        if self.state != "posted":
            problems.append(_("it is not posted"))
        if not self._chorus_sendable():
            problems.append(_("it was already sent to Chorus Pro (%s)", self._chorus_state_text()))
        if not company._chorus_is_configured():
            problems.append(_("Chorus Pro is not configured for the company %s", company.name))
        problems += [p for p in [siret_message(self.env, buyer.siret, buyer.display_name)] if p]
        if not buyer.chorus_structure_id:
            problems.append(
                _(
                    'the buyer %s was not checked in Chorus Pro (button "Check in Chorus Pro")',
                    buyer.display_name,
                )
            )
        service = self.buyer_reference
        if buyer.chorus_service_required and not service:
            problems.append(_("the buyer requires a service code (service exécutant)"))
        if (
            service
            and buyer.chorus_service_ids
            and service not in buyer.chorus_service_ids.mapped("code")
        ):
            problems.append(
                _("the service code %s is not an active Chorus service of the buyer", service)
            )
        ej = self.purchase_order_reference
        if buyer.chorus_ej_required and not ej:
            problems.append(
                _("the buyer requires a legal commitment number (engagement juridique)")
            )
        if buyer.chorus_ej_or_service_required and not ej and not service:
            problems.append(_("the buyer requires a service code or a legal commitment number"))
        if ej and len(ej) > MAX_EJ:
            problems.append(_("the legal commitment number has more than %s characters", MAX_EJ))
        if len(self.name or "") > MAX_INVOICE_NUMBER:
            problems.append(
                _(
                    "the invoice number %(name)s has more than %(max)s characters",
                    name=self.name,
                    max=MAX_INVOICE_NUMBER,
                )
            )
        problems += self._chorus_amount_problems()
        problems += [p for p in [siret_message(self.env, company.siret, company.name)] if p]
        if not company.email:
            problems.append(_("the company %s has no email address", company.name))
        if not (company.partner_id.phone or company.partner_id.mobile):
            problems.append(_("the company %s has no phone number", company.name))
        if not self.partner_bank_id.sanitized_acc_number:
            problems.append(_("the invoice has no company bank account (IBAN) to be paid on"))
        if self.move_type in ("out_invoice", "out_refund") and self.state == "posted":
            problems += self._chorus_odoo_cii_problems()
        return problems

    def _chorus_odoo_cii_problems(self):
        """What Odoo's own CII export refuses, minus what is checked above."""
        builder = self.env["account.edi.xml.cii"]
        vals = builder._export_invoice_vals(self.with_context(lang=self.partner_id.lang))
        constraints = builder._export_invoice_constraints(self, vals)
        return sorted(
            str(message)
            for key, message in constraints.items()
            if message and key not in ODOO_CII_CHECKS_COVERED
        )

    def _chorus_check_all(self, offer_fix=False):
        """Raise one French message listing every problem of every invoice.

        ``offer_fix`` (the button): the error dialog gets a button that fixes the first
        blocking problem in one click (check an unknown buyer in Chorus Pro).
        """
        lines = []
        for move in self:
            problems = move._chorus_problems()
            if problems:
                lines.append(
                    _(
                        "%(invoice)s:\n%(problems)s",
                        invoice=move.name or move.display_name,
                        problems="\n".join(f"- {problem}" for problem in problems),
                    )
                )
        if not lines:
            return
        message = _("These invoices cannot be sent to Chorus Pro:\n\n%s", "\n\n".join(lines))
        unchecked = self.commercial_partner_id.filtered(lambda p: not p.chorus_structure_id)
        if offer_fix and unchecked:
            # the fix in one click, from the error dialog: check that buyer now
            raise RedirectWarning(
                message,
                self.env.ref("duret_chorus.action_server_chorus_check").id,
                _("Check %s in Chorus Pro", unchecked[0].display_name),
                {
                    "active_model": "res.partner",
                    "active_id": unchecked[0].id,
                    "active_ids": unchecked[0].ids,
                },
            )
        raise UserError(message)

    def _chorus_state_text(self):
        label = dict(self._fields["chorus_state"]._description_selection(self.env))[
            self.chorus_state
        ]
        return f"{label} / {self.chorus_status_label}" if self.chorus_status else label

    # ------------------------------------------------------------------ file
    def _chorus_build_file(self, extra_attachments=None):
        """The Factur-X PDF (EN16931, XSD-checked) from Odoo's CII export and the real PDF."""
        self.ensure_one()
        cii, _errors = self.env["account.edi.xml.cii"]._export_invoice(self)
        try:
            xml = facturx.to_en16931(
                cii,
                service_code=self.buyer_reference or None,
                legal_commitment=self.purchase_order_reference or None,
                contract_number=self.contract_reference or None,
                buyer_siret=self.commercial_partner_id.siret,
                seller_siret=self.company_id.siret,
                facts=self._chorus_facturx_facts(),
            )
            facturx.check_xsd(xml)
            pdf, _type = (
                self.env["ir.actions.report"]
                .with_context(force_report_rendering=True)
                ._render_qweb_pdf("account.account_invoices", self.ids)
            )
            pdf = self._chorus_pdfa(pdf)
            attachments = {att.name: att.raw for att in (extra_attachments or [])}
            return facturx.build_facturx_pdf(pdf, xml, attachments=attachments or None)
        except facturx.FacturxError as exc:
            raise UserError(facturx_error_message(self.env, exc, self)) from exc

    def _chorus_filename(self):
        return "".join(c if c.isalnum() or c in "-_" else "_" for c in self.name) + ".pdf"

    # ------------------------------------------------------------------ send
    def _chorus_send_one(self, client, extra_attachments=None):
        """Deposit one invoice as a Factur-X flow. Returns "sent" or "uncertain"; raises
        UserError otherwise (the sequence and its guarantees: ``chorus.flow._chorus_deposit``).
        """
        self.ensure_one()
        data = self._chorus_build_file(extra_attachments)
        self._chorus_check_legal_commitment(client)
        rejected_id = (
            self.chorus_invoice_id
            if self.chorus_status == "REJETEE" and not self.chorus_rejection_handled
            else 0
        )

        def record(flow, answer):
            number = answer["numeroFluxDepot"]
            flow._chorus_deposited(self, number, data)
            if rejected_id:
                self._chorus_mark_rejection_handled(
                    client, rejected_id, _("Corrected invoice sent again (flow %s)", number)
                )

        return self.env["chorus.flow"]._chorus_deposit(
            self,
            send=lambda _prepared: client.deposit_flow(data, self._chorus_filename()),
            record=record,
        )

    def _chorus_check_legal_commitment(self, client):
        """Warn (chatter) when a required EJ is unknown to Chorus; never blocks.

        (docs/chorus-api.md section 5.)

        Many local authorities do not register their EJs in Chorus Pro, so "not
        found" only tells the accountant to double-check the number.
        """
        self.ensure_one()
        ej = self.purchase_order_reference
        if not ej or not self.commercial_partner_id.chorus_ej_required:
            return None
        company = self.company_id
        try:
            if not company.chorus_structure_id:
                company._chorus_read_own_structure(client)
            found = client.search_legal_commitment(company.chorus_structure_id, ej)
        except (errors.RemoteError, UserError) as exc:
            reason = (
                chorus_error_message(self.env, exc)
                if isinstance(exc, errors.RemoteError)
                else exc.args[0]
            )
            warning = _(
                "The legal commitment %(ej)s could not be checked in Chorus Pro: %(reason)s",
                ej=ej,
                reason=reason,
            )
        else:
            if found:
                return None
            warning = _(
                "Warning: the legal commitment %(ej)s is not registered in Chorus Pro as an "
                "order of %(buyer)s. Many local authorities do not register their legal "
                "commitments, so the invoice is sent anyway; check the number with the buyer "
                "if Chorus Pro or the buyer rejects it.",
                ej=ej,
                buyer=self.commercial_partner_id.display_name,
            )
        self.message_post(body=warning)
        return warning

    def _chorus_send(self, extra_attachments=None):
        """Send every invoice of ``self``; returns {"sent", "uncertain": moves, "failed": dict}."""
        self._chorus_check_sender()
        self._chorus_check_all()
        result = {"sent": self.browse(), "uncertain": self.browse(), "failed": {}}
        for company, moves in self.grouped("company_id").items():
            client = company._chorus_client()
            for move in moves:
                try:
                    outcome = move._chorus_send_one(client, extra_attachments)
                except UserError as exc:
                    if len(self) == 1:
                        raise
                    result["failed"][move] = str(exc)
                    continue
                result[outcome] |= move
        return result

    def _chorus_check_sender(self):
        """Sending (and declaring a send lost) is for the accounting groups only."""
        chorus_check_group(
            self.env, ACCOUNTANTS, _("Only accountants can send invoices to Chorus Pro.")
        )

    def action_chorus_send(self):
        """Button "Send to Chorus": a wizard for optional extra attachments."""
        self._chorus_check_sender()
        self._chorus_check_all(offer_fix=True)
        return {
            "type": "ir.actions.act_window",
            "name": _("Send to Chorus Pro"),
            "res_model": "chorus.send.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_ids": self.ids},
        }

    def _chorus_notify(self, result):
        parts = []
        if result["sent"]:
            parts.append(_("Sent to Chorus Pro: %s.", ", ".join(result["sent"].mapped("name"))))
        if result["uncertain"]:
            parts.append(
                _(
                    "Sending uncertain (answer lost, not re-sent): %s.",
                    ", ".join(result["uncertain"].mapped("name")),
                )
            )
        for move, message in result["failed"].items():
            parts.append(_("%(invoice)s not sent: %(reason)s", invoice=move.name, reason=message))
        kind = "success" if not result["uncertain"] and not result["failed"] else "warning"
        return self.env["duret.notify"]._duret_notification(
            "\n".join(parts),
            title=_("Chorus Pro"),
            kind=kind,
            sticky=kind != "success",
            next_action={"type": "ir.actions.client", "tag": "soft_reload"},
        )

    # ------------------------------------------------------------- auto-send
    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        to_queue = posted.filtered(
            lambda move: (
                move.company_id.chorus_auto_send
                and move.move_type in ("out_invoice", "out_refund")
                and move.chorus_is_buyer
                and move._chorus_sendable()
            )
        )
        if to_queue:
            to_queue.chorus_send_pending = True
            self.env.ref("duret_chorus.ir_cron_chorus_auto_send")._trigger()
        return posted

    @api.model
    def _cron_chorus_auto_send(self):
        """Send the invoices queued at posting; a failing one gets an activity, not a retry loop."""
        moves = self.search([("chorus_send_pending", "=", True), ("state", "=", "posted")])
        for move in moves:
            move = move.with_context(lang=move._chorus_lang())
            problems = move._chorus_problems()
            if problems:
                move.chorus_send_pending = False
                move._chorus_activity(
                    _("Not sent to Chorus Pro automatically"), "\n".join(problems)
                )
                self.env["duret.job"]._duret_commit_progress()
                continue
            try:
                move._chorus_send_one(move.company_id._chorus_client())
            except UserError as exc:
                move.chorus_send_pending = False
                move._chorus_activity(_("Not sent to Chorus Pro automatically"), str(exc))
                self.env["duret.job"]._duret_commit_progress()

    # -------------------------------------------------------------- statuses
    def _chorus_accountant(self):
        self.ensure_one()
        user = self.chorus_sent_by or self.invoice_user_id
        if user and user.active and not user.share:
            return user
        return self.company_id._chorus_admin_user()

    def _chorus_activity(self, summary, note):
        self.ensure_one()
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=summary,
            note=plaintext2html(note),
            user_id=self._chorus_accountant().id,
        )

    def _chorus_age_days(self):
        if not self.chorus_sent_date:
            return 0.0
        return (fields.Datetime.now() - self.chorus_sent_date).total_seconds() / 86400.0

    def _chorus_sync_history(self, answer):
        """Store a ``consulter/historique`` answer (see ``chorus.invoice.status``)."""
        self.ensure_one()
        return self.env["chorus.invoice.status"]._chorus_sync(self, answer)

    def _chorus_refresh_from_chorus(self, client):
        """The one status refresh: the invoice's full history, stored step by step."""
        self.ensure_one()
        return self._chorus_sync_history(client.invoice_history(self.chorus_invoice_id))

    def _chorus_close_activities(self, feedback):
        """Mark done the Chorus activities (buyer's reason) once the accountant acted."""
        self.activity_ids.filtered(
            lambda a: (a.summary or "").startswith("Chorus Pro")
        ).action_feedback(feedback=feedback)

    def action_chorus_complete(self):
        """Button "Compléter" on a SUSPENDUE invoice."""
        return self._chorus_wizard("chorus.complete.wizard", _("Complete in Chorus Pro"), {})

    def action_chorus_recycle(self):
        """Button "Recycler" on an A_RECYCLER invoice."""
        return self._chorus_wizard(
            "chorus.recycle.wizard",
            _("Redirect in Chorus Pro"),
            {
                "default_partner_id": self.commercial_partner_id.id,
                "default_service_id": self.chorus_service_id.id,
                "default_legal_commitment": self.purchase_order_reference,
            },
        )

    def _chorus_wizard(self, model, title, defaults):
        self.ensure_one()
        chorus_check_group(self.env, ACCOUNTANTS, _("Only accountants can act in Chorus Pro."))
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            # only this wizard's defaults: the invoice's context must not leak into it
            "context": {"default_move_id": self.id, **defaults},
        }

    def action_chorus_rejection_handled(self):
        """Tell Chorus Pro the rejection is handled (``traiterRejet``), e.g. by a credit note."""
        self.ensure_one()
        chorus_check_group(self.env, ACCOUNTANTS, _("Only accountants can act in Chorus Pro."))
        if self.chorus_status != "REJETEE" or not self.chorus_invoice_id:
            raise UserError(_("%s is not rejected in Chorus Pro.", self.name))
        self._chorus_mark_rejection_handled(
            self.company_id._chorus_client(),
            self.chorus_invoice_id,
            _("Rejection handled by %s", self.env.user.name),
            raise_error=True,
        )
        return True

    def _chorus_mark_rejection_handled(self, client, chorus_id, reason, raise_error=False):
        """``traiterRejet`` for a rejected Chorus invoice; a failure never blocks a re-send."""
        self.ensure_one()
        try:
            client.mark_rejections_handled([chorus_id], reason)
        except errors.RemoteError as exc:
            message = chorus_error_message(self.env, exc)
            if raise_error:
                raise UserError(message) from exc
            self.message_post(
                body=_(
                    "The rejection could not be marked as handled in Chorus Pro: %s. "
                    "Mark it in the Chorus Pro portal.",
                    message,
                )
            )
            return False
        self.chorus_rejection_handled = True
        self.message_post(body=_("Rejection marked as handled in Chorus Pro: %s", reason))
        self._chorus_close_activities(reason)
        return True

    def _chorus_lang(self):
        """Language of the texts the Chorus jobs write on the invoice (company's first)."""
        return self.company_id._chorus_job_lang()

    def _chorus_apply_status(self, code, moment=None, comment=None, force=False):
        """Store the current Chorus status; chatter line, activity when the buyer wants
        something done, terminal flag. True when it changed (or ``force``: re-entered)."""
        self.ensure_one()
        if not code or (code == self.chorus_status and not force):
            return False
        self.write(
            {
                "chorus_status": code,
                "chorus_status_date": moment or fields.Datetime.now(),
                "chorus_status_comment": comment or False,
                "chorus_done": statuses.is_terminal(
                    code,
                    self.commercial_partner_id.chorus_payment_reported,
                    self._chorus_age_days(),
                ),
            }
        )
        move = self.with_context(lang=self._chorus_lang())
        move._chorus_post_status(code, comment)
        if code in statuses.WITH_REASON:
            move._chorus_reason_activity(code, comment)
        return True

    def _chorus_post_status(self, code, comment):
        lang = self.env.lang
        body = _(
            "Chorus Pro status: %(label)s (%(code)s)",
            label=status_label(code, lang),
            code=code,
        )
        if comment:
            body = Markup("%s<br/>%s") % (body, _("Reason given by the buyer: %s", comment))
        if code == "MISE_EN_PAIEMENT":
            body = Markup("%s<br/>%s") % (
                body,
                _(
                    "The buyer has issued the payment. Match the bank statement line with "
                    "this invoice when it arrives: it is not reconciled automatically."
                ),
            )
        self.message_post(body=body)

    def _chorus_reason_activity(self, code, comment):
        self._chorus_activity(
            _("Chorus Pro: %s", status_label(code, self.env.lang)),
            comment or _("Chorus Pro gave no reason."),
        )

    def _chorus_link(self, item):
        """Link to a Chorus invoice found by a search (``listeFactures`` item).

        The status itself comes from the history, fetched next by the poll.
        """
        self.ensure_one()
        self.chorus_flow_id._chorus_integrated(
            self, wire.invoice_id(item), item.get("numeroFluxDepot")
        )

    def _chorus_reject_flow(self, errors_text):
        self.ensure_one()
        self.chorus_flow_id._chorus_rejected(self, errors_text)

    # ---------------------------------------------------------------- buttons
    def action_chorus_update(self):
        """Button "Update": the selected invoices only (flows, uncertain sends, statuses)."""
        chorus_check_group(
            self.env, ACCOUNTANTS, _("Only accountants can update Chorus Pro statuses.")
        )
        moves = self.filtered(lambda move: move.chorus_state != "not_sent")
        if not moves:
            raise UserError(_("None of these invoices was sent to Chorus Pro."))
        changes = 0
        for company, company_moves in moves.grouped("company_id").items():
            run = self.env["chorus.poll.run"].create({"company_id": company.id, "mode": "manual"})
            changes += run._run_for_moves(company_moves)
        return self.env["duret.notify"]._duret_notification(
            _("Chorus statuses updated: %s change(s).", changes),
            title=_("Chorus Pro"),
            next_action={"type": "ir.actions.client", "tag": "soft_reload"},
        )

    def action_chorus_mark_not_received(self):
        """A person confirms that Chorus never received an uncertain send: it may be sent again."""
        self._chorus_check_sender()
        for move in self:
            if move.chorus_state not in ("uncertain", "sending"):
                raise UserError(_("%s is not in an uncertain sending state.", move.name))
            move.chorus_flow_id._chorus_not_received(move)
        return True

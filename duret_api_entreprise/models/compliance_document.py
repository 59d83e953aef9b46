import datetime

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools import format_date

from ..lib.dates import document_state, valid_on, validity_end
from .compliance_document_type import SOURCES

STATES = [
    ("valid", "Valid"),
    ("expiring", "Expiring soon"),
    ("expired", "Expired"),
    ("missing", "Missing"),
]


class ComplianceDocument(models.Model):
    """One administrative document of the company (or of a partner), with its validity."""

    _name = "compliance.document"
    _description = "Compliance document"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "state_sequence, date_end, id"

    name = fields.Char(required=True, tracking=True)
    type_id = fields.Many2one(
        "compliance.document.type", string="Type", required=True, ondelete="restrict", index=True
    )
    stage = fields.Selection(related="type_id.stage", store=True)
    is_required = fields.Boolean(related="type_id.required", store=True, string="Required")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Holder",
        help="Company the document is about (ours by default).",
        default=lambda self: self.env.company.partner_id,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.company._compliance_responsible(),
        tracking=True,
    )
    file = fields.Binary(attachment=True, copy=False)
    file_name = fields.Char()
    issue_date = fields.Date(tracking=True)
    date_start = fields.Date(string="Valid from")
    date_end = fields.Date(string="Valid until", tracking=True)
    source = fields.Selection(SOURCES, default="manual", required=True)
    external_ref = fields.Char(string="Reference", copy=False)
    delivered = fields.Boolean(
        default=True, help="Unticked when the issuer refused the document or archived it."
    )
    document_url = fields.Char(string="Public URL", help="Permanent URL (open data only).")
    details = fields.Text()
    last_refresh = fields.Datetime(readonly=True, copy=False)
    last_error = fields.Char(readonly=True, copy=False)
    reminded_for = fields.Date(
        copy=False, help="End date for which the expiry reminder was already created."
    )
    state = fields.Selection(
        STATES, compute="_compute_state", store=True, default="missing", tracking=True
    )
    state_sequence = fields.Integer(compute="_compute_state", store=True)
    color = fields.Integer(compute="_compute_color")

    @api.model
    def _today(self):
        """Today, or the ``duret_today`` date of the context (tests, previews)."""
        today = self.env.context.get("duret_today")
        return fields.Date.to_date(today) if today else fields.Date.context_today(self)

    def _has_document(self):
        self.ensure_one()
        return self.delivered and bool(
            self.file or self.date_end or self.date_start or self.issue_date
        )

    @api.depends(
        "file",
        "issue_date",
        "date_start",
        "date_end",
        "delivered",
        "company_id.compliance_reminder_days",
    )
    def _compute_state(self):
        today = self._today()
        order = {key: index for index, (key, _label) in enumerate(STATES)}
        for doc in self:
            doc.state = document_state(
                doc._has_document(), doc.date_end, today, doc.company_id.compliance_reminder_days
            )
            doc.state_sequence = {"expired": 0, "missing": 1}.get(doc.state, 2 + order[doc.state])

    @api.depends("state", "is_required")
    def _compute_color(self):
        colors = {"valid": 10, "expiring": 2, "expired": 1, "missing": 4}
        for doc in self:
            doc.color = (
                1 if doc.state in ("expired", "missing") and doc.is_required else colors[doc.state]
            )

    @api.onchange("type_id", "issue_date")
    def _onchange_type_dates(self):
        for doc in self:
            if doc.type_id and not doc.name:
                doc.name = doc.type_id.name
            if doc.issue_date and not doc.date_end:
                doc.date_start = doc.date_start or doc.issue_date
                doc.date_end = doc._rule_end(doc.issue_date)

    def _rule_end(self, start):
        self.ensure_one()
        return validity_end(self.type_id.validity_rule, start, self.type_id.validity_months)

    def valid_at(self, day):
        """True when this document exists and still holds on ``day``."""
        self.ensure_one()
        return self._has_document() and valid_on(self.date_end, day)

    def action_compliance_refresh(self):
        """ "Refresh now": fetch what can be fetched for the current company."""
        company = self.env.company
        service = self.env["compliance.remote"]
        summary = service.refresh_company(company)
        self._ensure_placeholders(company)
        lines = service.summary_lines(summary)
        return self.env["duret.notify"]._duret_notification(
            "\n".join(lines),
            title=_("Compliance documents"),
            kind="warning" if summary["errors"] or summary["stopped"] else "success",
            sticky=bool(summary["errors"]),
            next_action={"type": "ir.actions.client", "tag": "soft_reload"},
        )

    # -- nightly maintenance -------------------------------------------------------
    @api.model
    def _refresh_states(self):
        """Recompute states against today (they are stored to group the dashboard)."""
        docs = self.search([])
        docs._compute_state()
        return docs

    def _ensure_placeholders(self, company):
        """A ``missing`` record for every tracked required type that has no document yet."""
        present = self.search([("company_id", "=", company.id)]).type_id
        missing_types = company._compliance_tracked_types().filtered("required") - present
        return self._create_placeholders(company, missing_types)

    def _create_placeholders(self, company, doc_types):
        """One empty ``missing`` record of ``company`` per type of ``doc_types``."""
        return self.create(
            [
                {
                    "name": doc_type.name,
                    "type_id": doc_type.id,
                    "company_id": company.id,
                    "partner_id": company.partner_id.id,
                    "source": doc_type.source,
                }
                for doc_type in doc_types
            ]
        )

    def _compliance_warn_responsible(self, message):
        """A warning activity for the responsible: a nightly refresh of this type failed.

        Once per document and message, so a failure repeated every night is one to-do.
        """
        self.ensure_one()
        summary = _("Automatic refresh failed: %s", self.type_id.name)
        if self.activity_ids.filtered(
            lambda a: a.summary == summary and a.note and message in a.note
        ):
            return False
        self.activity_schedule(
            "mail.mail_activity_data_warning",
            summary=summary,
            note=message,
            user_id=(self.user_id or self.company_id._compliance_responsible()).id,
        )
        return True

    def _schedule_reminders(self):
        """One to-do activity per document entering its reminder window (idempotent).

        Written in the language of the document's company (a job's rule).
        """
        today = self._today()
        Job = self.env["duret.job"]
        created = self.browse()
        for doc in self.search([("date_end", "!=", False), ("delivered", "=", True)]):
            delay = doc.company_id.compliance_reminder_days
            if doc.date_end > today + datetime.timedelta(days=delay):
                continue
            if doc.reminded_for == doc.date_end:
                continue
            Job._duret_in_job_lang(doc, doc.company_id)._compliance_remind(today)
            created |= doc
        return created

    def _compliance_remind(self, today):
        """The renewal to-do of this document, in this recordset's language."""
        self.ensure_one()
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=max(self.date_end - datetime.timedelta(days=7), today),
            summary=_(
                "Renew: %(name)s expires on %(date)s",
                name=self.name,
                date=format_date(self.env, self.date_end),
            ),
            user_id=(self.user_id or self.company_id._compliance_responsible()).id,
        )
        self.reminded_for = self.date_end

    @api.model
    def _cron_compliance_digest(self):
        """Email each responsible the documents expired or expiring within the delay."""
        mails = self.env["mail.mail"]
        for company in self.env["res.company"].search([]):
            docs = self.search(
                [
                    ("company_id", "=", company.id),
                    ("state", "in", ("expiring", "expired")),
                ]
            )
            fallback = company._compliance_responsible()
            for user, user_docs in docs.grouped(lambda d, f=fallback: d.user_id or f).items():
                if not user.email:
                    continue
                in_job_lang = self.env["duret.job"]._duret_in_job_lang(self, company, user)
                mails |= mails.sudo().create(in_job_lang._digest_values(company, user, user_docs))
        return mails

    def _digest_values(self, company, user, docs):
        """The weekly email of one responsible, in the job's language (the company's)."""
        return {
            "subject": _("Compliance documents to renew (%s)", company.name),
            "email_to": user.email,
            "body_html": self._digest_body(docs),
            "auto_delete": True,
        }

    def _digest_body(self, docs):
        rows = Markup("").join(
            Markup("<tr><td>%s</td><td>%s</td><td>%s</td></tr>")
            % (
                doc.name,
                dict(self._fields["state"]._description_selection(self.env))[doc.state],
                format_date(self.env, doc.date_end) if doc.date_end else "",
            )
            for doc in docs
        )
        return Markup("<p>%s</p><table><tr><th>%s</th><th>%s</th><th>%s</th></tr>%s</table>") % (
            _("These compliance documents expire soon or have expired:"),
            _("Document"),
            _("State"),
            _("Valid until"),
            rows,
        )

    # -- tender file ---------------------------------------------------------------
    @api.model
    def _tender_file_check(self, company, at_date, stages=("award", "execution")):
        """Which documents due at award (and at signature, for execution ones) hold on ``at_date``.

        Returns ``{"valid": docs, "missing": types, "expired": docs}``: ``expired``
        holds the best document of a type that exists but will not hold any more.
        """
        result = {
            "valid": self.browse(),
            "missing": self.env["compliance.document.type"],
            "expired": self.browse(),
        }
        types = company._compliance_tracked_types().filtered(
            lambda t: t.stage in stages and t.required
        )
        for doc_type in types:
            docs = self.search(
                [
                    ("company_id", "=", company.id),
                    ("type_id", "=", doc_type.id),
                    ("partner_id", "in", (False, company.partner_id.id)),
                ]
            ).filtered(lambda d: d._has_document())
            holding = docs.filtered(lambda d: d.valid_at(at_date))
            if holding:
                result["valid"] |= holding.sorted(
                    lambda d: d.date_end or datetime.date.max, reverse=True
                )[:1]
            elif docs:
                result["expired"] |= docs.sorted(lambda d: d.date_end or datetime.date.min)[-1:]
            else:
                result["missing"] |= doc_type
        return result

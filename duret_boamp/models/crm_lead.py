"""Tender fields on CRM leads, and what follow-up notices do to them."""

import json
from datetime import timedelta, timezone

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools import format_amount, format_datetime
from odoo.tools.translate import code_translations

from ..lib.relevance import format_reason
from .lead_values import naive_utc, paris_date


class CrmLead(models.Model):
    _inherit = "crm.lead"

    boamp_idweb = fields.Char(
        string="BOAMP notice",
        index=True,
        copy=False,
        help="Number of the procedure's first notice: the key of the tender lead.",
    )
    boamp_contract_folder_id = fields.Char(string="Procedure id (eForms)", index=True, copy=False)
    is_tender = fields.Boolean(compute="_compute_is_tender", store=True, string="Tender")
    boamp_watch_id = fields.Many2one("boamp.watch", string="Watch profile", copy=False, index=True)
    boamp_run_id = fields.Many2one("boamp.run", string="Created by run", copy=False, index=True)
    boamp_notice_ids = fields.One2many("boamp.notice", "lead_id", string="BOAMP notices")
    boamp_notice_url = fields.Char(string="BOAMP link", copy=False)
    boamp_dce_url = fields.Char(string="DCE link", copy=False)
    tender_deadline = fields.Datetime(string="Response deadline", copy=False, index=True)
    tender_amount = fields.Monetary(
        string="Estimated amount", currency_field="company_currency", copy=False
    )
    tender_cpv_codes = fields.Char(string="CPV codes", copy=False)
    tender_lots = fields.Text(string="Lots", copy=False)
    tender_procedure = fields.Char(string="Procedure", copy=False)
    tender_publication_date = fields.Date(string="Published on", copy=False)
    tender_score = fields.Integer(string="Relevance score", copy=False)
    tender_reasons_json = fields.Text(string="Score reasons (codes)", copy=False)
    tender_reasons = fields.Text(string="Score reasons", compute="_compute_tender_reasons")
    tender_winners = fields.Char(string="Winners", copy=False)
    tender_award_amount = fields.Monetary(
        string="Awarded amount", currency_field="company_currency", copy=False
    )
    tender_not_relevant = fields.Boolean(string="Not relevant", copy=False, readonly=True)
    tender_not_relevant_reason = fields.Text(string="Why not relevant", copy=False, readonly=True)

    _sql_constraints = [
        (
            "boamp_idweb_company_uniq",
            "unique(company_id, boamp_idweb)",
            "A tender lead already exists for this BOAMP notice in this company.",
        ),
        (
            "boamp_folder_company_uniq",
            "unique(company_id, boamp_contract_folder_id)",
            "A tender lead already exists for this procedure in this company.",
        ),
        (
            "boamp_company_required",
            "CHECK(boamp_idweb IS NULL OR company_id IS NOT NULL)",
            "A tender lead must belong to a company.",
        ),
    ]

    @api.depends("boamp_idweb")
    def _compute_is_tender(self):
        for lead in self:
            lead.is_tender = bool(lead.boamp_idweb)

    def _compute_stage_id(self):
        """New tender leads: one stage search per sales team, not crm's one per lead.

        The import creates them by the hundred; each gets the stage crm would pick.
        """
        tenders = self.filtered(lambda lead: lead.boamp_idweb and not lead.stage_id)
        for leads in tenders.grouped("team_id").values():
            leads.stage_id = leads[:1]._stage_find(domain=[("fold", "=", False)])
        return super(CrmLead, self - tenders)._compute_stage_id()

    @api.depends("tender_reasons_json")
    @api.depends_context("lang")
    def _compute_tender_reasons(self):
        for lead in self:
            reasons = json.loads(lead.tender_reasons_json or "[]")
            lead.tender_reasons = "\n".join(self._tender_reason_text(r) for r in reasons)

    def _tender_reason_text(self, reason):
        """A stored reason (code + params) in the user's language.

        Cron jobs carry no ``lang`` in their context: the job user's language then.
        """
        lang = self.env.lang or self.env.user.lang
        terms = code_translations.get_python_translations("duret_boamp", lang) if lang else {}
        return format_reason(reason, translate=lambda term: terms.get(term, term))

    # -- follow-up notices ---------------------------------------------------
    @api.model
    def _tender_apply_follow_ups(self, pairs):
        """Apply correction, cancellation and award notices: ``pairs`` of (lead, notice).

        Chatter notes are logged in one batch and cancellations closed in one
        call, since a page can hold dozens of follow-ups.
        """
        bodies = {}
        cancelled = self.browse()
        for lead, notice in pairs:
            kind = (notice.nature or "").upper()
            if kind == "ANNULATION" or "ANNUL" in (notice.etat or "").upper():
                body = Markup("<p>%s</p>") % _(
                    "The buyer cancelled the procedure (BOAMP notice %s).", notice.idweb
                )
                cancelled |= lead
            elif kind == "ATTRIBUTION":
                body = lead._tender_award(notice)
            else:
                body = lead._tender_correct(notice)
            bodies[lead.id] = bodies.get(lead.id, Markup("")) + body
        if bodies:
            self.browse(list(bodies))._message_log_batch(bodies=bodies, message_type="comment")
        if cancelled:
            reason = self.env.ref("duret_boamp.lost_reason_cancelled", raise_if_not_found=False)
            cancelled.action_set_lost(lost_reason_id=reason.id if reason else False)

    def _tender_correct(self, notice):
        """Refresh deadline, amount and links; returns the chatter note of what changed."""
        changes = []
        values = {}
        new_deadline = naive_utc(notice.deadline)
        if new_deadline and new_deadline != self.tender_deadline:
            changes.append(
                (
                    _("Response deadline"),
                    self._tender_format_datetime(self.tender_deadline),
                    self._tender_format_datetime(new_deadline),
                )
            )
            values.update(
                tender_deadline=new_deadline,
                date_deadline=paris_date(notice.deadline),
                tender_deadline_reminded=False,
            )
        if notice.amount and notice.amount != self.tender_amount:
            changes.append(
                (
                    _("Estimated amount"),
                    self._tender_format_amount(self.tender_amount),
                    self._tender_format_amount(notice.amount),
                )
            )
            values["tender_amount"] = notice.amount
            if not self.expected_revenue or self.expected_revenue == self.tender_amount:
                values["expected_revenue"] = notice.amount
        for field_name, url, caption in (
            ("boamp_dce_url", notice.dce_url, _("DCE link")),
            ("boamp_notice_url", notice.notice_url, _("BOAMP link")),
        ):
            if url and url != self[field_name]:
                changes.append((caption, self[field_name], url))
                values[field_name] = url
        if values:
            self.write(values)
        items = Markup("").join(
            Markup("<li>%s : %s → %s</li>") % (caption, old or "–", new)
            for caption, old, new in changes
        ) or Markup("<li>%s</li>") % _("no change to the deadline, amount or links")
        return Markup("<p>%s</p><ul>%s</ul>") % (
            _("Correction notice %s published on BOAMP:", notice.idweb),
            items,
        )

    def _tender_format_datetime(self, value):
        """A stored (naive UTC) deadline as Paris wall-clock time, for chatter notes."""
        if not value:
            return False
        return format_datetime(self.env, value, tz="Europe/Paris", dt_format="short")

    def _tender_format_amount(self, value):
        if not value:
            return False
        return format_amount(self.env, value, self.company_currency or self.env.company.currency_id)

    def _tender_award(self, notice):
        """Record the winners; returns the chatter note."""
        winners = ", ".join(notice.winners)
        self.write(
            {
                "tender_winners": winners or self.tender_winners,
                "tender_award_amount": notice.award_amount or self.tender_award_amount,
            }
        )
        return Markup("<p>%s</p>") % _(
            "Award notice %(idweb)s: winner(s) %(winners)s, amount %(amount)s.",
            idweb=notice.idweb,
            winners=winners or "?",
            amount=self._tender_format_amount(notice.award_amount) or "?",
        )

    def action_tender_not_relevant(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": "boamp.not.relevant.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_lead_ids": self.ids},
            "name": _("Not relevant"),
        }

    # -- deadline follow-up ----------------------------------------------------
    tender_deadline_reminded = fields.Boolean(copy=False, readonly=True)

    def _tender_schedule_deadline_activities(self, days):
        """One activity per open tender lead whose deadline is within ``days`` days."""
        if days <= 0:
            return self.browse()
        now = fields.Datetime.now()
        leads = self.search(
            [
                ("is_tender", "=", True),
                ("active", "=", True),
                ("probability", "<", 100),
                ("tender_deadline_reminded", "=", False),
                ("tender_deadline", ">", now),
                ("tender_deadline", "<=", now + timedelta(days=days)),
            ]
        )
        # one batch of activities per salesperson and due day, not one call per lead
        groups = leads.grouped(
            lambda lead: (
                lead.user_id.id or self.env.user.id,
                paris_date(lead.tender_deadline.replace(tzinfo=timezone.utc)),
            )
        )
        for (user_id, due), group in groups.items():
            group.activity_schedule(
                "duret_boamp.mail_activity_tender_deadline",
                date_deadline=due,
                user_id=user_id,
                summary=_("Tender response due"),
            )
        leads.write({"tender_deadline_reminded": True})
        return leads

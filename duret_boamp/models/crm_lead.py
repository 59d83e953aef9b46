"""Tender fields on CRM leads, and what follow-up notices do to them."""

import json
from datetime import timedelta, timezone

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools import format_amount, format_datetime
from odoo.tools.translate import code_translations

from ..lib.lead_values import notice_lead_fields, paris_date
from ..lib.relevance import format_reason


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
    tender_deadline_kind = fields.Selection(
        [("offers", "Offers"), ("candidatures", "Applications")],
        string="Deadline for",
        copy=False,
        help="A restricted procedure first asks for applications: its deadline is then the "
        "applications' one, the shortlisted companies are given the offers' one later.",
    )
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
    tender_departement = fields.Char(
        string="Département", copy=False, index=True, help="Where the works are performed."
    )
    tender_decision = fields.Selection(
        [("go", "Go"), ("no_go", "No-go")],
        string="Decision",
        copy=False,
        readonly=True,
        tracking=True,
    )
    tender_decision_reason = fields.Text(
        string="Reason for the decision", copy=False, readonly=True
    )
    tender_decision_date = fields.Datetime(string="Decided on", copy=False, readonly=True)
    tender_decision_user_id = fields.Many2one(
        "res.users", string="Decided by", copy=False, readonly=True
    )
    tender_days_left = fields.Integer(
        string="Days left",
        compute="_compute_tender_urgency",
        help="Days until the response deadline.",
    )
    tender_deadline_label = fields.Char(
        string="Deadline countdown",
        compute="_compute_tender_urgency",
        help="Days left and the deadline in Paris time, e.g. D-5 · 10/12/2026 12:00.",
    )
    tender_urgency = fields.Selection(
        [
            ("late", "Past"),
            ("urgent", "Within 3 days"),
            ("soon", "Within 7 days"),
            ("later", "Later"),
        ],
        compute="_compute_tender_urgency",
    )
    #: a new tender lead waits for the next digest (set at import, cleared by the digest)
    tender_digest_pending = fields.Boolean(copy=False, readonly=True, index=True)
    # dashboard measures (summed by the pivot and graph views)
    tender_found_count = fields.Integer(
        string="Found", compute="_compute_tender_counts", store=True
    )
    tender_kept_count = fields.Integer(
        string="Kept", compute="_compute_tender_counts", store=True, help="Decided go."
    )
    tender_answered_count = fields.Integer(
        string="Answered", compute="_compute_tender_counts", store=True
    )
    tender_won_count = fields.Integer(string="Won", compute="_compute_tender_counts", store=True)
    tender_not_relevant_count = fields.Integer(
        string="Not relevant (count)", compute="_compute_tender_counts", store=True
    )

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

    @api.model
    def _boamp_create_tender_leads(self, vals_list):
        """The leads of new procedures, in the order of ``vals_list`` (a hook: another
        addon may hand back an existing lead prepared for the procedure instead)."""
        return self.create(vals_list)

    @api.depends("boamp_idweb")
    def _compute_is_tender(self):
        for lead in self:
            lead.is_tender = bool(lead.boamp_idweb)

    @api.depends("tender_deadline", "tender_deadline_kind", "probability")
    @api.depends_context("lang")
    def _compute_tender_urgency(self):
        today = paris_date(fields.Datetime.now())
        for lead in self:
            # won: the response deadline no longer counts down
            if not lead.tender_deadline or lead.probability == 100:
                lead.tender_days_left = 0
                lead.tender_urgency = False
                lead.tender_deadline_label = False
                continue
            days = (lead._tender_deadline_day() - today).days
            lead.tender_days_left = days
            lead.tender_urgency = (
                "late" if days < 0 else "urgent" if days <= 3 else "soon" if days <= 7 else "later"
            )
            lead.tender_deadline_label = "%s · %s" % (
                lead._tender_countdown(days),
                lead._tender_format_datetime(lead.tender_deadline),
            )

    def _tender_countdown(self, days):
        """``D-5`` (``J-5`` in French), the way sales teams count down to a deadline.

        ``J-5 candidatures`` when the deadline is the applications' (restricted procedure):
        the offers are due later, a team must not read it as the offer deadline.
        """
        self.ensure_one()
        if self.tender_deadline_kind == "candidatures" and days <= 0:
            # "today" and "past" do not take "applications" after them (in French either)
            return _("applications today") if days == 0 else _("applications closed")
        label = _("D-%s", days) if days > 0 else _("today") if days == 0 else _("past")
        if self.tender_deadline_kind == "candidatures":
            return _("%s applications", label)
        return label

    @api.depends(
        "boamp_idweb",
        "tender_decision",
        "stage_id.boamp_submitted",
        "probability",
        "tender_not_relevant",
    )
    def _compute_tender_counts(self):
        for lead in self:
            tender = bool(lead.boamp_idweb)
            won = tender and lead.probability == 100
            lead.tender_found_count = int(tender)
            lead.tender_kept_count = int(tender and lead.tender_decision == "go")
            lead.tender_answered_count = int(tender and (lead.stage_id.boamp_submitted or won))
            lead.tender_won_count = int(won)
            lead.tender_not_relevant_count = int(tender and lead.tender_not_relevant)

    def _tender_deadline_day(self):
        """The deadline's calendar day in Paris (where BOAMP's deadlines are set)."""
        self.ensure_one()
        return paris_date(self.tender_deadline) if self.tender_deadline else False

    def _compute_company_id(self):
        """A tender lead keeps its company whatever CRM's coherence rules propose.

        crm empties the company of a lead whose new team has no company and no salesperson
        (conversion, assignment, merge); a tender lead belongs to its watch profile's
        company (database constraint ``boamp_company_required``).
        """
        previous = {lead: lead.company_id for lead in self if lead.boamp_idweb}
        res = super()._compute_company_id()
        for lead, company in previous.items():
            if not lead.company_id:
                lead.company_id = company or lead.boamp_watch_id.company_id
        return res

    def _merge_dependences(self, opportunities):
        """Merging keeps every BOAMP notice on the resulting lead (they key the follow-ups)."""
        res = super()._merge_dependences(opportunities)
        opportunities.boamp_notice_ids.write({"lead_id": self.id})
        return res

    @api.model
    def _read_group_stage_ids(self, stages, domain, order):
        """A team with stages of its own (the tender team) shows only those in its pipeline."""
        team = self.env["crm.team"].browse(self.env.context.get("default_team_id") or [])
        if team.exists():
            own = stages.search([("team_id", "=", team.id)])
            if own:
                return stages.search([("id", "in", (stages | own).ids)], order=order)
        return super()._read_group_stage_ids(stages, domain, order)

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

        Returns ``{idweb: (change kind, summary)}`` for the digest's "changes" section.
        Chatter notes are logged in one batch, since a page can hold dozens of follow-ups;
        leads are won or lost together too (:meth:`_tender_close`).
        """
        bodies = {}
        changes = {}
        outcomes = {}  # lead id: (won or lost, lost reason); a procedure's last notice wins
        for lead, notice in pairs:
            kind = (notice.nature or "").upper()
            outcome = None
            if kind == "ANNULATION" or "ANNUL" in (notice.etat or "").upper():
                body, change, outcome = lead._tender_cancel(notice)
            elif kind == "ATTRIBUTION":
                body, change, outcome = lead._tender_award(notice)
            else:
                body, change = lead._tender_correct(notice)
            if outcome:
                outcomes[lead.id] = outcome
            bodies[lead.id] = bodies.get(lead.id, Markup("")) + body
            changes[notice.idweb] = change
        self._tender_close(outcomes)
        if bodies:
            self.browse(list(bodies))._message_log_batch(bodies=bodies, message_type="comment")
        return changes

    @api.model
    def _tender_close(self, outcomes):
        """Win or lose leads, ``{lead id: ("won" | "lost", lost reason xml id)}``.

        One call per outcome, not one per lead: crm updates its lead-scoring frequency
        table on each won/lost write, which a batch of award notices would repeat dozens
        of times. A lead already won is never set lost.
        """
        by_outcome = {}
        for lead_id, outcome in outcomes.items():
            by_outcome.setdefault(outcome, []).append(lead_id)
        for (state, reason_ref), lead_ids in by_outcome.items():
            leads = self.browse(lead_ids)
            if state == "won":
                leads.action_set_won()
                continue
            leads = leads.filtered(lambda lead: lead.probability < 100)
            if leads:
                reason = self.env.ref(reason_ref, raise_if_not_found=False)
                leads.action_set_lost(lost_reason_id=reason.id if reason else False)

    def _tender_cancel(self, notice):
        """The buyer declared the procedure "sans suite": lost with its own reason."""
        text = _("The buyer cancelled the procedure (BOAMP notice %s): no follow-up.", notice.idweb)
        outcome = ("lost", "duret_boamp.lost_reason_cancelled")
        return Markup("<p>%s</p>") % text, ("cancelled", text), outcome

    def _tender_correct(self, notice):
        """Refresh deadline, amount and links; returns the chatter note of what changed."""
        changes = []
        values = {}
        given = notice_lead_fields(notice)
        new_deadline = given["tender_deadline"]
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
        new_kind = given["tender_deadline_kind"]
        if new_deadline and new_kind != self.tender_deadline_kind:
            kinds = dict(self._fields["tender_deadline_kind"]._description_selection(self.env))
            changes.append(
                (_("Deadline for"), kinds.get(self.tender_deadline_kind), kinds.get(new_kind))
            )
            values["tender_deadline_kind"] = new_kind
        amount = given["tender_amount"]
        if amount and amount != self.tender_amount:
            changes.append(
                (
                    _("Estimated amount"),
                    self._tender_format_amount(self.tender_amount),
                    self._tender_format_amount(amount),
                )
            )
            values["tender_amount"] = amount
            if not self.expected_revenue or self.expected_revenue == self.tender_amount:
                values["expected_revenue"] = amount
        for field_name, caption in (
            ("boamp_dce_url", _("DCE link")),
            ("boamp_notice_url", _("BOAMP link")),
        ):
            url = given[field_name]
            if url and url != self[field_name]:
                changes.append((caption, self[field_name], url))
                values[field_name] = url
        if values:
            self.write(values)
        items = Markup("").join(
            Markup("<li>%s : %s → %s</li>") % (caption, old or "–", new)
            for caption, old, new in changes
        ) or Markup("<li>%s</li>") % _("no change to the deadline, amount or links")
        summary = "; ".join(f"{caption} : {old or '–'} → {new}" for caption, old, new in changes)
        kind = "deadline" if "tender_deadline" in values else "corrected"
        body = Markup("<p>%s</p><ul>%s</ul>") % (
            _("Correction notice %s published on BOAMP:", notice.idweb),
            items,
        )
        return body, (kind, summary or _("no change to the deadline, amount or links"))

    def _tender_format_datetime(self, value):
        """A stored (naive UTC) deadline as Paris wall-clock time, for chatter notes."""
        if not value:
            return False
        return format_datetime(self.env, value, tz="Europe/Paris", dt_format="short")

    def _tender_format_amount(self, value):
        if not value:
            return False
        return format_amount(self.env, value, self.company_currency or self.env.company.currency_id)

    def _tender_holder_is_company(self, notice):
        """Does the award name the lead's company? By SIREN (first 9 digits of a SIRET).

        Only when the notice gives no company number at all, the holder's name is compared
        with the company's (case and spacing ignored).
        """
        company = self.company_id
        siren = (company.siret or company.company_registry or "").replace(" ", "")[:9]
        if notice.holder_ids:
            return bool(siren) and siren in {number[:9] for number in notice.holder_ids}
        names = {
            " ".join((n or "").lower().split()) for n in (company.name, company.partner_id.name)
        }
        return any(" ".join(w.lower().split()) in names for w in notice.winners)

    def _tender_award(self, notice):
        """Won when the holder is the company, else lost to the named winners (the outcome
        is applied by :meth:`_tender_close`)."""
        winners = ", ".join(notice.winners)
        amount = self._tender_format_amount(notice.award_amount) or "?"
        self.write(
            {
                "tender_winners": winners or self.tender_winners,
                "tender_award_amount": notice.award_amount or self.tender_award_amount,
            }
        )
        if self._tender_holder_is_company(notice):
            if notice.award_amount:
                self.expected_revenue = notice.award_amount
            text = _(
                "Award notice %(idweb)s: the contract is awarded to us, amount %(amount)s.",
                idweb=notice.idweb,
                amount=amount,
            )
            return Markup("<p>%s</p>") % text, ("won", text), ("won", None)
        text = _(
            "Award notice %(idweb)s: awarded to %(winners)s, amount %(amount)s.",
            idweb=notice.idweb,
            winners=winners or _("a holder BOAMP does not name"),
            amount=amount,
        )
        outcome = ("lost", "duret_boamp.lost_reason_competitor")
        return Markup("<p>%s</p>") % text, ("lost", text), outcome

    def action_tender_not_relevant(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": "boamp.not.relevant.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_lead_ids": self.ids},
            "name": _("Not relevant"),
        }

    def _tender_decision_action(self, decision):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "boamp.decision.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_lead_id": self.id, "default_decision": decision},
            "name": _("Go: we bid") if decision == "go" else _("No-go: we do not bid"),
        }

    def action_tender_go(self):
        return self._tender_decision_action("go")

    def action_tender_no_go(self):
        return self._tender_decision_action("no_go")

    def _tender_form_action(self):
        """The lead's form inside the tender pipeline (its menu, breadcrumbs and defaults)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "duret_boamp.crm_lead_action_tender_pipeline"
        )
        action.update(res_id=self.id, view_mode="form", views=[(False, "form")])
        return action

    def _tender_backend_url(self, base_url):
        """Link to the lead as digests give it: the backend form within the tender pipeline."""
        self.ensure_one()
        action = self.env.ref(
            "duret_boamp.crm_lead_action_tender_pipeline", raise_if_not_found=False
        )
        suffix = f"&action={action.id}" if action else ""
        return f"{base_url}/web#id={self.id}&model=crm.lead&view_type=form{suffix}"

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
                # not won; a lead crm's scoring never reached has no probability (NULL)
                "|",
                ("probability", "=", False),
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

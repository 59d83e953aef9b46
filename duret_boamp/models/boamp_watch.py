"""Watch profiles: what to fetch from BOAMP and how to score it, and when.

The nightly cron and the "Run now" button open a run of the profile (``boamp.run``)
under a PostgreSQL advisory lock keyed by the profile, so that the two never run the
same profile at once; the run then executes itself (:meth:`BoampRun._execute`).
"""

import hashlib
import json
import logging
import re
from dataclasses import asdict
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib.boamp_client import BoampClient
from ..lib.departement import normalize_departement
from ..lib.feedback import HistoryItem
from ..lib.labelled import notice_from_row
from ..lib.lead_values import paris_date
from ..lib.notice_parser import NoticeParseError, parse_record
from ..lib.relevance import DEFAULT_PENALTIES, ScoringRules, default_rules
from ..services.params import boamp_params

_logger = logging.getLogger(__name__)
LOCK_NAMESPACE = 0x0B0A  # first key of pg_try_advisory_lock(int, int), the profile id second

MARKET_TYPES = ("TRAVAUX", "FOURNITURES", "SERVICES")


def split_lines(text):
    """One entry per line (commas accepted too), blanks dropped, order kept."""
    items = []
    for item in re.split(r"[\n;]+", text or ""):
        item = item.strip()
        if item and item not in items:
            items.append(item)
    return items


def split_penalties(text):
    """``phrase: points`` per line → ``{phrase: points}``; empty text → the defaults."""
    penalties = {}
    for line in split_lines(text):
        phrase, _sep, points = line.rpartition(":")
        if not phrase.strip():
            phrase, points = line, ""
        points = points.strip()
        penalties[phrase.strip()] = int(points) if points.isdigit() else 40
    return penalties or dict(DEFAULT_PENALTIES)


def format_penalties(penalties):
    return "\n".join(f"{phrase}: {points}" for phrase, points in penalties.items())


def split_codes(text):
    """Départements or CPV prefixes separated by commas, spaces or new lines."""
    items = []
    for item in re.split(r"[\s,;]+", text or ""):
        if item and item not in items:
            items.append(item)
    return items


class BoampWatch(models.Model):
    _name = "boamp.watch"
    _description = "BOAMP watch profile"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "sequence, id"

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    include_keywords = fields.Text(
        help="One keyword or phrase per line. Matching ignores case, accents and plurals."
    )
    exclude_phrases = fields.Text(
        string="Exclusion phrases",
        help="One phrase per line (e.g. energy supply). Works evidence can override them.",
    )
    departements = fields.Char(
        string="Départements",
        required=True,
        default="73, 74, 38",
        help="Codes separated by commas; matched on the publication and performance départements.",
    )
    prefer_works = fields.Boolean(string="Works", default=True)
    prefer_supplies = fields.Boolean(string="Supplies")
    prefer_services = fields.Boolean(string="Services")
    cpv_include = fields.Text(
        string="CPV prefixes to include", help="Separated by commas or spaces."
    )
    cpv_exclude = fields.Text(
        string="CPV prefixes to exclude", help="Separated by commas or spaces."
    )
    min_amount = fields.Float(string="Minimum amount", help="0 means no minimum.")
    max_amount = fields.Float(string="Maximum amount", help="0 means no maximum.")
    fetch_rectificatifs = fields.Boolean(string="Corrections", default=True)
    fetch_annulations = fields.Boolean(string="Cancellations", default=True)
    fetch_attributions = fields.Boolean(string="Awards", default=True)
    min_score = fields.Integer(
        string="Minimum score", default=lambda self: default_rules().min_score
    )
    penalty_phrases = fields.Text(
        string="Penalty phrases",
        help="One 'phrase: points' per line: words that show another trade than works "
        "(studies, missions, services). Empty means the default list.",
    )
    rule_change_ids = fields.One2many(
        "boamp.rule.change", "watch_id", string="Rule changes from feedback"
    )
    user_id = fields.Many2one("res.users", string="Salesperson", domain=[("share", "=", False)])
    team_id = fields.Many2one("crm.team", string="Sales Team")
    tag_ids = fields.Many2many("crm.tag", string="Extra tags")
    run_ids = fields.One2many("boamp.run", "watch_id", string="Runs")
    lead_ids = fields.One2many("crm.lead", "boamp_watch_id", string="Tender leads")
    run_count = fields.Integer(compute="_compute_run_count")
    last_run_id = fields.Many2one("boamp.run", compute="_compute_run_count", string="Last run")
    kept_lead_count = fields.Integer(string="Kept leads", compute="_compute_precision")
    not_relevant_count = fields.Integer(string="Marked not relevant", compute="_compute_precision")
    precision = fields.Float(
        string="Precision (%)",
        compute="_compute_precision",
        digits=(5, 1),
        help="Share of the leads created by this profile that nobody marked as not relevant.",
    )

    def _compute_run_count(self):
        Run = self.env["boamp.run"]
        stats = {
            watch.id: (count, last_id)
            for watch, count, last_id in Run._read_group(
                [("watch_id", "in", self.ids)], ["watch_id"], ["__count", "id:max"]
            )
        }
        for watch in self:
            count, last_id = stats.get(watch.id, (0, False))
            watch.run_count = count
            watch.last_run_id = last_id

    def _compute_precision(self):
        Lead = self.env["crm.lead"].with_context(active_test=False)
        groups = Lead._read_group(
            [("boamp_watch_id", "in", self.ids)],
            ["boamp_watch_id", "tender_not_relevant"],
            ["__count"],
        )
        stats = {}
        for watch, not_relevant, count in groups:
            stats.setdefault(watch.id, [0, 0])[1 if not_relevant else 0] += count
        for watch in self:
            kept, rejected = stats.get(watch.id, [0, 0])
            watch.kept_lead_count = kept
            watch.not_relevant_count = rejected
            watch.precision = 100.0 * kept / (kept + rejected) if kept + rejected else 0.0

    # -- rules ---------------------------------------------------------------
    def _departement_codes(self):
        """The profile's codes, normalised as the parser writes them ("1" → "01")."""
        self.ensure_one()
        return list(
            dict.fromkeys(filter(None, map(normalize_departement, split_codes(self.departements))))
        )

    def _market_types(self):
        self.ensure_one()
        flags = (self.prefer_works, self.prefer_supplies, self.prefer_services)
        return [code for code, flag in zip(MARKET_TYPES, flags, strict=True) if flag]

    def _natures(self):
        """BOAMP natures fetched by this profile (new calls for tender always)."""
        self.ensure_one()
        natures = ["APPEL_OFFRE"]
        if self.fetch_rectificatifs:
            natures += ["RECTIFICATIF", "MODIFICATION"]
        if self.fetch_annulations:
            natures.append("ANNULATION")
        if self.fetch_attributions:
            natures.append("ATTRIBUTION")
        return natures

    def _scoring_rules(self):
        """The profile as the scoring library's rules."""
        self.ensure_one()
        return ScoringRules(
            include_keywords=split_lines(self.include_keywords),
            exclude_phrases=split_lines(self.exclude_phrases),
            cpv_include_prefixes=split_codes(self.cpv_include),
            cpv_exclude_prefixes=split_codes(self.cpv_exclude),
            preferred_market_types=self._market_types(),
            min_score=self.min_score,
            min_amount=self.min_amount or None,
            max_amount=self.max_amount or None,
            departements=self._departement_codes(),
            penalty_phrases=split_penalties(self.penalty_phrases),
        )

    def _rules_fingerprint(self, rules=None):
        """Short hash of the scoring rules (changes whenever the profile's rules change)."""
        payload = json.dumps(asdict(rules or self._scoring_rules()), sort_keys=True, default=str)
        return hashlib.sha1(payload.encode()).hexdigest()[:16]

    @api.model
    def _apply_default_rules(self, watch_ids):
        """Fill a profile with Duret's default rules (called once by the data file)."""
        rules = default_rules()
        self.browse(watch_ids).write(
            {
                "include_keywords": "\n".join(rules.include_keywords),
                "exclude_phrases": "\n".join(rules.exclude_phrases),
                "cpv_include": ", ".join(rules.cpv_include_prefixes),
                "cpv_exclude": ", ".join(rules.cpv_exclude_prefixes),
                "prefer_works": "TRAVAUX" in rules.preferred_market_types,
                "prefer_supplies": "FOURNITURES" in rules.preferred_market_types,
                "prefer_services": "SERVICES" in rules.preferred_market_types,
                "min_score": rules.min_score,
                "min_amount": rules.min_amount or 0.0,
                "max_amount": rules.max_amount or 0.0,
            }
        )

    @api.model
    def _boamp_add_default_vocabulary(self, old_keywords, old_cpv_codes):
        """Give the current default vocabulary to profiles still holding an old default.

        ``old_keywords`` / ``old_cpv_codes``: the lists of keywords / CPV prefixes profiles
        were once filled with. A list that is exactly one of them was never edited: it
        becomes the current default (a default CPV prefix may have been narrowed, e.g.
        ``4531`` into ``45310``…``45317`` without the lifts), and the chatter says what was
        added and removed. A list the user edited is never touched. Returns the profiles
        changed.
        """
        rules = default_rules()
        fields_spec = (
            ("include_keywords", split_lines, old_keywords, rules.include_keywords, "\n"),
            ("cpv_include", split_codes, old_cpv_codes, rules.cpv_include_prefixes, ", "),
        )
        changed = self.browse()
        for watch in self.with_context(active_test=False).search([]):
            values, added, removed = {}, [], []
            for field_name, split, olds, defaults, separator in fields_spec:
                current = split(watch[field_name])
                if current == list(defaults) or current not in [list(old) for old in olds]:
                    continue
                values[field_name] = separator.join(defaults)
                added += [item for item in defaults if item not in current]
                removed += [item for item in current if item not in defaults]
            if not values:
                continue
            watch.write(values)
            job = self.env["duret.job"]
            job._duret_in_job_lang(watch, watch.company_id)._boamp_vocabulary_note(added, removed)
            changed |= watch
        return changed

    def _boamp_vocabulary_note(self, added, removed):
        """The chatter note of a vocabulary change, in this record's context language."""
        self.ensure_one()
        self.message_post(
            body=_(
                "This profile still held the default vocabulary of an earlier version: "
                "it now holds this version's. Added: %(added)s. Removed: %(removed)s.",
                added=", ".join(added) or "–",
                removed=", ".join(removed) or "–",
            )
        )

    # -- learning from the sales team ----------------------------------------
    def _feedback_history(self, filtered_limit=2000):
        """The profile's leads with their outcome, and the notices its rules filtered out,
        as :class:`~..lib.feedback.HistoryItem` (what the suggestions are measured on)."""
        self.ensure_one()
        leads = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search([("boamp_watch_id", "=", self.id)], order="id")
        )
        first_notices = {}
        for notice in self.env["boamp.notice"].search(
            [("lead_id", "in", leads.ids)], order="publication_date, id"
        ):
            first_notices.setdefault(notice.lead_id.id, notice)
        history = []
        for lead in leads:
            notice = self._feedback_notice(lead, first_notices.get(lead.id))
            if lead.tender_not_relevant:
                outcome = "rejected"
            elif lead.active and lead.stage_id.is_won:
                outcome = "won"
            elif not lead.active:
                outcome = "lost"
            else:
                outcome = "open"
            text = "\n".join([notice.objet, *(lot.title or "" for lot in notice.lots)])
            history.append(HistoryItem(lead.id, text, notice.cpv_codes, outcome, notice))
        rejections = self.env["boamp.run.rejection"].search(
            [("run_id.watch_id", "=", self.id), ("kind", "=", "rejected")],
            order="id desc",
            limit=filtered_limit,
        )
        for rejection in rejections:
            notice = notice_from_row({"id": rejection.idweb, "objet": rejection.objet or ""})
            history.append(HistoryItem(rejection.id, notice.objet, (), "filtered", notice))
        return history

    @staticmethod
    def _feedback_notice(lead, stored):
        """The lead's first notice parsed again, else its stored objet and CPV codes."""
        raw = stored._record() if stored else None
        if raw:
            try:
                return parse_record(raw)
            except NoticeParseError:
                pass
        codes = [c.strip() for c in (lead.tender_cpv_codes or "").split(",") if c.strip()]
        objet = stored.objet if stored else lead.name
        return notice_from_row({"id": lead.boamp_idweb, "objet": objet or "", "cpv": codes})

    def _rule_field_value(self, kind, value):
        """``(field name, new value)`` of a suggested change of this profile."""
        self.ensure_one()
        if kind == "penalty":
            penalties = split_penalties(self.penalty_phrases)
            penalties[value] = penalties.get(value, 0) or 40
            return "penalty_phrases", format_penalties(penalties)
        if kind == "keyword":
            return "include_keywords", "\n".join([*split_lines(self.include_keywords), value])
        if kind == "threshold":
            return "min_score", int(value)
        raise ValueError(kind)

    def _apply_rule_change(self, kind, value, description, effect_text):
        """Apply one suggested change, keep it (reversible) and say it in the chatter."""
        self.ensure_one()
        field_name, new_value = self._rule_field_value(kind, value)
        old_value = self[field_name]
        change = self.env["boamp.rule.change"].create(
            {
                "watch_id": self.id,
                "kind": kind,
                "field_name": field_name,
                "old_value": "" if old_value is False else str(old_value),
                "new_value": str(new_value),
                "description": description,
                "effect": effect_text,
            }
        )
        self.write({field_name: new_value})
        self.message_post(
            body=_(
                "Rule change applied: %(change)s. Measured on this profile's history: %(effect)s",
                change=description,
                effect=effect_text,
            )
        )
        return change

    def action_open_feedback(self):
        """ "Learn from the sales team": what the decisions say, and measured suggestions."""
        self.ensure_one()
        wizard = self.env["boamp.watch.feedback"].create({"watch_id": self.id})
        wizard._compute_suggestions()
        return {
            "type": "ir.actions.act_window",
            "name": _("Learn from the sales team"),
            "res_model": "boamp.watch.feedback",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    # -- the job ---------------------------------------------------------------
    @api.model
    def _cron_boamp_watch(self):
        """Nightly job: every active profile, then digest, deadline activities, purge."""
        run_ids = []
        for watch in self.sudo().search([]):
            try:
                run_ids += watch._run_job(trigger="cron").ids
            except UserError as exc:
                _logger.warning("BOAMP watch %s skipped: %s", watch.id, exc)
        # the runs were committed by other cursors: read them from a fresh one
        with self.env.registry.cursor() as cr:
            env = self.env(cr=cr, su=True)
            params = boamp_params(env)
            env["boamp.run"].browse(run_ids)._send_digests()
            env["crm.lead"]._tender_schedule_deadline_activities(params.deadline_activity_days)
            env["boamp.notice"]._purge_raw_records(params.retention_days)
        return run_ids

    def _run_job(self, trigger="manual"):
        """Open a run of this profile under its lock and let it execute; returns the run.

        The run is committed by its own cursors: the returned record is read afresh by
        whoever looks at it (the caller's transaction may predate it).
        """
        self.ensure_one()
        self.env.flush_all()  # the run reads the profile through its own cursors
        lock_cr = self.env.registry.cursor()
        try:
            # session-level lock: it outlives the run's commits, and dies with the connection
            lock_cr.execute("SELECT pg_try_advisory_lock(%s, %s)", (LOCK_NAMESPACE, self.id))
            locked = lock_cr.fetchone()[0]
            lock_cr.commit()
            if not locked:
                raise UserError(
                    _(
                        'The BOAMP watch "%s" is already running; try again when it has finished.',
                        self.name,
                    )
                )
            try:
                params = boamp_params(self.env)
                run = self.env["boamp.run"]._open(self, trigger, params)
                run._execute(self._boamp_client(params), params)
                return run
            finally:
                lock_cr.execute("SELECT pg_advisory_unlock(%s, %s)", (LOCK_NAMESPACE, self.id))
                lock_cr.commit()
        finally:
            lock_cr.close()

    def _boamp_client(self, params):
        """One client per run: it holds the run's time budget for BOAMP calls."""
        return BoampClient(params.base_url)

    def _window_since(self, params):
        """Last successful run's start minus the overlap; else the look-back."""
        self.ensure_one()
        last = self.env["boamp.run"].search(
            [("watch_id", "=", self.id), ("state", "=", "done")], order="date_start desc", limit=1
        )
        if last:
            return paris_date(last.date_start) - timedelta(days=params.overlap_days)
        today = fields.Date.context_today(self.with_context(tz="Europe/Paris"))
        return today - timedelta(days=params.lookback_days)

    # -- actions -------------------------------------------------------------
    def action_run_now(self):
        """ "Run now" button: same job as the nightly cron, for this profile only."""
        self.check_access_rights("write")
        self.check_access_rule("write")
        runs = self.env["boamp.run"]
        for watch in self:
            runs |= watch.sudo()._run_job(trigger="manual")
        action = self.env["ir.actions.act_window"]._for_xml_id("duret_boamp.action_boamp_run")
        action["domain"] = [("id", "in", runs.ids)]
        if len(runs) == 1:
            action.update(res_id=runs.id, view_mode="form", views=[(False, "form")])
        return action

    def action_open_runs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("duret_boamp.action_boamp_run")
        action["domain"] = [("watch_id", "=", self.id)]
        return action

    def action_open_leads(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("duret_boamp.action_tender_leads")
        action["domain"] = [("boamp_watch_id", "=", self.id)]
        action["context"] = {"active_test": False}
        action["name"] = _("Tender leads")
        return action

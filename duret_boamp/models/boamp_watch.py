"""Watch profiles: what to fetch from BOAMP and how to score it."""

import hashlib
import json
import re
from dataclasses import asdict

from odoo import _, api, fields, models

from ..lib.departement import normalize_departement
from ..lib.relevance import ScoringRules, default_rules

MARKET_TYPES = ("TRAVAUX", "FOURNITURES", "SERVICES")


def split_lines(text):
    """One entry per line (commas accepted too), blanks dropped, order kept."""
    items = []
    for item in re.split(r"[\n;]+", text or ""):
        item = item.strip()
        if item and item not in items:
            items.append(item)
    return items


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

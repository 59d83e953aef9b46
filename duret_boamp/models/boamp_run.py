"""Run log of the watch: one record per execution, with what was filtered out."""

from markupsafe import escape

from odoo import _, fields, models
from odoo.addons.duret_procurement.lib.errors import RemoteError

COUNTERS = ("fetched", "kept", "created", "updated", "duplicates", "rejected", "errors")


class BoampRun(models.Model):
    _name = "boamp.run"
    _description = "BOAMP watch run"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _rec_name = "date_start"

    watch_id = fields.Many2one("boamp.watch", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="watch_id.company_id", store=True, index=True)
    trigger = fields.Selection(
        [("cron", "Nightly job"), ("manual", "Run now")], required=True, default="manual"
    )
    state = fields.Selection(
        [
            ("running", "Running"),
            ("done", "Done"),
            ("failed", "Failed"),
            ("interrupted", "Interrupted"),
        ],
        required=True,
        default="running",
        index=True,
    )
    date_start = fields.Datetime(required=True, default=fields.Datetime.now, string="Started")
    date_end = fields.Datetime(string="Ended")
    duration = fields.Float(string="Duration (s)", digits=(16, 1))
    window_since = fields.Date(string="Published since")
    window_until = fields.Date(string="Published until")
    base_url = fields.Char(string="BOAMP base URL")
    fetched = fields.Integer()
    kept = fields.Integer()
    created = fields.Integer()
    updated = fields.Integer()
    duplicates = fields.Integer()
    rejected = fields.Integer()
    errors = fields.Integer()
    http_calls = fields.Integer(string="HTTP calls")
    time_budget = fields.Float(
        string="Time budget (s)",
        digits=(16, 0),
        help="Seconds the run may spend on BOAMP calls, waits and retries included.",
    )
    remote_seconds = fields.Float(
        string="Time on BOAMP calls (s)",
        digits=(16, 1),
        help="Seconds actually spent on BOAMP calls, waits and retries included.",
    )
    error_text = fields.Text(string="Error")
    rejection_ids = fields.One2many("boamp.run.rejection", "run_id", string="Filtered out")
    lead_ids = fields.One2many("crm.lead", "boamp_run_id", string="Created leads")
    digest_sent = fields.Boolean(readonly=True)

    def _close_interrupted(self):
        """Close runs left ``running`` by a process that is gone (killed, server restarted).

        Called by the next run of the same profile, under the profile's lock: no
        live process can own them. The text says what the counters cover, and
        the last sign of life of the run becomes its end.
        """
        for run in self:
            if any(run[key] for key in COUNTERS):
                text = _(
                    "Interrupted (its process stopped): the counters cover the batches imported "
                    "before; the next run reads this window again."
                )
            else:
                text = _(
                    "Interrupted before its first batch was imported (its process stopped): "
                    "nothing was imported; the next run reads this window again."
                )
            end = max(run.write_date or run.date_start, run.date_start)
            run.write(
                {
                    "state": "interrupted",
                    "error_text": text,
                    "date_end": end,
                    "duration": (end - run.date_start).total_seconds(),
                }
            )

    def _error_text(self, error):
        """Why the run failed: one sentence per kind of failure, the technical detail after."""
        sentence = None
        if not isinstance(error, RemoteError):
            sentence = _("The import stopped on an unexpected error: tell your administrator.")
        elif error.kind == "window_too_large":
            sentence = _(
                "More notices were published on one day than BOAMP lets us read: narrow the "
                "profile's départements or notice types."
            )
        return self.env["duret.job"]._duret_remote_error_text(error, "BOAMP", sentence)

    def _add_counts(self, counts):
        """Add a finished batch's counters (one UPDATE, safe from its own cursor)."""
        self.ensure_one()
        self.write({key: self[key] + counts.get(key, 0) for key in COUNTERS})

    def _admin_users(self):
        """Administrators of the run's company (OdooBot and portal users aside)."""
        self.ensure_one()
        return self.env["duret.notify"]._duret_alert_recipients(self.company_id)

    def _alert_admins(self, summary, note):
        """``note`` is plain text (it may quote BOAMP's answer): escaped, never read as HTML."""
        self.ensure_one()
        note = escape(note)
        for user in self._admin_users():
            self.activity_schedule(
                "mail.mail_activity_data_warning", user_id=user.id, summary=summary, note=note
            )
        self.watch_id.message_post(body=note)

    def _check_alerts(self, params):
        """Alert on a failed run, or on N days in a row with nothing fetched."""
        self.ensure_one()
        if self.state == "failed":
            self._alert_admins(
                _("BOAMP watch failed"),
                _(
                    'The BOAMP run of profile "%(watch)s" failed: %(error)s',
                    watch=self.watch_id.name,
                    error=self.error_text,
                ),
            )
            return
        if self.fetched or params.empty_alert_days <= 0:
            return
        streak = []
        for run in self.search(
            [("watch_id", "=", self.watch_id.id), ("state", "=", "done")], order="date_start desc"
        ):
            if run.fetched:
                break
            streak.append(run.date_start.date())
        days = set(streak)
        # alert once: on the first empty run of the day the streak reaches N days
        if len(days) == params.empty_alert_days and streak.count(streak[0]) == 1:
            self._alert_admins(
                _("BOAMP watch fetched nothing"),
                _(
                    'Profile "%(watch)s" fetched no notice for %(days)s days in a row: '
                    "check the BOAMP address and the profile's départements.",
                    watch=self.watch_id.name,
                    days=len(days),
                ),
            )


class BoampRunRejection(models.Model):
    _name = "boamp.run.rejection"
    _description = "Notice filtered out by a BOAMP run"
    _order = "id"

    run_id = fields.Many2one("boamp.run", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="run_id.company_id", store=True)
    rules_hash = fields.Char(
        help="Fingerprint of the profile's rules that rejected it: a notice rejected by the "
        "same rules is not scored again; changed rules look at it afresh."
    )
    kind = fields.Selection(
        [("rejected", "Not relevant"), ("error", "Unreadable")], required=True, default="rejected"
    )
    idweb = fields.Char(string="Notice number", index=True)
    objet = fields.Char(string="Object")
    score = fields.Integer()
    reason = fields.Text(required=True)
    notice_url = fields.Char(compute="_compute_notice_url")

    def _compute_notice_url(self):
        for line in self:
            line.notice_url = (
                f"https://www.boamp.fr/pages/avis/?q=idweb:{line.idweb}" if line.idweb else False
            )

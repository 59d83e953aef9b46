"""A run of a watch profile: the unit of work of the nightly job, and its log.

The run fetches its window of notices and imports it batch by batch (``BATCH_SIZE``
records of BOAMP pages of ``PAGE_SIZE``), each batch in its own cursor and committed, so a
run killed halfway keeps the batches it finished; the next run starts from the last
*successful* run's window and skips the notices already stored. A batch of several pages
shares its lookups, creates and flush (a page per commit costs a fifth more time for the
same result). The run keeps what was filtered out, and alerts on failure.
"""

import logging
import time

from markupsafe import escape

from odoo import _, api, fields, models
from odoo.addons.duret_procurement.lib.errors import RateLimitError, RemoteError

from ..lib.read_ahead import ReadAhead
from ..services.notice_import import NoticeImporter

_logger = logging.getLogger(__name__)
COUNTERS = ("fetched", "kept", "created", "updated", "duplicates", "rejected", "errors")
PAGE_SIZE = 100  # records per BOAMP call (the API maximum)
BATCH_SIZE = 500  # records imported and committed together
#: the nightly job, run again when BOAMP asks to wait longer than a job waits in place
NIGHTLY_CRON = "duret_boamp.ir_cron_boamp_watch"


def _chunks(records, size):
    page = []
    for record in records:
        page.append(record)
        if len(page) == size:
            yield page
            page = []
    if page:
        yield page


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

    # -- execution -------------------------------------------------------------
    @api.model
    def _open(self, watch, trigger, params):
        """A new run of ``watch``, committed by its own cursor (in this env, unread).

        The profile's runs left "running" are closed as interrupted first: called under
        the profile's lock, no live process can own them.
        """
        with self.env.registry.cursor() as cr:
            env = self.env(cr=cr)
            watch = watch.with_env(env)
            stale = env["boamp.run"].search(
                [("watch_id", "=", watch.id), ("state", "=", "running")]
            )
            env["duret.job"]._duret_in_job_lang(stale, watch.company_id)._close_interrupted()
            run = env["boamp.run"].create(
                {
                    "watch_id": watch.id,
                    "trigger": trigger,
                    "window_since": watch._window_since(params),
                    "base_url": params.base_url,
                }
            )
            return self.browse(run.id)

    def _in_own_cursor(self, cr):
        return self.with_env(self.env(cr=cr))

    def _execute(self, client, params):
        """Fetch the run's window through ``client`` and import it, then close the run.

        Every read and write goes through fresh cursors: the run was committed after this
        env's transaction began. A bug ends the run "failed", never "running".
        """
        self.ensure_one()
        registry = self.env.registry
        with registry.cursor() as cr:
            run = self._in_own_cursor(cr)
            watch = run.watch_id
            trigger, since = run.trigger, run.window_since
            departements, natures = watch._departement_codes(), watch._natures()
            lang = run.env["duret.job"]._duret_job_lang(watch.company_id)
        budget = getattr(client, "budget", None)  # test doubles of the client have none
        started = time.monotonic()
        state, error = "done", False
        try:
            records = client.iter_window(since, None, departements, natures, page_size=PAGE_SIZE)
            # the next pages download while this batch is imported
            with ReadAhead(_chunks(records, BATCH_SIZE)) as batches:
                for batch in batches:
                    with registry.cursor() as cr:
                        run = self._in_own_cursor(cr)
                        counts = NoticeImporter(run.env, run.watch_id, run).import_records(batch)
                        run._add_counts(counts)
                        run.http_calls = client.http_calls
        except RemoteError as exc:
            state, error = "failed", exc
            _logger.warning("BOAMP run %s failed: %s", self.id, exc)
            if trigger == "cron" and isinstance(exc, RateLimitError):
                # nothing is lost meanwhile: a run's window starts at the last successful run
                self.env["duret.job"]._duret_run_again_after(NIGHTLY_CRON, exc)
        except Exception as exc:  # a bug must end the run cleanly, not leave it "running"
            state, error = "failed", exc
            _logger.exception("BOAMP run %s failed", self.id)
        with registry.cursor() as cr:
            run = self._in_own_cursor(cr).with_context(lang=lang)
            run.write(
                {
                    "state": state,
                    "error_text": run._error_text(error) if error else False,
                    "date_end": fields.Datetime.now(),
                    "duration": time.monotonic() - started,
                    "http_calls": client.http_calls,
                    "remote_seconds": budget.spent if budget else 0.0,
                    "time_budget": budget.seconds if budget else 0.0,
                    "window_until": fields.Date.context_today(run.with_context(tz="Europe/Paris")),
                }
            )
            run._check_alerts(params)

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

    def _send_digests(self):
        """The morning digest of these runs' companies (and of any company with pending
        news, whatever happened to its runs); returns the mails queued."""
        mails = self.env["boamp.digest"]._send(self.company_id)
        self.write({"digest_sent": True})
        return mails

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

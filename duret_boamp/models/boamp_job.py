"""The watch job: fetch a window of notices and import it batch by batch.

BOAMP serves pages of 100 records; the job imports them by batches of
``BATCH_SIZE`` records, each in its own cursor and committed, so a run killed
halfway keeps the batches it finished; the next run starts from the last
*successful* run's window and skips the notices already stored. A batch of
several pages shares its lookups, creates and flush (a page per commit costs
a fifth more time for the same result). A
PostgreSQL advisory lock keyed by the profile keeps the nightly cron and the
"Run now" button from running the same profile at once.
"""

import logging
import time
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.addons.duret_procurement.lib.errors import RateLimitError, RemoteError
from odoo.exceptions import UserError

from ..lib.boamp_client import BoampClient
from ..lib.read_ahead import ReadAhead
from .lead_values import paris_date
from .notice_import import NoticeImporter
from .params import boamp_params

_logger = logging.getLogger(__name__)
LOCK_NAMESPACE = 0x0B0A  # first key of pg_try_advisory_lock(int, int), the profile id second
PAGE_SIZE = 100  # records per BOAMP call (the API maximum)
BATCH_SIZE = 500  # records imported and committed together
NIGHTLY_CRON = "duret_boamp.ir_cron_boamp_nightly"


def _chunks(records, size):
    page = []
    for record in records:
        page.append(record)
        if len(page) == size:
            yield page
            page = []
    if page:
        yield page


class BoampWatch(models.Model):
    _inherit = "boamp.watch"

    @api.model
    def _cron_nightly(self):
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

    def _run_job(self, trigger="manual"):
        """Run this profile under its lock; returns the run (in this env)."""
        self.ensure_one()
        self.env.flush_all()  # the job reads the profile through its own cursors
        lock_cr = self.env.registry.cursor()
        try:
            # session-level lock: it outlives the commits below, and dies with the connection
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
                return self.env["boamp.run"].browse(self._run_locked(trigger))
            finally:
                lock_cr.execute("SELECT pg_advisory_unlock(%s, %s)", (LOCK_NAMESPACE, self.id))
                lock_cr.commit()
        finally:
            lock_cr.close()

    def _boamp_run_again_at(self, moment):
        """BOAMP asked to wait longer than the job waits in place: run the nightly job then.

        Nothing is lost meanwhile: a run's window starts at the last successful run.
        """
        cron = self.env.ref(NIGHTLY_CRON, raise_if_not_found=False)
        if cron:
            with self.env.registry.cursor() as cr:
                cron.with_env(cron.env(cr=cr, su=True))._trigger(moment)

    def _in_own_cursor(self, cr):
        return self.with_env(self.env(cr=cr))

    def _run_locked(self, trigger):
        params = boamp_params(self.env)
        registry = self.env.registry
        with registry.cursor() as cr:
            watch = self._in_own_cursor(cr)
            stale = watch.env["boamp.run"].search(
                [("watch_id", "=", watch.id), ("state", "=", "running")]
            )
            job = watch.env["duret.job"]
            job._duret_in_job_lang(stale, watch.company_id)._close_interrupted()
            since = watch._window_since(params)
            run_id = (
                watch.env["boamp.run"]
                .create(
                    {
                        "watch_id": watch.id,
                        "trigger": trigger,
                        "window_since": since,
                        "base_url": params.base_url,
                    }
                )
                .id
            )
            departements, natures = watch._departement_codes(), watch._natures()
            lang = job._duret_job_lang(watch.company_id)
        client = self._boamp_client(params)
        budget = getattr(client, "budget", None)  # test doubles of the client have none
        started = time.monotonic()
        state, error = "done", False
        try:
            records = client.iter_window(since, None, departements, natures, page_size=PAGE_SIZE)
            # the next pages download while this batch is imported
            with ReadAhead(_chunks(records, BATCH_SIZE)) as batches:
                for batch in batches:
                    with registry.cursor() as cr:
                        watch = self._in_own_cursor(cr)
                        run = watch.env["boamp.run"].browse(run_id)
                        counts = NoticeImporter(watch.env, watch, run).import_records(batch)
                        run._add_counts(counts)
                        run.http_calls = client.http_calls
        except RemoteError as exc:
            state, error = "failed", exc
            _logger.warning("BOAMP run %s failed: %s", run_id, exc)
            if trigger == "cron" and isinstance(exc, RateLimitError) and exc.retry_in:
                self._boamp_run_again_at(fields.Datetime.now() + timedelta(seconds=exc.retry_in))
        except Exception as exc:  # a bug must end the run cleanly, not leave it "running"
            state, error = "failed", exc
            _logger.exception("BOAMP run %s failed", run_id)
        with registry.cursor() as cr:
            run = self._in_own_cursor(cr).env["boamp.run"].browse(run_id).with_context(lang=lang)
            if error:
                error = run._error_text(error)
            run.write(
                {
                    "state": state,
                    "error_text": error,
                    "date_end": fields.Datetime.now(),
                    "duration": time.monotonic() - started,
                    "http_calls": client.http_calls,
                    "remote_seconds": budget.spent if budget else 0.0,
                    "time_budget": budget.seconds if budget else 0.0,
                    "window_until": fields.Date.context_today(run.with_context(tz="Europe/Paris")),
                }
            )
            run._check_alerts(params)
        return run_id

"""The job around the import: window, lock, killed-run recovery, alerts."""

from datetime import datetime, timedelta
from unittest.mock import patch

import requests

from odoo import fields
from odoo.addons.duret_procurement.tests.common import FakeClock, FakeResponse, FakeSession
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from ..lib.boamp_client import JOB_BUDGET, BoampClient
from ..models.boamp_run import BATCH_SIZE
from ..models.boamp_watch import LOCK_NAMESPACE
from ..services.params import boamp_params
from .common import (
    BoampCaseMixin,
    CommittedWatchMixin,
    FakeClient,
    Killed,
    killed_after,
    notice_spec,
    record,
)


@tagged("post_install", "-at_install")
class TestJobWindowAndAlerts(BoampCaseMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_watch()

    def test_first_run_looks_back_then_since_last_success_minus_overlap(self):
        params = boamp_params(self.env)
        today = fields.Date.context_today(self.watch.with_context(tz="Europe/Paris"))
        self.assertEqual(self.watch._window_since(params), today - timedelta(days=7))
        self.env["boamp.run"].create(
            {
                "watch_id": self.watch.id,
                "state": "failed",
                "date_start": datetime(2026, 11, 20, 4),
            }
        )
        self.assertEqual(
            self.watch._window_since(params),
            today - timedelta(days=7),
            "a failed run does not move the window",
        )
        self.env["boamp.run"].create(
            {
                "watch_id": self.watch.id,
                "state": "done",
                "date_start": datetime(2026, 11, 10, 4),
            }
        )
        self.assertEqual(self.watch._window_since(params), datetime(2026, 11, 8).date())

    def test_server_query_uses_profile_departements_and_natures(self):
        self.watch.fetch_attributions = False
        self.assertEqual(self.watch._departement_codes(), ["73", "74", "38"])
        self.assertNotIn("ATTRIBUTION", self.watch._natures())
        self.assertIn("RECTIFICATIF", self.watch._natures())

    def test_failed_run_alerts_administrators(self):
        admin = self.env.ref("base.user_admin")
        run = self.env["boamp.run"].create(
            {
                "watch_id": self.watch.id,
                "state": "failed",
                "error_text": "HTTP 503",
            }
        )
        run._check_alerts(boamp_params(self.env))
        activity = run.activity_ids.filtered(lambda a: a.user_id == admin)
        self.assertEqual(len(activity), 1)
        self.assertIn("HTTP 503", activity.note)

    def test_empty_days_in_a_row_alert_once(self):
        params = boamp_params(self.env)  # default: 3 days
        runs = self.env["boamp.run"]
        for day in (20, 21, 22):
            run = self.env["boamp.run"].create(
                {
                    "watch_id": self.watch.id,
                    "state": "done",
                    "fetched": 0,
                    "date_start": datetime(2026, 11, day, 4),
                }
            )
            run._check_alerts(params)
            runs |= run
        self.assertFalse(runs[0].activity_ids | runs[1].activity_ids)
        self.assertTrue(runs[2].activity_ids, "third empty day in a row alerts")
        again = self.env["boamp.run"].create(
            {
                "watch_id": self.watch.id,
                "state": "done",
                "fetched": 0,
                "date_start": datetime(2026, 11, 22, 9),
            }
        )
        again._check_alerts(params)
        self.assertFalse(again.activity_ids, "a second run the same day does not alert again")

    def test_lock_keeps_two_runs_apart(self):
        with self.registry.cursor() as other:
            other.execute("SELECT pg_advisory_lock(%s, %s)", (LOCK_NAMESPACE, self.watch.id))
            try:
                with self.assertRaises(UserError):
                    self.watch._run_job()
            finally:
                other.execute("SELECT pg_advisory_unlock(%s, %s)", (LOCK_NAMESPACE, self.watch.id))
        self.assertFalse(self.watch.run_ids, "a refused run leaves no trace")


@tagged("post_install", "-at_install")
class TestKilledRun(CommittedWatchMixin, TransactionCase):
    """Real commits: the job's pages commit in their own cursors, as in production."""

    def setUp(self):
        super().setUp()
        self.setup_committed_watch("Killed-run test profile")

    def _state(self):
        with self.committed_env(active_test=False) as env:
            watch = env["boamp.watch"].browse(self.watch_id)
            leads = env["crm.lead"].search([("boamp_watch_id", "=", watch.id)])
            runs = watch.run_ids.sorted("id")
            return (
                sorted(leads.mapped("boamp_idweb")),
                [(r.state, r.created, r.duplicates) for r in runs],
            )

    def test_killed_run_keeps_finished_batches_and_rerun_completes(self):
        records = [record(notice_spec()) for _i in range(2 * BATCH_SIZE + 50)]  # three batches
        expected = sorted(r["idweb"] for r in records)
        done = []
        with self.assertRaises(Killed):
            self.run_committed_job(FakeClient(records), killed_after(2, done))
        idwebs, runs = self._state()
        self.assertEqual(done, [BATCH_SIZE, BATCH_SIZE])
        self.assertEqual(len(idwebs), 2 * BATCH_SIZE, "the two finished batches are committed")
        self.assertEqual(runs, [("running", 2 * BATCH_SIZE, 0)])

        self.run_committed_job(FakeClient(records))
        idwebs, runs = self._state()
        self.assertEqual(idwebs, expected, "every notice has its lead, none twice")
        self.assertEqual(runs, [("interrupted", 2 * BATCH_SIZE, 0), ("done", 50, 2 * BATCH_SIZE)])

    def _runs(self):
        with self.committed_env() as env:
            return [
                run.read(["state", "error_text", "date_end", "remote_seconds", "time_budget"])[0]
                for run in env["boamp.watch"].browse(self.watch_id).run_ids.sorted("id")
            ]

    def _in_french(self):
        """The company's partner writes French: the job's texts follow it (then restored)."""
        with self.committed_env() as env:
            env["res.lang"]._activate_lang("fr_FR")
            partner = env.ref("base.main_company").partner_id
            lang, partner.lang = partner.lang, "fr_FR"
        self.addCleanup(self._restore_lang, lang)

    def _restore_lang(self, lang):
        with self.committed_env() as env:
            env.ref("base.main_company").partner_id.lang = lang

    def test_run_killed_before_its_first_batch_is_closed_truthfully(self):
        """Issue 12, defect 2: the next run says what the killed one imported (nothing)."""
        self._in_french()
        records = [record(notice_spec()) for _i in range(10)]
        with self.assertRaises(Killed):
            self.run_committed_job(FakeClient(records), killed_after(0))
        self.assertEqual(self._runs()[0]["state"], "running")
        self.run_committed_job(FakeClient(records))
        killed, rerun = self._runs()
        self.assertEqual(killed["state"], "interrupted")
        self.assertIn("avant l'import de son premier lot", killed["error_text"])
        self.assertIn("rien n'a été importé", killed["error_text"])
        self.assertTrue(killed["date_end"], "an interrupted run has an end")
        self.assertEqual(rerun["state"], "done")

    def _failing_client(self, answer):
        """A real BOAMP client over a session double and a clock that only tests advance."""
        clock = FakeClock()
        session = FakeSession(clock=clock).add(r".", answer)

        def client(watch, params):
            return BoampClient(params.base_url, session=session, sleep=clock.sleep, clock=clock)

        return client

    def _run_failing(self, answer):
        with self.committed_env() as env:
            watch = env["boamp.watch"].browse(self.watch_id)
            with patch.object(type(watch), "_boamp_client", self._failing_client(answer)):
                watch._run_job(trigger="cron")
        return self._runs()[-1]

    def test_a_silent_boamp_blocks_the_run_a_bounded_time_reported_in_its_log(self):
        """Defect 6: three 20 s reads and the 1 s + 2 s waits between them, within the budget."""
        self._in_french()
        run = self._run_failing(FakeSession.hang)
        self.assertEqual(run["state"], "failed")
        self.assertEqual(run["remote_seconds"], 20 + 1 + 20 + 2 + 20)
        self.assertEqual(run["time_budget"], JOB_BUDGET)
        self.assertTrue(run["error_text"].startswith("BOAMP n'a pas répondu à temps."))

    def test_errors_are_one_french_sentence_then_the_raw_detail(self):
        """Defect 3: under cron the company partner's language, the raw text after it."""
        self._in_french()
        raw = "HTTPConnectionPool(host='boamp', port=80): Max retries exceeded"
        run = self._run_failing(requests.ConnectionError(raw))
        sentence, _sep, detail = run["error_text"].partition(" Détail technique : ")
        self.assertEqual(
            sentence, "BOAMP n'a pas pu être joint : vérifiez l'accès Internet du serveur."
        )
        self.assertIn(raw, detail)

    def test_a_long_retry_after_schedules_the_nightly_job_again(self):
        """Issue 12, defect 5: a long wait is not done in place; the job runs again then."""
        self._in_french()
        before = fields.Datetime.now()
        run = self._run_failing(FakeResponse(429, headers={"Retry-After": "3600"}))
        self.assertTrue(run["error_text"].startswith("BOAMP demande de ralentir"))
        with self.committed_env() as env:
            triggers = env["ir.cron.trigger"].search(
                [
                    ("cron_id", "=", env.ref("duret_boamp.ir_cron_boamp_watch").id),
                    ("call_at", ">=", before + timedelta(seconds=3590)),
                ]
            )
            self.assertEqual(len(triggers), 1)
            self.assertLessEqual(triggers.call_at, fields.Datetime.now() + timedelta(seconds=3600))
            triggers.unlink()

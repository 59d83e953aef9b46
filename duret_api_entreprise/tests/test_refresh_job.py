"""The nightly refresh as a job: errors said where users look, waits, budget, language.

Each test here failed before the shared HTTP layer and job helpers (issue 12,
defects 3 to 6).
"""

import datetime

import requests
from urllib3.exceptions import MaxRetryError, NewConnectionError

from odoo import fields
from odoo.tests import tagged

from ..lib.errors import RateLimitError
from .common import ComplianceCase, FakeClock, FakeResponse, FakeSession


def too_many(retry_after):
    return FakeResponse(
        429,
        {"errors": [{"code": "00429", "title": "Trop de requêtes", "detail": "", "meta": {}}]},
        headers={"Retry-After": str(retry_after)},
    )


@tagged("post_install", "-at_install")
class TestRefreshJob(ComplianceCase):
    def setUp(self):
        super().setUp()
        self.set_token()
        self.company.partner_id.lang = "en_US"
        self.cron = self.env.ref("duret_api_entreprise.ir_cron_compliance_refresh")

    def docs(self, code):
        return self.Document.search(
            [("company_id", "=", self.company.id), ("type_id", "=", self.types[code].id)]
        )

    def test_first_night_failure_of_a_type_without_record_is_said(self):
        """Defect 4: no record yet for the type, the refresh fails: the error is still shown."""
        self.track("qualibat")
        self.assertFalse(self.docs("qualibat"))
        self.session.add(r"/qualibat/", FakeResponse(503, {}))
        self.Service._cron_compliance_refresh()
        doc = self.docs("qualibat")
        self.assertEqual(len(doc), 1, "a record holds the error")
        self.assertIn("unavailable", doc.last_error)
        activity = doc.activity_ids
        self.assertEqual(len(activity), 1, "the responsible is warned")
        self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_warning"))
        self.Service._cron_compliance_refresh()
        self.assertEqual(len(doc.activity_ids), 1, "the same failure the next night: no new to-do")

    def test_a_short_retry_after_is_waited_and_the_batch_goes_on(self):
        """Defect 5: ``Retry-After: 1`` on one document does not stop the others."""
        self.track("urssaf_vigilance", "dgfip_fiscale", "qualibat")
        self.session.add(r"/v4/urssaf/", too_many(1), FakeResponse(404, {}))
        self.session.add(r".", FakeResponse(404, {}))
        summary = self.Service.refresh_company(self.company)
        self.assertFalse(summary["stopped"])
        self.assertEqual(self.sleeps, [1])
        self.assertEqual(len(self.session.paths("/v4/urssaf/")), 2)
        self.assertTrue(self.session.paths("/v4/dgfip/"), "the next documents are fetched")
        self.assertTrue(self.session.paths("/qualibat/"))

    def test_a_long_retry_after_stops_and_schedules_the_job_again(self):
        """Defect 5: a long wait stops the batch and the job runs again at the retry time."""
        self.track("urssaf_vigilance", "dgfip_fiscale")
        self.session.add(r".", too_many(3600))
        before = fields.Datetime.now()
        self.Service._cron_compliance_refresh()
        self.assertEqual(len(self.session.paths("/842317653/")), 1, "one call, the batch stops")
        self.assertFalse(self.sleeps)
        blocked = self.company.compliance_blocked_until
        expected = before + datetime.timedelta(seconds=3600)
        self.assertAlmostEqual(blocked, expected, delta=datetime.timedelta(seconds=5))
        trigger = self.env["ir.cron.trigger"].search(
            [("cron_id", "=", self.cron.id), ("call_at", "=", blocked)]
        )
        self.assertTrue(trigger, "the job runs again when the service said")

    def test_the_pause_is_said_in_french_with_the_right_plural(self):
        """Defect 5: "pendant 1 seconde(s)", not "pendant 1 secondes"."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["duret_procurement", "duret_api_entreprise"], ["fr_FR"], overwrite=True
        )
        remote = self.env["compliance.remote"].with_context(lang="fr_FR")
        message = remote._error_message(RateLimitError("HTTP 429", status=429, retry_in=1))
        self.assertIn("pendant 1 seconde(s)", message)

    def test_one_time_budget_bounds_a_service_that_never_answers(self):
        """Defect 6: ten documents behind a silent service block the job one budget, not ten."""
        codes = [
            "urssaf_vigilance",
            "dgfip_fiscale",
            "qualifelec",
            "qualibat",
            "opqibi",
            "cibtp",
            "cnetp",
            "probtp",
            "fntp",
            "kbis",
        ]
        self.track(*codes)
        clock = FakeClock()
        session = FakeSession(clock=clock).add(r".", FakeSession.hang)
        self.patch(type(self.Service), "_http_session", lambda service: session)
        self.patch(type(self.Service), "_sleep", lambda service, seconds: clock.sleep(seconds))
        self.patch(type(self.Service), "_clock", lambda service: clock())
        started = clock()
        summary = self.Service.refresh_company(self.company)
        blocked = clock() - started
        budget = summary["budget"]
        self.assertLessEqual(blocked, budget.seconds)
        self.assertEqual(blocked, budget.spent)
        self.assertIn("budget", summary["stopped"])
        lines = self.Service.summary_lines(summary)
        self.assertIn(
            f"Remote calls: {budget.spent:.1f} s of a {budget.seconds:g} s budget.", lines
        )

    def test_cron_errors_are_one_french_sentence_then_the_detail(self):
        """Defect 3: under cron, the company's language; the raw text only after the sentence."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["duret_procurement", "duret_api_entreprise"], ["fr_FR"], overwrite=True
        )
        self.company.partner_id.lang = "fr_FR"
        self.track("urssaf_vigilance")
        refused = requests.ConnectionError(
            MaxRetryError(
                None,
                "/v4/urssaf",
                NewConnectionError(None, "HTTPConnectionPool(host='x', port=443): refused"),
            )
        )
        self.session.add(r".", refused)
        self.Service.with_context(lang=None)._cron_compliance_refresh()
        error = self.docs("urssaf_vigilance").last_error
        sentence, _sep, detail = error.partition(" Détail technique : ")
        self.assertEqual(
            sentence,
            "API Entreprise n'a pas pu être joint : vérifiez l'accès Internet du serveur.",
        )
        self.assertIn("HTTPConnectionPool", detail)

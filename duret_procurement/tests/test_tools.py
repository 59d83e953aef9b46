"""What every job shares (duret.job, duret.notify, duret.siret): one behaviour, tested once."""

import datetime

from odoo.tests import TransactionCase, tagged

from ..lib.errors import RateLimitError, RemoteTimeoutError
from .common import make_user


@tagged("post_install", "-at_install")
class TestJobTools(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["res.lang"]._activate_lang("en_US")
        cls.company = cls.env["res.company"].create({"name": "Tools Co"})
        cls.Job = cls.env["duret.job"]
        cls.Notify = cls.env["duret.notify"]

    def test_a_job_writes_in_the_company_language_else_the_recipient(self):
        user = make_user(self.env, "tools_fr", lang="fr_FR", company_id=self.company.id)
        self.company.partner_id.lang = "en_US"
        self.assertEqual(self.Job._duret_job_lang(self.company, user), "en_US")
        self.company.partner_id.lang = False
        self.assertEqual(self.Job._duret_job_lang(self.company, user), "fr_FR")
        in_lang = self.Job._duret_in_job_lang(self.company, self.company, user.partner_id)
        self.assertEqual(in_lang.env.lang, "fr_FR")

    def test_one_sentence_per_kind_then_the_detail(self):
        error = RemoteTimeoutError("no answer within 20 s from boamp.example")
        error.service = "BOAMP"
        french = self.Job.with_context(lang="fr_FR")
        self.assertEqual(
            french._duret_remote_error_text(error),
            "BOAMP n'a pas répondu à temps. Détail technique : no answer within 20 s from "
            "boamp.example",
        )
        unnamed = RateLimitError("")
        self.assertEqual(
            self.Job.with_context(lang="en_US")._duret_remote_error_text(unnamed),
            "The remote service asks to slow down (too many requests).",
        )

    def test_delays_in_the_largest_whole_unit(self):
        french = self.Job.with_context(lang="fr_FR")
        cases = [(1, "1 seconde(s)"), (119, "119 seconde(s)"), (120, "2 minute(s)")]
        cases += [(7200, "2 heure(s)"), (172800, "2 jour(s)")]
        for seconds, text in cases:
            self.assertEqual(french._duret_format_delay(seconds), text)

    def test_alert_recipients(self):
        admin = make_user(
            self.env, "tools_admin", "base.group_user,base.group_system", company_id=self.company.id
        )
        clerk = make_user(self.env, "tools_clerk", company_id=self.company.id)
        self.assertEqual(self.Notify._duret_alert_recipients(self.company), admin)
        self.assertEqual(self.Notify._duret_alert_recipients(self.company, clerk), clerk)
        clerk.active = False
        self.assertEqual(self.Notify._duret_alert_recipients(self.company, clerk), admin)

    def test_expiry_reminder_once_from_its_window(self):
        expiry = datetime.date(2026, 7, 10)
        remind = self.Notify._duret_remind_expiry

        def call(today):
            return remind(
                self.company, expiry, "Token expires", "Renew it", today=today, before_days=30
            )

        self.assertFalse(call(datetime.date(2026, 5, 1)), "too early")
        self.assertTrue(call(datetime.date(2026, 6, 20)))
        self.assertFalse(call(datetime.date(2026, 6, 21)), "once")
        activity = self.company.partner_id.activity_ids
        self.assertEqual(activity.date_deadline, datetime.date(2026, 7, 3))
        self.assertEqual(activity.summary, "Token expires")

    def test_notification_action(self):
        action = self.Notify._duret_notification("Done", title="T", kind="warning", sticky=True)
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(
            action["params"], {"type": "warning", "message": "Done", "sticky": True, "title": "T"}
        )

    def test_siret_message(self):
        siret = self.env["duret.siret"].with_context(lang="en_US")
        self.assertIsNone(siret._duret_siret_message("842 317 653 00017"))
        self.assertEqual(siret._duret_siret_message(""), "The SIRET is missing.")
        self.assertIn("check digit", siret._duret_siret_message("84231765300018"))
        self.assertIsNone(siret._duret_siret_message("00000000100001", check_digits=False))
        la_poste = "35600000000048"  # head office: Luhn; other establishments: digit sum % 5
        self.assertIsNone(siret._duret_siret_message(la_poste))

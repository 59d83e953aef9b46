"""Settings applied where they act, deadline activities and the raw-record purge."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from odoo import fields
from odoo.tests import TransactionCase, tagged

from ..services.params import MIRROR_BASE_URL, PRODUCTION_BASE_URL, boamp_params
from .common import BoampCaseMixin, notice_spec, record

PARIS = ZoneInfo("Europe/Paris")


@tagged("post_install", "-at_install")
class TestHousekeeping(BoampCaseMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_watch()

    def test_cron_hour_setting_moves_the_nightly_nextcall(self):
        settings = self.env["res.config.settings"].create({"boamp_cron_hour": 22})
        settings.set_values()
        cron = self.env.ref("duret_boamp.ir_cron_boamp_watch")
        nextcall = cron.nextcall.replace(tzinfo=ZoneInfo("UTC")).astimezone(PARIS)
        self.assertEqual((nextcall.hour, nextcall.minute), (22, 0))
        now = datetime.now(PARIS)
        self.assertGreater(nextcall, now)
        self.assertLessEqual(nextcall - now, timedelta(days=1))

    def test_base_url_follows_the_source_setting(self):
        icp = self.env["ir.config_parameter"].sudo()
        self.assertEqual(boamp_params(self.env).base_url, PRODUCTION_BASE_URL)
        icp.set_param("duret_boamp.base_url_mode", "mirror")
        self.assertEqual(boamp_params(self.env).base_url, MIRROR_BASE_URL)
        icp.set_param("duret_boamp.base_url_mode", "custom")
        icp.set_param("duret_boamp.custom_base_url", "http://127.0.0.1:8899/")
        self.assertEqual(boamp_params(self.env).base_url, "http://127.0.0.1:8899")

    def _lead_due_in(self, days):
        published = date.today() - timedelta(days=1)
        due = datetime.combine(date.today() + timedelta(days=days), time(12))
        self.import_page([record(notice_spec(published=published, deadline=due))])
        return self.tender_leads().sorted("id")[-1]

    def test_deadline_activity_n_days_before_once(self):
        soon = self._lead_due_in(2)
        later = self._lead_due_in(20)
        soon.user_id = self.env.user
        Lead = self.env["crm.lead"]
        scheduled = Lead._tender_schedule_deadline_activities(3)
        self.assertIn(soon, scheduled)
        self.assertNotIn(later, scheduled)
        deadline_type = self.env.ref("duret_boamp.mail_activity_tender_deadline")
        activity = soon.activity_ids.filtered(lambda a: a.activity_type_id == deadline_type)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.date_deadline, date.today() + timedelta(days=2))
        self.assertEqual(activity.user_id, self.env.user)
        self.assertFalse(later.activity_ids)
        # the next night does not schedule it again
        self.assertNotIn(soon, Lead._tender_schedule_deadline_activities(3))
        self.assertEqual(len(soon.activity_ids), 1)

    def test_raw_records_purged_after_retention_rows_kept(self):
        old = notice_spec(published=date.today() - timedelta(days=40))
        recent = notice_spec(published=date.today() - timedelta(days=2))
        self.import_page([record(old), record(recent)])
        Notice = self.env["boamp.notice"]
        self.assertEqual(Notice._purge_raw_records(30), 1)
        old_row = Notice.search([("idweb", "=", old["idweb"])])
        recent_row = Notice.search([("idweb", "=", recent["idweb"])])
        self.assertTrue(old_row.raw_purged)
        self.assertFalse(old_row.raw_record)
        self.assertIsNone(old_row._record())
        self.assertTrue(old_row.lead_id.active, "the lead stays")
        self.assertEqual(recent_row._record()["idweb"], recent["idweb"])
        self.assertEqual(fields.Date.today() - old_row.publication_date, timedelta(days=40))

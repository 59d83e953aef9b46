"""End to end over real HTTP: the sandbox serves a generated day, the nightly job runs."""

import math
from datetime import timedelta
from unittest.mock import patch

import requests

from odoo import fields
from odoo.addons.duret_procurement.tests.common import SandboxMixin
from odoo.tests import HttpCase, tagged

from ..lib.boamp_client import BoampClient, build_where
from .common import digest_director

RECORDS_PATH = "/api/explore/v2.1/catalog/datasets/boamp/records"
RELEVANT = ("relevant", "relevant_lot")


@tagged("post_install", "-at_install")
class TestNightlyEndToEnd(SandboxMixin, HttpCase):
    def setUp(self):
        super().setUp()
        self.sandbox_reset()
        self.today = fields.Date.context_today(self.env.user.with_context(tz="Europe/Paris"))
        self.sandbox_admin(
            "POST",
            "boamp/load",
            {
                "generate": {"count": 400, "seed": 424242, "day": self.today.isoformat()},
            },
        )
        self.manifest = self.sandbox_admin("GET", "boamp/manifest")
        icp = self.env["ir.config_parameter"]
        icp.set_param("duret_boamp.base_url_mode", "custom")
        icp.set_param("duret_boamp.custom_base_url", self.sandbox_url())
        icp.set_param("duret_boamp.overlap_days", "7")  # the second run re-reads the same window
        self.env["boamp.watch"].search([]).active = False
        self.company = self.env.ref("base.main_company")
        self.director = digest_director(self.company, "boamp_e2e_director")
        self.watch = self.env["boamp.watch"].create(
            {
                "name": "E2E profile",
                "company_id": self.company.id,
                "user_id": self.director.id,
            }
        )
        self.env["boamp.watch"]._apply_default_rules(self.watch.ids)

    def _served(self, since):
        """What BOAMP serves for the profile's query (read through the export route)."""
        where = build_where(since, None, self.watch._departement_codes(), self.watch._natures())
        response = requests.get(
            self.sandbox_url() + "/api/explore/v2.1/catalog/datasets/boamp/exports/json",
            params={"where": where},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()

    def _expected(self, records):
        """Lead keys and kept notices, from the generator's categories.

        Notices are read in publication order (the importer's). An award or a cancellation
        never opens a lead: it is kept only when an earlier notice of its procedure (the
        initial one, a correction) opened the lead.
        """
        closing_natures = ("ATTRIBUTION", "ANNULATION")

        def order(rec):
            closes = rec.get("nature") in closing_natures
            follow_up = closes or rec.get("nature") not in ("APPEL_OFFRE", None)
            return (rec.get("dateparution") or "", follow_up, closes, rec["idweb"])

        keys, kept = set(), set()
        for rec in sorted(records, key=order):
            first = (rec.get("annonce_lie") or [rec["idweb"]])[0]
            if self.manifest.get(first) not in RELEVANT:
                continue
            if rec.get("nature") in closing_natures and first not in keys:
                continue
            keys.add(first)
            kept.add(rec["idweb"])
        return keys, kept

    def _mails(self):
        return self.env["mail.mail"].search([("recipient_ids", "in", self.director.partner_id.ids)])

    def test_nightly_run_then_rerun(self):
        records = self._served(self.today - timedelta(days=7))
        keys, kept = self._expected(records)
        self.assertGreater(len(keys), 10, "the generated day holds relevant tenders")
        calls_before = self.sandbox_calls(RECORDS_PATH)

        self.env["boamp.watch"]._cron_boamp_watch()
        self.env.invalidate_all()  # the job wrote through its own cursors

        run = self.watch.run_ids
        self.assertEqual(len(run), 1)
        self.assertEqual(run.state, "done", run.error_text)
        self.assertEqual(run.trigger, "cron")
        self.assertEqual(run.fetched, len(records))
        self.assertEqual(run.kept, len(kept))
        self.assertEqual(run.created, len(keys))
        self.assertEqual(run.rejected, len(records) - len(kept))
        self.assertEqual((run.duplicates, run.errors), (0, 0))
        self.assertEqual(run.http_calls, self.sandbox_calls(RECORDS_PATH) - calls_before)
        self.assertLessEqual(run.http_calls, math.ceil(len(records) / 100) + 1)
        leads = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search([("boamp_watch_id", "=", self.watch.id)])
        )
        self.assertEqual(set(leads.mapped("boamp_idweb")), keys)
        self.assertEqual(set(leads.boamp_notice_ids.mapped("idweb")), kept)
        self.assertEqual(leads.user_id, self.director)
        rejected = set(run.rejection_ids.mapped("idweb"))
        self.assertEqual(rejected, {r["idweb"] for r in records} - kept)
        self.assertTrue(all(run.rejection_ids.mapped("reason")))
        cancelled = {
            (r.get("annonce_lie") or [None])[0]
            for r in records
            if self.manifest[r["idweb"]] == "annulation" and r["idweb"] in kept
        }
        for lead in leads.filtered(lambda lead: lead.boamp_idweb in cancelled):
            self.assertFalse(lead.active)
            self.assertEqual(lead.lost_reason_id, self.env.ref("duret_boamp.lost_reason_cancelled"))

        mail = self._mails()
        self.assertEqual(len(mail), 1)
        new_active = leads.filtered("active")
        self.assertEqual(mail.subject, f"{len(new_active)} new tenders detected this morning")
        for lead in new_active:
            self.assertIn(f'data-idweb="{lead.boamp_idweb}"', mail.body_html)
        self.assertEqual(mail.state, "outgoing")

        # second night over the same notices: nothing new, no digest
        self.env["boamp.watch"]._cron_boamp_watch()
        self.env.invalidate_all()  # the job wrote through its own cursors
        second = self.watch.run_ids.sorted("id")[-1]
        self.assertEqual(second.state, "done", second.error_text)
        self.assertEqual(second.fetched, len(records))
        self.assertEqual((second.created, second.kept, second.rejected), (0, 0, 0))
        self.assertEqual(second.duplicates, len(records), "stored or rejected by the same rules")
        self.assertEqual(
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search_count([("boamp_watch_id", "=", self.watch.id)]),
            len(keys),
        )
        self.assertEqual(self._mails(), mail)

    def test_unreachable_boamp_fails_the_run_and_alerts(self):
        self.sandbox_fault(RECORDS_PATH, "503", count=20)
        fast = lambda watch, params: BoampClient(params.base_url, backoff=0.01)  # noqa: E731
        with patch.object(type(self.watch), "_boamp_client", fast):
            self.watch.action_run_now()
        self.env.invalidate_all()
        run = self.watch.run_ids
        self.assertEqual(run.state, "failed")
        self.assertIn("503", run.error_text)
        self.assertEqual(run.created, 0)
        admin = self.env.ref("base.user_admin")
        self.assertIn(admin, run.activity_ids.user_id)

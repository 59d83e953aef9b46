"""The digest never misses a lead: nights killed halfway, or killed after the run was done.

Everything is committed through fresh registry cursors (the job's own way) and deleted at
the end, since the test transaction cannot see what the job committed.
"""

from unittest.mock import patch
from uuid import uuid4

from lxml import html

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged

from ..models import boamp_run
from ..services.notice_import import NoticeImporter
from .common import BUYER, notice_spec, record
from .test_job import FakeClient, Killed

BATCH = 5


@tagged("post_install", "-at_install")
class TestDigestAfterKilledNights(TransactionCase):
    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["res.lang"]._activate_lang("en_US")
            company = env.ref("base.main_company")
            watch = env["boamp.watch"].create(
                {"name": "Killed-night digest profile", "company_id": company.id}
            )
            env["boamp.watch"]._apply_default_rules(watch.ids)
            director = env["res.users"].create(
                {
                    "name": "Directrice (digest test)",
                    "login": f"boamp_killed_digest_{uuid4().hex[:8]}",
                    "email": "direction-test@duret-electricite.fr",
                    "lang": "en_US",
                    "groups_id": [(6, 0, [env.ref("sales_team.group_sale_manager").id])],
                }
            )
            self.previous_recipients = company.boamp_digest_user_ids.ids
            company.boamp_digest_user_ids = director
            self.watch_id, self.director_id = watch.id, director.id
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
            watch = env["boamp.watch"].browse(self.watch_id)
            director = env["res.users"].browse(self.director_id)
            env["mail.mail"].search([("recipient_ids", "in", director.partner_id.ids)]).unlink()
            leads = env["crm.lead"].search([("boamp_watch_id", "=", watch.id)])
            partners = leads.partner_id
            leads.unlink()
            partners.filtered(lambda p: p.siret == BUYER["siret"]).unlink()
            watch.run_ids.unlink()
            watch.unlink()
            env.ref("base.main_company").boamp_digest_user_ids = [(6, 0, self.previous_recipients)]
            director.active = False

    def _night(self, records, killer=None, digest=True):
        """One night: the job over ``records`` (killed by ``killer``), then the digest."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            watch = env["boamp.watch"].browse(self.watch_id)
            client = FakeClient(records)
            with (
                patch.object(type(watch), "_boamp_client", lambda self, params, **_kw: client),
                patch.object(boamp_run, "BATCH_SIZE", BATCH),
            ):
                if killer:
                    with patch.object(NoticeImporter, "import_records", killer):
                        watch._run_job()
                else:
                    watch._run_job()
        if not digest:
            return None
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            mails = env["boamp.run"]._send_digests()
            director = env["res.users"].browse(self.director_id)
            mine = mails.filtered(lambda m: director.partner_id in m.recipient_ids)
            return [
                tuple(
                    sorted(
                        html.fromstring(m.body_html).xpath(
                            "//div[contains(@class, 'o_boamp_row')]/@data-idweb"
                        )
                    )
                )
                for m in mine
                if m.body_html
            ]

    def test_killed_nights_reach_the_next_digest_exactly_once(self):
        first_night = [record(notice_spec()) for _i in range(3 * BATCH)]
        original = NoticeImporter.import_records
        done = []

        def killed_on_third_batch(importer, page):
            if len(done) == 2:
                raise Killed()
            done.append(len(page))
            return original(importer, page)

        # night 1: killed halfway (two batches committed, run left "running", no digest)
        with self.assertRaises(Killed):
            self._night(first_night, killed_on_third_batch, digest=False)
        # night 2: the rest of night 1's notices and two new ones; the run ends, the job is
        # killed before its digest (the run says done, no digest went out)
        second_night = first_night + [record(notice_spec()) for _i in range(2)]
        self._night(second_night, digest=False)
        # night 3: nothing new, but the digest goes out: every lead of the two nights, once
        all_idwebs = sorted(r["idweb"] for r in second_night)
        mails = self._night(second_night)
        self.assertEqual(len(mails), 1, "one digest for the director")
        listed = [i for i in mails[0] if i in all_idwebs]
        self.assertEqual(sorted(listed), all_idwebs, "every lead of the killed nights, once")
        # night 4: they were announced; the next digest does not list them again
        mails = self._night(second_night)
        self.assertFalse(mails, "nothing new: no digest (the default skips empty digests)")

"""The digest never misses a lead: nights killed halfway, or killed after the run was done.

Everything is committed through fresh registry cursors (the job's own way) and deleted at
the end, since the test transaction cannot see what the job committed.
"""

from unittest.mock import patch
from uuid import uuid4

from lxml import html

from odoo.tests import TransactionCase, tagged

from ..models import boamp_run
from .common import (
    CommittedWatchMixin,
    FakeClient,
    Killed,
    digest_director,
    killed_after,
    notice_spec,
    record,
)

BATCH = 5


@tagged("post_install", "-at_install")
class TestDigestAfterKilledNights(CommittedWatchMixin, TransactionCase):
    def setUp(self):
        super().setUp()
        self.setup_committed_watch("Killed-night digest profile")
        with self.committed_env() as env:
            company = env.ref("base.main_company")
            self.previous_recipients = company.boamp_digest_user_ids.ids
            director = digest_director(
                company,
                f"boamp_killed_digest_{uuid4().hex[:8]}",
                name="Directrice (digest test)",
                email="direction-test@duret-electricite.fr",
            )
            self.director_id = director.id
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.committed_env(active_test=False) as env:
            director = env["res.users"].browse(self.director_id)
            env["mail.mail"].search([("recipient_ids", "in", director.partner_id.ids)]).unlink()
            env.ref("base.main_company").boamp_digest_user_ids = [(6, 0, self.previous_recipients)]
            director.active = False

    def _night(self, records, killer=None, digest=True):
        """One night: the job over ``records`` (killed by ``killer``), then the digest."""
        with patch.object(boamp_run, "BATCH_SIZE", BATCH):
            self.run_committed_job(FakeClient(records), killer)
        if not digest:
            return None
        with self.committed_env() as env:
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
        # night 1: killed halfway (two batches committed, run left "running", no digest)
        with self.assertRaises(Killed):
            self._night(first_night, killed_after(2), digest=False)
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

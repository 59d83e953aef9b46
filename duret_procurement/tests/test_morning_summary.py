"""The morning summary framework: who gets one, once per item, opt-out, escaping, kills.

The sections are played by a fake ``_duret_summary_sections`` here; each addon tests its
own section with seeded records.
"""

from unittest.mock import patch

from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .common import make_user


class Killed(BaseException):
    """A kill of the job (not an error a ``except Exception`` would catch)."""


@tagged("post_install", "-at_install")
class TestMorningSummary(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Summary = cls.env["procurement.morning.summary"]
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.alice = make_user(cls.env, "ms_alice", email="alice@example.com")
        cls.bob = make_user(cls.env, "ms_bob", email="bob@example.com")
        cls.users = cls.alice | cls.bob
        # the news of the fake sections, per user login: [(key, title)]
        cls.news = {}

    def sections(self, summary, user, since):
        if user not in self.users:
            return []
        items = [
            {"key": key, "title": title, "detail": "détail", "url": "https://x/1", "tone": "info"}
            for key, title in self.news.get(user.login, [])
        ]
        pointer = {
            "code": "pointer",
            "sequence": 1,
            "title": "Ailleurs",
            "items": [],
            "pointer": True,
            "footer": "Voir l'autre courriel",
        }
        return [{"code": "fake", "sequence": 5, "title": "Fake", "items": items}, pointer]

    def run_cron(self):
        with patch.object(
            type(self.Summary),
            "_duret_summary_sections",
            lambda summary, user, since: self.sections(summary, user, since),
        ):
            return self.Summary._cron_morning_summary()

    def mine(self, user):
        return self.Summary.search([("user_id", "=", user.id)])

    def test_one_summary_per_user_with_news_and_each_item_once(self):
        self.news = {"ms_alice": [("a1", "Facture 1"), ("a2", "Facture 2")]}
        sent = self.run_cron()
        self.assertEqual(sent.user_id, self.alice, "nothing is sent to a user without news")
        self.assertEqual(sorted(sent.item_ids.mapped("key")), ["a1", "a2"])
        self.assertEqual(sent.mail_id.recipient_ids, self.alice.partner_id)
        self.assertIn("Facture 2", sent.mail_id.body_html)
        # the same news the next morning: nothing; one more item: only it
        self.assertFalse(self.run_cron())
        self.news["ms_alice"].append(("a3", "Facture 3"))
        again = self.run_cron()
        self.assertEqual(again.item_ids.mapped("key"), ["a3"])
        self.assertNotIn("Facture 1", again.mail_id.body_html)
        self.assertEqual(len(self.mine(self.alice)), 2)

    def test_a_pointer_alone_is_no_news(self):
        self.news = {"ms_bob": [("p1", "Bob")]}
        sent = self.run_cron()
        self.assertEqual(sent.user_id, self.bob, "Alice has only the pointer: nothing sent")
        body = sent.mail_id.body_html
        self.assertLess(body.index("Ailleurs"), body.index("Fake"), "sections in their order")

    def test_killed_halfway_each_user_gets_exactly_one_summary(self):
        self.news = {"ms_alice": [("k1", "Alice 1")], "ms_bob": [("k2", "Bob 1")]}
        create = type(self.Summary).create
        Summary = type(self.Summary)

        def killed_at_bob(summary, values):
            # the kill comes after Bob's mail was queued, before his summary is recorded
            if values["user_id"] == self.bob.id:
                raise Killed()
            return create(summary, values)

        # not assertRaises: it rolls back what the test asserts (Alice's finished summary)
        killed = False
        with patch.object(Summary, "create", killed_at_bob):
            try:
                self.run_cron()
            except Killed:
                killed = True
        self.assertTrue(killed)
        self.assertEqual(len(self.mine(self.alice)), 1)
        self.assertFalse(self.mine(self.bob))
        self.assertFalse(
            self.env["mail.mail"].search([("recipient_ids", "in", self.bob.partner_id.ids)]),
            "the mail queued before the kill went with the user's unfinished work",
        )
        # the run again: Bob gets his one summary, Alice nothing more
        self.news["ms_bob"].append(("k3", "Bob 2"))
        sent = self.run_cron()
        self.assertEqual(sent.user_id, self.bob)
        self.assertEqual(sorted(sent.item_ids.mapped("key")), ["k2", "k3"])
        self.assertEqual(len(self.mine(self.alice)), 1)
        mails = self.env["mail.mail"].search([("recipient_ids", "in", self.users.partner_id.ids)])
        self.assertEqual(len(mails), 2)

    def test_one_failing_user_does_not_stop_the_others(self):
        self.news = {"ms_alice": [("f1", "Alice")], "ms_bob": [("f2", "Bob")]}
        render = type(self.env["ir.qweb"])._render

        def broken_for_alice(qweb, template, values=None, **kw):
            if values and values.get("user") == self.alice:
                raise ValueError("broken section")
            return render(qweb, template, values, **kw)

        with (
            patch.object(type(self.env["ir.qweb"]), "_render", broken_for_alice),
            mute_logger("odoo.addons.duret_procurement.models.procurement_morning_summary"),
        ):
            sent = self.run_cron()
        self.assertEqual(sent.user_id, self.bob)
        # Alice's news wait for the next run
        self.assertEqual(self.run_cron().user_id, self.alice)

    def test_opt_out_in_preferences(self):
        self.news = {"ms_alice": [("o1", "Alice")], "ms_bob": [("o2", "Bob")]}
        self.assertIn("duret_morning_summary", self.alice.SELF_WRITEABLE_FIELDS)
        self.alice.with_user(self.alice).write({"duret_morning_summary": False})
        self.assertEqual(self.run_cron().user_id, self.bob)

    def test_remote_text_is_escaped_and_the_mail_is_in_the_job_language(self):
        self.env.company.partner_id.lang = "fr_FR"
        self.news = {"ms_alice": [("e1", "<script>alert(1)</script> Mairie")]}
        body = self.run_cron().mail_id.body_html
        self.assertNotIn("<script>", body)
        self.assertIn("&lt;script&gt;", body)
        self.assertIn('href="https://x/1"', body)

    def test_users_read_only_their_own_summaries(self):
        self.news = {"ms_alice": [("r1", "A")], "ms_bob": [("r2", "B")]}
        self.run_cron()
        seen = self.Summary.with_user(self.alice).search([("user_id", "in", self.users.ids)])
        self.assertEqual(seen.user_id, self.alice)

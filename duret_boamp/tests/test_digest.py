import email
import email.policy
from datetime import timedelta
from unittest.mock import patch

from lxml import html

from odoo import fields
from odoo.addons.base.models.ir_mail_server import IrMailServer
from odoo.tests import TransactionCase, tagged

from .common import BoampCaseMixin, digest_director, follow_up_spec, notice_spec, record
from .smtp_sink import SmtpSink


@tagged("post_install", "-at_install")
class TestDigest(BoampCaseMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_watch()
        cls.director = digest_director(cls.company, "boamp_director")

    def _night(self):
        specs = [
            notice_spec(objet="Éclairage public <script>alert('x')</script> de la place"),
            notice_spec(objet="Installation photovoltaïque sur la toiture du gymnase"),
            notice_spec(objet="Rénovation électrique de la mairie"),
        ]
        run, _counts = self.import_page([record(s) for s in specs])
        return run, specs

    def test_digest_rows_escaped_and_due_soon(self):
        due = self.env["crm.lead"].create(
            {
                "name": "AO Old tender due soon",
                "boamp_idweb": "26-777777",
                "company_id": self.company.id,
                "tender_deadline": fields.Datetime.now() + timedelta(days=3),
            }
        )
        run, specs = self._night()
        mails = run._send_digests()
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.state, "outgoing", "sent through the mail queue")
        self.assertEqual(mails.recipient_ids, self.director.partner_id)
        self.assertEqual(mails.subject, "3 new tenders detected this morning")
        body = str(mails.body_html)
        self.assertNotIn("<script>", body)
        self.assertIn("&lt;script&gt;", body)
        tree = html.fromstring(body)
        rows = tree.xpath("//div[contains(@class, 'o_boamp_row')]")
        self.assertEqual(
            sorted(r.get("data-idweb") for r in rows), sorted(s["idweb"] for s in specs)
        )
        for row in rows:
            links = [a.get("href") for a in row.xpath(".//a")]
            self.assertTrue(any("model=crm.lead" in link for link in links))
            self.assertTrue(any("marches-publics.info" in link for link in links), "DCE link")
            self.assertTrue(
                any("/not_relevant" in link for link in links), "one-click not relevant"
            )
        due_rows = tree.xpath("//div[contains(@class, 'o_boamp_due_row')]/@data-idweb")
        self.assertIn(due.boamp_idweb, due_rows)
        self.assertTrue(run.digest_sent)

    def test_a_lead_without_probability_is_still_due_soon(self):
        """crm's scoring may never have given a lead a probability (NULL in the database):
        it is not won, its deadline is shown and reminded."""
        lead = self.env["crm.lead"].create(
            {
                "name": "AO Never scored",
                "boamp_idweb": "26-777778",
                "company_id": self.company.id,
                "tender_deadline": fields.Datetime.now() + timedelta(days=3),
            }
        )
        self.env.flush_all()
        self.env.cr.execute("UPDATE crm_lead SET probability = NULL WHERE id = %s", [lead.id])
        self.env.invalidate_all()
        _new, _changes, due, _pending, _all = self.env["boamp.digest"]._digest_content(self.company)
        self.assertIn(lead, due)
        self.assertIn(lead, self.env["crm.lead"]._tender_schedule_deadline_activities(3))

    def test_no_mail_when_nothing_new_unless_asked(self):
        run = self.new_run()
        self.assertFalse(run._send_digests())
        self.env["ir.config_parameter"].set_param("duret_boamp.digest_skip_empty", "False")
        mails = run._send_digests()
        self.assertEqual(mails.subject, "No new tender this morning")

    def test_digest_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["duret_boamp"], ["fr_FR"], overwrite=True)
        self.director.lang = "fr_FR"
        run, _specs = self._night()
        mails = run._send_digests()
        self.assertEqual(mails.subject, "3 nouveaux appels d'offres détectés ce matin")
        self.assertIn("Nouveaux appels d'offres", str(mails.body_html))
        self.assertIn("Ouvrir la piste", str(mails.body_html))

    def test_digest_delivered_over_smtp(self):
        run, specs = self._night()
        mails = run._send_digests()
        with SmtpSink() as sink:
            self.env["ir.mail_server"].create(
                {
                    "name": "Loopback sink",
                    "smtp_host": "127.0.0.1",
                    "smtp_port": sink.port,
                    "smtp_encryption": "none",
                    "sequence": 1,
                }
            )
            with patch.object(IrMailServer, "_is_test_mode", lambda self: False):
                mails.send(raise_exception=True)
        self.assertEqual(mails.state, "sent")
        self.assertEqual(len(sink.messages), 1)
        message = email.message_from_bytes(sink.messages[0]["data"], policy=email.policy.default)
        self.assertEqual(message["Subject"], "3 new tenders detected this morning")
        self.assertIn("direction@duret-electricite.fr", " ".join(sink.messages[0]["to"]))
        body = message.get_body(("html",)).get_content()
        for spec in specs:
            self.assertIn(spec["idweb"], body)
        self.assertNotIn("<script>", body)


@tagged("post_install", "-at_install")
class TestDigestChangesAndSalespeople(BoampCaseMixin, TransactionCase):
    """The "changes" section, the order of the sections, and each salesperson's summary."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_watch()
        cls.env["res.lang"]._activate_lang("en_US")
        manager = cls.env.ref("sales_team.group_sale_manager")
        salesman = cls.env.ref("sales_team.group_sale_salesman")
        cls.director, cls.salesman = cls.env["res.users"].create(
            [
                {
                    "name": "Directrice",
                    "login": "boamp_changes_director",
                    "email": "direction@duret-electricite.fr",
                    "lang": "en_US",
                    "groups_id": [(6, 0, manager.ids)],
                },
                {
                    "name": "Commercial",
                    "login": "boamp_changes_salesman",
                    "email": "commercial@duret-electricite.fr",
                    "lang": "en_US",
                    "groups_id": [(6, 0, salesman.ids)],
                },
            ]
        )
        cls.company.boamp_digest_user_ids = cls.director
        cls.watch.user_id = cls.salesman

    def _mail_of(self, mails, user):
        mail = mails.filtered(lambda m: user.partner_id in m.recipient_ids)
        self.assertEqual(len(mail), 1)
        return mail, html.fromstring(mail.body_html)

    def test_changes_listed_once_after_the_leads_were_announced(self):
        initial = notice_spec()
        cancelled = notice_spec(objet="Travaux d'éclairage public du gymnase")
        soon = notice_spec(deadline=fields.Datetime.now() + timedelta(days=3))
        run, _counts = self.import_page([record(s) for s in (initial, cancelled, soon)])
        first = run._send_digests()
        _mail, tree = self._mail_of(first, self.director)
        self.assertEqual(len(tree.xpath("//div[contains(@class, 'o_boamp_row')]")), 3)
        self.assertFalse(tree.xpath("//div[contains(@class, 'o_boamp_change_row')]"))
        # the deadlines of the week come first
        sections = [
            "o_boamp_due_row" if "o_boamp_due_row" in div.get("class") else "o_boamp_row"
            for div in tree.xpath("//div[@data-idweb]")
        ]
        self.assertEqual(sections[0], "o_boamp_due_row")

        moved = follow_up_spec(
            initial, "RECTIFICATIF", deadline=initial["deadline"] + timedelta(days=10)
        )
        run, _counts = self.import_page(
            [record(moved), record(follow_up_spec(cancelled, "ANNULATION"))]
        )
        second = run._send_digests()
        mail, tree = self._mail_of(second, self.director)
        self.assertFalse(tree.xpath("//div[contains(@class, 'o_boamp_row')]"), "nothing new")
        kinds = {
            row.get("data-idweb"): row.get("data-kind")
            for row in tree.xpath("//div[contains(@class, 'o_boamp_change_row')]")
        }
        self.assertEqual(kinds, {initial["idweb"]: "deadline", cancelled["idweb"]: "cancelled"})
        self.assertEqual(
            mail.subject, "No new tender this morning, 2 change(s) on followed tenders"
        )
        self.assertIn("Deadline moved", mail.body_html)
        self.assertIn("→", mail.body_html, "old → new deadline")
        self.assertFalse(run._send_digests(), "announced once")

    def test_each_salesperson_gets_the_tenders_assigned_to_them(self):
        mine = notice_spec()
        run, _counts = self.import_page([record(mine)])
        other = self.tender_leads().filtered(lambda lead: lead.boamp_idweb != mine["idweb"])
        self.assertFalse(other)
        mails = run._send_digests()
        _mail, tree = self._mail_of(mails, self.salesman)
        self.assertEqual(
            tree.xpath("//div[contains(@class, 'o_boamp_row')]/@data-idweb"), [mine["idweb"]]
        )
        _mail, tree = self._mail_of(mails, self.director)
        self.assertIn(
            mine["idweb"], tree.xpath("//div[contains(@class, 'o_boamp_row')]/@data-idweb")
        )

import email
import email.policy
from datetime import timedelta
from unittest.mock import patch

from lxml import html

from odoo import fields
from odoo.addons.base.models.ir_mail_server import IrMailServer
from odoo.tests import TransactionCase, tagged

from .common import BoampCaseMixin, notice_spec, record
from .smtp_sink import SmtpSink


@tagged("post_install", "-at_install")
class TestDigest(BoampCaseMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_watch()
        cls.env["res.lang"]._activate_lang("en_US")  # the template database may only have French
        cls.director = cls.env["res.users"].create(
            {
                "name": "Directrice commerciale",
                "login": "boamp_director",
                "email": "direction@duret-electricite.fr",
                "lang": "en_US",
                "groups_id": [(6, 0, [cls.env.ref("sales_team.group_sale_manager").id])],
            }
        )
        cls.company.boamp_digest_user_ids = cls.director

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

"""The sales director's morning, clicked in French in a real browser (issue 16).

Digest link → tender lead → go with its reason → convert to opportunity → "Dossier
administratif". Before the fixes, the conversion failed on the tender company constraint
and the dossier crashed on ``ir.attachment.type = 'opportunity'``. Each screen is saved as a
PNG (``$DURET_SCREENS_DIR``, default ``/tmp/duret_screens``) for a human to look at.
"""

import base64
import datetime

from lxml import html

from odoo.tests import HttpCase, tagged

from .common import PDF

try:  # the tour follows a lead of the BOAMP watch: it needs duret_boamp
    from odoo.addons.duret_boamp.services.notice_import import NoticeImporter
    from odoo.addons.duret_boamp.tests.common import notice_spec, record
    from odoo.addons.duret_procurement.tests.screens import ScreenshotTourMixin, screens_dir
except ImportError:  # pragma: no cover - duret_boamp absent from the addons path
    NoticeImporter = None
    ScreenshotTourMixin = object

TOUR = "duret_director_morning_tour"


@tagged("post_install", "-at_install")
class TestDirectorMorningTour(ScreenshotTourMixin, HttpCase):
    def setUp(self):
        super().setUp()
        if NoticeImporter is None or "boamp_idweb" not in self.env["crm.lead"]._fields:
            self.skipTest("duret_boamp is not installed")
        env = self.env
        env["res.lang"]._activate_lang("fr_FR")
        # this company works with leads first (CRM setting "Pistes")
        env.ref("base.group_user").implied_ids = [(4, env.ref("crm.group_use_lead").id)]
        self.company = env.ref("base.main_company")
        self.director = env["res.users"].create(
            {
                "name": "Directrice commerciale",
                "login": "duret_morning_director",
                "password": "duret_morning_director",
                "email": "direction@duret-electricite.fr",
                "lang": "fr_FR",
                "tz": "Europe/Paris",
                "groups_id": [
                    (4, env.ref("sales_team.group_sale_manager").id),
                    (4, env.ref("duret_procurement.group_manager").id),
                ],
            }
        )
        self.company.boamp_digest_user_ids = self.director
        today = datetime.date.today()
        urssaf = env.ref("duret_api_entreprise.type_urssaf_vigilance")
        self.company.compliance_tracked_type_ids = [(6, 0, urssaf.ids)]
        self.company.compliance_award_margin_days = 30
        env["compliance.document"].create(
            {
                "name": "URSSAF tournée du matin",
                "type_id": urssaf.id,
                "company_id": self.company.id,
                "date_end": today + datetime.timedelta(days=20),
                "file": base64.b64encode(PDF),
                "file_name": "urssaf.pdf",
            }
        )
        watch = env.ref("duret_boamp.watch_default")
        watch.user_id = False  # nobody assigned yet: the director hands it over at conversion
        spec = notice_spec(
            published=today - datetime.timedelta(days=1),
            deadline=datetime.datetime.combine(
                today + datetime.timedelta(days=5), datetime.time(12)
            ),
        )
        run = env["boamp.run"].create({"watch_id": watch.id})
        NoticeImporter(env, watch, run).import_records([record(spec)])
        self.lead = env["crm.lead"].search([("boamp_idweb", "=", spec["idweb"])])
        self.assertEqual(self.lead.type, "lead")
        env.flush_all()  # recompute now, not while the browser logs in

    def _digest_link(self):
        """The "Ouvrir la piste" link of the lead in the director's digest, as a path."""
        mails = self.env["boamp.run"]._send_digests()
        mail = mails.filtered(lambda m: self.director.partner_id in m.recipient_ids)
        self.assertEqual(len(mail), 1)
        # the digest itself, kept beside the screenshots for a human to open (phone width)
        folder = screens_dir() / TOUR
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "00-synthese.html").write_text(
            '<meta name="viewport" content="width=device-width">' + mail.body_html,
            encoding="utf-8",
        )
        tree = html.fromstring(mail.body_html)
        row = f"//div[@data-idweb='{self.lead.boamp_idweb}']"
        hrefs = tree.xpath(row + "//a[contains(@class, 'o_boamp_open')]/@href")
        self.assertEqual(len(hrefs), 1)
        return hrefs[0][len(self.company.get_base_url()) :]

    def test_director_morning(self):
        path = self._digest_link()
        self.assertIn("action=", path, "the link opens the lead inside the tender pipeline")
        screens = self.start_tour_with_screens(path, TOUR, login="duret_morning_director")
        self.assertEqual(len(screens), 6, [p.name for p in screens])
        self.assertEqual(self.lead.type, "opportunity")
        self.assertEqual(self.lead.team_id, self.env.ref("sales_team.team_sales_department"))
        self.assertFalse(self.lead.team_id.company_id, "a team without company…")
        self.assertEqual(self.lead.company_id, self.company, "…the tender keeps its company")
        self.assertEqual(self.lead.tender_decision, "go")
        self.assertEqual(
            self.lead.stage_id, self.env.ref("duret_boamp.crm_stage_tender_preparation")
        )
        zips = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "crm.lead"),
                ("res_id", "=", self.lead.id),
                ("mimetype", "=", "application/zip"),
            ]
        )
        self.assertEqual(zips.mapped("type"), ["binary"])

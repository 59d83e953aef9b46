from datetime import date, datetime, timedelta

from odoo import fields
from odoo.addons.duret_procurement.tests.common import DIRECTOR, TourMixin, make_user
from odoo.addons.duret_procurement.tests.screens import ScreenshotTourMixin
from odoo.tests import HttpCase, tagged

from ..services.notice_import import NoticeImporter
from .common import notice_spec, record


@tagged("post_install", "-at_install")
class TestTenderTour(TourMixin, HttpCase):
    def test_director_finds_tender_in_pipeline(self):
        director = make_user(
            self.env, "boamp_tour_director", DIRECTOR, lang="en_US", name="Directrice commerciale"
        )
        self.env["crm.lead"].create(
            {
                "name": "AO Commune de Tourville - Éclairage public du centre bourg",
                "type": "opportunity",
                "user_id": director.id,
                "company_id": self.env.ref("base.main_company").id,
                "boamp_idweb": "26-424242",
                "tender_deadline": fields.Datetime.now() + timedelta(days=12),
                "expected_revenue": 150000,
            }
        )
        self.tour_as(director, "duret_boamp_tender_tour")


@tagged("post_install", "-at_install")
class TestPipelineTours(ScreenshotTourMixin, HttpCase):
    """The tender pipeline and the digest's "Non pertinent" link, clicked in French."""

    def setUp(self):
        super().setUp()
        env = self.env
        env["res.lang"]._activate_lang("fr_FR")
        self.director = env["res.users"].create(
            {
                "name": "Directrice commerciale",
                "login": "boamp_pipeline_director",
                "password": "boamp_pipeline_director",
                "lang": "fr_FR",
                "tz": "Europe/Paris",
                "groups_id": [
                    (4, env.ref("sales_team.group_sale_manager").id),
                    (4, env.ref("duret_procurement.group_manager").id),
                ],
            }
        )
        watch = env.ref("duret_boamp.watch_default")
        watch.user_id = self.director
        today = date.today()
        soon = notice_spec(
            objet="Éclairage du stade municipal",
            published=today - timedelta(days=1),
            deadline=datetime.combine(today + timedelta(days=2), datetime.min.time()).replace(
                hour=12
            ),
        )
        other = notice_spec(objet="Travaux électriques et fourniture de mobilier de la mairie")
        run = env["boamp.run"].create({"watch_id": watch.id})
        NoticeImporter(env, watch, run).import_records([record(soon), record(other)])
        Lead = env["crm.lead"]
        self.soon = Lead.search([("boamp_idweb", "=", soon["idweb"])])
        self.other = Lead.search([("boamp_idweb", "=", other["idweb"])])
        self.assertEqual(self.soon.team_id, env.ref("duret_boamp.crm_team_tenders"))
        env.flush_all()  # recompute now, not while the browser logs in

    def test_pipeline_countdown_and_not_relevant_from_the_card(self):
        screens = self.start_tour_with_screens(
            "/web", "duret_boamp_pipeline_tour", login="boamp_pipeline_director"
        )
        self.assertEqual(len(screens), 3, [p.name for p in screens])
        self.assertFalse(self.other.active)
        self.assertEqual(
            self.other.tender_not_relevant_reason, "Fourniture seule, pas de lot électricité"
        )
        self.assertTrue(self.soon.active)

    def test_not_relevant_link_of_the_digest(self):
        path = f"/duret_boamp/lead/{self.other.id}/not_relevant"
        screens = self.start_tour_with_screens(
            path, "duret_boamp_digest_not_relevant_tour", login="boamp_pipeline_director"
        )
        self.assertEqual(len(screens), 2, [p.name for p in screens])
        self.assertFalse(self.other.active)
        self.assertTrue(self.other.tender_not_relevant)

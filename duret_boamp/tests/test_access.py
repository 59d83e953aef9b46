from odoo.addons.duret_procurement.tests.common import DIRECTOR, SALESPERSON, make_user
from odoo.exceptions import AccessError
from odoo.tests import Form, TransactionCase, tagged

from .common import BoampCaseMixin, notice_spec, record


@tagged("post_install", "-at_install")
class TestAccessAndFeedback(BoampCaseMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_watch()
        cls.salesman = make_user(
            cls.env,
            "boamp_salesman",
            SALESPERSON,
            name="Commercial",
            email="commercial@example.com",
        )
        cls.manager = make_user(
            cls.env, "boamp_manager", DIRECTOR, name="Responsable", email="responsable@example.com"
        )

    def test_salesperson_reads_but_cannot_edit_profiles(self):
        watch = self.watch.with_user(self.salesman)
        self.assertEqual(watch.name, "Test profile")
        with self.assertRaises(AccessError):
            watch.write({"min_score": 0})
        with self.assertRaises(AccessError):
            self.env["boamp.watch"].with_user(self.salesman).create({"name": "Mine"})
        with self.assertRaises(AccessError):
            watch.action_run_now()

    def test_salesperson_cannot_change_settings(self):
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(self.salesman).create(
                {"boamp_lookback_days": 30}
            )
        with self.assertRaises(AccessError):
            self.env["ir.config_parameter"].with_user(self.salesman).set_param(
                "duret_boamp.lookback_days", "30"
            )

    def test_manager_edits_profiles(self):
        self.watch.with_user(self.manager).write({"min_score": 10})
        self.assertEqual(self.watch.min_score, 10)

    def test_profiles_of_other_companies_are_hidden(self):
        other = self.env["res.company"].create({"name": "Autre société"})
        hidden = self.env["boamp.watch"].create({"name": "Other", "company_id": other.id})
        visible = self.env["boamp.watch"].with_user(self.salesman).search([])
        self.assertIn(self.watch, visible)
        self.assertNotIn(hidden, visible)

    def test_not_relevant_archives_and_lowers_precision(self):
        self.import_page([record(notice_spec()) for _i in range(4)])
        leads = self.tender_leads()
        self.assertEqual(self.watch.precision, 100.0)
        action = leads[0].with_user(self.salesman).action_tender_not_relevant()
        wizard_form = Form(
            self.env[action["res_model"]].with_user(self.salesman).with_context(action["context"])
        )
        with self.assertRaises(AssertionError):  # the reason is required
            wizard_form.save()
        wizard_form.reason = "Fourniture seule, pas de travaux"
        wizard_form.save().action_confirm()
        self.assertFalse(leads[0].active)
        self.assertTrue(leads[0].tender_not_relevant)
        self.assertIn("Fourniture seule", leads[0].message_ids[0].body)
        self.watch.invalidate_recordset()
        self.assertEqual((self.watch.kept_lead_count, self.watch.not_relevant_count), (3, 1))
        self.assertEqual(self.watch.precision, 75.0)

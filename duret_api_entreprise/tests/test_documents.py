import datetime

from odoo.addons.duret_procurement.tests.common import make_user
from odoo.tests import tagged

from ..lib.dates import validity_end
from .common import ComplianceCase

D = datetime.date


@tagged("post_install", "-at_install")
class TestDocumentLifecycle(ComplianceCase):
    def make(self, code="insurance_rc", **values):
        return self.Document.create(
            {
                "name": values.pop("name", code),
                "type_id": self.types[code].id,
                "company_id": self.company.id,
                **values,
            }
        )

    def state_on(self, doc, day):
        doc = doc.with_context(duret_today=day)
        doc._compute_state()
        return doc.state

    def test_validity_rules(self):
        self.assertEqual(validity_end("month_end", D(2022, 12, 3), 6), D(2023, 6, 30))
        self.assertEqual(validity_end("months", D(2023, 5, 2), 3), D(2023, 8, 1))
        self.assertEqual(validity_end("year_end", D(2023, 4, 11), 0), D(2023, 12, 31))
        self.assertEqual(validity_end("day", D(2023, 4, 11), 0), D(2023, 4, 11))
        self.assertIsNone(validity_end("none", D(2023, 4, 11), 0))

    def test_states_over_time(self):
        self.company.compliance_reminder_days = 30
        doc = self.make(issue_date=D(2026, 1, 1), date_end=D(2026, 6, 30))
        self.assertEqual(self.state_on(doc, D(2026, 3, 1)), "valid")
        self.assertEqual(self.state_on(doc, D(2026, 5, 31)), "expiring")
        self.assertEqual(self.state_on(doc, D(2026, 6, 30)), "expiring")
        self.assertEqual(self.state_on(doc, D(2026, 7, 1)), "expired")
        self.company.compliance_reminder_days = 10
        self.assertEqual(self.state_on(doc, D(2026, 5, 31)), "valid")
        self.assertEqual(self.make(name="nothing").state, "missing")
        self.assertEqual(self.make(name="open", issue_date=D(2020, 1, 1)).state, "valid")
        refused = self.make(name="refused", date_end=D(2099, 1, 1), delivered=False)
        self.assertEqual(refused.state, "missing")

    def test_onchange_applies_type_rule(self):
        doc = self.Document.new(
            {"type_id": self.types["urssaf_vigilance"].id, "issue_date": D(2022, 12, 3)}
        )
        doc._onchange_type_dates()
        self.assertEqual(doc.date_end, D(2023, 6, 30))
        self.assertEqual(doc.name, self.types["urssaf_vigilance"].name)

    def test_placeholders_for_missing_required_types(self):
        self.track("urssaf_vigilance", "insurance_rc", "qualibat")
        self.make("insurance_rc", date_end=D(2030, 1, 1))
        created = self.Document._ensure_placeholders(self.company)
        self.assertEqual(
            created.type_id,
            self.types["urssaf_vigilance"],
            "qualibat is optional, insurance_rc exists",
        )
        self.assertEqual(created.state, "missing")
        self.assertFalse(self.Document._ensure_placeholders(self.company), "idempotent")

    def test_reminder_activities(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.company.partner_id.lang = "fr_FR"  # a job writes in the company's language
        user = make_user(self.env, "compliance_t", email="compliance@example.com")
        self.company.compliance_responsible_id = user
        soon = self.make(date_end=D(2026, 6, 30))
        later = self.make(name="later", date_end=D(2026, 12, 31))
        self.assertEqual(soon.user_id, user)
        Document = self.Document.with_context(duret_today=D(2026, 6, 5))
        reminded = Document._schedule_reminders()
        self.assertIn(soon, reminded)
        self.assertNotIn(later, reminded)
        activity = soon.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, user)
        self.assertEqual(activity.date_deadline, D(2026, 6, 23))
        self.assertIn("30/06/2026", activity.summary)
        Document._schedule_reminders()
        self.assertEqual(len(soon.activity_ids), 1, "one reminder per expiry date")
        soon.date_end = D(2026, 6, 20)
        Document._schedule_reminders()
        self.assertEqual(len(soon.activity_ids), 2, "a new date gets a new reminder")
        self.assertFalse(later.activity_ids)

    def test_weekly_digest(self):
        user = make_user(self.env, "compliance_d", email="compliance@example.com")
        self.company.compliance_responsible_id = user
        today = self.Document._today()
        self.make(name="<b>Soon</b>", date_end=today + datetime.timedelta(days=5))
        self.make(name="Fine", date_end=today + datetime.timedelta(days=300))
        mails = self.Document._cron_compliance_digest().filtered(
            lambda m: m.email_to == "compliance@example.com"
        )
        self.assertEqual(len(mails), 1)
        self.assertIn("&lt;b&gt;Soon&lt;/b&gt;", mails.body_html, "names are escaped")
        self.assertNotIn("Fine", mails.body_html)

    def test_token_expiry_reminder(self):
        self.company.compliance_token_expiry = D(2026, 7, 10)
        self.env["res.lang"]._activate_lang("fr_FR")  # a job writes in the company's language
        service = self.Service.with_context(duret_today=D(2026, 5, 1), lang="fr_FR")
        self.assertFalse(service._remind_token_expiry(self.company))
        service = self.Service.with_context(duret_today=D(2026, 6, 20), lang="fr_FR")
        self.assertTrue(service._remind_token_expiry(self.company))
        self.assertFalse(service._remind_token_expiry(self.company), "only once")
        self.assertIn("10/07/2026", self.company.partner_id.activity_ids.summary)

    def test_multi_company_rule(self):
        doc = self.make(date_end=D(2030, 1, 1))
        other = self.env["res.company"].create({"name": "Other company"})
        user = make_user(
            self.env, "other_company_user", "duret_procurement.group_user", company_id=other.id
        )
        Document = self.Document.with_user(user).with_context(allowed_company_ids=other.ids)
        self.assertFalse(Document.search([("id", "=", doc.id)]))
        self.assertEqual(Document.sudo().search([("id", "=", doc.id)]), doc)

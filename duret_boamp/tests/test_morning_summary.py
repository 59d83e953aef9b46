"""The tenders section of the morning summary (duret_procurement): a pointer to the BOAMP
digest with the user's counts, never a copy of it nor a reason to send a summary alone."""

from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestTendersMorningSummary(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a company of its own: the demo tenders of the main company stay out of the counts
        cls.company = cls.env["res.company"].create({"name": "Duret Synthèse"})
        cls.env["res.lang"]._activate_lang("en_US")
        cls.Summary = cls.env["procurement.morning.summary"].with_context(lang="en_US")

        def user(login, group):
            return cls.env["res.users"].create(
                {
                    "name": login,
                    "login": login,
                    "email": f"{login}@duret-electricite.fr",
                    "lang": "en_US",
                    "company_id": cls.company.id,
                    "company_ids": [(6, 0, cls.company.ids)],
                    "groups_id": [(6, 0, [cls.env.ref(group).id])],
                }
            )

        cls.director = user("ms_director", "sales_team.group_sale_manager")
        cls.salesman = user("ms_salesman", "sales_team.group_sale_salesman")
        cls.env["crm.lead"].create(
            {
                "name": "AO Éclairage public",
                "boamp_idweb": "26-888888",
                "company_id": cls.company.id,
                "user_id": cls.director.id,
                "tender_deadline": fields.Datetime.now() + timedelta(days=3),
            }
        )

    def tenders(self, user):
        since = fields.Datetime.now() - timedelta(days=1)
        sections = self.Summary._duret_summary_sections(user, since)
        return [section for section in sections if section.get("code") == "tenders"]

    def test_counts_of_the_user_and_a_link_to_the_pipeline(self):
        (section,) = self.tenders(self.director)
        self.assertTrue(section["pointer"])
        self.assertFalse(section["items"], "the tenders themselves are in the BOAMP digest")
        self.assertIn("1 new tender(s) and 1 deadline(s) within 7 days", section["footer"])
        self.assertIn("#action=", section["link"])
        # a salesperson counts their own tenders only: none here
        self.assertFalse(self.tenders(self.salesman))

    def test_the_footer_names_only_the_counts_that_are_not_zero(self):
        footer = self.Summary._boamp_tenders_footer
        self.assertTrue(footer(2, 0).startswith("2 new tender(s): "))
        self.assertTrue(footer(0, 3).startswith("3 deadline(s) within 7 days: "))
        self.assertNotIn(" 0 ", footer(2, 0) + footer(0, 3))

    def test_a_pointer_alone_sends_no_summary(self):
        sent = self.Summary._cron_morning_summary()
        self.assertNotIn(self.director, sent.user_id)

    def test_a_deadline_without_probability_is_counted(self):
        """crm's scoring may never have given a lead a probability (NULL in the database):
        it is not won, its deadline counts as the BOAMP digest shows it."""
        lead = self.env["crm.lead"].search([("boamp_idweb", "=", "26-888888")])
        self.env.flush_all()
        self.env.cr.execute("UPDATE crm_lead SET probability = NULL WHERE id = %s", [lead.id])
        self.env.invalidate_all()
        (section,) = self.tenders(self.director)
        self.assertIn("1 deadline(s) within 7 days", section["footer"])

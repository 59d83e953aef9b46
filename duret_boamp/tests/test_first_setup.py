"""The first-setup checklist's "Digest recipients": done when someone receives the digest."""

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDigestRecipientsItem(TransactionCase):
    def recipients_item(self, company):
        Checklist = self.env["procurement.setup.checklist"].with_context(lang="en_US")
        (item,) = [
            item
            for item in Checklist._procurement_setup_items(company)
            if item["name"] == "Digest recipients"
        ]
        return item

    def test_the_sales_managers_by_default_count(self):
        """An empty list sends the digest to the sales managers (the setting says so): the
        checklist must not ask the administrator to fix what works."""
        self.env["res.lang"]._activate_lang("en_US")
        company = self.env["res.company"].create({"name": "Duret Récapitulatif"})
        self.assertFalse(self.recipients_item(company)["done"], "nobody receives it yet")
        self.env["res.users"].create(
            {
                "name": "Directrice commerciale",
                "login": "boamp_setup_director",
                "email": "direction@duret-electricite.fr",
                "company_id": company.id,
                "company_ids": [(6, 0, company.ids)],
                "groups_id": [(6, 0, [self.env.ref("sales_team.group_sale_manager").id])],
            }
        )
        self.assertFalse(company.boamp_digest_user_ids)
        self.assertTrue(self.recipients_item(company)["done"])

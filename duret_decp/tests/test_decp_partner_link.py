"""Contacts created, or given a SIRET / SIREN, after the sync get their DECP records."""

from odoo.tests import TransactionCase, tagged

from .common import ALPES, BUYER, DURET, GRESI, OTHER_BUYER, DecpWorldMixin


@tagged("post_install", "-at_install")
class TestDecpPartnerLink(DecpWorldMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.decp_setup_world(cls.env)
        run = cls.env["decp.sync"]._cron_decp_sync()
        assert run.state == "done", run.message
        cls.Contract = cls.env["decp.contract"]
        cls.Holder = cls.env["decp.holder"]

    def contract(self, number, buyer=BUYER):
        return self.Contract.search([("key", "=", f"{buyer}|T{number:03d}")])

    def test_contact_created_later_is_linked_to_its_holders_and_contracts(self):
        self.assertFalse(self.Holder.search([("siren", "=", GRESI[:9])]).partner_id)
        gresi = self.env["res.partner"].create(
            {"name": "Grésivaudan Élec", "is_company": True, "siret": GRESI}
        )
        # c4 (with Duret), c5 and c6: GRESI holds three of the stored contracts
        holders = self.Holder.search([("siren", "=", GRESI[:9])])
        self.assertEqual(len(holders), 3)
        self.assertEqual(holders.partner_id, gresi)
        self.assertEqual(self.contract(6).holder_label, "Grésivaudan Élec")
        self.assertEqual(self.contract(4, OTHER_BUYER).holder_label, f"Grésivaudan Élec, {DURET}")
        # a new buyer contact gets its contracts as buyer
        other = self.env["res.partner"].create(
            {"name": "Ville d'Annecy", "is_company": True, "siret": OTHER_BUYER}
        )
        self.assertEqual(
            self.Contract.search([("buyer_partner_id", "=", other.id)]).mapped("market_id"),
            ["T005", "T004", "T003"],
        )

    def test_siren_given_later_links_every_establishment(self):
        duret = self.env["res.partner"].create({"name": "Duret Électricité", "is_company": True})
        self.assertFalse(self.Holder.search([("partner_id", "=", duret.id)]))
        duret.siret = DURET[:9]  # the SIREN: any establishment of the company
        holders = self.Holder.search([("partner_id", "=", duret.id)])
        self.assertEqual(sorted(holders.contract_id.mapped("market_id")), ["T001", "T004"])
        self.assertEqual(self.contract(1).holder_label, "Duret Électricité")

    def test_holders_already_linked_keep_their_contact(self):
        twin = self.env["res.partner"].create(
            {"name": "Alpes Élec (doublon)", "is_company": True, "siret": ALPES}
        )
        self.assertFalse(self.Holder.search([("partner_id", "=", twin.id)]))
        self.assertEqual(self.Holder.search([("identifier", "=", ALPES)]).partner_id, self.alpes)

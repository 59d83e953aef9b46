"""Salespeople read the (public, shared) DECP data; sales managers run and see the syncs."""

from odoo.addons.duret_procurement.tests.common import make_user
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDecpAccess(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract = cls.env["decp.contract"].create(
            {"key": "1|A", "market_id": "A", "object": "Travaux", "buyer_siret": "1"}
        )
        cls.env["decp.holder"].create(
            {"contract_id": cls.contract.id, "identifier": "84231765300012", "siren": "842317653"}
        )
        cls.salesman = make_user(cls.env, "decp_sales", "sales_team.group_sale_salesman")
        cls.manager = make_user(cls.env, "decp_manager", "sales_team.group_sale_manager")
        other = cls.env["res.company"].create({"name": "Autre société"})
        cls.other_user = make_user(
            cls.env,
            "decp_other",
            "sales_team.group_sale_salesman",
            company_id=other.id,
        )

    def test_salesman_reads_but_cannot_change(self):
        contract = self.contract.with_user(self.salesman)
        self.assertEqual(contract.object, "Travaux")
        self.assertEqual(len(contract.holder_ids), 1)
        with self.assertRaises(AccessError):
            contract.write({"object": "X"})
        with self.assertRaises(AccessError):
            self.env["decp.sync"].with_user(self.salesman).create(
                {"since": "2026-01-01", "until": "2026-01-02"}
            )

    def test_data_is_shared_by_all_companies(self):
        self.assertEqual(self.contract.with_user(self.other_user).object, "Travaux")

    def test_manager_sees_and_runs_syncs(self):
        Sync = self.env["decp.sync"].with_user(self.manager)
        self.assertTrue(Sync.check_access_rights("create", raise_exception=False))
        self.assertFalse(Sync.check_access_rights("unlink", raise_exception=False))
        self.assertTrue(
            self.env["decp.contract"].with_user(self.manager).check_access_rights("write")
        )

    def test_own_company_filter(self):
        self.env.company.siret = "84231765300012"
        holders = self.env["decp.holder"].search([("is_own_company", "=", True)])
        self.assertEqual(holders.identifier, "84231765300012")

"""The summaries the lead tab reads: exact figures, kept in step by the sync and by edits."""

from datetime import date, timedelta

from odoo import fields
from odoo.addons.duret_procurement.tests.common import make_user
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from .common import ALPES, BUYER, DURET, DecpWorldMixin, marche

CLASS = "4531"


@tagged("post_install", "-at_install")
class TestDecpSummaryFigures(TransactionCase):
    """Contracts stored directly; the figures are computed by hand below."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Contract = cls.env["decp.contract"]
        cls.year = fields.Date.context_today(cls.Contract).year
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "AO test",
                "type": "opportunity",
                "company_id": cls.env.company.id,
                "boamp_idweb": "26-999001",
                "tender_cpv_codes": "45311000",
                "tender_departement": "73, 74",
            }
        )
        y = cls.year
        # similar (class 4531, 73/74, notified from 1 January of year - 3), amount / offers:
        cls.contracts = cls.add(
            ("S1", "73", date(y, 1, 10), 50000.0, 1),
            ("S2", "74", date(y - 1, 6, 1), 50100.0, 2),  # same amount bin as S1 and S3
            ("S3", "73", date(y - 2, 3, 3), 50200.0, 2),
            ("S4", "73", date(y - 3, 1, 1), 110000.0, 3),  # first day of the window
            ("S5", "74", date(y, 2, 1), 120000.0, 5),
            ("S6", "73", date(y - 1, 2, 1), 300000.0, 8),
            ("S7", "74", date(y - 2, 2, 1), 300000.0, 0),  # no offer count
            ("S8", "73", date(y, 3, 1), 1000000.0, 4),
            ("S9", "73", date(y, 3, 2), 0.0, 13),  # no amount: counted, offers only
            # left out: framework, other département, too old, other class
            ("X1", "73", date(y, 1, 5), 9000000.0, 1, True),
            ("X2", "38", date(y, 1, 5), 70000.0, 1),
            ("X3", "73", date(y - 4, 12, 31), 70000.0, 1),
            ("X4", "73", date(y, 1, 5), 70000.0, 1, False, "4542"),
        )
        cls.Contract._decp_refresh_summaries()

    @classmethod
    def add(cls, *specs):
        values = []
        for spec in specs:
            key, dep, notified, amount, offers, framework, cpv = (
                spec + (False, CLASS)[len(spec) - 5 :]
            )
            values.append(
                {
                    "key": f"B|{key}",
                    "market_id": key,
                    "object": f"Travaux {key}",
                    "buyer_siret": BUYER,
                    "cpv_class": cpv,
                    "departement": dep,
                    "notified": notified,
                    "amount_current": amount,
                    "offers_received": offers,
                    "framework": framework,
                    "holder_ids": [(0, 0, {"identifier": DURET, "siren": DURET[:9]})],
                }
            )
        return cls.Contract.create(values)

    def figures(self):
        self.lead.invalidate_recordset()
        return (
            self.lead.decp_similar_count,
            self.lead.decp_similar_p25,
            self.lead.decp_similar_median,
            self.lead.decp_similar_p75,
            self.lead.decp_similar_offers,
        )

    def raw_figures(self):
        """The same figures by percentile_cont over the contracts (the tab's former query)."""
        self.env.flush_all()
        self.env.cr.execute(
            """SELECT count(*),
                      percentile_cont(0.25) WITHIN GROUP (ORDER BY amount_current)
                          FILTER (WHERE amount_current > 0),
                      percentile_cont(0.5) WITHIN GROUP (ORDER BY amount_current)
                          FILTER (WHERE amount_current > 0),
                      percentile_cont(0.75) WITHIN GROUP (ORDER BY amount_current)
                          FILTER (WHERE amount_current > 0),
                      percentile_cont(0.5) WITHIN GROUP (ORDER BY offers_received)
                          FILTER (WHERE offers_received > 0)
                 FROM decp_contract
                WHERE cpv_class = %s AND departement IN ('73', '74')
                  AND notified >= %s AND framework IS NOT TRUE""",
            (CLASS, date(self.year - 3, 1, 1)),
        )
        return tuple(v or 0.0 for v in self.env.cr.fetchone())

    def summary_rows(self):
        self.env.flush_all()
        self.env.cr.execute(
            """SELECT cpv_class, departement, year, kind, bin, contract_count
                 FROM decp_contract_summary ORDER BY 1, 2, 3, 4, 5"""
        )
        contracts = self.env.cr.fetchall()
        self.env.cr.execute(
            """SELECT cpv_class, departement, year, framework, holder_key, contract_count,
                      amount FROM decp_holder_summary ORDER BY 1, 2, 3, 4, 5"""
        )
        return contracts, self.env.cr.fetchall()

    def test_figures_are_exact(self):
        # amounts > 0 sorted: 50 000, 50 100, 50 200, 110 000, 120 000, 300 000, 300 000,
        # 1 000 000 (n = 8, ranks 0..7); percentile_cont(q) interpolates at rank q × 7:
        # Q1 rank 1.75: 50 100 + 0.75 × 100 = 50 175 (inside one amount bin)
        # median rank 3.5: (110 000 + 120 000) / 2 = 115 000
        # Q3 rank 5.25: 300 000 (two equal amounts)
        # offers > 0: 1, 2, 2, 3, 5, 8, 4, 13 → sorted 1 2 2 3 4 5 8 13: median (3 + 4) / 2
        expected = (9, 50175.0, 115000.0, 300000.0, 3.5)
        self.assertEqual(self.figures(), expected)
        self.assertEqual(self.lead.decp_similar_since, date(self.year - 3, 1, 1))
        self.assertEqual(self.raw_figures(), expected)
        self.env["res.lang"]._activate_lang("en_US")
        top = self.lead.with_context(lang="en_US").decp_top_holders
        # one company (by SIREN) holds the nine: 50 000 + … + 1 000 000 + 0
        self.assertEqual(top, "842317653: 9 contract(s), 1 980 300 €")

    def test_edits_are_followed_and_equal_a_rebuild(self):
        s1, s5, s8 = (self.contracts.filtered(lambda c, k=k: c.market_id == f"S{k}") for k in "158")
        s5.amount_current = 130000.0  # median now (110 000 + 130 000) / 2
        s8.departement = "38"  # leaves the scope: its old bucket must be refreshed
        s1.unlink()
        self.add(("S10", "74", date(self.year, 4, 1), 60000.0, 2))
        self.Contract._decp_refresh_summaries()
        # amounts: 50 100, 50 200, 60 000, 110 000, 130 000, 300 000, 300 000 (n = 7)
        # Q1 rank 1.5: (50 200 + 60 000) / 2 = 55 100; median rank 3: 110 000;
        # Q3 rank 4.5: (130 000 + 300 000) / 2 = 215 000
        # offers: 2, 2, 3, 5, 8, 13, 2 → 2 2 2 3 5 8 13: median 3
        expected = (8, 55100.0, 110000.0, 215000.0, 3.0)
        self.assertEqual(self.figures(), expected)
        self.assertEqual(self.raw_figures(), expected)
        incremental = self.summary_rows()
        self.Contract._decp_rebuild_summaries()
        self.assertEqual(self.summary_rows(), incremental)

    def test_a_managers_edit_is_refreshed_at_commit(self):
        manager = make_user(self.env, "decp_sum_manager", "sales_team.group_sale_manager")
        s8 = self.contracts.filtered(lambda c: c.market_id == "S8")
        s8.with_user(manager).amount_current = 200000.0
        self.env.cr.flush()  # what a commit runs first (pre-commit hooks)
        # 50 000 … 120 000, 200 000, 300 000, 300 000: Q3 rank 5.25 = 200 000 + 0.25 × 100 000
        self.assertEqual(self.figures()[3], 225000.0)


@tagged("post_install", "-at_install")
class TestDecpSummarySync(DecpWorldMixin, TransactionCase):
    """The sandbox world of common.py, read by the sync: first load then an increment."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.decp_setup_world(cls.env)
        cls.env["res.lang"]._activate_lang("en_US")
        cls.lead = (
            cls.env["crm.lead"]
            .create(
                {
                    "name": "AO Saint-Test",
                    "type": "opportunity",
                    "company_id": cls.env.company.id,
                    "partner_id": cls.buyer.id,
                    "boamp_idweb": "26-999002",
                    "tender_cpv_codes": "45311000",
                    "tender_departement": "73, 74, 38",
                }
            )
            .with_context(lang="en_US")
        )
        cls.manager = make_user(cls.env, "decp_sum_mgr", "sales_team.group_sale_manager")
        cls.salesman = make_user(cls.env, "decp_sum_sales", "sales_team.group_sale_salesman")

    def figures(self):
        self.lead.invalidate_recordset()
        lead = self.lead
        return (
            lead.decp_similar_count,
            lead.decp_similar_p25,
            lead.decp_similar_median,
            lead.decp_similar_p75,
            lead.decp_similar_offers,
            lead.decp_top_holders.splitlines(),
        )

    def test_summaries_follow_an_incremental_sync(self):
        self.env["decp.sync"]._cron_decp_sync()
        # c1 100 000, c2 200 000, c3 300 000, c4 440 000 (framework c5 and c8 left out)
        self.assertEqual(
            self.figures(),
            (
                4,
                175000.0,
                250000.0,
                335000.0,
                3.5,
                [
                    "842317653: 2 contract(s), 540 000 €",
                    "Alpes Élec: 2 contract(s), 500 000 €",
                    "412987654: 1 contract(s), 440 000 €",
                ],
            ),
        )
        # the night after: c3 modified to 330 000, c9 new (70 000, 2 offers, won by Duret)
        today = self.today
        c3 = marche(3, "21740010900012", "45317000", "74000", today - timedelta(200),
                    300000.0, 2, [ALPES], months=6, published=today,
                    modifications=[{"modification": {"id": 1, "montant": 330000.0}}])  # fmt: skip
        c9 = marche(9, BUYER, "45311000", "73000", today - timedelta(3), 70000.0, 2, [DURET],
                    published=today)  # fmt: skip
        self.sandbox_admin("POST", "decp/append", {"marches": [c3, c9]})
        self.env["decp.sync"]._cron_decp_sync()
        # 70 000, 100 000, 200 000, 330 000, 440 000: Q1 rank 1, median rank 2, Q3 rank 3
        # offers 2, 3, 5, 2, 4 → 2 2 3 4 5: median 3
        self.assertEqual(
            self.figures(),
            (
                5,
                100000.0,
                200000.0,
                330000.0,
                3.0,
                [
                    "842317653: 3 contract(s), 610 000 €",
                    "Alpes Élec: 2 contract(s), 530 000 €",
                    "412987654: 1 contract(s), 440 000 €",
                ],
            ),
        )

    def test_first_sync_from_the_empty_states(self):
        self.assertTrue(self.lead.decp_sync_missing)
        Contract = self.env["decp.contract"]
        manager_help = str(Contract.with_user(self.manager).get_empty_list_help(""))
        self.assertIn("o_decp_first_sync", manager_help)
        self.assertIn('data-method="action_decp_sync_first"', manager_help)
        sales_help = str(Contract.with_user(self.salesman).get_empty_list_help(""))
        self.assertIn("o_decp_first_sync", sales_help)
        self.assertNotIn("action_decp_sync_first", sales_help)
        with self.assertRaises(AccessError):
            Contract.with_user(self.salesman).action_decp_sync_first()
        # the tab's button is only in the managers' form
        form = self.env["crm.lead"].with_user(self.salesman).get_views([(False, "form")])
        self.assertNotIn("action_decp_sync_now", form["views"]["form"]["arch"])
        form = self.env["crm.lead"].with_user(self.manager).get_views([(False, "form")])
        self.assertIn("action_decp_sync_now", form["views"]["form"]["arch"])
        self.assertFalse(self.env["decp.sync"].search_count([]))
        action = self.lead.with_user(self.manager).action_decp_sync_now()
        self.assertEqual(action["tag"], "soft_reload")
        self.assertEqual(self.env["decp.sync"].search([]).state, "done")
        self.lead.invalidate_recordset()
        self.assertFalse(self.lead.decp_sync_missing)
        self.assertEqual(self.lead.decp_similar_count, 4)
        # once a sync has run, the empty state only says the list is empty
        self.assertNotIn(
            "o_decp_first_sync", str(Contract.with_user(self.manager).get_empty_list_help(""))
        )

    def test_a_failed_first_sync_keeps_the_empty_states(self):
        """A first sync that failed (no Internet, say) read nothing: the tab and the list
        still offer "Sync now" instead of zeros that look like a buyer without contracts."""
        today = fields.Date.today()
        self.env["decp.sync"].create({"since": today, "until": today, "state": "failed"})
        self.lead.invalidate_recordset()
        self.assertTrue(self.lead.decp_sync_missing)
        manager_help = str(
            self.env["decp.contract"].with_user(self.manager).get_empty_list_help("")
        )
        self.assertIn('data-method="action_decp_sync_first"', manager_help)

    def test_sync_name_dates_in_the_users_format(self):
        """The sync's name (list, breadcrumb) shows its dates as the user reads them."""
        self.env["res.lang"]._activate_lang("fr_FR")
        run = self.env["decp.sync"].create(
            {"since": date(2024, 12, 5), "until": date(2026, 12, 5), "state": "done"}
        )
        self.assertEqual(run.with_context(lang="fr_FR").name, "DECP 05/12/2024 → 05/12/2026")

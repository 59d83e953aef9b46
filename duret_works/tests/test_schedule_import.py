"""Price schedule import: a good CSV fills the schedule, a bad one lists every bad row."""

import base64

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from ..lib import schedule

GOOD = (
    "Code;Désignation;Unité;Quantité;Prix unitaire\n"
    "1.1;Tableau général basse tension;ens;1;47 953,44\n"
    "2.1;Câble U1000 R2V 5G16;m;1850;23,47\n"
    "\n"
    "3.1;Luminaires LED encastrés;u;312;418,33\n"
).encode("cp1252")
BAD = (
    b"code,description,unit,qty,unit price\n"
    b"1.1,Tableau,ens,1,100\n"
    b"1.1,Doublon,u,2,5\n"
    b",Sans code,u,x,5\n"
    b"4.1,,m,-3,2\n"
)


@tagged("post_install", "-at_install")
class TestScheduleImport(TransactionCase):
    def test_parse_good_file_in_french_format(self):
        rows, problems = schedule.parse_csv(GOOD)
        self.assertEqual(problems, [])
        self.assertEqual([r["code"] for r in rows], ["1.1", "2.1", "3.1"])
        self.assertEqual(str(rows[0]["price_unit"]), "47953.44")
        self.assertEqual(rows[1]["name"], "Câble U1000 R2V 5G16")

    def test_every_bad_row_is_reported(self):
        rows, problems = schedule.parse_csv(BAD)
        self.assertEqual(
            problems,
            [
                (3, "code", "1.1", "duplicate"),
                (4, "code", "", "required"),
                (4, "quantity", "x", "not_a_number"),
                (5, "name", "", "required"),
                (5, "quantity", "-3", "negative"),
            ],
        )
        self.assertEqual(len(rows), 1)
        _rows, missing = schedule.parse_csv(b"code;name\n1;a\n")
        self.assertEqual({p[1] for p in missing}, {"quantity", "price_unit"})

    def test_wizard_imports_nothing_from_a_bad_file_and_everything_from_a_good_one(self):
        self.env["res.lang"]._activate_lang("en_US")
        self.env = self.env(context=dict(self.env.context, lang="en_US"))
        buyer = self.env["res.partner"].create({"name": "Commune", "is_company": True})
        contract = self.env["works.contract"].create(
            {"name": "Éclairage", "partner_id": buyer.id, "amount_untaxed": 1000.0}
        )
        wizard = self.env["works.schedule.import"].create(
            {"contract_id": contract.id, "file": base64.b64encode(BAD), "filename": "bad.csv"}
        )
        with self.assertRaises(UserError) as caught:
            wizard.action_import()
        message = str(caught.exception)
        for row in ("Row 3", "Row 4", "Row 5"):
            self.assertIn(row, message)
        self.assertFalse(contract.line_ids)
        wizard.file = base64.b64encode(GOOD)
        wizard.action_import()
        self.assertEqual(contract.line_ids.mapped("code"), ["1.1", "2.1", "3.1"])
        self.assertEqual(contract.line_ids[0].progress_mode, "percent")
        self.assertAlmostEqual(contract.schedule_total, 47953.44 + 43419.50 + 130518.96, places=2)

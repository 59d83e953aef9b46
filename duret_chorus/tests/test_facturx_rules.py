"""The pure rules of lib/: net unit prices that multiply back, and the sendable rule on amounts."""

from decimal import Decimal

from odoo.tests import BaseCase, tagged

from ..lib import sendable
from ..lib.facturx import LinePrice, net_unit_price


@tagged("post_install", "-at_install")
class TestNetUnitPrice(BaseCase):
    def test_table(self):
        # (quantity, line total, gross, discount) -> (net price, base quantity)
        table = [
            # the price Odoo holds, kept as it is
            ("12", "4200.00", "350.00", "0", ("350", None)),
            ("8", "399.60", "55.50", "10", ("49.95", None)),
            ("250", "4247.88", "19.99", "15", ("16.9915", None)),
            ("3", "3.70", "1.2345", "0", ("1.2345", None)),
            # a price including tax is unknown: shortest price that multiplies back
            ("3", "200.01", None, "0", ("66.67", None)),
            ("3", "100.00", None, "0", ("33.333", None)),
            # nothing within six decimals fits: the total for the whole quantity (BT-149)
            ("3000000", "1000000.00", None, "0", ("1000000.00", "3000000")),
            ("0", "0.00", None, "0", ("0", None)),
        ]
        for quantity, total, gross, discount, (price, basis) in table:
            line_price = LinePrice(Decimal(gross), Decimal(discount)) if gross else None
            with self.subTest(quantity=quantity, total=total):
                got_price, got_basis = net_unit_price(quantity, total, line_price)
                self.assertEqual(got_price, Decimal(price))
                self.assertEqual(got_basis, Decimal(basis) if basis else None)


@tagged("post_install", "-at_install")
class TestSendableRule(BaseCase):
    def test_table(self):
        table = [
            # ordinary invoice
            ("1200.00", [("1000.00", "20%")], []),
            # final invoice deducting a 20 % down payment
            ("840.00", [("1000.00", "20%"), ("-300.00", "20%")], []),
            # deduction at a rate with nothing invoiced
            (
                "960.00",
                [("1000.00", "20%"), ("-200.00", "10%")],
                [(sendable.DEDUCTION_EXCEEDS_RATE, "10%")],
            ),
            # nothing left to pay
            (
                "0.00",
                [("300.00", "20%"), ("-300.00", "20%")],
                [(sendable.TOTAL_NOT_POSITIVE, None)],
            ),
            ("-120.00", [("-100.00", "20%")], [
                (sendable.TOTAL_NOT_POSITIVE, None),
                (sendable.DEDUCTION_EXCEEDS_RATE, "20%"),
            ]),
        ]  # fmt: skip
        for total, lines, expected in table:
            with self.subTest(total=total, lines=lines):
                self.assertEqual(sendable.problems(total, lines), expected)

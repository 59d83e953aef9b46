"""The statement arithmetic (lib/statement.py) against the hand-computed table."""

from decimal import Decimal

from odoo.tests import BaseCase, tagged

from ..lib import statement as st
from . import works_table as table

TERMS = st.Terms(
    amount_untaxed=Decimal("300000.00"),
    vat_rate=Decimal("0.20"),
    retention_rate=Decimal("0.05"),
    advance_rate=Decimal("0.10"),
)


def lines_at(progress):
    lines = []
    for code, _name, _unit, qty, price, in_percent in table.SCHEDULE:
        value = Decimal(progress[code])
        lines.append(
            st.LineProgress(
                code,
                Decimal(qty),
                Decimal(price),
                cumulative_quantity=None if in_percent else value,
                cumulative_percent=value if in_percent else None,
            )
        )
    return lines


@tagged("post_install", "-at_install")
class TestStatementArithmetic(BaseCase):
    def test_seven_statements_equal_the_hand_table(self):
        previous = st.Cumul()
        last = len(table.PROGRESS) - 1
        for k, (progress, expected) in enumerate(zip(table.PROGRESS, table.EXPECTED, strict=True)):
            figures = st.compute_statement(TERMS, lines_at(progress), previous, final=k == last)
            got = tuple(str(getattr(figures, column)) for column in table.COLUMNS)
            self.assertEqual(got, expected, f"statement {k + 1}")
            previous = figures.cumul()
        self.assertEqual(previous.works, Decimal("300000.00"))
        self.assertEqual(previous.advance_repaid, TERMS.advance_amount)
        self.assertEqual(previous.retention, TERMS.retention_cap)

    def test_months_always_add_up_to_the_cumulative(self):
        """Percent progress with awkward values: no cent lost over many small steps."""
        line = ("X", Decimal("1"), Decimal("1000.01"))
        previous, months = st.Cumul(), Decimal("0")
        for pct in ("3.33", "6.67", "33.333", "66.667", "99.99", "100"):
            figures = st.compute_statement(
                st.Terms(amount_untaxed=Decimal("1000.01"), retention_rate=Decimal("0")),
                [st.LineProgress(*line, cumulative_percent=Decimal(pct))],
                previous,
            )
            months += figures.works_month
            previous = figures.cumul()
        self.assertEqual(months, Decimal("1000.01"))

    def test_retention_replaced_by_a_guarantee_withholds_nothing(self):
        terms = st.Terms(amount_untaxed=Decimal("300000"), retention_rate=Decimal("0"))
        figures = st.compute_statement(terms, lines_at(table.PROGRESS[2]))
        self.assertEqual(figures.retention_month, Decimal("0"))
        self.assertEqual(figures.net_to_pay, figures.total_month)

    def test_advance_thresholds_are_editable(self):
        terms = st.Terms(
            amount_untaxed=Decimal("1000"),
            advance_rate=Decimal("0.20"),
            advance_start=Decimal("0.50"),
            advance_end=Decimal("0.90"),
        )
        self.assertEqual(st.advance_repaid_to_date(terms, Decimal("500")), Decimal("0"))
        # (0.70 − 0.50) / 0.40 × 200 = 100.00
        self.assertEqual(st.advance_repaid_to_date(terms, Decimal("700")), Decimal("100.00"))
        self.assertEqual(st.advance_repaid_to_date(terms, Decimal("950")), Decimal("200.00"))

    def test_price_revision(self):
        # C = 0.15 + 0.85 × 131.7 / 125.4 = 0.15 + 0.85 × 1.050239... = 1.0427 (4 decimals)
        self.assertEqual(
            st.revision_coefficient(Decimal("0.15"), Decimal("125.4"), Decimal("131.7")),
            Decimal("1.0427"),
        )
        terms = st.Terms(
            amount_untaxed=Decimal("10000"),
            retention_rate=Decimal("0"),
            revision_fixed_part=Decimal("0.15"),
            revision_base_index=Decimal("125.4"),
        )
        line = st.LineProgress(
            "A", Decimal("10"), Decimal("1000"), cumulative_quantity=Decimal("4")
        )
        figures = st.compute_statement(terms, [line], month_index=Decimal("131.7"))
        # 4 000.00 × 0.0427 = 170.80; VAT 20 % of 4 170.80 = 834.16
        self.assertEqual(figures.revision_month, Decimal("170.80"))
        self.assertEqual(figures.vat_month, Decimal("834.16"))
        self.assertEqual(st.revision_coefficient(None, None, Decimal("131.7")), Decimal("1"))

    def test_autoliquidation_has_no_vat(self):
        terms = st.Terms(amount_untaxed=Decimal("20000"), vat_rate=Decimal("0"))
        line = st.LineProgress(
            "A", Decimal("1"), Decimal("20000"), cumulative_percent=Decimal("50")
        )
        figures = st.compute_statement(terms, [line])
        self.assertEqual(figures.vat_month, Decimal("0.00"))
        # retention on the amount without VAT: 10 000 × 5 % = 500
        self.assertEqual(figures.retention_month, Decimal("500.00"))

    def test_problems_are_reported_per_line(self):
        lines = [
            st.LineProgress("A", Decimal("10"), Decimal("1"), cumulative_quantity=Decimal("12")),
            st.LineProgress("B", Decimal("1"), Decimal("5"), cumulative_percent=Decimal("120")),
            st.LineProgress("C", Decimal("1"), Decimal("5"), cumulative_quantity=Decimal("-1")),
        ]
        figures = st.compute_statement(st.Terms(amount_untaxed=Decimal("15")), lines)
        self.assertEqual(
            figures.problems,
            (("A", "above_schedule"), ("B", "percent_out_of_range"), ("C", "negative_quantity")),
        )

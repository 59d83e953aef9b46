"""Arithmetic of a monthly works statement (situation de travaux), without Odoo.

Every amount is a ``Decimal`` rounded to the cent, half up. Amounts "to date"
are rounded once from the cumulative progress, and the month is the difference
with the previous statement: the months of a contract therefore always add up
to the cumulative amount, and at 100 % to the contract itself (no cent lost or
gained by rounding month after month). Sources of the rules: docs/chorus-works.md
section 5.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0")
ONE = Decimal("1")
HUNDRED = Decimal("100")
#: the revision coefficient is kept to 4 decimals (design: CCAPs say 3 or 4; 4 is the finer)
COEFFICIENT_PLACES = Decimal("0.0001")


def money(value):
    """``value`` rounded to the cent, half up (the French convention)."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def dec(value):
    return value if isinstance(value, Decimal) else Decimal(str(value or 0))


@dataclass(frozen=True)
class Terms:
    """The money terms of a works contract; rates as fractions (0.05 = 5 %)."""

    amount_untaxed: Decimal
    vat_rate: Decimal = Decimal("0.20")
    retention_rate: Decimal = Decimal("0.05")
    advance_rate: Decimal = ZERO
    advance_start: Decimal = Decimal("0.65")
    advance_end: Decimal = Decimal("0.80")
    revision_fixed_part: Decimal = None
    revision_base_index: Decimal = None
    #: Odoo's tax rounding: per line (each of works / revision / advance) or on the total
    vat_round_per_line: bool = False

    @property
    def advance_amount(self):
        return money(dec(self.amount_untaxed) * dec(self.advance_rate))

    @property
    def retention_cap(self):
        """Legal ceiling of the retention: rate × initial amount incl. VAT (R2191-32)."""
        return money(
            dec(self.amount_untaxed) * (ONE + dec(self.vat_rate)) * dec(self.retention_rate)
        )


@dataclass(frozen=True)
class LineProgress:
    """One price-schedule line and its cumulative progress (quantity, or percent if given)."""

    code: str
    quantity: Decimal
    unit_price: Decimal
    cumulative_quantity: Decimal = None
    cumulative_percent: Decimal = None

    @property
    def total(self):
        return money(dec(self.quantity) * dec(self.unit_price))

    @property
    def cumulative_amount(self):
        if self.cumulative_percent is not None:
            return money(self.total * dec(self.cumulative_percent) / HUNDRED)
        return money(dec(self.cumulative_quantity) * dec(self.unit_price))


@dataclass(frozen=True)
class Cumul:
    """What the statements so far add up to (the "previous" column of the next one)."""

    works: Decimal = ZERO
    revision: Decimal = ZERO
    advance_repaid: Decimal = ZERO
    retention: Decimal = ZERO


@dataclass(frozen=True)
class Figures:
    works_to_date: Decimal
    works_previous: Decimal
    works_month: Decimal
    revision_to_date: Decimal
    revision_month: Decimal
    revision_coefficient: Decimal
    advance_to_date: Decimal
    advance_month: Decimal
    untaxed_month: Decimal
    vat_month: Decimal
    total_month: Decimal
    retention_to_date: Decimal
    retention_month: Decimal
    penalty: Decimal
    net_to_pay: Decimal
    executed_ratio: Decimal
    line_amounts: dict = field(default_factory=dict)
    problems: tuple = ()

    def cumul(self):
        return Cumul(
            self.works_to_date, self.revision_to_date, self.advance_to_date, self.retention_to_date
        )


def revision_coefficient(fixed_part, base_index, month_index):
    """``C = a + (1 − a) × I(m) / I(0)``, 4 decimals; 1 when the contract has no revision."""
    if fixed_part is None or not base_index or not month_index:
        return ONE
    a = dec(fixed_part)
    ratio = dec(month_index) / dec(base_index)
    return (a + (ONE - a) * ratio).quantize(COEFFICIENT_PLACES, rounding=ROUND_HALF_UP)


def advance_repaid_to_date(terms, works_to_date):
    """Advance repaid so far: linear from ``advance_start`` to ``advance_end`` of the amount."""
    advance = terms.advance_amount
    if not advance or not terms.amount_untaxed:
        return money(ZERO)
    ratio = dec(works_to_date) / dec(terms.amount_untaxed)
    start, end = dec(terms.advance_start), dec(terms.advance_end)
    if ratio <= start:
        return money(ZERO)
    if ratio >= end or end <= start:
        return advance
    return money(advance * (ratio - start) / (end - start))


def _vat(terms, works, revision, advance):
    rate = dec(terms.vat_rate)
    if terms.vat_round_per_line:
        return money(works * rate) + money(revision * rate) - money(advance * rate)
    return money((works + revision - advance) * rate)


def _problems(lines):
    problems = []
    for line in lines:
        if line.cumulative_percent is not None:
            if not ZERO <= dec(line.cumulative_percent) <= HUNDRED:
                problems.append((line.code, "percent_out_of_range"))
        elif dec(line.cumulative_quantity) < ZERO:
            problems.append((line.code, "negative_quantity"))
        elif dec(line.cumulative_quantity) > dec(line.quantity):
            problems.append((line.code, "above_schedule"))
    return tuple(problems)


def compute_statement(terms, lines, previous=None, month_index=None, final=False, penalty=ZERO):
    """The figures of the next statement from the cumulative progress of every line.

    ``previous`` is the :class:`Cumul` of the statements before (empty for the
    first one). ``month_index`` is the revision index of the month (ignored
    without revision terms). ``final`` repays what is left of the advance.
    ``penalty`` (late penalties applied by the buyer, outside VAT) lowers the
    amount to pay only.
    """
    previous = previous or Cumul()
    line_amounts = {line.code: line.cumulative_amount for line in lines}
    works_to_date = sum(line_amounts.values(), ZERO)
    works_month = works_to_date - previous.works
    coefficient = revision_coefficient(
        terms.revision_fixed_part, terms.revision_base_index, month_index
    )
    revision_month = money(works_month * (coefficient - ONE))
    revision_to_date = previous.revision + revision_month
    if final:
        advance_to_date = terms.advance_amount
    else:
        advance_to_date = max(advance_repaid_to_date(terms, works_to_date), previous.advance_repaid)
    advance_month = advance_to_date - previous.advance_repaid
    untaxed = works_month + revision_month - advance_month
    vat = _vat(terms, works_month, revision_month, advance_month)
    total = untaxed + vat
    rate = dec(terms.retention_rate)
    retention_to_date = min(
        money((works_to_date + revision_to_date) * (ONE + dec(terms.vat_rate)) * rate),
        terms.retention_cap,
    )
    retention_month = retention_to_date - previous.retention
    amount = dec(terms.amount_untaxed)
    return Figures(
        works_to_date=works_to_date,
        works_previous=previous.works,
        works_month=works_month,
        revision_to_date=revision_to_date,
        revision_month=revision_month,
        revision_coefficient=coefficient,
        advance_to_date=advance_to_date,
        advance_month=advance_month,
        untaxed_month=untaxed,
        vat_month=vat,
        total_month=total,
        retention_to_date=retention_to_date,
        retention_month=retention_month,
        penalty=money(penalty),
        net_to_pay=total - retention_month - money(penalty),
        executed_ratio=(works_to_date / amount) if amount else ZERO,
        line_amounts=line_amounts,
        problems=_problems(lines),
    )

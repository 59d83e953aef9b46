"""Late-payment interest and the flat recovery fee of a public buyer's invoice.

* R2192-31: the rate is the ECB main refinancing rate in force on the first day of the
  half-year in which interest **started** to run, plus 8 points.  One rate for the whole
  delay, even when the delay runs into the next half-year.
* Interest runs from the day after the deadline to the day the principal is paid
  (``mise en paiement``) included: ``days late = payment date - due date``.
* Pro rata temporis on the amount paid late: ``amount x rate x days / 365`` (the
  DAJ's formula), each payment rounded to the cent, half up.
* D2192-35: a flat 40 EUR recovery fee, once per invoice paid late, whatever the number
  of late instalments.

A missing ECB rate is never guessed: the result says which half-year lacks it.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

MARGIN_POINTS = Decimal("8")
FLAT_FEE = Decimal("40.00")
DAYS_PER_YEAR = 365
CENT = Decimal("0.01")


def half_year_start(day):
    """First day of the calendar half-year holding ``day``."""
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def to_decimal(value):
    return value if isinstance(value, Decimal) else Decimal(str(value))


@dataclass(frozen=True)
class Payment:
    day: date
    amount: Decimal


@dataclass(frozen=True)
class LatePart:
    """One amount paid (or still open) after the deadline, with its interest."""

    day: date  # payment date, or the computation day for an amount still unpaid
    amount: Decimal
    days_late: int
    interest: Decimal | None
    paid: bool


@dataclass
class Interest:
    due: date
    rate_day: date | None = None  # first day of the half-year whose ECB rate applies
    ecb_rate: Decimal | None = None
    rate: Decimal | None = None  # ECB rate + 8 points, in percent
    parts: list = field(default_factory=list)
    fee: Decimal = Decimal("0.00")

    @property
    def rate_missing(self):
        return bool(self.parts) and self.rate is None

    @property
    def days_late(self):
        return max((part.days_late for part in self.parts), default=0)

    @property
    def interest(self):
        """Total interest (paid and still running parts); None when the rate is missing."""
        if self.rate_missing:
            return None
        return sum((part.interest for part in self.parts), Decimal("0.00"))

    @property
    def claimable(self):
        """Interest on the amounts already paid late, plus the fee (None: rate missing)."""
        if self.rate_missing:
            return None
        paid = sum((p.interest for p in self.parts if p.paid), Decimal("0.00"))
        return paid + self.fee if any(p.paid for p in self.parts) else Decimal("0.00")


def interest_amount(amount, rate, days):
    """``amount x rate% x days / 365`` rounded to the cent, half up."""
    value = to_decimal(amount) * to_decimal(rate) / 100 * days / DAYS_PER_YEAR
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def compute(due, payments, open_amount, ecb_rate_on, today):
    """Interest and fee of one invoice.

    ``due``: last day of the legal deadline (None: no deadline known, nothing is late).
    ``payments``: ``Payment`` instalments of the principal, in any order.
    ``open_amount``: what is still unpaid; late from ``due`` to ``today``.
    ``ecb_rate_on(day)``: the ECB rate (percent) in force on ``day``, or None if unknown.
    """
    result = Interest(due=due)
    if not due:
        return result
    late = [p for p in sorted(payments, key=lambda p: p.day) if p.day > due]
    parts = [(p.day, to_decimal(p.amount), True) for p in late]
    if to_decimal(open_amount) > 0 and today > due:
        parts.append((today, to_decimal(open_amount), False))
    if not parts:
        return result
    result.rate_day = half_year_start(due + timedelta(days=1))
    ecb = ecb_rate_on(result.rate_day)
    if ecb is not None:
        result.ecb_rate = to_decimal(ecb)
        result.rate = result.ecb_rate + MARGIN_POINTS
    for day, amount, paid in parts:
        days = (day - due).days
        interest = interest_amount(amount, result.rate, days) if result.rate is not None else None
        result.parts.append(LatePart(day, amount, days, interest, paid))
    result.fee = FLAT_FEE
    return result

"""Verified history of the ECB main refinancing operations rate (changes, effective day).

Seeds the ``late.payment.rate`` records at install (production then follows the ECB Data
Portal) and feeds the sandbox double of that portal.  Each row was checked against the
sources listed in ``docs/late-payment.md`` (ECB press releases as quoted by French
public-procurement sources and market news, and SDMX-CSV samples of the series itself).

``VERIFIED_UNTIL``: the last day for which the absence of any further change was checked
(the ECB's monetary policy meeting of 11 September 2025 kept the rates unchanged).  The
rate in force on a later day is unknown until the ECB series is downloaded again.
"""

from datetime import date
from decimal import Decimal

SOURCE_URL = "https://data.ecb.europa.eu/data/datasets/FM/FM.B.U2.EUR.4F.KR.MRR_FR.LEV"

CHANGES = [
    (date(2016, 3, 16), Decimal("0.00")),
    (date(2022, 7, 27), Decimal("0.50")),
    (date(2022, 9, 14), Decimal("1.25")),
    (date(2022, 11, 2), Decimal("2.00")),
    (date(2022, 12, 21), Decimal("2.50")),
    (date(2023, 2, 8), Decimal("3.00")),
    (date(2023, 3, 22), Decimal("3.50")),
    (date(2023, 5, 10), Decimal("3.75")),
    (date(2023, 6, 21), Decimal("4.00")),
    (date(2023, 8, 2), Decimal("4.25")),
    (date(2023, 9, 20), Decimal("4.50")),
    (date(2024, 6, 12), Decimal("4.25")),
    (date(2024, 9, 18), Decimal("3.65")),
    (date(2024, 10, 23), Decimal("3.40")),
    (date(2024, 12, 18), Decimal("3.15")),
    (date(2025, 2, 5), Decimal("2.90")),
    (date(2025, 3, 12), Decimal("2.65")),
    (date(2025, 4, 23), Decimal("2.40")),
    (date(2025, 6, 11), Decimal("2.15")),
]
VERIFIED_UNTIL = date(2025, 9, 11)


def rate_in_force(changes, day, known_until):
    """The rate in force on ``day`` from ``(day, rate)`` changes, or None when unknown:
    ``day`` after ``known_until`` (a change may have happened since) or before the first
    known change."""
    if not day or not known_until or day > known_until:
        return None
    current = None
    for change_day, rate in sorted(changes):
        if change_day > day:
            break
        current = rate
    return current

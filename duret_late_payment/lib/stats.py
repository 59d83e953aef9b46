"""Observed payment delays of a buyer: the foresight shown on partners and tender leads."""

import statistics
from datetime import timedelta

#: below this many paid invoices, the buyer's habit says too little to forecast with
MIN_OBSERVATIONS = 3


def quartiles(values):
    """(first quartile, median, third quartile) by the inclusive method; one value: itself."""
    values = sorted(values)
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, median, q3


def delay_stats(delays):
    """Count, mean, median and interquartile spread of delays in days (None when empty)."""
    delays = [d for d in delays if d is not None]
    if not delays:
        return None
    q1, median, q3 = quartiles(delays)
    return {
        "count": len(delays),
        "mean": statistics.fmean(delays),
        "median": median,
        "q1": q1,
        "q3": q3,
    }


def expected_payment(start, legal_due, stats):
    """Expected payment day of an open invoice: the buyer's median delay from the start,
    or the legal due date while the buyer has fewer than ``MIN_OBSERVATIONS`` payments."""
    if start and stats and stats["count"] >= MIN_OBSERVATIONS:
        return start + timedelta(days=round(stats["median"]))
    return legal_due

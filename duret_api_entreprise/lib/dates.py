"""Date helpers for payloads and validity rules (pure functions)."""

import datetime
import re

from dateutil.relativedelta import relativedelta

#: ADEME writes "no end" as this date
OPEN_END = datetime.date(2099, 1, 1)

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def parse_date(value):
    """``YYYY-MM-DD`` (optionally followed by a time), a Unix timestamp, or None."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)):
        # INSEE stamps local midnights: half a day later is the same day in any French zone
        return datetime.datetime.fromtimestamp(value + 43200, tz=datetime.timezone.utc).date()
    match = _ISO_DATE.match(str(value).strip())
    if not match:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def end_of_month(day):
    return day + relativedelta(day=31)


def validity_end(rule, start, months=0):
    """End of validity of a document issued on ``start`` under a type's rule.

    ``month_end``: start + N months, taken at the end of that month (URSSAF:
    03/12/2022 → 30/06/2023); ``months``: start + N months minus one day;
    ``year_end``: 31 December of the issue year (DGFIP); ``day``: the issue day
    only; ``none``: no expiry; ``payload``: only the payload can tell (None).
    """
    if not start or rule in ("none", "payload"):
        return None
    if rule == "month_end":
        return end_of_month(start + relativedelta(months=months))
    if rule == "months":
        return start + relativedelta(months=months) - relativedelta(days=1)
    if rule == "year_end":
        return datetime.date(start.year, 12, 31)
    if rule == "day":
        return start
    raise ValueError(f"unknown validity rule {rule!r}")


def document_state(has_document, date_end, today, soon_days):
    """``missing`` / ``expired`` / ``expiring`` / ``valid`` for a document on ``today``."""
    if not has_document:
        return "missing"
    if not date_end:
        return "valid"
    if date_end < today:
        return "expired"
    if date_end <= today + datetime.timedelta(days=soon_days):
        return "expiring"
    return "valid"


def valid_on(date_end, day):
    """True when a document ending on ``date_end`` (None = no end) still holds on ``day``."""
    return not date_end or date_end >= day

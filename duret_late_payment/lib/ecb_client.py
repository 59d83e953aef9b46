"""Client of the ECB Data Portal for the main refinancing operations rate (no key).

Documented (https://data.ecb.europa.eu/help/api/data): ``GET
https://data-api.ecb.europa.eu/service/data/<flow>/<key>?format=csvdata``; the series
``FM.B.U2.EUR.4F.KR.MRR_FR.LEV`` is "Main refinancing operations - fixed rate tenders
(fixed rate) (date of changes) - Level": one observation per change, dated by the day the
new rate took effect.  The SDMX-CSV answer has a header row; columns are read by name
(``TIME_PERIOD``, ``OBS_VALUE``; the FM flow puts them at other positions than EXR, and
``TITLE_COMPL`` holds quoted commas).  An unknown series answers 404 with a JSON problem
body (``{"title": "Not Found", "status": 404, "detail": ...}``, seen in public logs).

Reads are retried with backoff on 429/5xx/connection errors.  Errors are typed so the
model can say what to fix; an observation that cannot be read is reported, never skipped
silently: a missing rate must never be guessed.
"""

import csv
import io
import logging
import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

import requests

_logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://data-api.ecb.europa.eu"
MRO_FLOW = "FM"
MRO_KEY = "B.U2.EUR.4F.KR.MRR_FR.LEV"
TIMEOUT = (10, 30)
RETRIES = 3
BACKOFF_SECONDS = 1.0


class EcbError(Exception):
    """Base error; ``str()`` is a short English technical detail."""


class EcbTransportError(EcbError):
    """Timeout, connection failure, 429 or 5xx after the retries."""


class EcbFormatError(EcbError):
    """The answer is not the SDMX-CSV expected (missing column, unreadable value)."""


class EcbNotFoundError(EcbError):
    """404: the series does not exist (wrong key or URL)."""


@dataclass(frozen=True)
class RateChange:
    day: date
    rate: Decimal


def series_url(base_url=DEFAULT_BASE_URL):
    return f"{base_url.rstrip('/')}/service/data/{MRO_FLOW}/{MRO_KEY}"


def parse_csv(text):
    """Rate changes of an SDMX-CSV answer, oldest first; raises EcbFormatError."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if not reader.fieldnames or not {"TIME_PERIOD", "OBS_VALUE"} <= set(reader.fieldnames):
        raise EcbFormatError(f"no TIME_PERIOD/OBS_VALUE columns in {reader.fieldnames!r}")
    changes = []
    for number, row in enumerate(reader, start=2):
        key = row.get("KEY")
        if key and key != f"{MRO_FLOW}.{MRO_KEY}":
            continue
        try:
            day = date.fromisoformat((row["TIME_PERIOD"] or "").strip())
            rate = Decimal((row["OBS_VALUE"] or "").strip())
        except (ValueError, InvalidOperation) as exc:
            raise EcbFormatError(
                f"line {number}: unreadable observation {row['TIME_PERIOD']!r} {row['OBS_VALUE']!r}"
            ) from exc
        if not rate.is_finite():
            raise EcbFormatError(f"line {number}: value {row['OBS_VALUE']!r} is not a number")
        changes.append(RateChange(day, rate))
    return sorted(changes, key=lambda change: change.day)


class EcbClient:
    """Reads the MRO rate series; ``base_url`` is scheme + host (the sandbox in tests)."""

    def __init__(self, base_url=DEFAULT_BASE_URL, session=None, retries=RETRIES):
        self.base_url = base_url or DEFAULT_BASE_URL
        self.session = session or requests.Session()
        self.retries = retries

    def mro_rate_changes(self):
        """Every change of the main refinancing rate (the whole series is about 50 rows)."""
        url = series_url(self.base_url)
        params = {"format": "csvdata"}
        last_error = None
        for attempt in range(self.retries):
            if attempt:
                time.sleep(BACKOFF_SECONDS * 2 ** (attempt - 1))
            try:
                response = self.session.get(url, params=params, timeout=TIMEOUT)
            except requests.RequestException as exc:
                last_error = EcbTransportError(f"{type(exc).__name__} on {url}")
                continue
            if response.status_code == 404:
                raise EcbNotFoundError(f"HTTP 404 on {url}: {response.text[:200]}")
            if response.status_code == 429 or response.status_code >= 500:
                last_error = EcbTransportError(f"HTTP {response.status_code} on {url}")
                continue
            if response.status_code != 200:
                raise EcbError(f"HTTP {response.status_code} on {url}: {response.text[:200]}")
            response.encoding = response.encoding or "utf-8"
            return parse_csv(response.text)
        _logger.warning("ECB rate download failed: %s", last_error)
        raise last_error

"""HTTP client of the BOAMP open dataset (DILA on OpenDataSoft, Explore API v2.1).

No ORM: the Odoo models give it a base URL and consume the raw records it yields. It
pages ``/records`` 100 at a time on a stable order, splits a publication-date window
whenever it holds more than the 10 000 rows an offset can reach, retries transient
failures (429 with ``Retry-After``, 5xx, timeouts, dropped connections, truncated JSON)
with exponential backoff, and raises typed errors.
"""

import logging
import time
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime

import requests

from .departement import departement_variants

_logger = logging.getLogger(__name__)

RECORDS_PATH = "/api/explore/v2.1/catalog/datasets/boamp/records"
PAGE_SIZE = 100  # the API maximum per call
OFFSET_CAP = 10000  # offset + limit may not exceed this
ORDER_BY = "dateparution desc, idweb asc"  # unique key: stable pages
MAX_RETRY_AFTER = 300.0
RETRY_STATUSES = {429, 500, 502, 503, 504}


class BoampError(Exception):
    """Any failure of a BOAMP call (base class)."""


class BoampHTTPError(BoampError):
    """The API answered with an HTTP error status."""

    def __init__(self, status, message, body=None):
        super().__init__(f"BOAMP HTTP {status}: {message}")
        self.status, self.message, self.body = status, message, body


class BoampTimeoutError(BoampError):
    """No answer within the timeout, every retry included."""


class BoampConnectionError(BoampError):
    """The connection failed (DNS, refused, reset), every retry included."""


class BoampPayloadError(BoampError):
    """The answer is not valid JSON or not the ``{"total_count", "results"}`` envelope."""


def _quote(value):
    return '"%s"' % str(value).replace("\\", "\\\\").replace('"', '\\"')


def build_where(since, until, departements, natures):
    """The ODSQL ``where`` of a watch window (domain.md 2.10). Never filters ``type_marche``:
    buyers miscode it, so the market type is a scoring signal, not a filter. Département
    codes are normalised, and unpadded spellings (``"1"`` for Ain) asked for too."""
    clauses = [f"dateparution >= date'{since.isoformat()}'"]
    if until:
        clauses.append(f"dateparution <= date'{until.isoformat()}'")
    # every spelling BOAMP uses for a code: a profile on "01" also reads records coded "1"
    departements = list(
        dict.fromkeys(v for d in departements or () for v in departement_variants(d))
    )
    if departements:
        terms = [f"code_departement={_quote(d)}" for d in departements]
        terms += [f"code_departement_prestation={_quote(d)}" for d in departements]
        clauses.append("(" + " OR ".join(terms) + ")")
    natures = [n for n in natures or () if n]
    if natures:
        clauses.append("(" + " OR ".join(f"nature={_quote(n)}" for n in natures) + ")")
    return " AND ".join(clauses)


class BoampClient:
    """Paged, partitioned, retrying reader of BOAMP records.

    ``base_url`` is scheme + host (+ port): production
    ``https://boamp-datadila.opendatasoft.com``, the mirror ``https://www.boamp.fr`` or the
    sandbox. ``sleep`` is injectable so that tests do not wait.
    """

    def __init__(
        self, base_url, timeout=60, max_retries=4, backoff=1.0, session=None, sleep=time.sleep
    ):
        if not base_url:
            raise ValueError("BOAMP base URL is required")
        self.base_url = base_url.rstrip("/")
        self.url = self.base_url + RECORDS_PATH
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.session = session or requests.Session()
        self.sleep = sleep
        self.http_calls = 0

    # -- one call, with retries ------------------------------------------------------

    def _delay(self, attempt, response=None):
        delay = self.backoff * (2**attempt)
        retry_after = response.headers.get("Retry-After") if response is not None else None
        if retry_after:
            try:
                delay = max(delay, float(retry_after))
            except ValueError:
                try:
                    moment = parsedate_to_datetime(retry_after)
                    delay = max(delay, (moment - datetime.now(moment.tzinfo)).total_seconds())
                except (TypeError, ValueError):
                    pass
        return min(delay, MAX_RETRY_AFTER)

    def _get(self, params):
        """GET ``/records`` with ``params``; the decoded JSON envelope."""
        attempt = 0
        while True:
            response = error = None
            self.http_calls += 1
            try:
                response = self.session.get(self.url, params=params, timeout=self.timeout)
            except requests.Timeout as exc:
                error = BoampTimeoutError(f"BOAMP did not answer within {self.timeout} s: {exc}")
            except requests.ConnectionError as exc:
                error = BoampConnectionError(f"cannot reach BOAMP at {self.base_url}: {exc}")
            if response is not None:
                if response.status_code in RETRY_STATUSES:
                    error = BoampHTTPError(
                        response.status_code, response.reason or "", response.text[:2000]
                    )
                elif response.status_code >= 400:
                    raise BoampHTTPError(
                        response.status_code, self._message(response), response.text[:2000]
                    )
                else:
                    try:
                        payload = response.json()
                    except ValueError as exc:
                        error = BoampPayloadError(f"BOAMP answered invalid JSON: {exc}")
                    else:
                        return self._check(payload)
            if attempt >= self.max_retries:
                raise error
            delay = self._delay(attempt, response)
            _logger.info("BOAMP call failed (%s), retry %d in %.1f s", error, attempt + 1, delay)
            self.sleep(delay)
            attempt += 1

    @staticmethod
    def _message(response):
        try:
            payload = response.json()
        except ValueError:
            return response.reason or ""
        if isinstance(payload, dict):
            return str(payload.get("message") or payload.get("error_code") or response.reason)
        return response.reason or ""

    @staticmethod
    def _check(payload):
        if (
            not isinstance(payload, dict)
            or not isinstance(payload.get("results"), list)
            or not isinstance(payload.get("total_count"), int)
        ):
            raise BoampPayloadError("BOAMP answer is not a {total_count, results} envelope")
        return payload

    def _page(self, where, offset, limit):
        params = {"where": where, "order_by": ORDER_BY, "limit": limit, "offset": offset}
        return self._get(params)

    # -- public API --------------------------------------------------------------------

    def count(self, where):
        """Number of records matching ``where`` (one call, ``limit=0``)."""
        return self._get({"where": where, "limit": 0})["total_count"]

    def iter_window(self, since, until, departements, natures, page_size=PAGE_SIZE):
        """Yield the raw records published from ``since`` to ``until`` (inclusive; ``None``:
        up to now), each ``idweb`` once."""
        page_size = max(1, min(int(page_size), PAGE_SIZE))
        seen = set()
        for record in self._iter_partition(since, until, departements, natures, page_size):
            key = record.get("idweb") if isinstance(record, dict) else None
            if key is not None:
                if key in seen:
                    continue
                seen.add(key)
            yield record

    def _iter_partition(self, since, until, departements, natures, page_size):
        where = build_where(since, until, departements, natures)
        payload = self._page(where, 0, page_size)
        total = payload["total_count"]
        if total > OFFSET_CAP:
            until = until or date.today()
            if since >= until:
                raise BoampError(
                    f"{total} BOAMP records published on {since.isoformat()} exceed the "
                    f"{OFFSET_CAP} rows the API can page: narrow the watch"
                )
            middle = since + timedelta(days=(until - since).days // 2)
            _logger.info("BOAMP window %s..%s holds %d records: split", since, until, total)
            yield from self._iter_partition(since, middle, departements, natures, page_size)
            yield from self._iter_partition(
                middle + timedelta(days=1), until, departements, natures, page_size
            )
            return
        offset = 0
        while True:
            results = payload["results"]
            yield from results
            offset += page_size
            if offset >= total or not results:
                return
            payload = self._page(where, offset, min(page_size, OFFSET_CAP - offset))

"""HTTP client of the BOAMP open dataset (DILA on OpenDataSoft, Explore API v2.1).

No ORM: the Odoo models give it a base URL and consume the raw records it yields. It
pages ``/records`` 100 at a time on a stable order, splits a publication-date window
whenever it holds more than the 10 000 rows an offset can reach, and raises typed
errors. Timeouts, the job's time budget, retries of transient failures (429 with
``Retry-After``, 5xx, timeouts, dropped connections, truncated JSON) and backoff are
the suite's shared HTTP layer (``duret_procurement/lib/http.py``).
"""

import logging
from datetime import date, timedelta

from ...duret_procurement.lib.errors import RemoteError, UnexpectedAnswerError
from ...duret_procurement.lib.http import HttpClient
from .departement import departement_variants

_logger = logging.getLogger(__name__)

RECORDS_PATH = "/api/explore/v2.1/catalog/datasets/boamp/records"
PAGE_SIZE = 100  # the API maximum per call
OFFSET_CAP = 10000  # offset + limit may not exceed this
ORDER_BY = "dateparution desc, idweb asc"  # unique key: stable pages
#: seconds of remote calls one run may use (a full first import reads about 30 pages)
JOB_BUDGET = 600.0


class BoampWindowTooLargeError(RemoteError):
    """More records were published on one day than the API can page."""

    kind = "window_too_large"


def _quote(value):
    return '"%s"' % str(value).replace("\\", "\\\\").replace('"', '\\"')


def build_where(since, until, departements, natures):
    """The ODSQL ``where`` of a watch window (docs/boamp.md section 10). Never filters
    ``type_marche``: buyers miscode it, so the market type is a scoring signal. Département
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


class BoampClient(HttpClient):
    """Paged, partitioned, retrying reader of BOAMP records.

    ``base_url`` is scheme + host (+ port): production
    ``https://boamp-datadila.opendatasoft.com``, the mirror ``https://www.boamp.fr`` or the
    sandbox. ``sleep`` and ``clock`` are injectable so that tests do not wait.
    """

    timeout = (5.0, 20.0)
    retries = 2
    backoff = 1.0
    max_wait = 30.0
    default_budget = JOB_BUDGET
    service = "BOAMP"

    def __init__(self, base_url, **kwargs):
        if not base_url:
            raise ValueError("BOAMP base URL is required")
        super().__init__(base_url, **kwargs)
        self.url = self.base_url + RECORDS_PATH

    def error_from_response(self, response):
        """OpenDataSoft says what went wrong in ``message`` (or ``error_code``)."""
        error = super().error_from_response(response)
        try:
            payload = response.json()
        except ValueError:
            payload = None
        if isinstance(payload, dict) and (payload.get("message") or payload.get("error_code")):
            error.args = (f"{error.args[0]}: {payload.get('message') or payload['error_code']}",)
        error.body = (getattr(response, "text", "") or "")[:2000]
        return error

    def _get(self, params):
        """GET ``/records`` with ``params``; the decoded JSON envelope."""
        return self.request("GET", self.url, parse=self._envelope, params=params)

    def _envelope(self, response):
        payload = self.json_of(response)
        if (
            not isinstance(payload, dict)
            or not isinstance(payload.get("results"), list)
            or not isinstance(payload.get("total_count"), int)
        ):
            raise UnexpectedAnswerError(
                "BOAMP answer is not a {total_count, results} envelope",
                status=response.status_code,
            )
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
                raise BoampWindowTooLargeError(
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

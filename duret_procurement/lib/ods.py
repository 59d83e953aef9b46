"""Reading an OpenDataSoft Explore v2.1 dataset page by page (no ORM here).

BOAMP (DILA) and the DECP (ministère de l'Économie) are both published on
OpenDataSoft. What their readers share is the API's paging contract
(docs/decp.md section 2, docs/boamp.md section 2): ``/records`` answers
``{"total_count", "results"}``, at most 100 rows per call, and ``offset + limit``
may not exceed 10 000; beyond that a reader narrows its date window and reads each
half on its own. A client subclass gives the dataset, its stable sort order and
how a date window becomes an ODSQL ``where``.
"""

import logging
from datetime import date, timedelta

from .errors import RemoteError, UnexpectedAnswerError
from .http import HttpClient

_logger = logging.getLogger(__name__)

API = "/api/explore/v2.1/catalog/datasets"
PAGE_SIZE = 100  # the API maximum per call
OFFSET_CAP = 10000  # offset + limit may not exceed this


class OdsWindowTooLargeError(RemoteError):
    """More records in one day than the API can page."""

    kind = "window_too_large"


def quote(value):
    """An ODSQL string literal."""
    return '"%s"' % str(value).replace("\\", "\\\\").replace('"', '\\"')


class OdsClient(HttpClient):
    """Paged, date-partitioned reader of one ODS dataset.

    Subclasses set ``dataset`` and ``order_by`` (a unique sort key keeps pages
    stable) and implement :meth:`window_where`.
    """

    dataset = None
    order_by = None
    #: raised when one day holds more rows than the API can page
    window_error = OdsWindowTooLargeError

    def __init__(self, base_url, **kwargs):
        if not base_url:
            raise ValueError(f"{self.service} base URL is required")
        super().__init__(base_url, **kwargs)
        self.url = f"{self.base_url}{API}/{self.dataset}/records"

    def window_where(self, since, until):
        """The ODSQL ``where`` of the records of ``since``..``until`` (inclusive)."""
        raise NotImplementedError

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
        return self.request("GET", self.url, parse=self._envelope, params=params)

    def _envelope(self, response):
        payload = self.json_of(response)
        if (
            not isinstance(payload, dict)
            or not isinstance(payload.get("results"), list)
            or not isinstance(payload.get("total_count"), int)
        ):
            raise UnexpectedAnswerError(
                f"{self.service} answer is not a {{total_count, results}} envelope",
                status=response.status_code,
            )
        return payload

    def _page(self, where, offset, limit):
        params = {"where": where, "order_by": self.order_by, "limit": limit, "offset": offset}
        return self._get(params)

    def count(self, where):
        """Number of records matching ``where`` (one call, ``limit=0``)."""
        return self._get({"where": where, "limit": 0})["total_count"]

    def iter_records(self, since, until=None, page_size=PAGE_SIZE):
        """Yield the raw records of ``since``..``until`` (``None``: up to today), splitting
        the window in two while it holds more than the API can page."""
        page_size = max(1, min(int(page_size), PAGE_SIZE))
        where = self.window_where(since, until)
        payload = self._page(where, 0, page_size)
        total = payload["total_count"]
        if total > OFFSET_CAP:
            until = until or date.today()
            if since >= until:
                raise self.window_error(
                    f"{total} {self.service} records on {since.isoformat()} exceed the "
                    f"{OFFSET_CAP} rows the API can page"
                )
            middle = since + timedelta(days=(until - since).days // 2)
            _logger.info(
                "%s window %s..%s holds %d records: split", self.service, since, until, total
            )
            yield from self.iter_records(since, middle, page_size)
            yield from self.iter_records(middle + timedelta(days=1), until, page_size)
            return
        offset = 0
        while True:
            results = payload["results"]
            yield from results
            offset += page_size
            if offset >= total or not results:
                return
            payload = self._page(where, offset, min(page_size, OFFSET_CAP - offset))

"""Reading an OpenDataSoft Explore v2.1 dataset page by page (no ORM here).

BOAMP (DILA) and the DECP (ministère de l'Économie) are both published on
OpenDataSoft. What their readers share is the API's paging contract
(docs/decp.md section 2, docs/boamp.md section 2): ``/records`` answers
``{"total_count", "results"}``, at most 100 rows per call, and ``offset + limit``
may not exceed 10 000; beyond that a reader narrows its date window and reads each
half on its own. A client subclass gives the dataset, its stable sort order and
how a date window becomes an ODSQL ``where``.

Bulk reads go through ``/exports/json`` instead: the whole selection in one answer,
a bare JSON array of the same flat records, no row cap ("the exports endpoint has no
limitations", Explore API v2.1 reference, docs/decp.md section 2). It is read as a
stream (:func:`iter_json_array`), never held whole in memory.
"""

import codecs
import json
import logging
from datetime import date, timedelta

import requests

from .errors import PayloadError, RemoteError, UnexpectedAnswerError
from .http import HttpClient

_logger = logging.getLogger(__name__)

API = "/api/explore/v2.1/catalog/datasets"
PAGE_SIZE = 100  # the API maximum per call
OFFSET_CAP = 10000  # offset + limit may not exceed this
#: bytes read from an export stream at a time
EXPORT_CHUNK = 64 * 1024
_WHITESPACE = " \t\r\n"


class OdsWindowTooLargeError(RemoteError):
    """More records in one day than the API can page."""

    kind = "window_too_large"


def quote(value):
    """An ODSQL string literal."""
    return '"%s"' % str(value).replace("\\", "\\\\").replace('"', '\\"')


def iter_json_array(chunks):
    """Yield the items of a JSON array that arrives as byte ``chunks``, one at a time.

    Only the item being read and the unread rest of the current chunk are held in
    memory, whatever the size of the array. Raises ``ValueError`` when the stream is not
    an array or stops before its closing ``]`` (a dropped connection).
    """
    decoder = json.JSONDecoder()
    utf8 = codecs.getincrementaldecoder("utf-8")()
    buffer, started, closed = "", False, False
    for chunk in chunks:
        buffer += utf8.decode(chunk)
        pos = 0
        while not closed:
            while pos < len(buffer) and buffer[pos] in _WHITESPACE:
                pos += 1
            if pos >= len(buffer):
                break
            char = buffer[pos]
            if not started:
                if char != "[":
                    raise ValueError("the export is not a JSON array")
                started, pos = True, pos + 1
            elif char == ",":
                pos += 1
            elif char == "]":
                closed, pos = True, pos + 1
            else:
                try:
                    item, end = decoder.raw_decode(buffer, pos)
                except ValueError:
                    break  # the item goes on in the next chunk
                if not isinstance(item, dict | list) and (
                    end == len(buffer) or buffer[end] not in _WHITESPACE + ",]"
                ):
                    break  # a number cut by the chunk: "1" of "1.5"
                yield item
                pos = end
        buffer = buffer[pos:]
        if closed:
            if buffer.strip():
                raise ValueError("data after the end of the export array")
            return
    raise ValueError("the export stopped before the end of its array")


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
        self.export_url = f"{self.base_url}{API}/{self.dataset}/exports/json"

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

    # -- bulk export ---------------------------------------------------------------
    def iter_export(self, since, until=None, chunk_size=EXPORT_CHUNK):
        """Yield the raw records of ``since``..``until`` from ``/exports/json``, streamed.

        One request, no paging: the export has no row cap. Opening the answer is retried
        like any call (the shared layer); a stream cut in the middle is a
        :class:`PayloadError` raised to the caller, who re-reads the window (an upsert of
        the same records is harmless).
        """
        params = {"where": self.window_where(since, until)}
        if self.order_by:
            params["order_by"] = self.order_by
        response = self.request(
            "GET", self.export_url, parse=self._open_stream, params=params, stream=True
        )
        try:
            yield from iter_json_array(response.iter_content(chunk_size))
        except (requests.RequestException, ValueError) as exc:
            raise PayloadError(
                f"{self.service} export interrupted ({type(exc).__name__}: {exc})",
                status=response.status_code,
            ) from exc
        finally:
            response.close()

    def _open_stream(self, response):
        if response.status_code >= 400:
            try:
                raise self.error_from_response(response)
            finally:
                response.close()
        return response

"""One retrying HTTP layer for every remote client of the suite (no ORM here).

Each client (BOAMP, API Entreprise, Recherche d'entreprises, ADEME, Chorus Pro)
keeps only its protocol: URLs, parameters, how an error answer reads. This
layer owns what they share:

* timeouts: a ``(connect, read)`` pair per call, never more than what is left of
  the job's :class:`Budget`;
* one time budget per job for its remote calls (connects, reads and waits,
  retries included), so a service that never answers blocks a job for a bounded
  time whatever the number of calls, and the job can report what it used;
* retries of what may succeed a moment later (no answer, 429, 5xx, a truncated
  body) with exponential backoff, or after the ``Retry-After`` the service
  announced (RFC 9110 section 10.2.3: seconds or an HTTP date);
* a wait longer than ``max_wait`` is never done in place: the error is raised
  with its ``retry_in`` and the job schedules itself again at that time;
* a non-idempotent call (a deposit) is never retried: the error says whether
  the request may have arrived, and the caller decides.

Errors never quote request headers (they may hold a token).
"""

import logging
import math
import time
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import NewConnectionError

from .errors import (
    BudgetExhaustedError,
    HttpStatusError,
    PayloadError,
    RateLimitError,
    RemoteError,
    RemoteTimeoutError,
    ServiceUnavailableError,
    TransportError,
)

_logger = logging.getLogger(__name__)

USER_AGENT = "duret-odoo-marches-publics/17.0 (+contact@duret-electricite.fr)"
#: RFC 9110 section 9.2.2; POST and PATCH are retried only when the caller says so
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: no attempt is started with less budget left than this (it could not get an answer)
MIN_ATTEMPT_SECONDS = 1.0


def parse_retry_after(value, now=None):
    """Whole seconds to wait from a ``Retry-After`` value; None when absent or unreadable.

    The header holds either a number of seconds or an HTTP date (RFC 9110
    section 10.2.3); a date in the past means "now" (0).
    """
    text = str(value).strip() if value is not None else ""
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        seconds = (moment - (now or datetime.now(timezone.utc))).total_seconds()
    if math.isnan(seconds) or math.isinf(seconds):
        return None
    return max(math.ceil(seconds), 0)


class Budget:
    """The time a job may spend on remote calls: connects, reads and waits, retries included.

    One budget is shared by every client of a job. Only the time spent inside
    this layer counts (storing what came back does not), so the budget bounds how
    long a dead service can hold the job, and ``spent`` is what the run log reports.
    """

    def __init__(self, seconds):
        self.seconds = float(seconds)
        self.spent = 0.0

    def __repr__(self):
        return f"<Budget {self.spent:.1f}/{self.seconds:g} s>"

    def remaining(self):
        return max(self.seconds - self.spent, 0.0)

    def charge(self, seconds):
        self.spent += max(float(seconds), 0.0)


def _connect_never_made(exc):
    """True when a ``requests.ConnectionError`` failed before the request was sent."""
    reason = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", reason)  # urllib3's MaxRetryError wraps the cause
    return isinstance(reason, NewConnectionError)


def _short(exc, limit=300):
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= limit else text[: limit - 1] + "…"


class HttpClient:
    """One ``requests`` session, the job's budget and the retry loop; subclasses add protocol.

    Class attributes are the client's defaults; the constructor overrides them
    (tests shorten waits, inject ``sleep``/``clock`` and a session double).
    """

    #: (connect, read) seconds of one attempt
    timeout = (5.0, 20.0)
    #: attempts after the first one, for idempotent calls only
    retries = 2
    #: first backoff delay in seconds, doubled at each retry
    backoff = 0.5
    #: longest wait done in place (Retry-After or backoff); longer: raise, the job reschedules
    max_wait = 10.0
    #: budget of a client built without the job's (an interactive button)
    default_budget = 60.0
    #: the service's name, given to the errors it raises (they name it to the user)
    service = None
    retry_statuses = RETRY_STATUSES
    #: errors worth another attempt (when the call is idempotent)
    retry_errors = (TransportError, RateLimitError, ServiceUnavailableError, PayloadError)

    def __init__(
        self,
        base_url,
        session=None,
        budget=None,
        timeout=None,
        retries=None,
        backoff=None,
        max_wait=None,
        sleep=time.sleep,
        clock=time.monotonic,
    ):
        self.base_url = (base_url or "").rstrip("/")
        self.session = session or requests.Session()
        self.budget = budget if budget is not None else Budget(self.default_budget)
        if timeout is not None:
            self.timeout = timeout
        if retries is not None:
            self.retries = max(int(retries), 0)
        if backoff is not None:
            self.backoff = backoff
        if max_wait is not None:
            self.max_wait = max_wait
        self.sleep = sleep
        self.clock = clock
        self.http_calls = 0

    def __repr__(self):
        return f"<{type(self).__name__} {self.base_url}>"

    # -- protocol hooks ------------------------------------------------------------
    def error_from_response(self, response):
        """The typed error of an answer whose status is an error (subclasses read their body).

        A 429 or a 503 says the request was refused before being processed (RFC 6585
        section 4, RFC 9110 section 15.6.4): it did not "arrive" for the caller's purpose.
        """
        status = response.status_code
        retry_in = parse_retry_after(response.headers.get("Retry-After"))
        reason = getattr(response, "reason", None) or ""
        message = f"HTTP {status} {reason}".strip()
        kwargs = {
            "status": status,
            "retry_in": retry_in,
            "request_may_have_arrived": status not in (429, 503),
        }
        if status == 429:
            return RateLimitError(message, **kwargs)
        if status >= 500:
            return ServiceUnavailableError(message, **kwargs)
        return HttpStatusError(message, **kwargs)

    # -- calls ---------------------------------------------------------------------
    def request(
        self, method, url, parse=None, idempotent=None, timeout=None, on_attempt=None, **kwargs
    ):
        """``parse(response)`` (or the response) of ``method url``, retried when worth it.

        An answer whose status is in ``retry_statuses`` becomes
        :meth:`error_from_response`; any other answer goes to ``parse``, which
        returns the value or raises a typed error (a :class:`PayloadError` for a
        truncated body is retried). ``on_attempt(response_or_None, seconds)`` is
        called after every attempt (call logs the terms of use require).
        """
        method = method.upper()
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        attempt = 0
        while True:
            try:
                response = self._send(method, url, timeout, on_attempt, **kwargs)
                if response.status_code in self.retry_statuses:
                    raise self.error_from_response(response)
                return parse(response) if parse else response
            except RemoteError as error:
                error.service = error.service or self.service
                delay = self._retry_delay(error, attempt, idempotent)
                if delay is None:
                    raise
                _logger.info(
                    "%s %s failed (%s), retry %d in %.1f s",
                    method,
                    urlsplit(url).path,
                    error,
                    attempt + 1,
                    delay,
                )
                self._wait(delay)
                attempt += 1

    def pause(self, error):
        """Wait ``error.retry_in`` in place when short and within budget, else raise ``error``.

        For waits a client detects itself (a quota about to run out).
        """
        error.service = error.service or self.service
        delay = error.retry_in or 0
        if delay > self.max_wait or delay + MIN_ATTEMPT_SECONDS > self.budget.remaining():
            raise error
        self._wait(delay)

    def _retry_delay(self, error, attempt, idempotent):
        """Seconds to wait before the next attempt, or None when the error must be raised."""
        if not idempotent or attempt >= self.retries:
            return None
        if not isinstance(error, self.retry_errors) or isinstance(error, BudgetExhaustedError):
            return None
        delay = error.retry_in if error.retry_in is not None else self.backoff * (2**attempt)
        if delay > self.max_wait or delay + MIN_ATTEMPT_SECONDS > self.budget.remaining():
            return None
        return delay

    def _wait(self, seconds):
        self.sleep(seconds)
        self.budget.charge(seconds)

    def _timeouts(self, timeout):
        """The (connect, read) pair of one attempt, cut to what is left of the budget."""
        remaining = self.budget.remaining()
        if remaining < MIN_ATTEMPT_SECONDS:
            raise BudgetExhaustedError(
                f"time budget of {self.budget.seconds:g} s for remote calls spent",
                request_may_have_arrived=False,
            )
        timeout = timeout or self.timeout
        connect, read = timeout if isinstance(timeout, tuple) else (timeout, timeout)
        return (min(connect, remaining), min(read, remaining))

    def _send(self, method, url, timeout, on_attempt, headers=None, **kwargs):
        timeouts = self._timeouts(timeout)
        headers = {"User-Agent": USER_AGENT, **(headers or {})}
        started = self.clock()
        response = None
        self.http_calls += 1
        try:
            response = self.session.request(
                method, url, headers=headers, timeout=timeouts, **kwargs
            )
            return response
        except requests.ConnectTimeout as exc:
            raise RemoteTimeoutError(
                f"no connection within {timeouts[0]:g} s to {urlsplit(url).netloc}",
                request_may_have_arrived=False,
            ) from exc
        except requests.Timeout as exc:
            raise RemoteTimeoutError(
                f"no answer within {timeouts[1]:g} s from {urlsplit(url).netloc}",
                request_may_have_arrived=True,
            ) from exc
        except requests.ConnectionError as exc:
            raise TransportError(
                f"connection to {urlsplit(url).netloc} failed ({_short(exc)})",
                request_may_have_arrived=not _connect_never_made(exc),
            ) from exc
        except requests.RequestException as exc:
            raise TransportError(
                f"{method} {urlsplit(url).netloc} failed ({_short(exc)})",
                request_may_have_arrived=True,
            ) from exc
        finally:
            elapsed = self.clock() - started
            self.budget.charge(elapsed)
            if on_attempt:
                on_attempt(response, elapsed)

    def get_json(self, url, **kwargs):
        """The decoded JSON body of ``GET url`` (a non-JSON body is a retried PayloadError)."""
        return self.request("GET", url, parse=self.json_of, **kwargs)

    def json_of(self, response):
        """The JSON of a 2xx answer; an error answer becomes its typed error."""
        if response.status_code >= 400:
            raise self.error_from_response(response)
        try:
            return response.json()
        except ValueError as exc:
            raise PayloadError(
                f"unreadable JSON from {self.base_url} ({exc})", status=response.status_code
            ) from exc

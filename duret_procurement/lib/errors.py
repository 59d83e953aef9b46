"""One error base for every remote client of the suite (no ORM here).

A client raises a :class:`RemoteError` subclass; the model layer decides what
to do from three facts the error carries, whatever the service:

* ``retry_in``: seconds after which the same call may succeed (``None``: unknown);
* ``stop_batch``: every other call of the job would fail the same way (token
  refused, rate limit, time budget spent), so the batch stops here;
* ``request_may_have_arrived``: the server may have received (and acted on) the
  request, so a non-idempotent call (a deposit) must not be sent again blindly;
* ``service``: the name of the service, set by the client that raised it.

``kind`` is a short stable code the model layer turns into one translated
sentence; the message (``str(error)``) is the technical detail shown after it.
Messages never hold a credential.
"""


class RemoteError(Exception):
    """A remote service gave no usable answer."""

    kind = "remote"
    stop_batch = False

    def __init__(
        self,
        message,
        status=None,
        code=None,
        retry_in=None,
        payload=None,
        request_may_have_arrived=None,
    ):
        super().__init__(message)
        self.status = status
        self.code = code
        self.retry_in = retry_in
        self.payload = payload
        if request_may_have_arrived is None:  # an HTTP answer proves the server got it
            request_may_have_arrived = status is not None
        self.request_may_have_arrived = request_may_have_arrived
        self.service = None


class TransportError(RemoteError):
    """No HTTP answer: connection refused or dropped, timeout, unreadable body."""

    kind = "connection"


class RemoteTimeoutError(TransportError):
    """No answer within the call's timeout (the request may have been received)."""

    kind = "timeout"


class BudgetExhaustedError(TransportError):
    """The job's time budget for remote calls is spent: no further call is made."""

    kind = "budget"
    stop_batch = True


class HttpStatusError(RemoteError):
    """An HTTP error status with no more specific meaning in the client's protocol."""

    kind = "http"


class RateLimitError(RemoteError):
    """429 (or a quota about to run out): wait ``retry_in`` seconds before any other call."""

    kind = "rate_limit"
    stop_batch = True


class ServiceUnavailableError(RemoteError):
    """5xx from the service: it may work again later (``retry_in`` when announced)."""

    kind = "unavailable"


class PayloadError(RemoteError):
    """The body could not be read (truncated or not JSON): another attempt may do better."""

    kind = "payload"


class UnexpectedAnswerError(RemoteError):
    """A readable answer of the wrong shape: asking again gives the same, so never retried."""

    kind = "payload"

"""The shared HTTP layer, its HTTP boundary mocked: retries, Retry-After, budget, idempotency."""

from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import requests
from urllib3.exceptions import MaxRetryError, NewConnectionError

from odoo.tests import BaseCase, tagged

from ..lib.errors import (
    BudgetExhaustedError,
    HttpStatusError,
    PayloadError,
    RateLimitError,
    RemoteTimeoutError,
    ServiceUnavailableError,
    TransportError,
)
from ..lib.http import USER_AGENT, Budget, HttpClient, parse_retry_after
from .common import FakeClock, FakeResponse, FakeSession

URL = "https://service.example/api/thing"


@tagged("post_install", "-at_install")
class TestRetryAfter(BaseCase):
    def test_seconds_and_http_dates(self):
        now = datetime(2026, 12, 5, 12, 0, tzinfo=timezone.utc)
        in_90_s = format_datetime(now + timedelta(seconds=90), usegmt=True)
        self.assertEqual(parse_retry_after("1"), 1)
        self.assertEqual(parse_retry_after(" 120 "), 120)
        self.assertEqual(parse_retry_after("0.2"), 1, "rounded up: never retry too early")
        self.assertEqual(parse_retry_after(in_90_s, now=now), 90)
        self.assertEqual(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=now), 0)
        for unreadable in (None, "", "soon", "nan"):
            self.assertIsNone(parse_retry_after(unreadable), unreadable)


@tagged("post_install", "-at_install")
class TestHttpClient(BaseCase):
    def setUp(self):
        super().setUp()
        self.clock = FakeClock()
        self.session = FakeSession(clock=self.clock)

    def client(self, **kwargs):
        return HttpClient(
            "https://service.example/",
            session=self.session,
            sleep=self.clock.sleep,
            clock=self.clock,
            **kwargs,
        )

    def test_a_short_retry_after_is_waited_then_the_call_succeeds(self):
        self.session.add(
            r".", FakeResponse(429, headers={"Retry-After": "1"}), FakeResponse(200, {"ok": 1})
        )
        self.assertEqual(self.client().get_json(URL), {"ok": 1})
        self.assertEqual(self.clock.sleeps, [1])
        self.assertEqual(len(self.session.calls), 2)

    def test_a_long_retry_after_is_raised_at_once_with_its_delay(self):
        self.session.add(r".", FakeResponse(429, headers={"Retry-After": "3600"}))
        with self.assertRaises(RateLimitError) as caught:
            self.client().get_json(URL)
        self.assertEqual(caught.exception.retry_in, 3600)
        self.assertTrue(caught.exception.stop_batch)
        self.assertEqual((len(self.session.calls), self.clock.sleeps), (1, []))

    def test_5xx_backoff_then_typed_error(self):
        self.session.add(r".", FakeResponse(503, reason="Service Unavailable"))
        with self.assertRaises(ServiceUnavailableError) as caught:
            self.client(retries=2, backoff=0.5).get_json(URL)
        self.assertEqual(self.clock.sleeps, [0.5, 1.0])
        self.assertEqual(caught.exception.status, 503)
        self.assertFalse(caught.exception.request_may_have_arrived, "503: refused unprocessed")
        self.session.routes.clear()
        self.session.add(r".", FakeResponse(500))
        with self.assertRaises(ServiceUnavailableError) as caught:
            self.client(retries=0).request("POST", URL)
        self.assertTrue(caught.exception.request_may_have_arrived, "a 500 may have done it")

    def test_truncated_json_is_retried_a_client_error_is_not(self):
        self.session.add(r"/a", FakeResponse(200, content="{trunc"), FakeResponse(200, [1]))
        self.session.add(r"/b", FakeResponse(400, content="bad"))
        client = self.client()
        self.assertEqual(client.get_json("https://service.example/a"), [1])
        with self.assertRaises(HttpStatusError):
            client.get_json("https://service.example/b")
        self.assertEqual(len(self.session.paths("/b")), 1)
        self.session.routes.clear()
        self.session.add(r".", FakeResponse(200, content="<html>"))
        with self.assertRaises(PayloadError):
            client.get_json(URL)

    def test_a_deposit_is_never_retried(self):
        self.session.add(r".", requests.ReadTimeout("read timed out"))
        with self.assertRaises(RemoteTimeoutError) as caught:
            self.client(retries=3).request("POST", URL, data=b"invoice")
        self.assertEqual(len(self.session.calls), 1)
        self.assertTrue(caught.exception.request_may_have_arrived, "it may have been received")

    def test_a_refused_connection_never_reached_the_server(self):
        refused = requests.ConnectionError(
            MaxRetryError(None, URL, NewConnectionError(None, "Connection refused"))
        )
        dropped = requests.ConnectionError("RemoteDisconnected('closed without response')")
        self.session.add(r"/refused", refused)
        self.session.add(r"/dropped", dropped)
        client = self.client(retries=0)
        with self.assertRaises(TransportError) as caught:
            client.request("POST", "https://service.example/refused")
        self.assertFalse(caught.exception.request_may_have_arrived)
        with self.assertRaises(TransportError) as caught:
            client.request("POST", "https://service.example/dropped")
        self.assertTrue(caught.exception.request_may_have_arrived)

    def test_one_budget_bounds_a_hanging_service_across_calls(self):
        """Read timeouts, waits and retries of every call draw on the job's one budget."""
        budget = Budget(30)
        self.session.add(r".", FakeSession.hang)
        client = self.client(budget=budget, timeout=(5, 20), retries=5, backoff=0.5)
        started = self.clock()
        with self.assertRaises(RemoteTimeoutError):
            client.get_json(URL)
        # 20 s read, 0.5 s wait, then an attempt cut to the 9.5 s left: nothing more to try
        self.assertEqual([c["timeout"] for c in self.session.calls], [(5, 20), (5, 9.5)])
        self.assertEqual(self.clock() - started, 30)
        self.assertEqual(budget.spent, 30)
        with self.assertRaises(BudgetExhaustedError) as caught:
            client.get_json(URL)
        self.assertTrue(caught.exception.stop_batch)
        self.assertEqual(len(self.session.calls), 2, "no call once the budget is spent")

    def test_headers_stay_out_of_messages_and_attempts_are_reported(self):
        self.session.add(r".", requests.ConnectionError("boom"), FakeResponse(200, {}))
        attempts = []
        self.client().get_json(
            URL,
            headers={"Authorization": "Bearer secret-token"},
            on_attempt=lambda response, seconds: attempts.append(response),
        )
        self.assertEqual(attempts[0], None)
        self.assertEqual(attempts[1].status_code, 200)
        self.assertEqual(self.session.calls[0]["headers"]["User-Agent"], USER_AGENT)
        self.session.routes.clear()
        self.session.add(r".", requests.ConnectionError("refused"))
        with self.assertRaises(TransportError) as caught:
            self.client(retries=0).get_json(URL, headers={"Authorization": "Bearer secret-token"})
        self.assertNotIn("secret-token", str(caught.exception))

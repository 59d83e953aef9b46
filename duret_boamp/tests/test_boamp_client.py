"""The BOAMP client with HTTP mocked at the boundary: a fake ``requests`` session that
serves an in-memory dataset the way the Explore v2.1 API does (order, paging, the
10 000 offset cap) and plays scripted failures."""

import math
import re
from datetime import date, timedelta

import requests

from odoo.addons.duret_procurement.lib.errors import (
    HttpStatusError,
    PayloadError,
    RemoteTimeoutError,
    ServiceUnavailableError,
    TransportError,
    UnexpectedAnswerError,
)
from odoo.addons.duret_procurement.tests.common import FakeResponse, FakeSession, SandboxMixin
from odoo.tests import BaseCase, tagged

from ..lib.boamp_client import (
    RECORDS_PATH,
    BoampClient,
    BoampWindowTooLargeError,
    build_where,
)

BASE = "http://127.0.0.1:9"
NATURES = ["APPEL_OFFRE", "RECTIFICATIF", "ANNULATION", "MODIFICATION", "ATTRIBUTION"]


class FakeBoamp(FakeSession):
    """The shared session double serving ``records`` the way the Explore v2.1 API does;
    ``script`` items (responses or exceptions) are played first, one per call."""

    def __init__(self, records=(), script=()):
        super().__init__()
        self.records = sorted(records, key=lambda r: r["idweb"])
        self.records.sort(key=lambda r: r["dateparution"], reverse=True)
        self.add(re.escape(RECORDS_PATH), *script, self.serve)

    def window(self, where):
        since = re.search(r"dateparution >= date'([\d-]+)'", where).group(1)
        until = re.search(r"dateparution <= date'([\d-]+)'", where)
        until = until.group(1) if until else "9999-12-31"
        return [r for r in self.records if since <= r["dateparution"] <= until]

    def serve(self, url, params):
        offset, limit = int(params.get("offset", 0)), int(params["limit"])
        if limit > 100 or offset + limit > 10000:
            message = "Invalid value for limit/offset: sum of offset + limit <= 10000 is expected"
            return FakeResponse(
                400, {"error_code": "InvalidRESTParameterError", "message": message}
            )
        rows = self.window(params["where"])
        self.calls[-1]["total"] = len(rows)
        return FakeResponse(
            200, {"total_count": len(rows), "results": rows[offset : offset + limit]}
        )


def make_records(count, day=date(2026, 1, 21), per_day=None):
    per_day = per_day or count
    return [
        {
            "idweb": f"26-{index:06d}",
            "dateparution": (day - timedelta(days=index // per_day)).isoformat(),
        }
        for index in range(count)
    ]


def ok(results, total=None):
    return FakeResponse(
        200, {"total_count": len(results) if total is None else total, "results": results}
    )


@tagged("post_install", "-at_install")
class TestBuildWhere(BaseCase):
    def test_duret_window_query(self):
        where = build_where(date(2026, 5, 1), date(2026, 5, 3), ["73", "74"], ["APPEL_OFFRE"])
        self.assertEqual(
            where,
            "dateparution >= date'2026-05-01' AND dateparution <= date'2026-05-03' AND "
            '(code_departement="73" OR code_departement="74" OR '
            'code_departement_prestation="73" OR code_departement_prestation="74") AND '
            '(nature="APPEL_OFFRE")',
        )
        self.assertNotIn("type_marche", build_where(date(2026, 5, 1), None, ["73"], NATURES))

    def test_open_window_without_filters(self):
        self.assertEqual(
            build_where(date(2026, 5, 1), None, [], []), "dateparution >= date'2026-05-01'"
        )


@tagged("post_install", "-at_install")
class TestPaging(BaseCase):
    def client(self, server, **kwargs):
        self.sleeps = []
        return BoampClient(BASE + "/", session=server, sleep=self.sleeps.append, **kwargs)

    def test_pages_of_100_with_a_stable_order(self):
        server = FakeBoamp(make_records(250, per_day=40))
        client = self.client(server)
        records = list(client.iter_window(date(2026, 1, 1), date(2026, 1, 31), ["73"], NATURES))
        self.assertEqual(len({r["idweb"] for r in records}), 250)
        self.assertEqual(client.http_calls, math.ceil(250 / 100))
        self.assertEqual([c["params"]["offset"] for c in server.calls], [0, 100, 200])
        for call in server.calls:
            self.assertEqual(call["url"], BASE + RECORDS_PATH)
            self.assertEqual(call["params"]["limit"], 100)
            self.assertEqual(call["params"]["order_by"], "dateparution desc, idweb asc")
            self.assertEqual(call["timeout"], (5.0, 20.0))
            self.assertIn('code_departement="73"', call["params"]["where"])

    def test_exact_page_count_for_small_windows(self):
        for count, calls in ((0, 1), (1, 1), (100, 1), (101, 2), (1000, 10)):
            with self.subTest(count):
                client = self.client(FakeBoamp(make_records(count)))
                self.assertEqual(
                    len(list(client.iter_window(date(2026, 1, 1), None, [], []))), count
                )
                self.assertEqual(client.http_calls, calls)

    def test_windows_above_10000_are_split_by_date(self):
        server = FakeBoamp(make_records(25000, per_day=2500))  # ten days
        client = self.client(server)
        records = list(client.iter_window(date(2026, 1, 12), date(2026, 1, 21), [], []))
        self.assertEqual(len(records), 25000)
        self.assertEqual(len({r["idweb"] for r in records}), 25000)
        for call in server.calls:
            self.assertLessEqual(call["params"]["offset"] + call["params"]["limit"], 10000)
        probes = sum(1 for call in server.calls if call["total"] > 10000)
        self.assertGreater(probes, 0)
        self.assertEqual(client.http_calls, math.ceil(25000 / 100) + probes)

    def test_a_single_day_above_10000_is_a_typed_error(self):
        client = self.client(FakeBoamp(make_records(10001)))
        with self.assertRaises(BoampWindowTooLargeError):
            list(client.iter_window(date(2026, 1, 21), date(2026, 1, 21), [], []))

    def test_records_repeated_across_pages_are_yielded_once(self):
        first = [{"idweb": f"26-{i}", "dateparution": "2026-01-21"} for i in range(100)]
        second = [first[-1], {"idweb": "26-100", "dateparution": "2026-01-21"}]
        client = self.client(FakeBoamp(script=[ok(first, 102), ok(second, 102)]))
        records = list(client.iter_window(date(2026, 1, 21), None, [], []))
        self.assertEqual([r["idweb"] for r in records][-2:], ["26-99", "26-100"])
        self.assertEqual(len(records), 101)

    def test_count_reads_total_count_with_limit_zero(self):
        server = FakeBoamp(script=[ok([], 1234)])
        self.assertEqual(self.client(server).count("dateparution >= date'2026-01-01'"), 1234)
        self.assertEqual(server.calls[0]["params"]["limit"], 0)


@tagged("post_install", "-at_install")
class TestRetries(BaseCase):
    def client(self, script, **kwargs):
        self.sleeps = []
        self.server = FakeBoamp(make_records(3), script=script)
        return BoampClient(BASE, session=self.server, sleep=self.sleeps.append, **kwargs)

    def fetch(self, client):
        return list(client.iter_window(date(2026, 1, 1), None, [], []))

    def test_429_honours_retry_after(self):
        client = self.client([FakeResponse(429, headers={"Retry-After": "7"}, reason="Too Many")])
        self.assertEqual(len(self.fetch(client)), 3)
        self.assertEqual(self.sleeps, [7.0])
        self.assertEqual(client.http_calls, 2)

    def test_5xx_are_retried_with_exponential_backoff(self):
        client = self.client([FakeResponse(500), FakeResponse(503)], backoff=1.5)
        self.assertEqual(len(self.fetch(client)), 3)
        self.assertEqual(self.sleeps, [1.5, 3.0])
        self.assertEqual(client.http_calls, 3)

    def test_timeouts_and_connection_errors_are_retried(self):
        client = self.client(
            [requests.Timeout("read timed out"), requests.ConnectionError("connection reset")]
        )
        self.assertEqual(len(self.fetch(client)), 3)
        self.assertEqual(self.sleeps, [1.0, 2.0])

    def test_typed_errors_after_max_retries(self):
        cases = [
            (
                FakeResponse(503, content="down", reason="Service Unavailable"),
                ServiceUnavailableError,
            ),
            (requests.Timeout("read timed out"), RemoteTimeoutError),
            (requests.ConnectionError("refused"), TransportError),
            (FakeResponse(200, content="<html>truncated"), PayloadError),
        ]
        for failure, error in cases:
            with self.subTest(error.__name__):
                client = self.client([failure] * 3, retries=2)
                with self.assertRaises(error):
                    self.fetch(client)
                self.assertEqual(client.http_calls, 3)
                self.assertEqual(len(self.sleeps), 2)

    def test_http_error_carries_status_and_body(self):
        client = self.client(
            [FakeResponse(503, content="maintenance", reason="Unavailable")] * 2, retries=1
        )
        with self.assertRaises(ServiceUnavailableError) as caught:
            self.fetch(client)
        self.assertEqual((caught.exception.status, caught.exception.body), (503, "maintenance"))

    def test_client_errors_are_not_retried(self):
        body = {"error_code": "ODSQLError", "message": "ODSQL query is malformed"}
        client = self.client([FakeResponse(400, body, reason="Bad Request")])
        with self.assertRaises(HttpStatusError) as caught:
            self.fetch(client)
        self.assertEqual(caught.exception.status, 400)
        self.assertIn("ODSQL query is malformed", str(caught.exception))
        self.assertEqual((client.http_calls, self.sleeps), (1, []))

    def test_unexpected_envelope_is_a_payload_error_at_once(self):
        client = self.client([FakeResponse(200, {"records": []})])
        with self.assertRaises(UnexpectedAnswerError):
            self.fetch(client)
        self.assertEqual(client.http_calls, 1)


@tagged("post_install", "-at_install")
class TestClientOverSandbox(SandboxMixin, BaseCase):
    """The same client over real HTTP against the local sandbox, with injected faults."""

    def setUp(self):
        super().setUp()
        self.sandbox_reset()
        self.sleeps = []
        self.everything = build_where(date(2000, 1, 1), None, [], [])

    def client(self, **kwargs):
        return BoampClient(self.sandbox_url(), timeout=10, sleep=self.sleeps.append, **kwargs)

    def test_faults_are_retried_and_every_record_is_read_once(self):
        total = self.client().count(self.everything)
        self.assertGreater(total, 100)
        self.sandbox_reset()
        for kind in ("429", "503", "malformed", "drop"):
            self.sandbox_fault(RECORDS_PATH, kind)
        client = self.client(retries=4)
        records = list(client.iter_window(date(2000, 1, 1), None, [], []))
        self.assertEqual(len({r["idweb"] for r in records}), total)
        self.assertEqual(self.sleeps, [1.0, 2.0, 4.0, 8.0])  # Retry-After 1, then backoff
        self.assertEqual(client.http_calls, math.ceil(total / 100) + 4)
        self.assertEqual(self.sandbox_calls(RECORDS_PATH), client.http_calls)

    def test_persistent_outage_is_a_typed_error(self):
        self.sandbox_fault(RECORDS_PATH, "503", count=3)
        client = self.client(retries=2)
        with self.assertRaises(ServiceUnavailableError) as caught:
            list(client.iter_window(date(2000, 1, 1), None, [], []))
        self.assertEqual(caught.exception.status, 503)
        self.assertEqual(self.sandbox_calls(RECORDS_PATH), 3)

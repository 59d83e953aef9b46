import requests

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..lib import api_entreprise, errors
from ..lib.api_entreprise import ApiEntrepriseClient, clean_object
from .common import PDF, ComplianceCase, FakeResponse, FakeSession, staging_case


def envelope(code, title, detail="", meta=None):
    return {
        "errors": [
            {"code": code, "title": title, "detail": detail, "source": None, "meta": meta or {}}
        ]
    }


@tagged("post_install", "-at_install")
class TestApiEntrepriseErrors(ComplianceCase):
    """Error envelopes become typed errors and clear French messages; the batch behaves."""

    def client(self, session, **kwargs):
        self.entries = []
        return ApiEntrepriseClient(
            "https://staging.entreprise.api.gouv.fr",
            "secret-token-value",
            "10000001700010",
            "Marchés publics",
            "Test",
            session=session,
            sleep=self.sleeps.append,
            on_call=self.entries.append,
            **kwargs,
        )

    def assert_raises_for(self, status, payload, error_class, headers=None):
        session = FakeSession().add(r".", FakeResponse(status, payload, headers=headers))
        with self.assertRaises(error_class) as caught:
            self.client(session).get("urssaf_vigilance", "000000001")
        return caught.exception, session

    def test_401_codes(self):
        for code, fragment in (
            ("00101", "refused"),
            ("00103", "expired"),
            ("00105", "blacklisted"),
        ):
            exc, _session = self.assert_raises_for(
                401, envelope(code, "Interdit"), errors.AuthenticationError
            )
            self.assertEqual(exc.code, code)
            self.assertTrue(exc.stop_batch)
            self.assertIn(fragment, self.Service._error_message(exc))

    def test_403_404_409_451(self):
        exc, _s = self.assert_raises_for(
            403, envelope("00100", "Privilèges insuffisants"), errors.ForbiddenError
        )
        self.assertIn("(00100)", self.Service._error_message(exc))
        status, payload = staging_case("api_entreprise_v4_acoss_attestations_sociales", "440752244")
        self.assertEqual(status, 404)
        exc, session = self.assert_raises_for(404, payload, errors.NotFoundError)
        self.assertEqual(exc.code, "04003")
        self.assertIn("not proof of non-compliance", self.Service._error_message(exc))
        self.assertEqual(len(session.calls), 1, "a 404 is never retried")
        self.assert_raises_for(451, {}, errors.UnavailableForLegalReasonsError)
        exc, session = self.assert_raises_for(
            409, envelope("00015", "Conflit"), errors.ConflictError
        )
        self.assertEqual(len(session.calls), 3, "a conflict is retried later (twice here)")

    def test_422_missing_parameter(self):
        payload = envelope("00202", "Entité non traitable", "Le paramètre object est obligatoire")
        exc, _s = self.assert_raises_for(422, payload, errors.InvalidParameterError)
        self.assertEqual(exc.code, "00202")
        self.assertIn("recipient SIRET, context and object", self.Service._error_message(exc))
        with self.assertRaises(errors.RemoteError):
            ApiEntrepriseClient("https://x", "t", "", "ctx", "obj", session=FakeSession()).get(
                "urssaf_vigilance", "000000001"
            )

    def test_429_retry_after_is_honoured_and_never_hammered(self):
        exc, session = self.assert_raises_for(
            429,
            envelope("00429", "Trop de requêtes"),
            errors.RateLimitError,
            headers={"Retry-After": "42"},
        )
        self.assertEqual(exc.retry_in, 42)
        self.assertEqual(len(session.calls), 1, "no retry after a 429")
        self.assertFalse(self.sleeps)

    def test_429_stops_the_batch_and_pauses_the_company(self):
        self.set_token()
        self.track("urssaf_vigilance", "dgfip_fiscale", "qualibat")
        self.session.add(
            r"/v4/urssaf/",
            FakeResponse(
                429, envelope("00429", "Trop de requêtes"), headers={"Retry-After": "120"}
            ),
        )
        self.session.add(r".", FakeResponse(200, {"data": {}}))
        summary = self.Service.refresh_company(self.company)
        self.assertEqual(len(self.session.calls), 1, "the batch stopped at the first 429")
        self.assertIn("2 minute(s)", summary["stopped"])
        self.assertGreater(self.company.compliance_blocked_until, fields.Datetime.now())
        again = self.Service.refresh_company(self.company)
        self.assertEqual(len(self.session.calls), 1, "no call while paused")
        self.assertIn("paused", again["stopped"])

    def test_rate_limit_headers_stop_before_exhaustion(self):
        _status, payload = staging_case(
            "api_entreprise_v4_dgfip_attestations_fiscales", "000000001"
        )
        session = FakeSession().add(
            r".",
            FakeResponse(
                200,
                payload,
                headers={
                    "RateLimit-Remaining": "2",
                    "RateLimit-Reset": "30",
                    "RateLimit-Limit": "50",
                },
            ),
        )
        client = self.client(session, min_remaining=2)
        client.get("dgfip_fiscale", "000000001")
        with self.assertRaises(errors.RateLimitError) as caught:
            client.get("dgfip_fiscale", "000000001")
        self.assertEqual(len(session.calls), 1, "the last calls of the quota are kept")
        self.assertLessEqual(caught.exception.retry_in, 31)

    def test_502_and_504(self):
        payload = envelope(
            "04501", "Analyse en cours", meta={"provider": "URSSAF", "retry_in": 172800}
        )
        exc, session = self.assert_raises_for(502, payload, errors.ServiceUnavailableError)
        self.assertEqual(exc.retry_in, 172800)
        self.assertEqual(len(session.calls), 1, "a two-day retry_in is rescheduled, not awaited")
        self.assertIn("2 day(s)", self.Service._error_message(exc))
        status, payload = staging_case(
            "api_entreprise_v3_cibtp_attestation_cotisations_conges_payes_chomage_intemperies",
            "20459446201414",
        )
        self.assertEqual(status, 504)
        session = FakeSession().add(r".", FakeResponse(504, payload))
        with self.assertRaises(errors.ServiceUnavailableError):
            self.client(session).get("cibtp", "20459446201414")
        self.assertEqual(len(session.calls), 3, "504 retried with backoff")
        self.assertEqual(self.sleeps[-2:], [0.5, 1.0])
        session = FakeSession().add(
            r".",
            FakeResponse(504, envelope("00501", "Délai", meta={"retry_in": 10})),
            FakeResponse(200, {"data": {}}),
        )
        self.assertEqual(self.client(session).get("cibtp", "x"), {"data": {}})
        self.assertEqual(self.sleeps[-1], 10)

    def test_timeouts_and_transport_errors(self):
        session = FakeSession().add(r".", requests.Timeout("slow"))
        with self.assertRaises(errors.TransportError):
            self.client(session).get("insee_etablissement", "30613890001294")
        self.assertEqual([c["timeout"] for c in session.calls], [(5.0, 5.0)] * 3)
        session = FakeSession().add(r".", requests.Timeout("slow"))
        with self.assertRaises(errors.TransportError):
            self.client(session).get("urssaf_vigilance", "000000001")
        self.assertEqual(session.calls[0]["timeout"], (5.0, 12.0), "document endpoints get 12 s")

    def test_expired_document_url(self):
        """The metadata is kept, the file is not, and the user is told why."""
        self.set_token()
        self.track("urssaf_vigilance")
        _status, payload = staging_case(
            "api_entreprise_v4_acoss_attestations_sociales", "000000001"
        )
        self.session.add(r"/v4/urssaf/", FakeResponse(200, payload))
        self.session.add(r"attestation_vigilance_test\.pdf", FakeResponse(404, content=b""))
        doc = self.Service.refresh_company(self.company)["updated"]
        self.assertFalse(doc.file)
        self.assertIn("link has expired", doc.last_error)
        self.assertEqual(len(self.session.paths(".pdf")), 1, "a dead link is not retried")
        # a later refresh with a live link fills the file in
        self.session.routes.clear()
        self.session.add(r"/v4/urssaf/", FakeResponse(200, payload))
        self.session.add(r"\.pdf", FakeResponse(200, content=PDF))
        self.Service.refresh_company(self.company)
        self.assertTrue(doc.file)
        self.assertFalse(doc.last_error)
        # a renewed attestation (new security code) replaces the old one in place
        payload["data"].update(code_securite="NEWCODE", date_fin_validite="2023-12-31")
        self.session.routes.clear()
        self.session.add(r"/v4/urssaf/", FakeResponse(200, payload))
        self.session.add(r"\.pdf", FakeResponse(200, content=PDF))
        renewed = self.Service.refresh_company(self.company)["updated"]
        self.assertEqual(renewed, doc)
        self.assertEqual((doc.external_ref, str(doc.date_end)), ("NEWCODE", "2023-12-31"))

    def test_call_log_without_token(self):
        self.set_token("super-secret-token-xyz")
        self.track("dgfip_fiscale")
        _status, payload = staging_case(
            "api_entreprise_v4_dgfip_attestations_fiscales", "000000001"
        )
        self.session.add(
            r"/v4/dgfip/", FakeResponse(200, payload, headers={"X-Request-ID": "req-1"})
        )
        self.session.add(r".", FakeResponse(200, content=PDF))
        logged = []
        self.patch(api_entreprise._logger, "info", lambda msg, *args: logged.append(msg % args))
        summary = self.Service.refresh_company(self.company)
        self.assertFalse(summary["stopped"] or summary["errors"], summary)
        self.assertEqual(logged, ["API Entreprise dgfip_fiscale 842317653 -> 200"])
        log = self.env["compliance.api.call"].search([("company_id", "=", self.company.id)])
        self.assertEqual(len(log), 1)
        self.assertEqual(log.endpoint, "/v4/dgfip/unites_legales/{siren}/attestation_fiscale")
        self.assertEqual((log.identifier, log.status, log.request_id), ("842317653", 200, "req-1"))
        self.assertEqual(
            (log.recipient, log.context, log.object), ("10000001700010", "Marchés publics", "Test")
        )
        self.assertEqual(log.user_id, self.env.user)
        values = " ".join(str(v) for v in log.read()[0].values())
        self.assertNotIn("super-secret-token-xyz", values)
        self.assertNotIn("super-secret-token-xyz", "\n".join(logged))
        self.assertNotIn("super-secret-token-xyz", repr(self.Service._api_client(self.company)))
        self.assertEqual(
            self.session.calls[0]["headers"]["Authorization"], "Bearer super-secret-token-xyz"
        )

    def test_recipient_may_not_be_the_company_looked_up(self):
        self.set_token()
        self.company.compliance_recipient = "84231765300017"
        with self.assertRaises(UserError):
            self.Service.refresh_company(self.company)
        self.assertFalse(self.session.calls)

    def test_object_shorter_than_50(self):
        self.assertEqual(len(clean_object("x" * 80)), 49)
        self.assertEqual(clean_object("  Marché \n 2026-07  "), "Marché 2026-07")

    def test_purge_after_36_months(self):
        Call = self.env["compliance.api.call"]
        old = Call.create({"endpoint": "/v4/x", "company_id": self.company.id})
        recent = Call.create({"endpoint": "/v4/y", "company_id": self.company.id})
        self.env.cr.execute(
            "UPDATE compliance_api_call SET create_date = now() - interval '37 months' "
            "WHERE id = %s",
            [old.id],
        )
        Call.invalidate_model()
        Call._cron_compliance_call_purge()
        self.assertFalse(old.exists())
        self.assertTrue(recent.exists())

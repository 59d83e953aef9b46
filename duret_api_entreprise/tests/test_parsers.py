import base64
import datetime

from odoo.tests import tagged

from ..lib import parsers
from .common import PDF, ComplianceCase, FakeResponse, shared_json, staging_case

D = datetime.date
TODAY = D(2023, 5, 2)

# type code -> (staging operation, staging id, expected values on the stored document)
CASES = {
    "urssaf_vigilance": (
        "api_entreprise_v4_acoss_attestations_sociales",
        "000000001",
        {
            "date_start": D(2023, 1, 31),
            "date_end": D(2023, 7, 31),
            "external_ref": "YAB458G1B2T8IZW",
            "state": "valid",
        },
    ),
    "dgfip_fiscale": (
        "api_entreprise_v4_dgfip_attestations_fiscales",
        "000000001",
        {"issue_date": D(2023, 4, 11), "date_end": D(2023, 12, 31), "state": "valid"},
    ),
    "qualifelec": (
        "api_entreprise_v3_qualifelec_certificats",
        "42417936400023",
        {
            "date_start": D(2023, 2, 1),
            "date_end": D(2024, 1, 31),
            "external_ref": "2840",
            "state": "valid",
        },
    ),
    "qualibat": (
        "api_entreprise_v4_qualibat_certifications_batiment",
        "30613890001294",
        {"issue_date": D(2023, 1, 1), "date_end": D(2024, 2, 2), "state": "valid"},
    ),
    "opqibi": (
        "api_entreprise_v3_opqibi_certifications_ingenierie",
        "130025265",
        {"issue_date": D(2021, 1, 28), "date_end": D(2025, 2, 21), "state": "valid"},
    ),
    "cibtp": (
        "api_entreprise_v3_cibtp_attestation_cotisations_conges_payes_chomage_intemperies",
        "13002526500013",
        {"issue_date": TODAY, "date_end": D(2023, 8, 1), "state": "valid"},
    ),
    "cnetp": (
        "api_entreprise_v3_cnetp_attestation_cotisations_conges_payes_chomage_intemperies",
        "130025265",
        {"issue_date": TODAY, "date_end": D(2023, 8, 1), "state": "valid"},
    ),
    "probtp": (
        "api_entreprise_v3_probtp_attestations_cotisation_retraite",
        "30613890001294",
        {"issue_date": TODAY, "date_end": D(2023, 8, 1), "state": "valid"},
    ),
    "fntp": (
        "api_entreprise_v3_fntp_carte_professionnelle_travaux_publics",
        "130025265",
        {"issue_date": TODAY, "date_end": D(2024, 5, 1), "state": "valid"},
    ),
}


@tagged("post_install", "-at_install")
class TestDocumentParsing(ComplianceCase):
    """Every document type, from the real staging payload to a stored, dated document."""

    def test_every_document_type_from_staging_payloads(self):
        self.set_token()
        for code, (operation, identifier, expected) in CASES.items():
            with self.subTest(type=code):
                status, payload = staging_case(operation, identifier)
                self.assertEqual(status, 200)
                document_url = (parsers.DOCUMENT_PARSERS[code](payload)[0]).document_url
                self.assertTrue(document_url, "every staging 200 case has a document URL")
                self.session.routes.clear()
                self.session.add(r"/(v3|v4)/", FakeResponse(200, payload))
                self.session.add(r".", FakeResponse(200, content=PDF))
                self.track(code)
                summary = self.Service.with_context(duret_today=TODAY).refresh_company(self.company)
                self.assertFalse(summary["errors"], summary["errors"])
                doc = summary["updated"].with_context(duret_today=TODAY)
                self.assertEqual(len(doc), 1)
                doc._compute_state()
                for field, value in expected.items():
                    self.assertEqual(doc[field], value, f"{code}.{field}")
                self.assertEqual(doc.source, "api")
                self.assertEqual(base64.b64decode(doc.file), PDF)
                self.assertIn(document_url, self.session.paths(), "file downloaded at once")
                call = self.session.calls[0]
                self.assertEqual(call["params"]["recipient"], "10000001700010")
                self.assertEqual(call["params"]["context"], "Marchés publics")
                self.assertEqual(call["params"]["object"], "Test")
                self.assertNotIn(
                    "Authorization",
                    self.session.calls[-1]["headers"],
                    "the token is never sent to document storage",
                )

    def test_urssaf_refusal_is_not_a_document(self):
        self.set_token()
        self.track("urssaf_vigilance")
        _status, payload = staging_case(
            "api_entreprise_v4_acoss_attestations_sociales", "000000002"
        )
        self.session.add(r"/v4/urssaf/", FakeResponse(200, payload))
        doc = self.Service.refresh_company(self.company)["updated"]
        self.assertFalse(doc.delivered)
        self.assertEqual(doc.state, "missing")
        self.assertFalse(doc.file)
        self.assertEqual(len(self.session.calls), 1, "no download without a document")

    def test_qualifelec_details_and_rge_list(self):
        _status, payload = staging_case(
            "api_entreprise_v3_qualifelec_certificats", "42417936400023"
        )
        (doc,) = parsers.parse_qualifelec(payload)
        self.assertTrue(doc.details["rge"])
        self.assertIn("PRGE", doc.details["mentions"])
        self.assertEqual(doc.details["assurance_decennale"], "AXA")
        _status, payload = staging_case("api_entreprise_v3_ademe_certificats_rge", "13002526500013")
        docs = parsers.parse_rge_api(payload)
        self.assertEqual([d.date_end for d in docs], [D(2025, 8, 1)] * 2)
        self.assertEqual(len({d.external_ref for d in docs}), 2)
        self.assertTrue(all(d.valid and d.document_url.endswith(".pdf") for d in docs))

    def test_rge_api_list_stores_one_document_per_certificate(self):
        self.set_token()
        self.track("rge")
        _status, payload = staging_case("api_entreprise_v3_ademe_certificats_rge", "13002526500013")
        self.session.add(r"/v3/ademe/", FakeResponse(200, payload))
        self.session.add(r"\.pdf$", FakeResponse(200, content=PDF))
        docs = self.Service.with_context(duret_today=TODAY).refresh_company(self.company)["updated"]
        self.assertEqual(len(docs), 2)
        self.assertEqual(set(docs.mapped("date_end")), {D(2025, 8, 1)})
        # a second refresh updates, never duplicates
        again = self.Service.refresh_company(self.company)["updated"]
        self.assertEqual(again, docs)

    def test_rge_from_ademe_open_data_with_cursor_paging(self):
        """No token: RGE comes from the ADEME open data, page after page."""
        self.track("rge")
        folder = "api_entreprise/ademe_rge_mon-devis-sans-oublis/"
        pages = [
            shared_json(f"{folder}historique-rge_lines_siret-81176617900014_p{n}.json")
            for n in (1, 2, 3)
        ]
        self.session.add(r"/data-fair/api/v1/datasets/", *[FakeResponse(200, p) for p in pages])
        self.session.add(r".", FakeResponse(200, content=PDF))
        docs = self.Service.refresh_company(self.company)["updated"]
        lines = [c for c in self.session.calls if "/data-fair/" in c["url"]]
        self.assertEqual(len(lines), 3)
        self.assertTrue(lines[0]["url"].startswith("https://data.ademe.fr/data-fair/api/v1/"))
        self.assertEqual(lines[1]["params"]["after"], "1622822868607,156979680385")
        self.assertEqual(lines[0]["params"]["qs"], "siret:84231765300017")
        rows = sum(len(p["results"]) for p in pages)
        self.assertTrue(0 < len(docs) <= rows)
        self.assertEqual(set(docs.mapped("source")), {"open_data"})
        first = parsers.parse_rge_open_data(pages[0]["results"])[0]
        self.assertEqual(first.date_end, D(2029, 12, 10))
        self.assertTrue(first.document_url.startswith("https://www.qualibat.com/"))
        self.assertFalse(
            self.env["compliance.api.call"].search([("company_id", "=", self.company.id)]),
            "open data calls are not API Entreprise",
        )

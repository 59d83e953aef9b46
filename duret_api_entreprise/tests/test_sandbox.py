"""End to end over real HTTP against the local sandbox (no mock)."""

import datetime

import requests

from odoo.addons.duret_procurement.tests.common import SandboxMixin
from odoo.tests import tagged

from .common import ComplianceCase

SANDBOX_TOKEN = "duret-sandbox-api-entreprise-token"


@tagged("post_install", "-at_install")
class TestSandboxEndToEnd(SandboxMixin, ComplianceCase):
    def setUp(self):
        super().setUp()
        self.sandbox_reset()
        # every company the nightly job walks through (the l10n_fr demo company too), so
        # nothing ever leaves loopback
        self.env["res.company"].search([]).write(
            {
                "compliance_environment": "sandbox",
                "compliance_sandbox_url": self.sandbox_url(),
            }
        )
        self.set_token(SANDBOX_TOKEN)
        # real HTTP this time: put the session boundary back
        self.patch(type(self.Service), "_http_session", lambda service: requests.Session())

    def test_refresh_all_documents_for_the_company(self):
        api_types = self.env["compliance.document.type"].search([("api_endpoint", "!=", False)])
        self.company.compliance_tracked_type_ids = [(6, 0, api_types.ids)]
        summary = self.Service.refresh_company(self.company)
        self.assertFalse(summary["stopped"])
        by_type = {doc.type_id.code: doc for doc in summary["updated"]}
        for code in (
            "urssaf_vigilance",
            "dgfip_fiscale",
            "qualifelec",
            "qualibat",
            "cibtp",
            "probtp",
            "fntp",
            "cnetp",
        ):
            doc = by_type[code]
            self.assertTrue(doc.file, f"{code} PDF downloaded")
            self.assertTrue(doc.date_end, code)
            self.assertIn(doc.state, ("valid", "expiring"), code)
        self.assertEqual(by_type["urssaf_vigilance"].source, "api")
        errors = {doc_type.code: message for doc_type, message in summary["errors"]}
        self.assertIn("opqibi", errors, "Duret is outside OPQIBI's perimeter")
        self.assertIn("not proof of non-compliance", errors["opqibi"])
        logs = self.env["compliance.api.call"].search([("company_id", "=", self.company.id)])
        self.assertGreaterEqual(len(logs), len(api_types))
        self.assertEqual(set(logs.mapped("recipient")), {"10000001700010"})
        self.assertGreaterEqual(self.sandbox_calls("/_documents/"), 8)

    def test_rge_from_open_data_without_token(self):
        self.company.sudo().compliance_token = False
        self.track("rge")
        docs = self.Service.refresh_company(self.company)["updated"]
        self.assertTrue(docs)
        self.assertEqual(set(docs.mapped("source")), {"open_data"})
        self.assertTrue(any(doc.state == "valid" and doc.file for doc in docs))
        self.assertGreaterEqual(self.sandbox_calls("/data-fair/api/v1/datasets/"), 1)

    def test_expired_token_stops_the_batch(self):
        self.set_token("duret-sandbox-expired-token")
        self.track("urssaf_vigilance", "dgfip_fiscale")
        summary = self.Service.refresh_company(self.company)
        self.assertIn("expired", summary["stopped"])
        self.assertEqual(self.sandbox_calls("/v4/"), 1)

    def test_verify_a_buyer_partner(self):
        self.company.sudo().compliance_token = False
        buyer = self.env["res.partner"].create(
            {
                "name": "Agglo Arlysère",
                "is_company": True,
                "siret": "20006899700010",
                "company_id": self.company.id,
            }
        )
        self.assertEqual(buyer.compliance_siret_status, "pending")
        self.assertEqual(self.sandbox_calls("/search"), 0, "no remote call inside the create")
        self.env["res.partner"]._cron_compliance_siret_check()
        self.assertEqual(buyer.compliance_siret_status, "ok")
        self.assertTrue(buyer.compliance_is_public_body)
        self.assertEqual(buyer.compliance_legal_name, "COMMUNAUTE D'AGGLOMERATION ARLYSERE")
        self.assertEqual(buyer.compliance_official_zip, "73200")
        self.assertEqual(buyer.name, "Agglo Arlysère")
        closed = self.env["res.partner"].create(
            {
                "name": "Duret Ugine",
                "is_company": True,
                "siret": "84231765300025",
                "company_id": self.company.id,
            }
        )
        self.env["res.partner"]._cron_compliance_siret_check()
        self.assertTrue(closed.compliance_closed)
        self.assertEqual(closed.compliance_siret_status, "closed")
        self.assertGreaterEqual(self.sandbox_calls("/search"), 2)

    def test_build_the_tender_file_of_a_lead(self):
        self.track("urssaf_vigilance", "dgfip_fiscale", "qualifelec", "cibtp")
        self.Service.refresh_company(self.company)
        deadline = self.env["compliance.document"]._today() + datetime.timedelta(days=20)
        lead = self.env["crm.lead"].create(
            {
                "name": "Rénovation éclairage gymnase",
                "company_id": self.company.id,
                "date_deadline": deadline,
            }
        )
        action = lead.action_compliance_tender_file()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        self.assertTrue(wizard.valid_document_ids)
        self.assertFalse(wizard.missing_type_ids)
        found = wizard.valid_document_ids | wizard.expired_document_ids
        self.assertEqual(
            set(found.type_id.mapped("code")),
            {"urssaf_vigilance", "dgfip_fiscale", "qualifelec", "cibtp"},
        )
        self.assertTrue(wizard.valid_document_ids)
        for doc in found:
            holds = not doc.date_end or doc.date_end >= wizard.check_date
            self.assertEqual(doc in wizard.valid_document_ids, holds, doc.name)
        self.assertTrue(wizard.zip_attachment_id.raw.startswith(b"PK"))

    def test_nightly_cron_refreshes_and_fills_the_gaps(self):
        self.track("urssaf_vigilance", "insurance_decennale", "rge")
        self.Service._cron_compliance_refresh()
        docs = self.env["compliance.document"].search([("company_id", "=", self.company.id)])
        by_code = {}
        for doc in docs:
            by_code.setdefault(doc.type_id.code, doc)
        self.assertTrue(by_code["urssaf_vigilance"].file)
        self.assertEqual(
            by_code["insurance_decennale"].state,
            "missing",
            "manual required types get a record to upload on",
        )
        self.assertIn("rge", by_code)
        before = len(docs)
        self.Service._cron_compliance_refresh()
        self.assertEqual(
            self.env["compliance.document"].search_count([("company_id", "=", self.company.id)]),
            before,
            "idempotent",
        )

import uuid

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import FakeResponse, FakeSession, shared_json

EMPTY = "api_entreprise/recherche_entreprises/annuaire-site-e2e-mock/search-12345678900003.json"
INSEE = "/v4/insee/sirene/etablissements/"


@tagged("post_install", "-at_install")
class TestCallLogOwnCursor(TransactionCase):
    """The call log through a real independent cursor (no registry test mode here).

    The log references the company and the user, so this case uses records
    committed before the test (the main company, the test's user); each test marks
    its entries with a unique object, reads them through another cursor and deletes
    them in a cleanup.
    """

    def setUp(self):
        super().setUp()
        self.assertFalse(self.registry.in_test_mode(), "the logger must get a real cursor")
        self.marker = f"Test call log {uuid.uuid4().hex[:12]}"
        self.addCleanup(self.delete_committed_logs)
        self.company = self.env.ref("base.main_company")
        self.company.sudo().write(
            {
                "compliance_environment": "staging",
                "compliance_token": "own-cursor-secret-token",
                "compliance_recipient": "10000001700010",
                "compliance_context": "Marchés publics",
                "compliance_object": self.marker,
            }
        )
        self.session = FakeSession()
        service = type(self.env["compliance.remote"])
        self.patch(service, "_http_session", lambda s: self.session)
        self.patch(service, "_sleep", lambda s, seconds: None)

    def committed_logs(self):
        with self.registry.cursor() as cr:
            cr.execute(
                """SELECT endpoint, identifier, context, object, recipient, user_id,
                          company_id, status, create_date
                     FROM compliance_api_call WHERE object = %s ORDER BY id""",
                [self.marker],
            )
            return cr.dictfetchall()

    def delete_committed_logs(self):
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM compliance_api_call WHERE object = %s", [self.marker])

    def test_call_followed_by_user_error_keeps_its_log(self):
        self.session.add(INSEE, FakeResponse(404, {"errors": [{"code": "00301"}]}))
        self.session.add(r"/search", FakeResponse(200, shared_json(EMPTY)["result"]))
        partner = (
            self.env["res.partner"]
            .with_context(compliance_no_siret_check=True)
            .create({"name": "Unknown", "is_company": True, "siret": "12345678900003"})
        )
        with self.assertRaises(UserError):
            partner.action_compliance_check_siret()
        partner.invalidate_recordset()
        self.assertFalse(partner.compliance_siret_status, "the caller's work was rolled back")
        (log,) = self.committed_logs()
        self.assertEqual(log["endpoint"], "/v4/insee/sirene/etablissements/{siret}")
        self.assertEqual(
            (log["identifier"], log["status"], log["recipient"], log["context"]),
            ("12345678900003", 404, "10000001700010", "Marchés publics"),
        )
        self.assertEqual((log["user_id"], log["company_id"]), (self.env.uid, self.company.id))
        self.assertTrue(log["create_date"])
        self.assertNotIn("own-cursor-secret-token", repr(log))

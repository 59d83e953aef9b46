"""Test helpers: the real staging payloads (read at test time) and an HTTP boundary double."""

import json

import yaml

from odoo.addons.duret_procurement.tests.common import (  # noqa: F401 (shared by the tests)
    FakeClock,
    FakeResponse,
    FakeSession,
    fixtures_dir,
)
from odoo.tests.common import TransactionCase

STAGING = "api_entreprise/siade_staging_data"
PDF = b"%PDF-1.4\n% test certificate\n%%EOF\n"


def staging_case(operation, identifier):
    """``(status, payload)`` of the staging case of ``operation`` for ``identifier``."""
    folder = fixtures_dir() / STAGING / operation
    for path in sorted(folder.glob("*.y*ml")):
        with open(path, encoding="utf-8") as handle:
            for doc in yaml.safe_load_all(handle):
                if doc and str(next(iter(doc["params"].values()))) == identifier:
                    return int(doc["status"]), json.loads(doc["payload"])
    raise LookupError(f"no staging case {identifier} in {operation}")


def shared_json(relative):
    return json.loads((fixtures_dir() / relative).read_text(encoding="utf-8"))


class ComplianceCase(TransactionCase):
    """A fresh company (demo data never interferes) and a patchable HTTP session.

    The call log is committed through its own cursor (``registry.cursor()``); this
    company only exists in the test transaction, so the registry runs in test mode
    (as in ``HttpCase``) where that cursor is a savepoint of the test transaction
    and these tests read the log back. ``test_call_log`` proves the real
    independent cursor.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry.enter_test_mode(cls.cr)
        cls.addClassCleanup(cls.registry.leave_test_mode)
        cls.company = (
            cls.env["res.company"]
            .with_context(compliance_no_siret_check=True)
            .create(
                {
                    "name": "Duret Test",
                    "siret": "84231765300017",
                    "compliance_environment": "staging",
                    "compliance_recipient": "10000001700010",
                    "compliance_context": "Marchés publics",
                    "compliance_object": "Test",
                }
            )
        )
        # messages are asserted in English whatever the admin's language (jobs write in
        # the company partner's)
        cls.env["res.lang"]._activate_lang("en_US")
        cls.company.partner_id.lang = "en_US"
        cls.env = cls.env(
            context=dict(cls.env.context, allowed_company_ids=[cls.company.id], lang="en_US")
        )
        # only the test's own partners wait for the background SIRET check
        pending = cls.env["res.partner"].search([("compliance_siret_status", "=", "pending")])
        pending.with_context(compliance_no_siret_check=True).compliance_siret_status = False
        cls.Service = cls.env["compliance.remote"]
        cls.Document = cls.env["compliance.document"]
        cls.types = {t.code: t for t in cls.env["compliance.document.type"].search([])}

    def setUp(self):
        super().setUp()
        self.session = FakeSession()
        self.sleeps = []
        self.patch(type(self.Service), "_http_session", lambda service: self.session)
        self.patch(type(self.Service), "_sleep", lambda service, s: self.sleeps.append(s))

    def set_token(self, token="test-token"):
        self.company.sudo().compliance_token = token

    def track(self, *codes):
        self.company.compliance_tracked_type_ids = [(6, 0, [self.types[c].id for c in codes])]

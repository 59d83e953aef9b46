import base64
import datetime
import io
import zipfile

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import format_date

from .common import PDF, ComplianceCase

D = datetime.date


@tagged("post_install", "-at_install")
class TestTenderFile(ComplianceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, duret_today="2026-05-01"))
        cls.company.compliance_award_margin_days = 30
        cls.company.compliance_tracked_type_ids = [
            (
                6,
                0,
                [
                    cls.types[c].id
                    for c in (
                        "urssaf_vigilance",
                        "dgfip_fiscale",
                        "insurance_rc",
                        "qualibat",
                        "sworn_statement",
                    )
                ],
            )
        ]
        doc = {"company_id": cls.company.id, "file": base64.b64encode(PDF)}
        Document = cls.env["compliance.document"]
        cls.urssaf = Document.create(
            {
                **doc,
                "name": "URSSAF",
                "file_name": "urssaf.pdf",
                "type_id": cls.types["urssaf_vigilance"].id,
                "date_end": D(2026, 6, 30),
            }
        )
        cls.dgfip = Document.create(
            {
                **doc,
                "name": "DGFIP",
                "file_name": "dgfip.pdf",
                "type_id": cls.types["dgfip_fiscale"].id,
                "date_end": D(2026, 12, 31),
            }
        )
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Éclairage public Albertville",
                "company_id": cls.company.id,
                "date_deadline": D(2026, 6, 15),
            }
        )

    def test_document_valid_today_but_expired_at_award_is_reported(self):
        self.assertEqual(self.urssaf.state, "valid")
        action = self.lead.action_compliance_tender_file()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        self.assertEqual(wizard.check_date, D(2026, 7, 15), "deadline + 30 days")
        self.assertEqual(wizard.expired_document_ids, self.urssaf)
        self.assertEqual(wizard.valid_document_ids, self.dgfip)
        self.assertEqual(
            wizard.missing_type_ids,
            self.types["insurance_rc"],
            "optional Qualibat and application-stage documents are not due",
        )
        self.assertFalse(wizard.complete)
        # dates in the user's language (en_US here: month first), never a hard-coded format
        end, check = format_date(self.env, D(2026, 6, 30)), format_date(self.env, D(2026, 7, 15))
        self.assertIn(f"URSSAF: expires on {end}, before {check}", wizard.message)
        self.assertIn(self.types["insurance_rc"].name, wizard.message)
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "crm.lead"), ("res_id", "=", self.lead.id)]
        )
        self.assertEqual(
            sorted(attachments.mapped("name")), sorted(["dgfip.pdf", wizard.zip_attachment_id.name])
        )
        with zipfile.ZipFile(io.BytesIO(wizard.zip_attachment_id.raw)) as archive:
            self.assertEqual(archive.namelist(), ["dgfip.pdf"])
            self.assertEqual(archive.read("dgfip.pdf"), PDF)
        download = wizard.action_download_zip()
        self.assertIn(f"/web/content/{wizard.zip_attachment_id.id}", download["url"])

    def test_complete_file_in_french(self):
        self.urssaf.date_end = D(2026, 12, 31)
        self.env["compliance.document"].create(
            {
                "name": "RC",
                "type_id": self.types["insurance_rc"].id,
                "company_id": self.company.id,
                "date_end": D(2027, 1, 31),
                "file": base64.b64encode(PDF),
                "file_name": "rc.pdf",
            }
        )
        self.env["res.lang"]._activate_lang("fr_FR")  # code terms come from i18n/fr.po
        action = self.lead.with_context(lang="fr_FR").action_compliance_tender_file()
        wizard = self.env[action["res_model"]].with_context(lang="fr_FR").browse(action["res_id"])
        self.assertTrue(wizard.complete)
        self.assertEqual(len(wizard.valid_document_ids), 3)
        self.assertIn("Dossier administratif complet", wizard.message)
        # running it again replaces the attachments instead of piling them up
        self.lead.action_compliance_tender_file()
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "crm.lead"), ("res_id", "=", self.lead.id)]
        )
        self.assertEqual(len(attachments), 4)

    def test_lead_defaults_do_not_reach_the_attachments(self):
        """The button clicked from the CRM carries the lead action's defaults.

        Before: ``ValueError: Wrong value for ir.attachment.type: 'lead'`` (issue 16).
        """
        for lead_type in ("lead", "opportunity"):
            lead = self.lead.with_context(
                default_type=lead_type,
                default_team_id=self.env["crm.team"].search([], limit=1).id,
                default_user_id=self.env.user.id,
            )
            action = lead.action_compliance_tender_file()
            wizard = self.env[action["res_model"]].browse(action["res_id"])
            self.assertEqual(wizard.zip_attachment_id.type, "binary")
            self.assertEqual(wizard.valid_document_ids, self.dgfip)

    def test_deadline_sources(self):
        lead = self.env["crm.lead"].create({"name": "No date", "company_id": self.company.id})
        with self.assertRaises(UserError):
            lead.action_compliance_tender_file()
        if "tender_deadline" in lead._fields:  # duret_boamp installed: its deadline wins
            lead.write({"tender_deadline": "2026-09-01 10:00:00", "date_deadline": D(2026, 1, 1)})
            self.assertEqual(lead._compliance_tender_deadline(), D(2026, 9, 1))
        else:
            lead.date_deadline = D(2026, 9, 1)
            self.assertEqual(lead._compliance_tender_deadline(), D(2026, 9, 1))

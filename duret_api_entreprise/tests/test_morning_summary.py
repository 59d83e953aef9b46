"""The certificates section of the morning summary (duret_procurement): documents expired
or entering their renewal window, told once per state and end date, to the accountants
(every document) and to each document's responsible (their own)."""

import datetime
import html

from odoo.addons.duret_procurement.tests.common import make_user
from odoo.tests import tagged
from odoo.tools import format_date

from .common import ComplianceCase

DAY = datetime.timedelta(days=1)


@tagged("post_install", "-at_install")
class TestComplianceMorningSummary(ComplianceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = make_user(
            cls.env,
            "ms_compliance_accountant",
            groups="base.group_user,account.group_account_invoice",
            email="compta@example.com",
        )
        cls.responsible = make_user(cls.env, "ms_compliance_resp", email="resp@example.com")
        cls.other = make_user(cls.env, "ms_compliance_other", email="other@example.com")

    def make(self, name, date_end, user=None, code="insurance_rc"):
        return self.env["compliance.document"].create(
            {
                "name": name,
                "type_id": self.types[code].id,
                "company_id": self.company.id,
                "date_end": date_end,
                "user_id": (user or self.other).id,
            }
        )

    def summaries(self):
        Summary = self.env["procurement.morning.summary"]
        sent = Summary._cron_morning_summary()
        return {user: sent.filtered(lambda s, u=user: s.user_id == u) for user in sent.user_id}

    def test_expired_and_expiring_documents(self):
        today = self.env["compliance.document"]._today()
        expired = self.make("Attestation URSSAF", today - 3 * DAY, self.responsible)
        expiring = self.make("<b>Assurance</b> décennale", today + 10 * DAY)
        self.make("Kbis", today + 200 * DAY, self.responsible)
        self.assertEqual((expired.state, expiring.state), ("expired", "expiring"))

        sent = self.summaries()
        self.assertEqual(
            sorted(sent[self.accountant].item_ids.mapped("key")),
            sorted(
                [
                    f"compliance.document,{expired.id},expired,{expired.date_end}",
                    f"compliance.document,{expiring.id},expiring,{expiring.date_end}",
                ]
            ),
        )
        # the responsible hears of their own documents only; the others of theirs
        self.assertEqual(
            sent[self.responsible].item_ids.mapped("key"),
            [f"compliance.document,{expired.id},expired,{expired.date_end}"],
        )
        raw = sent[self.accountant].mail_id.body_html
        self.assertIn("&lt;b&gt;Assurance&lt;/b&gt;", raw, "names are escaped")
        body = html.unescape(raw)
        self.assertIn(f"Expired on {format_date(self.env, expired.date_end)}", body)
        self.assertIn(f"Expires on {format_date(self.env, expiring.date_end)}", body)
        self.assertIn(f"/web#id={expired.id}&model=compliance.document", body)

        # nothing new the next morning; the expiring one expires: told again
        self.assertFalse(self.summaries().get(self.accountant))
        expiring.date_end = today - DAY
        self.assertEqual(expiring.state, "expired")
        again = self.summaries()[self.accountant]
        self.assertEqual(
            again.item_ids.mapped("key"),
            [f"compliance.document,{expiring.id},expired,{expiring.date_end}"],
        )

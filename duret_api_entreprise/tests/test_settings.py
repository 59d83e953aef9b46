from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.addons.duret_procurement.tests.common import make_user
from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import ComplianceCase


@tagged("post_install", "-at_install")
class TestSettings(ComplianceCase):
    def test_settings_write_the_company(self):
        settings = Form(self.env["res.config.settings"].with_company(self.company))
        settings.compliance_environment = "sandbox"
        settings.compliance_sandbox_url = "http://127.0.0.1:9999"
        settings.compliance_token = "settings-token"
        settings.compliance_recipient = "10000001700010"
        settings.compliance_reminder_days = 45
        settings.compliance_award_margin_days = 60
        settings.save().execute()
        self.assertEqual(self.company.compliance_environment, "sandbox")
        self.assertEqual(self.company.sudo().compliance_token, "settings-token")
        self.assertEqual(self.company.compliance_reminder_days, 45)
        self.assertEqual(self.company.compliance_award_margin_days, 60)
        self.assertEqual(
            self.company.compliance_token_expiry,
            fields.Date.context_today(self.company) + relativedelta(months=18),
            "a new token is taken to expire 18 months from today",
        )
        client = self.Service._api_client(self.company)
        self.assertEqual(client.base_url, "http://127.0.0.1:9999")

    def test_token_is_for_administrators_only(self):
        user = make_user(
            self.env, "ae_manager", "duret_procurement.group_manager", company_id=self.company.id
        )
        company = self.company.with_user(user)
        self.assertNotIn("compliance_token", company.fields_get())
        with self.assertRaises(AccessError):
            company.read(["compliance_token"])
        # the manager can still refresh: the service reads the token with sudo
        self.set_token("secret")
        self.assertTrue(self.Service.with_user(user)._api_client(company))

"""17.0.1.2.0: the ``duret_ae_*`` fields become ``compliance_*`` with their data.

The database is put back in the previous version's shape (columns, field records,
XML ids, a view and a saved filter naming the old fields), then the script runs. The
end-to-end proof on a real upgrade is ``make upgrade-check`` (tests/upgrade_check.py).
"""

from odoo.addons.duret_procurement.tests.common import load_migration
from odoo.tests import tagged

from .common import ComplianceCase


@tagged("post_install", "-at_install")
class TestFieldPrefixMigration(ComplianceCase):
    def field_id(self, model, name):
        self.env.cr.execute(
            "SELECT id FROM ir_model_fields WHERE model = %s AND name = %s", [model, name]
        )
        return self.env.cr.fetchone()[0]

    def test_renamed_fields_keep_values_defaults_filters_and_records(self):
        migration = load_migration("duret_api_entreprise", "17.0.1.2.0", "pre-migrate.py")
        company = self.company
        company.write({"compliance_reminder_days": 12, "compliance_auto_verify": False})
        partner = (
            self.env["res.partner"]
            .with_context(compliance_no_siret_check=True)
            .create({"name": "Commune d'Ugine", "siret": "21730303000011"})
        )
        partner.write({"compliance_siret_status": "closed", "compliance_closed_on": "2024-12-31"})
        self.env["ir.default"].set("res.company", "compliance_award_margin_days", 45)
        Fields = self.env["ir.model.fields"]
        token_field = Fields._get("res.company", "compliance_token")
        status_field = Fields._get("res.partner", "compliance_siret_status")
        self.env.flush_all()
        cr = self.env.cr
        # back to 17.0.1.1.0: the script's own renaming, the other way round
        for model, suffixes in migration.FIELDS.items():
            for suffix in suffixes:
                migration._rename_field(cr, model, "compliance_" + suffix, "duret_ae_" + suffix)
        cr.execute(
            "SELECT 1 FROM ir_model_fields WHERE model = ANY(%s) AND name LIKE 'compliance\\_%%'",
            [list(migration.FIELDS)],
        )
        self.assertFalse(cr.rowcount, "every field is back to its old name")
        saved_filter = self.env["ir.filters"].create(
            {
                "name": "Closed establishments",
                "model_id": "res.partner",
                "domain": "[('duret_ae_siret_status', '=', 'closed')]",
            }
        )
        view = self.env["ir.ui.view"].create(
            {
                "name": "an administrator's list of checks",
                "model": "res.partner",
                "type": "tree",
                "arch": '<tree><field name="name"/><field name="siret"/></tree>',
            }
        )
        cr.execute(
            """UPDATE ir_ui_view SET arch_db = jsonb_build_object('en_US',
                 '<tree><field name="duret_ae_siret_status"/>'
                 || '<button name="action_duret_check_siret" type="object"/></tree>')
                WHERE id = %s""",
            [view.id],
        )

        migration.migrate(cr, "17.0.1.1.0")
        migration.migrate(cr, "17.0.1.1.0")  # a second run changes nothing
        self.env.invalidate_all()

        self.assertEqual(company.compliance_reminder_days, 12)
        self.assertFalse(company.compliance_auto_verify)
        self.assertEqual(partner.compliance_siret_status, "closed")
        self.assertEqual(str(partner.compliance_closed_on), "2024-12-31")
        # the field records and their XML ids moved (SQL: the ORM caches these lookups)
        self.assertEqual(self.field_id("res.company", "compliance_token"), token_field.id)
        self.assertEqual(self.field_id("res.partner", "compliance_siret_status"), status_field.id)
        cr.execute(
            """SELECT name, res_id FROM ir_model_data
                WHERE module = 'duret_api_entreprise' AND name LIKE %s""",
            ["%res_partner__compliance_siret_status%"],
        )
        xmlids = dict(cr.fetchall())
        self.assertEqual(xmlids.pop("field_res_partner__compliance_siret_status"), status_field.id)
        self.assertIn("selection__res_partner__compliance_siret_status__closed", xmlids)
        cr.execute("SELECT count(*) FROM ir_model_data WHERE name LIKE '%%duret\\_ae\\_%%'")
        self.assertEqual(cr.fetchone()[0], 0, "no XML id names an old field")
        self.assertEqual(
            self.env["ir.default"]._get("res.company", "compliance_award_margin_days"), 45
        )
        self.assertEqual(saved_filter.domain, "[('compliance_siret_status', '=', 'closed')]")
        self.assertEqual(
            view.arch_db,
            '<tree><field name="compliance_siret_status"/>'
            '<button name="action_compliance_check_siret" type="object"/></tree>',
        )

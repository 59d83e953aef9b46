"""17.0.1.1.0: invoices sent before the deposit model keep their state, number and file."""

from odoo.addons.duret_procurement.tests.common import load_migration
from odoo.tests import tagged

from .common import ALBERTVILLE, ChorusCase


@tagged("post_install", "-at_install")
class TestChorusMigration(ChorusCase):
    def test_old_invoice_columns_become_deposits(self):
        buyer = self.make_buyer("Commune d'Albertville", ALBERTVILLE)
        integrated = self.make_invoice(buyer)
        uncertain = self.make_invoice(buyer)
        untouched = self.make_invoice(buyer)
        pdf = self.env["ir.attachment"].create({"name": "Chorus_CPP1_F1.pdf", "raw": b"%PDF"})
        cr = self.env.cr
        self.env.flush_all()
        # the columns of the previous version (kept by Odoo on an upgrade)
        cr.execute(
            """ALTER TABLE account_move
                 ADD COLUMN IF NOT EXISTS chorus_flow_number varchar,
                 ADD COLUMN IF NOT EXISTS chorus_sent_date timestamp,
                 ADD COLUMN IF NOT EXISTS chorus_sent_by int,
                 ADD COLUMN IF NOT EXISTS chorus_flow_errors text,
                 ADD COLUMN IF NOT EXISTS chorus_attachment_id int"""
        )
        cr.execute(
            """UPDATE account_move
                  SET chorus_state = 'integrated', chorus_status = 'MISE_A_DISPOSITION',
                      chorus_invoice_id = 8316845, chorus_flow_number = 'CPP0011117000000001273055',
                      chorus_sent_date = '2026-03-10 16:09:00', chorus_sent_by = %s,
                      chorus_attachment_id = %s
                WHERE id = %s""",
            [self.env.uid, pdf.id, integrated.id],
        )
        cr.execute(
            """UPDATE account_move SET chorus_state = 'uncertain',
                      chorus_sent_date = '2026-03-11 08:00:00', chorus_flow_number = NULL
                WHERE id = %s""",
            [uncertain.id],
        )
        load_migration("duret_chorus", "17.0.1.1.0", "post-migrate.py").migrate(cr, "17.0.1.0.0")
        self.env.invalidate_all()

        flow = integrated.chorus_flow_id
        self.assertEqual(integrated.chorus_state, "integrated")
        self.assertEqual(integrated.chorus_status, "MISE_A_DISPOSITION")
        self.assertEqual(flow.state, "integrated")
        self.assertEqual(integrated.chorus_flow_number, "CPP0011117000000001273055")
        self.assertEqual(str(integrated.chorus_sent_date), "2026-03-10 16:09:00")
        self.assertEqual(integrated.chorus_sent_by, self.env.user)
        self.assertEqual(integrated.chorus_attachment_id, pdf)
        self.assertEqual(uncertain.chorus_flow_id.state, "uncertain")
        self.assertFalse(untouched.chorus_flow_id)
        # run twice (an interrupted upgrade started again): nothing doubled
        load_migration("duret_chorus", "17.0.1.1.0", "post-migrate.py").migrate(cr, "17.0.1.0.0")
        self.assertEqual(
            self.env["chorus.flow"].search_count([("company_id", "=", self.company.id)]), 2
        )


@tagged("post_install", "-at_install")
class TestChorusCronMigration(ChorusCase):
    """17.0.1.2.0: the poll cron calls _cron_chorus_poll; the record and its schedule stay."""

    def test_the_poll_cron_keeps_its_record_and_calls_the_new_method(self):
        module = load_migration("duret_chorus", "17.0.1.2.0", "pre-migrate.py")
        cron = self.env.ref("duret_chorus.ir_cron_chorus_poll")
        # as the previous version left it, deactivated and moved by an administrator
        cron.write({"code": "model._cron_poll()", "active": False, "interval_number": 2})
        nextcall = cron.nextcall
        self.env.flush_all()
        module.migrate(self.env.cr, "17.0.1.1.0")
        self.env.invalidate_all()
        self.assertEqual(self.env.ref("duret_chorus.ir_cron_chorus_poll"), cron)
        self.assertEqual(cron.code, "model._cron_chorus_poll()")
        self.assertEqual((cron.active, cron.interval_number), (False, 2))
        self.assertEqual(cron.nextcall, nextcall)
        self.assertTrue(hasattr(self.env["chorus.poll.run"], "_cron_chorus_poll"))

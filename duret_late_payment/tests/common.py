"""Shared set-up: Duret's company (duret_chorus's test ground), public buyers, payments."""

from odoo.addons.duret_chorus.tests.common import ChorusSetupMixin
from odoo.tests import TransactionCase


def assert_values(case, obj, expected):
    """One assertion per ``attribute: value`` of ``expected`` on ``obj``, named by it.

    Floats (Odoo's money fields) are compared to 7 places, anything else (dates, day
    counts, the lib's Decimals) exactly.
    """
    for name, value in expected.items():
        got = getattr(obj, name)
        if isinstance(got, float) or isinstance(value, float):
            case.assertAlmostEqual(got, value, msg=name)
        else:
            case.assertEqual(got, value, name)


def assert_delays(case, buyer, count, mean, median, q1, q3):
    """``buyer``'s observed payment delays: how many, then mean, median and quartiles."""
    buyer.invalidate_recordset()
    assert_values(
        case,
        buyer,
        {
            "late_payment_delay_count": count,
            "late_payment_delay_mean": mean,
            "late_payment_delay_median": median,
            "late_payment_delay_q1": q1,
            "late_payment_delay_q3": q3,
        },
    )


class LedgerSetupMixin(ChorusSetupMixin):
    @classmethod
    def setup_ledger(cls):
        company = cls.setup_chorus_company()
        cls.env["ir.config_parameter"].sudo().set_param(
            "duret_late_payment.ecb_url", cls.sandbox_url()
        )
        return company

    @classmethod
    def make_public_buyer(cls, name, category, siret=None, **values):
        buyer = cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "country_id": cls.env.ref("base.fr").id,
                "late_payment_buyer_category": category,
                **({"siret": siret} if siret else {}),
                **values,
            }
        )
        return buyer

    def pay(self, move, amount, day):
        """Register a bank payment of ``amount`` on ``day`` (reconciled with the invoice)."""
        wizard = (
            move.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=move.ids)
            .create({"amount": amount, "payment_date": day})
        )
        wizard.action_create_payments()


class LedgerCase(LedgerSetupMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_ledger()

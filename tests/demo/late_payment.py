"""Payment-delay demo: ECB rates from the sandbox, the commune's category, one invoice paid late.

``setup`` points the ECB Data Portal at the sandbox and makes the Commune d'Albertville (the
Chorus demo's buyer) a local authority (30 days); ``run`` downloads the ECB rates, records an
invoice of March 2025 paid 20 days late (47,33 EUR to claim), refreshes the ledger and says,
in French, what the accountant will find.
"""

from datetime import date

from tests.demo.chorus import _buyer


def setup(env, sandbox_url):
    env["ir.config_parameter"].sudo().set_param("duret_late_payment.ecb_url", sandbox_url)
    buyer = _buyer(env)
    if not buyer.late_payment_buyer_category:
        buyer.late_payment_buyer_category = "local"


def run(env):
    company = env.company
    rates = env["late.payment.rate"]
    count = rates._late_payment_update_from_ecb()
    buyer = _buyer(env)
    move = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": buyer.id,
            "invoice_date": "2025-03-10",
            "partner_bank_id": company.partner_id.bank_ids[:1].id,
            "invoice_line_ids": [
                (
                    0,
                    0,
                    {
                        "name": "Mise en conformité de l'éclairage du gymnase",
                        "quantity": 1,
                        "price_unit": 1000.0,
                        "tax_ids": [(6, 0, company.account_sale_tax_id.ids)],
                    },
                )
            ],
        }
    )
    move.action_post()
    env["account.payment.register"].with_context(
        active_model="account.move", active_ids=move.ids
    ).create({"amount": move.amount_total, "payment_date": date(2025, 5, 1)})._create_payments()
    env["account.move"]._cron_late_payment_daily()
    tracked = env["account.move"].search_count([("late_payment_applies", "=", True)])
    claimable = f"{move.late_payment_claimable:.2f}".replace(".", ",")
    return [
        f"Taux BCE : {count} changement(s) lu(s), connus jusqu'au "
        f"{rates._late_payment_known_until():%d/%m/%Y}",
        f"Factures suivies (acheteurs publics) : {tracked}",
        f"Facture {move.name} payée avec {move.late_payment_days_late} jours de retard : "
        f"{claimable} € à réclamer",
    ]

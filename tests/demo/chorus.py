"""Chorus Pro demo: company settings on the sandbox, a verified buyer, one invoice sent.

``setup`` points the company's Chorus connection at the sandbox (with the
sandbox credentials) and checks the Commune d'Albertville in Chorus Pro;
``run`` posts an invoice to it, sends it, lets the sandbox process the flow,
runs the status poll and returns what happened, in French.
"""

from tests.sandbox.chorus_directory import BUYER_SERVICE_CODE

ALBERTVILLE = BUYER_SERVICE_CODE


def _buyer(env):
    partner = env["res.partner"].search([("siret", "=", ALBERTVILLE["siret"])], limit=1)
    if not partner:
        partner = env["res.partner"].create(
            {
                "name": "Commune d'Albertville",
                "is_company": True,
                "siret": ALBERTVILLE["siret"],
                "street": ALBERTVILLE["address"]["adresse"],
                "zip": ALBERTVILLE["address"]["codePostal"],
                "city": ALBERTVILLE["address"]["ville"],
                "email": ALBERTVILLE["email"],
                "country_id": env.ref("base.fr").id,
                "lang": "fr_FR",
            }
        )
    return partner


def setup(env, sandbox_url):
    company = env.company
    company.write(
        {
            "chorus_environment": "qualification",
            "chorus_oauth_url": sandbox_url,
            "chorus_api_url": sandbox_url,
            "chorus_client_id": "duret-sandbox-client",
            "chorus_client_secret": "duret-sandbox-secret",
            "chorus_login": "TECH_1_duret@cpro.fr",
            "chorus_password": "duret-sandbox-password",
        }
    )
    company.action_chorus_test_connection()
    _buyer(env).action_chorus_check()


def run(env):
    import requests

    company = env.company
    buyer = _buyer(env)
    service = buyer.chorus_service_ids.filtered(lambda s: s.code == "SERV-TECH")[:1]
    move = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": buyer.id,
            "chorus_service_id": service.id,
            "contract_reference": "2026-TRX-07",
            "partner_bank_id": company.partner_id.bank_ids[:1].id,
            "invoice_line_ids": [
                (
                    0,
                    0,
                    {
                        "name": "Remplacement de 12 luminaires LED, éclairage public",
                        "quantity": 12,
                        "price_unit": 350.0,
                        "tax_ids": [(6, 0, company.account_sale_tax_id.ids)],
                    },
                )
            ],
        }
    )
    move.action_post()
    env.cr.commit()
    result = move._chorus_send()
    sandbox_url = company.sudo().chorus_api_url
    requests.post(f"{sandbox_url}/_sandbox/chorus/process_flows", timeout=30)
    run = env["chorus.poll.run"]._poll_company(company, "manual")
    return [
        f"Factures envoyées : {len(result['sent'])}, statuts mis à jour : {run.changes}"
        f" ({run.calls} appels à Chorus Pro)",
        f"Facture {move.name} : {move._chorus_state_text()}, flux {move.chorus_flow_number},"
        f" identifiant Chorus {move.chorus_invoice_id}",
        f"Date d'expiration du mot de passe technique : {company.sudo().chorus_password_expiry}",
    ]

"""Demo hook of duret_api_entreprise: Duret's compliance documents from the sandbox.

``setup`` points the company at the sandbox (sandbox mode, sandbox token, the
default public-body recipient); ``run`` refreshes every document once, checks a
public buyer's SIRET, runs the background check of new SIRETs once and returns
what happened, in French.
"""

SANDBOX_TOKEN = "duret-sandbox-api-entreprise-token"
RECIPIENT = "10000001700010"
BUYER_SIRET = "20006899700010"  # Communauté d'agglomération Arlysère (sandbox register)


def setup(env, sandbox_url):
    company = env.ref("base.main_company")
    company.sudo().write(
        {
            "compliance_environment": "sandbox",
            "compliance_sandbox_url": sandbox_url,
            "compliance_token": SANDBOX_TOKEN,
            "compliance_recipient": RECIPIENT,
            "compliance_context": "Marchés publics",
            "compliance_object": "Démonstration dossier administratif",
            "compliance_responsible_id": env.ref("base.user_admin").id,
        }
    )


def run(env):
    company = env.ref("base.main_company")
    service = env["compliance.remote"].with_context(lang="fr_FR")
    summary = service.refresh_company(company)
    env["compliance.document"]._ensure_placeholders(company)
    lines = list(service.summary_lines(summary))
    states = env["compliance.document"].read_group(
        [("company_id", "=", company.id)], ["state"], ["state"]
    )
    labels = {
        "valid": "valides",
        "expiring": "expirant bientôt",
        "expired": "expirés",
        "missing": "manquants",
    }
    lines.append(
        "Documents : "
        + ", ".join(f"{group['state_count']} {labels[group['state']]}" for group in states)
    )
    buyer = env["res.partner"].search([("siret", "=", BUYER_SIRET)], limit=1) or env[
        "res.partner"
    ].create({"name": "Agglomération Arlysère", "is_company": True, "siret": BUYER_SIRET})
    buyer.with_context(lang="fr_FR")._compliance_verify()
    # the background check of the SIRETs entered meanwhile (BOAMP buyers), run once
    env["res.partner"].with_context(lang="fr_FR")._cron_compliance_siret_check()
    kind = "organisme public" if buyer.compliance_is_public_body else "entreprise privée"
    lines.append(
        f"Acheteur vérifié : {buyer.compliance_legal_name or buyer.name} "
        f"(SIRET {BUYER_SIRET}, {kind}, NAF {buyer.compliance_naf_code or '?'})"
    )
    return lines

"""What a Chorus status means for a works document (codes: duret_chorus/lib/statuses.py).

Which codes the works circuit really uses is partly inferred (docs/chorus-works.md,
section 3): the sets below are the one place to correct.
"""

WAITING_MOE = frozenset({"A_VALIDER_MOE", "MISE_A_DISPOSITION_MOE", "A_ASSOCIER_MOE"})
WAITING_CONTRACTOR = frozenset({"A_VALIDER_1", "A_VALIDER_2"})
REFUSED = frozenset(
    {"REFUSEE_MOE", "REFUSEE_1", "REFUSEE_2", "REFUSEE_MOA", "REJETEE", "ERREUR_DE_MOE"}
)
VALIDATED = frozenset(
    {
        "PRISE_EN_COMPTE_MOE",
        "VALIDEE_1",
        "VALIDEE_2",
        "TRANSMISE_MOA",
        "MISE_A_DISPOSITION_MOA",
        "PRISE_EN_COMPTE_MOA",
        "MISE_A_DISPOSITION",
        "SERVICE_FAIT",
        "MANDATEE",
        "COMPTABILISEE",
        "MISE_A_DISPOSITION_COMPTABLE",
    }
)
PAID = frozenset({"MISE_EN_PAIEMENT"})

#: days the validator has: the MOE 7 days for a monthly statement, the main contractor 15
MOE_DAYS = 7
CONTRACTOR_DAYS = 15
#: the State's and local authorities' payment delay (CCP R2192-10), when the buyer's is unknown
PAYMENT_DAYS = 30


def works_stage(code):
    """``waiting`` / ``refused`` / ``validated`` / ``paid``, or None for other codes."""
    if code in WAITING_MOE or code in WAITING_CONTRACTOR:
        return "waiting"
    if code in REFUSED:
        return "refused"
    if code in PAID:
        return "paid"
    if code in VALIDATED:
        return "validated"
    return None

"""Chorus Pro invoice and flow status codes and what they mean for polling
(docs/chorus-api.md sections 3 and 6). Codes only: their labels are the model
layer's (``models/chorus_status_labels.py``), so that an unknown code breaks nothing.
"""

TERMINAL_OK = frozenset({"MISE_EN_PAIEMENT"})
TERMINAL_KO = frozenset({"REJETEE", "ABANDONNEE", "SUPPRIMEE", "REMPLACEE_PAR_A22"})
ACTION_NEEDED = frozenset({"SUSPENDUE", "A_COMPLETER", "A_RECYCLER"})
WITH_REASON = ACTION_NEEDED | {"REJETEE"}
LATE_STAGE = frozenset({"MANDATEE", "COMPTABILISEE", "MISE_A_DISPOSITION_COMPTABLE"})
LATE_STAGE_MAX_AGE_DAYS = 180

FLOW_OK = frozenset({"IN_INTEGRE"})
FLOW_PARTIAL = frozenset({"IN_INTEGRE_PARTIEL"})
FLOW_ERROR = frozenset({"IN_REJETE", "IN_INCIDENTE"})


def is_terminal(code, buyer_reports_payment, age_days):
    """True when polling this invoice can stop.

    Late stages are final when the buyer never reports MISE_EN_PAIEMENT
    (``statutMiseEnPaiementNestPasRemonte``), else after 180 days.
    """
    if code in TERMINAL_OK or code in TERMINAL_KO:
        return True
    if code in LATE_STAGE:
        return not buyer_reports_payment or (age_days or 0) >= LATE_STAGE_MAX_AGE_DAYS
    return False

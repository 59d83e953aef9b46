"""Chorus Pro invoice and flow status codes (docs/chorus-api.md sections 3 and 6).

The raw code is stored on the invoice; labels come from this map so that an
unknown code (Chorus adds some) breaks nothing and shows as itself.
"""

from odoo.tools.translate import _lt, code_translations

INVOICE_STATUS_LABELS = {
    "BROUILLON": _lt("Draft"),
    "A_VALIDER_1": _lt("To validate (level 1)"),
    "ERREUR_FOURNISSEUR_SUR_VALIDEUR": _lt("Supplier error on validator"),
    "REFUSEE_1": _lt("Refused (level 1)"),
    "VALIDEE_1": _lt("Validated (level 1)"),
    "ABSENCE_VALIDATION_1_HORS_DELAI": _lt("Not validated in time (level 1)"),
    "A_VALIDER_2": _lt("To validate (level 2)"),
    "ERREUR_COTRAITANT_SUR_VALIDEUR": _lt("Co-contractor error on validator"),
    "REFUSEE_2": _lt("Refused (level 2)"),
    "VALIDEE_2": _lt("Validated (level 2)"),
    "ABSENCE_VALIDATION_2_HORS_DELAI": _lt("Not validated in time (level 2)"),
    "DEPOSEE": _lt("Submitted"),
    "ERREUR_FOURNISSEUR_SUR_MOE": _lt("Supplier error on project manager"),
    "EN_COURS_ACHEMINEMENT": _lt("Being routed"),
    "MISE_A_DISPOSITION": _lt("Made available to the buyer"),
    "A_RECYCLER": _lt("To be redirected"),
    "SUSPENDUE": _lt("Suspended"),
    "REJETEE": _lt("Rejected"),
    "MANDATEE": _lt("Payment ordered"),
    "MISE_EN_PAIEMENT": _lt("Payment issued"),
    "COMPTABILISEE": _lt("Recorded in the accounts"),
    "MISE_A_DISPOSITION_COMPTABLE": _lt("Made available to the public accountant"),
    "ABANDONNEE": _lt("Abandoned"),
    "SUPPRIMEE": _lt("Deleted"),
    "ASSOCIEE": _lt("Associated"),
    "EN_COURS_TRAITEMENT_PIVOT_S": _lt("Being processed (PIVOT)"),
    "A_VALIDER_MOE": _lt("To validate by the project manager"),
    "REFUSEE_MOE": _lt("Refused by the project manager"),
    "EN_ATTENTE_RECYCLAGE_FOURNISSEUR": _lt("Waiting for supplier redirection"),
    "ERREUR_MOE_SUR_FOURNISSEUR": _lt("Project manager error on supplier"),
    "ERREUR_MOA_SUR_FOURNISSEUR": _lt("Project owner error on supplier"),
    "INTERPRETEE_OCR": _lt("Read by OCR"),
    "COMPLETEE": _lt("Completed"),
    "ERREUR_FOURNISSEUR_SUR_MOA": _lt("Supplier error on project owner"),
    "ERREUR_MOE_SUR_MOA": _lt("Project manager error on project owner"),
    "ERREUR_DESTINATAIRE_PD": _lt("Recipient error (payment request)"),
    "ERREUR_DESTINATAIRE_EA": _lt("Recipient error (sent to the project owner)"),
    "SERVICE_FAIT": _lt("Service certified as done"),
    "NON_CONFORME": _lt("Not compliant"),
    "A_ASSOCIER_MOE": _lt("To associate by the project manager"),
    "ERREUR_DE_MOE": _lt("Project manager error"),
    "MISE_A_DISPOSITION_MOE": _lt("Made available to the project manager"),
    "PRISE_EN_COMPTE_MOE": _lt("Taken into account by the project manager"),
    "A_ASSOCIER_MOA": _lt("To associate by the project owner"),
    "ERREUR_DE_MOA": _lt("Project owner error"),
    "REFUSEE_MOA": _lt("Refused by the project owner"),
    "A_ASSOCIER_FOURNISSEUR": _lt("To associate by the supplier"),
    "REFUSEE_FOURNISSEUR": _lt("Refused by the supplier"),
    "A_COMPLETER": _lt("To be completed"),
    "TRANSMISE_MOA": _lt("Sent to the project owner"),
    "PRISE_EN_COMPTE_DESTINATAIRE": _lt("Taken into account by the recipient"),
    "REMPLACEE_PAR_A22": _lt("Replaced by a final statement (A22)"),
    "DUPLIQUE_APRES_REFUS": _lt("Duplicated after refusal"),
    "MISE_A_DISPOSITION_MOA": _lt("Made available to the project owner"),
    "PRISE_EN_COMPTE_MOA": _lt("Taken into account by the project owner"),
    "ABSENCE_VALIDATION_MOE_DELAI_REGLEMENTAIRE": _lt(
        "Not validated by the project manager within the legal time"
    ),
    "TECHNIQUE_INCONNU": _lt("Unknown (technical)"),
}

TERMINAL_OK = frozenset({"MISE_EN_PAIEMENT"})
TERMINAL_KO = frozenset({"REJETEE", "ABANDONNEE", "SUPPRIMEE", "REMPLACEE_PAR_A22"})
ACTION_NEEDED = frozenset({"SUSPENDUE", "A_COMPLETER", "A_RECYCLER"})
WITH_REASON = ACTION_NEEDED | {"REJETEE"}
LATE_STAGE = frozenset({"MANDATEE", "COMPTABILISEE", "MISE_A_DISPOSITION_COMPTABLE"})
LATE_STAGE_MAX_AGE_DAYS = 180

FLOW_OK = frozenset({"IN_INTEGRE"})
FLOW_PARTIAL = frozenset({"IN_INTEGRE_PARTIEL"})
FLOW_ERROR = frozenset({"IN_REJETE", "IN_INCIDENTE"})


def status_label(code, lang=None):
    """Label of an invoice status in ``lang`` (English when None); an unknown code as is.

    The language is passed explicitly: ``str(_lt)`` guesses it from the caller's
    frame and falls back to English outside a model method.
    """
    label = INVOICE_STATUS_LABELS.get(code)
    if label is None:
        return code or ""
    if not lang or lang == "en_US":
        return label._source
    translations = code_translations.get_python_translations(label._module, lang)
    return translations.get(label._source) or label._source


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

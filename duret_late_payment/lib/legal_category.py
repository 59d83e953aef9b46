"""Guess a buyer's payment-deadline category from its INSEE legal category (catégorie juridique).

INSEE's nomenclature of legal categories (level III, four digits; source and table in
``docs/late-payment.md``).  Only unambiguous families are guessed; the accountant sets the
others by hand (e.g. sociétés d'économie mixte, which may or may not be public companies
in the sense of R2192-11).
"""

import re

# Exact codes first, then two-digit families.
EXACT = {
    "7364": "health",  # Établissement d'hospitalisation
    "7365": "health",  # Syndicat inter hospitalier
    "7381": "other_public",  # Organisme consulaire
    "7382": "state",  # Établissement public national ayant fonction d'administration centrale
    "7383": "state",  # Établissement public national à caractère scientifique culturel et prof.
    "7384": "state",  # Autre établissement public national d'enseignement
    "7385": "state",  # Autre établissement public national administratif à compétence limitée
    "7389": "state",  # Établissement public national à caractère administratif
    "4110": "public_company",  # Établissement public national à caractère industriel ou commercial
    "4140": "local",  # Établissement public local à caractère industriel ou commercial
    "4150": "local",  # Régie d'une collectivité locale à caractère industriel ou commercial
}
FAMILIES = {
    "71": "state",  # Administration de l'État
    "72": "local",  # Collectivité territoriale
    "73": "local",  # Établissement public administratif (local, unless listed above)
    "74": "other_public",  # Autre personne morale de droit public administratif (GIP...)
}
_CODE = re.compile(r"\b(\d{4})\b")


def legal_category_code(text):
    """The four-digit code at the start of a stored legal category ("7210 Commune...")."""
    match = _CODE.search(text or "")
    return match.group(1) if match else None


def guess_category(text):
    """Payment-deadline category for a legal category code or text, or None."""
    code = legal_category_code(text)
    if not code:
        return None
    return EXACT.get(code) or FAMILIES.get(code[:2])

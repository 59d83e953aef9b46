"""French département codes as BOAMP should have written them.

Records and profiles hold codes such as ``'2'``, ``'8'``, ``'2a'`` or ``' 74 '``: a
profile on Ain (``01``) or Ardèche (``07``) would miss every notice coded ``'1'`` or
``'7'``. The canonical form is two digits for metropolitan départements (``01``…``95``),
``2A``/``2B`` for Corsica and three digits for overseas ones (``971``…``976``, ``986``,
``987``, ``988``); anything else is kept as written, stripped and upper-cased.
"""

import re

_DIGITS = re.compile(r"^\d{1,3}$")


def normalize_departement(code):
    """``'2'`` → ``'02'``, ``'2a'`` → ``'2A'``, ``'974'`` → ``'974'``; empty → ``None``."""
    value = str(code).strip().upper() if code is not None else ""
    if not value:
        return None
    if _DIGITS.match(value):
        return value.zfill(2) if len(value) < 3 else value
    return value


def departement_variants(code):
    """The spellings of a code found in BOAMP data: ``'01'`` → ``['01', '1']``."""
    canonical = normalize_departement(code)
    if canonical is None:
        return []
    variants = [canonical]
    if len(canonical) == 2 and canonical.isdigit() and canonical.startswith("0"):
        variants.append(canonical[1:])
    return variants

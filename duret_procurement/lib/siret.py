"""SIREN / SIRET checks with the La Poste exception.

Odoo 17 pins python-stdnum 1.17, whose SIRET check lacks the La Poste rule:
establishments of SIREN 356000000 (other than the head office
35600000000048) have digit sums divisible by 5 instead of a Luhn key.
"""

LA_POSTE_SIREN = "356000000"
LA_POSTE_HEAD_OFFICE = "35600000000048"


def _digits(value):
    return "".join((value or "").split())


def luhn_ok(number):
    total = 0
    for index, char in enumerate(reversed(number)):
        digit = int(char)
        if index % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def is_valid_siren(value):
    siren = _digits(value)
    return len(siren) == 9 and siren.isdigit() and luhn_ok(siren)


def is_valid_siret(value):
    siret = _digits(value)
    if len(siret) != 14 or not siret.isdigit() or not is_valid_siren(siret[:9]):
        return False
    if siret[:9] == LA_POSTE_SIREN and siret != LA_POSTE_HEAD_OFFICE:
        return sum(int(c) for c in siret) % 5 == 0
    return luhn_ok(siret)


def siret_problem(value):
    """None when ``value`` is a valid SIRET, else a short English reason (to translate)."""
    siret = _digits(value)
    if not siret:
        return "missing"
    if len(siret) != 14 or not siret.isdigit():
        return "not 14 digits"
    if not is_valid_siren(siret[:9]):
        return "invalid SIREN check digit"
    if not is_valid_siret(siret):
        return "invalid SIRET check digit"
    return None

"""The one French message for a SIRET that cannot be right."""

from odoo import _, api, models

from ..lib.siret import siret_problem


class DuretSiret(models.AbstractModel):
    _name = "duret.siret"
    _description = "SIRET checks of the procurement suite"

    @api.model
    def _duret_siret_message(self, siret, check_digits=True):
        """None when ``siret`` is acceptable, else what to fix, translated.

        ``check_digits=False`` accepts any 14 digits: test environments (API
        Entreprise staging, Chorus qualification) use identifiers that fail Luhn.
        """
        digits = "".join((siret or "").split())
        if not check_digits:
            if len(digits) == 14 and digits.isdigit():
                return None
            return _("A SIRET has 14 digits.") if digits else _("The SIRET is missing.")
        return {
            None: None,
            "missing": _("The SIRET is missing."),
            "not 14 digits": _("A SIRET has 14 digits."),
            "invalid SIREN check digit": _(
                "The SIREN part of this SIRET is not valid (check digit)."
            ),
            "invalid SIRET check digit": _("This SIRET is not valid (check digit)."),
        }[siret_problem(digits)]

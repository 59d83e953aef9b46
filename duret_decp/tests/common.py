"""A small hand-made DECP world (regulatory JSON) whose figures the tests compute by hand."""

from datetime import timedelta

from odoo import fields
from odoo.addons.duret_procurement.tests.common import SandboxMixin

BUYER = "21730010200001"  # a valid SIRET (Luhn): the BOAMP import trusts it
OTHER_BUYER = "21740010900012"
DURET = "84231765300012"
ALPES = "38012345600011"
GRESI = "41298765400027"


def marche(number, buyer, cpv, postal, notified, amount, offers, holders, months=12, **extra):
    record = {
        "id": f"T{number:03d}",
        "acheteur": {"id": buyer},
        "nature": "Marché",
        "objet": extra.pop("objet", f"Travaux test {number}"),
        "codeCPV": cpv,
        "procedure": "Procédure adaptée",
        "lieuExecution": {"code": postal, "typeCode": "Code postal"},
        "dureeMois": months,
        "dateNotification": notified.isoformat(),
        "datePublicationDonnees": extra.pop("published", notified + timedelta(days=5)).isoformat(),
        "montant": amount,
        "offresRecues": offers,
        "titulaires": [{"titulaire": {"typeIdentifiant": "SIRET", "id": h}} for h in holders],
        "techniques": {
            "technique": ["Accord-cadre" if extra.pop("framework", False) else "Sans objet"]
        },
    }
    record.update(extra)
    return record


def world(today):
    """c1..c8 of the tests (c7 is in the Rhône: never read)."""
    day = lambda n: today - timedelta(days=n)  # noqa: E731
    return [
        marche(1, BUYER, "45311000", "73000", day(400), 100000.0, 3, [DURET]),
        marche(2, BUYER, "45315000", "73200", day(300), 200000.0, 5, [ALPES], months=18,
               objet="Éclairage public de la commune"),
        marche(3, OTHER_BUYER, "45317000", "74000", day(200), 300000.0, 2, [ALPES], months=6),
        marche(4, OTHER_BUYER, "45316110-9", "38000", day(100), 400000.0, 4, [GRESI, DURET],
               months=3, modifications=[{"modification": {
                   "id": 1, "montant": 440000.0,
                   "dateNotificationModification": day(90).isoformat(),
                   "datePublicationDonneesModification": day(88).isoformat()}}]),
        marche(5, OTHER_BUYER, "45311000", "73000", day(50), 5000000.0, 1, [GRESI], months=48,
               framework=True),
        marche(6, BUYER, "45421100", "73000", day(60), 80000.0, 6, [GRESI]),
        marche(7, OTHER_BUYER, "45311000", "69000", day(60), 90000.0, 2, [ALPES]),
        marche(8, BUYER, "45311000", "73000", day(5 * 365), 999999.0, 1, [ALPES], months=24,
               published=day(30)),
    ]  # fmt: skip


class DecpWorldMixin(SandboxMixin):
    @classmethod
    def decp_load_world(cls, awards=()):
        """The DECP world, and the BOAMP award notices ``awards`` (none by default)."""
        cls.sandbox_admin("POST", "decp/load", {"marches": world(cls.today)})
        cls.sandbox_admin("POST", "boamp/load", {"records": list(awards)})

    @classmethod
    def decp_setup_world(cls, env):
        cls.today = fields.Date.context_today(env["decp.sync"])
        cls.sandbox_reset()
        cls.decp_load_world()
        icp = env["ir.config_parameter"].sudo()
        icp.set_param("duret_decp.base_url", cls.sandbox_url())
        icp.set_param("duret_decp.departements", "73, 74, 38")
        icp.set_param("duret_boamp.base_url_mode", "custom")
        icp.set_param("duret_boamp.custom_base_url", cls.sandbox_url())
        cls.buyer = env["res.partner"].create(
            {"name": "Commune de Saint-Test", "is_company": True, "siret": BUYER}
        )
        cls.alpes = env["res.partner"].create(
            {"name": "Alpes Élec", "is_company": True, "siret": ALPES}
        )

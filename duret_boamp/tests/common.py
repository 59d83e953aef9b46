"""Helpers for the duret_boamp tests: realistic BOAMP records and a ready profile.

Records come from the project's sandbox generator (``tests/sandbox``), whose
FNSimple shape is copied from real BOAMP records, so the Odoo side is tested
on the wire format it will really receive.
"""

from datetime import date, datetime, timedelta

from odoo.addons.duret_procurement.tests.common import sandbox_module

from ..services.notice_import import NoticeImporter

boamp_generator = sandbox_module("boamp_generator")  # the project's sandbox package

BUYER = {
    "name": "Commune d'Albertville",
    "siret": "21730010200001",
    "city": "ALBERTVILLE",
    "cp": "73200",
    "dep": "73",
    "street": "12 rue de la République",
    "email": "marches@albertville.fr",
    "url": "https://www.marches-publics.info/acheteur/1234",
}
_numbers = iter(range(800001, 900000))


def notice_spec(**overrides):
    """A relevant FNSimple call for tenders (public lighting works in Savoie)."""
    published = overrides.pop("published", date.today() - timedelta(days=1))
    number = next(_numbers)
    spec = {
        "category": "relevant",
        "shape": "FNSimple",
        "nature": "APPEL_OFFRE",
        "objet": "Travaux de rénovation de l'éclairage public et des installations électriques",
        "buyer": dict(BUYER),
        "cpv": "45316110",
        "extra_cpv": ["45310000"],
        "type_marche": "TRAVAUX",
        "labels": ["Electricité (travaux)", "Eclairage public"],
        "lots": [],
        "published": published,
        "deadline": datetime.combine(published + timedelta(days=30), datetime.min.time()).replace(
            hour=12
        ),
        "amount": 250000.0,
        "procedure": "OUVERT",
        "deps": ["73"],
        "prestation": None,
        "duration": 12,
        "linked": None,
        "winners": [],
        "contractfolderid": None,
        "reference": f"2026-TX-{number}",
        "idweb": f"{published:%y}-{number}",
    }
    spec.update(overrides)
    return spec


def follow_up_spec(original, nature, **overrides):
    """A correction / cancellation / award of ``original`` (linked by annonce_lie)."""
    number = next(_numbers)
    spec = dict(original)
    spec.update(
        category=nature.lower(),
        nature=nature,
        linked=original["idweb"],
        published=original["published"] + timedelta(days=1),
        idweb=f"{original['published']:%y}-{number}",
    )
    spec.update(overrides)
    return spec


def record(spec):
    return boamp_generator.record_from_spec(spec)


class BoampCaseMixin:
    """A watch profile with Duret's default rules, and a direct page importer."""

    @classmethod
    def setup_watch(cls):
        cls.company = cls.env.ref("base.main_company")
        cls.watch = cls.env["boamp.watch"].create(
            {
                "name": "Test profile",
                "departements": "73, 74, 38",
                "company_id": cls.company.id,
            }
        )
        cls.env["boamp.watch"]._apply_default_rules(cls.watch.ids)

    def new_run(self, watch=None):
        return self.env["boamp.run"].create({"watch_id": (watch or self.watch).id})

    def import_page(self, records, run=None, watch=None):
        """Import one page as the job does (without its cursors); returns (run, counts)."""
        watch = watch or self.watch
        run = run or self.new_run(watch)
        counts = NoticeImporter(self.env, watch, run).import_records(records)
        run._add_counts(counts)
        return run, counts

    def tender_leads(self, watch=None):
        return (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search([("boamp_watch_id", "=", (watch or self.watch).id)])
        )

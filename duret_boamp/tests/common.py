"""Helpers for the duret_boamp tests: realistic BOAMP records and a ready profile.

Records come from the project's sandbox generator (``tests/sandbox``), whose
FNSimple shape is copied from real BOAMP records, so the Odoo side is tested
on the wire format it will really receive.
"""

from contextlib import ExitStack, contextmanager
from datetime import date, datetime, timedelta
from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.addons.duret_procurement.tests.common import make_user, sandbox_module

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


def digest_director(company, login, **values):
    """The sales director who receives ``company``'s morning digest, reading English (the
    language of the texts the tests assert)."""
    director = make_user(
        company.env,
        login,
        "sales_team.group_sale_manager",
        lang="en_US",
        company_id=company.id,
        **{"name": "Directrice commerciale", "email": "direction@duret-electricite.fr", **values},
    )
    company.boamp_digest_user_ids = director
    return director


# -- killed jobs ----------------------------------------------------------------------


class FakeClient:
    """Boundary double of BoampClient: serves a fixed list of records."""

    def __init__(self, records):
        self.records = records
        self.http_calls = 0
        self.windows = []

    def iter_window(self, since, until, departements, natures, page_size=100):
        self.windows.append((since, until, tuple(departements), tuple(natures)))
        for index, rec in enumerate(self.records):
            if index % page_size == 0:
                self.http_calls += 1
            yield rec


class Killed(BaseException):
    """Stands for SIGKILL: nothing in the job catches it."""


def killed_after(batches, done=None):
    """An ``import_records`` that lets ``batches`` batches through (their sizes appended
    to ``done``), then is killed."""
    done = [] if done is None else done
    original = NoticeImporter.import_records

    def import_records(importer, page):
        if len(done) == batches:
            raise Killed()
        done.append(len(page))
        return original(importer, page)

    return import_records


class CommittedWatchMixin:
    """A profile committed through its own cursor, its job run as in production.

    The job's pages commit in their own cursors, which the test transaction can neither
    see nor roll back: everything is created and checked through fresh registry cursors
    and deleted at the end.
    """

    @contextmanager
    def committed_env(self, **context):
        """A superuser environment on a fresh cursor, committed when the block ends."""
        with self.registry.cursor() as cr:
            yield api.Environment(cr, SUPERUSER_ID, context)

    def setup_committed_watch(self, name):
        with self.committed_env() as env:
            watch = env["boamp.watch"].create(
                {"name": name, "company_id": env.ref("base.main_company").id}
            )
            env["boamp.watch"]._apply_default_rules(watch.ids)
            self.watch_id = watch.id
        self.addCleanup(self._delete_committed_watch)

    def _delete_committed_watch(self):
        with self.committed_env(active_test=False) as env:
            watch = env["boamp.watch"].browse(self.watch_id)
            leads = env["crm.lead"].search([("boamp_watch_id", "=", watch.id)])
            partners = leads.partner_id
            leads.unlink()
            partners.filtered(lambda p: p.siret == BUYER["siret"]).unlink()
            watch.run_ids.unlink()
            watch.unlink()

    def run_committed_job(self, client, killer=None):
        """The profile's nightly job over ``client``; ``killer`` replaces ``import_records``."""
        with self.committed_env() as env, ExitStack() as stack:
            watch = env["boamp.watch"].browse(self.watch_id)
            stack.enter_context(
                patch.object(type(watch), "_boamp_client", lambda self, params, **_kw: client)
            )
            if killer:
                stack.enter_context(patch.object(NoticeImporter, "import_records", killer))
            watch._run_job()

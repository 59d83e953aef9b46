"""One bad notice never fails a batch: NUL characters and lone surrogates are cleaned,
and a record the database still refuses is rejected with its reason while the others
are imported."""

from contextlib import contextmanager
from unittest.mock import patch

from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from ..lib import notice_parser
from ..services import notice_import
from .common import BoampCaseMixin, notice_spec, record


@tagged("post_install", "-at_install")
class TestBatchIsolation(BoampCaseMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_watch()

    def nul_record(self):
        spec = notice_spec(objet="Travaux d'éclairage public\x00 de la place du marché")
        rec = record(spec)
        # and inside the donnees JSON, as BOAMP escapes it
        rec["donnees"] = rec["donnees"].replace('"nomOfficiel": "', '"nomOfficiel": "\\u0000')
        rec["donnees"] = rec["donnees"].replace('"nomOfficiel":"', '"nomOfficiel":"\\u0000')
        rec["nomacheteur"] = "Commune\ud800 d'Albertville"
        return spec, rec

    @contextmanager
    def without_cleaning(self):
        """The parser's edge switched off: the database sees the raw text."""
        with (
            patch.object(notice_import, "clean_tree", lambda tree: tree),
            patch.object(notice_parser, "clean_tree", lambda tree: tree),
        ):
            yield

    def test_batch_with_a_nul_notice_creates_every_lead(self):
        specs = [notice_spec() for _i in range(4)]
        nul_spec, nul_record = self.nul_record()
        records = [record(s) for s in specs[:2]] + [nul_record] + [record(s) for s in specs[2:]]
        run, counts = self.import_page(records)
        self.assertEqual((counts["created"], counts["errors"]), (5, 0))
        leads = self.tender_leads()
        self.assertEqual(set(leads.mapped("boamp_idweb")), {s["idweb"] for s in [*specs, nul_spec]})
        cleaned = leads.filtered(lambda lead: lead.boamp_idweb == nul_spec["idweb"])
        self.assertNotIn("\x00", cleaned.name)
        self.assertIn("éclairage public de la place", cleaned.name)
        self.assertTrue(cleaned.boamp_notice_ids.raw_record)
        self.assertFalse(run.rejection_ids)

    @mute_logger("odoo.addons.duret_boamp.services.notice_import", "odoo.sql_db")
    def test_a_record_the_database_refuses_is_rejected_alone(self):
        """Without the cleaning, PostgreSQL refuses the NUL: only that record is lost."""
        specs = [notice_spec() for _i in range(5)]
        nul_spec, nul_record = self.nul_record()
        records = [record(s) for s in specs[:3]] + [nul_record] + [record(s) for s in specs[3:]]
        # the import writes its reasons in the job's language: French, as for Duret's users
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env = self.env(context=dict(self.env.context, lang="fr_FR"))
        with self.without_cleaning():
            run, counts = self.import_page(records)
        self.assertEqual((counts["fetched"], counts["created"], counts["errors"]), (6, 5, 1))
        self.assertEqual(
            set(self.tender_leads().mapped("boamp_idweb")), {s["idweb"] for s in specs}
        )
        rejection = run.rejection_ids
        self.assertEqual(len(rejection), 1)
        self.assertEqual((rejection.kind, rejection.idweb), ("error", nul_spec["idweb"]))
        self.assertIn("Import impossible : ", rejection.reason)
        self.assertIn("NUL", rejection.reason)  # the technical detail follows
        self.assertNotIn("\x00", rejection.objet)
        # the next night: the good records are skipped, the bad one rejected again, alone
        with self.without_cleaning():
            _run, again = self.import_page(records)
        self.assertEqual((again["duplicates"], again["errors"], again["created"]), (5, 1, 0))

    def test_an_unreadable_record_is_rejected_with_its_reason(self):
        records = [record(notice_spec()), {"idweb": "26-1", "donnees": "{not json"}]
        run, counts = self.import_page(records)
        self.assertEqual((counts["created"], counts["errors"]), (1, 1))
        self.assertIn("not valid JSON", run.rejection_ids.reason)

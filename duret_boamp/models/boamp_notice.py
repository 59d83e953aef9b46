"""Every BOAMP notice of a tender procedure, kept with its raw record."""

import json
from datetime import timedelta

from odoo import api, fields, models


class BoampNotice(models.Model):
    _name = "boamp.notice"
    _description = "BOAMP notice"
    _order = "publication_date desc, id desc"
    _rec_name = "idweb"

    idweb = fields.Char(string="Notice number", required=True, index=True)
    lead_id = fields.Many2one("crm.lead", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    run_id = fields.Many2one("boamp.run", ondelete="set null")
    nature = fields.Char()
    etat = fields.Char(string="State")
    shape = fields.Char(string="Format")
    objet = fields.Char(string="Object")
    publication_date = fields.Date(index=True)
    notice_url = fields.Char(string="BOAMP link")
    raw_record = fields.Text(help="The record as BOAMP served it, kept to parse it again.")
    raw_purged = fields.Boolean(readonly=True)
    change_kind = fields.Selection(
        [
            ("deadline", "Deadline moved"),
            ("corrected", "Corrected"),
            ("cancelled", "Cancelled"),
            ("won", "Awarded to us"),
            ("lost", "Awarded to a competitor"),
        ],
        string="Change",
        readonly=True,
    )
    change_text = fields.Char(string="What changed", readonly=True)
    #: a change waiting for the next digest (set at import, cleared by the digest)
    digest_pending = fields.Boolean(readonly=True, index=True)

    _sql_constraints = [
        (
            "idweb_company_uniq",
            "unique(company_id, idweb)",
            "A BOAMP notice is stored once per company.",
        ),
    ]

    def _record(self):
        """The raw BOAMP record (a dict), or None once purged."""
        self.ensure_one()
        return json.loads(self.raw_record) if self.raw_record else None

    @api.model
    def _purge_raw_records(self, retention_days):
        """Drop raw records older than the retention; the notice rows stay."""
        limit = fields.Date.context_today(self) - timedelta(days=retention_days)
        old = self.search([("raw_purged", "=", False), ("publication_date", "<", limit)])
        old.write({"raw_record": False, "raw_purged": True})
        return len(old)

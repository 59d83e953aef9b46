"""The DECP sync: one run log per run, batches committed one by one.

First load: the last ``first_load_months`` of publications; then from the last successful
run's end minus an overlap (the producer loads late). Re-reading a window is harmless: a
contract is upserted by its key, its holders only accumulate. A killed run stays
"running" and the next one starts from the last *successful* run.
"""

import logging

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.addons.duret_procurement.lib.errors import RemoteError
from odoo.addons.duret_procurement.lib.http import Budget

from ..lib.decp_client import JOB_BUDGET, DecpClient
from ..lib.decp_parser import parse_rows, row_key
from .params import param, split_codes

_logger = logging.getLogger(__name__)

#: rows stored per committed batch (cut at a contract boundary)
BATCH_ROWS = 500
#: rejected contracts listed in the run log (the count is always complete)
REJECTION_LINES = 200


class DecpSync(models.Model):
    _name = "decp.sync"
    _description = "DECP sync run"
    _order = "id desc"

    name = fields.Char(compute="_compute_name")
    state = fields.Selection(
        [("running", "Running"), ("done", "Done"), ("failed", "Failed")],
        default="running",
        required=True,
        index=True,
    )
    since = fields.Date(string="Published from", required=True)
    until = fields.Date(string="Published until", required=True)
    departements = fields.Char(string="Départements", help="Empty: the whole country.")
    started = fields.Datetime(default=fields.Datetime.now, required=True)
    finished = fields.Datetime()
    rows_read = fields.Integer(string="Rows read")
    contracts_created = fields.Integer(string="Contracts created")
    contracts_updated = fields.Integer(string="Contracts updated")
    outside_count = fields.Integer(
        string="Outside the départements",
        help="Contracts whose place code starts like a watched département but is not in it "
        "(a region code, for instance).",
    )
    rejected_count = fields.Integer(string="Rejected")
    rejections = fields.Text(string="Rejected rows and why")
    http_calls = fields.Integer(string="HTTP calls")
    budget_spent = fields.Float(string="Remote time used (s)")
    budget_seconds = fields.Float(string="Remote time budget (s)")
    message = fields.Text()

    @api.depends("since", "until", "state")
    def _compute_name(self):
        for run in self:
            run.name = _("DECP %(since)s → %(until)s", since=run.since, until=run.until)

    # -- entry points ----------------------------------------------------------------------
    @api.model
    def _cron_decp_sync(self):
        return self._decp_run()

    @api.model
    def _decp_departements(self):
        """The settings' départements, else those of the active watch profiles; [] = France."""
        if param(self.env, "whole_country"):
            return []
        codes = split_codes(param(self.env, "departements"))
        if not codes:
            watches = self.env["boamp.watch"].sudo().search([("active", "=", True)])
            codes = split_codes(",".join(w.departements or "" for w in watches))
        return codes

    @api.model
    def _decp_window(self, today):
        last = self.search([("state", "=", "done")], order="until desc, id desc", limit=1)
        if last:
            since = last.until - relativedelta(days=param(self.env, "overlap_days"))
        else:
            since = today - relativedelta(months=param(self.env, "first_load_months"))
        return since, today

    @api.model
    def _decp_run(self, session=None):
        """One sync run; returns its log record (committed as it goes)."""
        job = self.env["duret.job"]
        today = fields.Date.context_today(self)
        since, until = self._decp_window(today)
        departements = self._decp_departements()
        budget = Budget(JOB_BUDGET)
        run = self.sudo().create(
            {
                "since": since,
                "until": until,
                "departements": ", ".join(departements),
                "budget_seconds": budget.seconds,
            }
        )
        job._duret_commit_progress()
        client = DecpClient(
            param(self.env, "base_url"), departements, session=session, budget=budget
        )
        stats = {"created": 0, "updated": 0, "outside": 0, "rows": 0, "rejected": []}
        try:
            batch = []
            for row in client.iter_records(since, until):
                if len(batch) >= BATCH_ROWS and row_key(row) != row_key(batch[-1]):
                    run._decp_store_batch(batch, departements, stats)
                    batch = []
                batch.append(row)
            if batch:
                run._decp_store_batch(batch, departements, stats)
        except RemoteError as error:
            job._duret_rollback()
            run._decp_log(stats, client, budget, "failed", job._duret_remote_error_text(error))
            job._duret_commit_progress()
            return run
        run._decp_log(stats, client, budget, "done", job._duret_budget_line(budget))
        job._duret_commit_progress()
        return run

    def _decp_store_batch(self, rows, departements, stats):
        """Store the contracts of ``rows``; a contract that fails is rejected, not fatal."""
        Contract = self.env["decp.contract"].sudo()
        contracts, rejected = parse_rows(rows)
        stats["rows"] += len(rows)
        reasons = {
            "no_buyer_or_id": _("no buyer SIRET or no contract id"),
            "not_a_record": _("not a record"),
        }
        stats["rejected"] += [
            f"{row.get('id') if isinstance(row, dict) else '?'}: {reasons.get(code, code)}"
            for row, code in rejected
        ]
        wanted = set(departements)
        kept = []
        for contract in contracts:
            if wanted and contract.departement not in wanted:
                stats["outside"] += 1
            else:
                kept.append(contract)
        keys = [c.key for c in kept]
        existing = {c.key: c for c in Contract.search([("key", "in", keys)])} if keys else {}
        identifiers = {c.buyer_siret for c in kept}
        identifiers |= {h.identifier for c in kept for h in c.holders}
        partners = Contract._decp_partners_by_siret(sorted(i for i in identifiers if i))
        for contract in kept:
            try:
                with self.env.cr.savepoint():
                    stats[Contract._decp_upsert(contract, existing, partners)] += 1
            except Exception as exc:  # one bad contract never fails the batch
                _logger.warning("DECP contract %s not stored: %s", contract.key, exc)
                stats["rejected"].append(f"{contract.key}: {type(exc).__name__}: {exc}")
        Contract._decp_refresh_summaries()  # committed with the batch: never out of step
        self._decp_log(stats)
        self.env["duret.job"]._duret_commit_progress()

    def _decp_log(self, stats, client=None, budget=None, state=None, message=None):
        values = {
            "rows_read": stats["rows"],
            "contracts_created": stats["created"],
            "contracts_updated": stats["updated"],
            "outside_count": stats["outside"],
            "rejected_count": len(stats["rejected"]),
            "rejections": "\n".join(stats["rejected"][:REJECTION_LINES]) or False,
        }
        if client is not None:
            values["http_calls"] = client.http_calls
        if budget is not None:
            values["budget_spent"] = round(budget.spent, 1)
        if state:
            values.update(state=state, finished=fields.Datetime.now(), message=message)
        self.write(values)

    # -- button ------------------------------------------------------------------------------
    def action_decp_sync_now(self):
        """Run a sync now (sales managers: the data is public, no credential involved)."""
        run = self.with_context(lang=self.env.user.lang)._decp_run()
        return {
            "type": "ir.actions.act_window",
            "res_model": "decp.sync",
            "res_id": run.id,
            "view_mode": "form",
        }

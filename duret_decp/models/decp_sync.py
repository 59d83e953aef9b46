"""The DECP sync: one run log per run, batches committed one by one.

First load: the last ``first_load_months`` of publications, read in one streamed bulk
export (no row cap, no paging); then from the last successful run's end minus an overlap
(the producer loads late), read in pages of ``/records``. Re-reading a window is
harmless: a contract is upserted by its key, its holders only accumulate. A killed run
stays "running" and the next one starts from the last *successful* run.

Then the BOAMP award notices of the same window and départements: an award whose
contract has no DECP record yet gives one (``decp.contract.origin = "boamp"``), which
the DECP record completes when it arrives (docs/decp.md section 9).
"""

import logging
from contextlib import nullcontext

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.addons.duret_boamp.lib.boamp_client import BoampClient
from odoo.addons.duret_boamp.lib.notice_parser import NoticeParseError, parse_record
from odoo.addons.duret_boamp.services.params import boamp_params
from odoo.addons.duret_procurement.lib.errors import RemoteError
from odoo.addons.duret_procurement.lib.http import Budget
from odoo.tools import format_date

from ..lib.award_source import contract_from_award
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
    reader = fields.Selection(
        [("export", "Bulk export"), ("records", "Pages of records")],
        string="Read through",
        help="A first load reads the bulk export (one streamed answer, no row cap); a "
        "nightly run reads pages of records.",
    )
    started = fields.Datetime(default=fields.Datetime.now, required=True)
    finished = fields.Datetime()
    rows_read = fields.Integer(string="Rows read")
    contracts_created = fields.Integer(string="Contracts created")
    contracts_updated = fields.Integer(string="Contracts updated")
    contracts_completed = fields.Integer(
        string="Awards completed",
        help="Contracts first known from a BOAMP award notice, now completed by their DECP record.",
    )
    awards_read = fields.Integer(string="Award notices read")
    awards_created = fields.Integer(
        string="Contracts from award notices",
        help="Award notices whose contract has no DECP record yet.",
    )
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
    @api.depends_context("lang")
    def _compute_name(self):
        for run in self:
            run.name = _(
                "DECP %(since)s → %(until)s",
                since=format_date(self.env, run.since),
                until=format_date(self.env, run.until),
            )

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
    def _decp_window(self, today, departements=None, full=False):
        """``(since, until, first load?)``: a first load when no run succeeded yet, when
        the départements changed since the last one that did (the whole country asked
        for, a département added: their history is needed too), or when asked (``full``)."""
        last = self.search([("state", "=", "done")], order="until desc, id desc", limit=1)
        same_scope = departements is None or (last.departements or "") == ", ".join(departements)
        if last and same_scope and not full:
            since = last.until - relativedelta(days=param(self.env, "overlap_days"))
            return since, today, False
        return today - relativedelta(months=param(self.env, "first_load_months")), today, True

    @api.model
    def _decp_run(self, session=None, full=False):
        """One sync run; returns its log record (committed as it goes)."""
        job = self.env["duret.job"]
        today = fields.Date.context_today(self)
        departements = self._decp_departements()
        since, until, first_load = self._decp_window(today, departements, full)
        budget = Budget(JOB_BUDGET)
        run = self.sudo().create(
            {
                "since": since,
                "until": until,
                "departements": ", ".join(departements),
                "reader": "export" if first_load else "records",
                "budget_seconds": budget.seconds,
            }
        )
        job._duret_commit_progress()
        client = DecpClient(
            param(self.env, "base_url"), departements, session=session, budget=budget
        )
        stats = dict.fromkeys(
            ("created", "updated", "completed", "outside", "rows", "awards", "award_created"), 0
        )
        stats["rejected"] = []
        calls = [client]
        try:
            reader = client.iter_export if first_load else client.iter_records
            batch = []
            for row in reader(since, until):
                if len(batch) >= BATCH_ROWS and row_key(row) != row_key(batch[-1]):
                    run._decp_store_batch(batch, departements, stats)
                    batch = []
                batch.append(row)
            if batch:
                run._decp_store_batch(batch, departements, stats)
            if departements:  # the whole country's awards would exceed any job's budget
                boamp = BoampClient(boamp_params(self.env).base_url, session=session, budget=budget)
                calls.append(boamp)
                run._decp_read_awards(boamp, since, until, departements, stats)
        except RemoteError as error:
            job._duret_rollback()
            run._decp_log(stats, calls, budget, "failed", job._duret_remote_error_text(error))
            job._duret_commit_progress()
            return run
        run._decp_log(stats, calls, budget, "done", job._duret_budget_line(budget))
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
        kept = self._decp_in_area(contracts, departements, stats)
        keys = [c.key for c in kept]
        existing = {c.key: c for c in Contract.search([("key", "in", keys)])} if keys else {}
        awaiting = Contract._decp_awaiting({c.buyer_siret for c in kept if c.key not in existing})
        partners = self._decp_partners(kept)
        to_create = []
        for contract in kept:
            # a new contract only computes its values here (created below with the others):
            # a savepoint is needed only for the writes of an update or a completion
            writes = contract.key in existing or bool(awaiting.get(contract.buyer_siret))
            try:
                with self.env.cr.savepoint() if writes else nullcontext():
                    outcome = Contract._decp_upsert(
                        contract, existing, partners, awaiting, to_create
                    )
                if outcome != "pending":
                    stats[outcome] += 1
            except Exception as exc:  # one bad contract never fails the batch
                self._decp_reject(stats, contract.key, exc)
        self._decp_create(to_create, stats)
        Contract._decp_refresh_summaries()  # committed with the batch: never out of step
        self._decp_log(stats)
        self.env["duret.job"]._duret_commit_progress()

    def _decp_create(self, to_create, stats):
        """Create the batch's new contracts in one go (a few queries for hundreds of
        contracts); when that fails, one by one, so that only the bad one is rejected."""
        Contract = self.env["decp.contract"].sudo()
        if not to_create:
            return
        try:
            with self.env.cr.savepoint():
                Contract.create([values for _key, values in to_create])
            stats["created"] += len(to_create)
            return
        except Exception:  # the bad one is found below, one contract at a time
            _logger.info("DECP batch create failed: creating its contracts one by one")
        for key, values in to_create:
            try:
                with self.env.cr.savepoint():
                    Contract.create(values)
                stats["created"] += 1
            except Exception as exc:  # one bad contract never fails the batch
                self._decp_reject(stats, key, exc)

    @staticmethod
    def _decp_reject(stats, key, exc):
        _logger.warning("DECP contract %s not stored: %s", key, exc)
        stats["rejected"].append(f"{key}: {type(exc).__name__}: {exc}")

    @staticmethod
    def _decp_in_area(contracts, departements, stats):
        wanted = set(departements)
        kept = []
        for contract in contracts:
            if wanted and contract.departement not in wanted:
                stats["outside"] += 1
            else:
                kept.append(contract)
        return kept

    def _decp_partners(self, contracts):
        identifiers = {c.buyer_siret for c in contracts}
        identifiers |= {h.identifier for c in contracts for h in c.holders}
        return self.env["decp.contract"]._decp_partners_by_siret(
            sorted(i for i in identifiers if i)
        )

    def _decp_read_awards(self, client, since, until, departements, stats):
        """The BOAMP award notices of the window: a contract for each one whose DECP record
        is not here yet. A notice that cannot be read is listed, never fatal."""
        Contract = self.env["decp.contract"].sudo()
        for record in client.iter_window(since, until, departements, ["ATTRIBUTION"]):
            stats["awards"] += 1
            idweb = record.get("idweb") if isinstance(record, dict) else "?"
            try:
                contract = contract_from_award(parse_record(record))
            except NoticeParseError as exc:
                stats["rejected"].append(f"BOAMP {idweb}: {exc}")
                continue
            # a notice naming no buyer SIRET or no holder number can be matched with
            # nothing (most legacy awards give names only): read, not stored
            if contract is None or not self._decp_in_area([contract], departements, stats):
                continue
            try:
                with self.env.cr.savepoint():
                    outcome = Contract._decp_store_award(contract, self._decp_partners([contract]))
            except Exception as exc:  # one bad notice never fails the run
                _logger.warning("BOAMP award %s not stored: %s", idweb, exc)
                stats["rejected"].append(f"BOAMP {idweb}: {type(exc).__name__}: {exc}")
                continue
            if outcome == "created":
                stats["award_created"] += 1
        Contract._decp_refresh_summaries()  # committed with the awards: never out of step
        self._decp_log(stats)
        self.env["duret.job"]._duret_commit_progress()

    def _decp_log(self, stats, clients=(), budget=None, state=None, message=None):
        values = {
            "rows_read": stats["rows"],
            "contracts_created": stats["created"],
            "contracts_updated": stats["updated"],
            "contracts_completed": stats["completed"],
            "awards_read": stats["awards"],
            "awards_created": stats["award_created"],
            "outside_count": stats["outside"],
            "rejected_count": len(stats["rejected"]),
            "rejections": "\n".join(stats["rejected"][:REJECTION_LINES]) or False,
        }
        if clients:
            values["http_calls"] = sum(client.http_calls for client in clients)
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

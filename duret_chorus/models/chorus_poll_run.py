"""Chorus Pro status polling and its run log.

One run = pending flows (``consulterCRDetaille``), uncertain sends (search by
invoice number), then ONE incremental paged ``rechercher/fournisseur`` for the
invoices whose status changed since the last successful run, and one
``consulter/historique`` for each of those (every step between two polls is
kept with its date): ⌈changed / page⌉ + changed calls.
"""

import json
import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.addons.duret_procurement.lib.http import Budget
from odoo.exceptions import UserError
from odoo.tools import format_datetime, plaintext2html

from ..lib import errors, statuses, wire
from .chorus_messages import chorus_error_message
from .chorus_tools import ACCOUNTANTS, chorus_check_group

_logger = logging.getLogger(__name__)

POLL_LOCK_KEY = 73_100_017  # advisory lock namespace of the Chorus poll (with the company id)
POLL_MARGIN = timedelta(hours=1)
STALE_SENDING = timedelta(minutes=15)
TRACKED_STATES = ("sending", "uncertain", "sent", "integrated")
#: a status dated this much later than the stored one is a new step (history dates
#: have minute precision, search dates milliseconds)
SAME_STEP = timedelta(minutes=1)
#: seconds of remote calls one poll may use: a service that never answers holds the
#: job this long at most; a normal poll answers in well under a second per call
POLL_BUDGET = 300.0
POLL_CRON = "duret_chorus.ir_cron_chorus_poll"


class ChorusPollRun(models.Model):
    _name = "chorus.poll.run"
    _description = "Chorus Pro status poll"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    mode = fields.Selection(
        [("cron", "Scheduled"), ("manual", "Manual")], default="cron", required=True
    )
    date_start = fields.Datetime(default=fields.Datetime.now, required=True)
    date_end = fields.Datetime()
    state = fields.Selection(
        [
            ("running", "Running"),
            ("done", "Done"),
            ("failed", "Failed"),
            ("skipped", "Skipped (another poll running)"),
            ("interrupted", "Interrupted"),
        ],
        default="running",
        required=True,
    )
    calls = fields.Integer(string="HTTP calls", help="Calls to PISTE and Chorus, tokens included.")
    calls_detail = fields.Text(string="Calls per operation")
    changes = fields.Integer(string="Changes applied")
    error_count = fields.Integer(string="Errors")
    log = fields.Text()

    @api.depends("company_id", "date_start")
    def _compute_display_name(self):
        for run in self:
            run.display_name = _(
                "Chorus poll %(date)s (%(company)s)",
                date=format_datetime(self.env, run.date_start, dt_format="short"),
                company=run.company_id.name,
            )

    # ------------------------------------------------------------ entry points
    @api.model
    def _cron_chorus_poll(self):
        for company in self.env["res.company"].search([]):
            if company._chorus_is_configured():
                self._poll_company(company, "cron")

    @api.model
    def action_poll_now(self):
        chorus_check_group(
            self.env, ACCOUNTANTS, _("Only accountants can update Chorus Pro statuses.")
        )
        run = self._poll_company(self.env.company, "manual")
        if run.state == "failed":
            raise UserError(_("The Chorus Pro update failed:\n%s", run.log))
        message = (
            _("Another Chorus Pro update is running.")
            if run.state == "skipped"
            else _(
                "Chorus Pro updated: %(changes)s change(s), %(calls)s call(s).",
                changes=run.changes,
                calls=run.calls,
            )
        )
        return self.env["duret.notify"]._duret_notification(
            message,
            title=_("Chorus Pro"),
            kind="info",
            # the list or invoice on screen shows the new statuses at once
            next_action={"type": "ir.actions.client", "tag": "soft_reload"},
        )

    @api.model
    def _poll_company(self, company, mode):
        """One full poll of ``company``; returns its run record (never raises).

        Its texts (log, admin activity, chatter) are in the company's language:
        a cron has none in its context.
        """
        self = self.with_context(lang=company._chorus_job_lang())
        run = self.create({"company_id": company.id, "mode": mode})
        self.env["duret.job"]._duret_commit_progress()
        if not run._lock():
            run.write({"state": "skipped", "date_end": fields.Datetime.now()})
            self.env["duret.job"]._duret_commit_progress()
            return run
        run._close_interrupted()
        lines, client = [], None
        try:
            client = company._chorus_client(Budget(POLL_BUDGET))
            started = fields.Datetime.now()
            moves = self.env["account.move"].search(
                [
                    ("company_id", "=", company.id),
                    ("chorus_state", "in", TRACKED_STATES),
                    ("chorus_done", "=", False),
                ]
            )
            changes = run._process(client, moves, lines)
            more, resume_from = run._incremental(client, company, started, lines)
            company.sudo().chorus_last_poll = resume_from
            changes += more
            run._finish("done", client, changes, lines)
        except (errors.RemoteError, UserError) as exc:
            message = (
                chorus_error_message(self.env, exc)
                if isinstance(exc, errors.RemoteError)
                else str(exc)
            )
            lines.append(message)
            again = mode == "cron" and self.env["duret.job"]._duret_run_again_after(POLL_CRON, exc)
            if again:
                lines.append(
                    _(
                        "Chorus Pro asked to wait: the update runs again on %s.",
                        format_datetime(self.env, again, dt_format="short"),
                    )
                )
            run._finish("failed", client, 0, lines)
            run._alert_admin(message)
        except Exception as exc:  # a bug must still close the run and alert
            _logger.exception("Chorus poll of company %s crashed", company.id)
            self.env["duret.job"]._duret_rollback()
            message = _("Unexpected error %s: see the server log.", type(exc).__name__)
            run._finish("failed", client, 0, lines + [message])
            run._alert_admin(message)
        finally:
            run._unlock()
        self.env["duret.job"]._duret_commit_progress()
        return run

    def _run_for_moves(self, moves):
        """The "Update" button: these invoices only; returns the number of changes."""
        self.ensure_one()
        if not self._lock():
            self.write({"state": "skipped", "date_end": fields.Datetime.now()})
            raise UserError(_("Another Chorus Pro update is running: try again in a minute."))
        lines = []
        try:
            client = self.company_id._chorus_client()
            changes = self._process(client, moves, lines)
            changes += self._refresh_by_history(client, moves, lines)
        except errors.RemoteError as exc:
            self._finish("failed", client, 0, lines + [chorus_error_message(self.env, exc)])
            raise UserError(chorus_error_message(self.env, exc)) from exc
        finally:
            self._unlock()
        self._finish("done", client, changes, lines)
        return changes

    # ----------------------------------------------------------------- steps
    def _process(self, client, moves, lines):
        changes = self._mark_stale_sending(moves.filtered(lambda m: m.chorus_state == "sending"))
        changes += self._resolve_flows(
            client, moves.filtered(lambda m: m.chorus_state == "sent"), lines
        )
        changes += self._resolve_uncertain(
            client, moves.filtered(lambda m: m.chorus_state == "uncertain"), lines
        )
        changes += self._expire_late_stage(moves.filtered(lambda m: m.chorus_state == "integrated"))
        self.env["duret.job"]._duret_commit_progress()
        return changes

    def _mark_stale_sending(self, moves):
        """A send interrupted by a crash (worker killed) is uncertain, never re-sent."""
        limit = fields.Datetime.now() - STALE_SENDING
        stale = moves.filtered(lambda m: m.chorus_sent_date and m.chorus_sent_date < limit)
        for move in stale:
            move.chorus_flow_id._chorus_uncertain(move, _("the send was interrupted"))
        return len(stale)

    def _resolve_flows(self, client, moves, lines):
        changes = 0
        for deposit, flow_moves in moves.grouped("chorus_flow_id").items():
            flow = deposit.name
            if not flow:
                continue
            try:
                report = client.flow_report(flow)
                changes += self._apply_flow_report(client, flow, flow_moves, report, lines)
            except errors.RemoteError as exc:
                if not isinstance(exc, errors.ChorusFunctionalError):
                    raise
                self.error_count += 1
                lines.append(
                    _(
                        "Flow %(flow)s: %(error)s",
                        flow=flow,
                        error=chorus_error_message(self.env, exc),
                    )
                )
        return changes

    def _apply_flow_report(self, client, flow, moves, report, lines):
        state = report.get("etatCourantDepotFlux")
        dp_errors = {}
        for error in report.get("listeErreurDP") or []:
            dp_errors.setdefault(error.get("numeroDP"), []).append(
                error.get("libelleErreurDP") or ""
            )
        technical = [
            " ".join(filter(None, [e.get("codeErreur"), e.get("libelleErreur")]))
            for e in report.get("listeErreurTechnique") or []
        ]
        if state in statuses.FLOW_ERROR:
            for move in moves:
                text = "\n".join(dp_errors.get(move.name, []) + technical) or state
                move._chorus_reject_flow(text)
            lines.append(_("Flow %(flow)s rejected (%(state)s).", flow=flow, state=state))
            return len(moves)
        if state not in statuses.FLOW_OK | statuses.FLOW_PARTIAL:
            lines.append(_("Flow %(flow)s still in %(state)s.", flow=flow, state=state))
            return 0
        rejected = moves.filtered(lambda m: m.name in dp_errors)
        for move in rejected:
            move._chorus_reject_flow("\n".join(dp_errors[move.name]))
        changes = len(rejected)
        rest = moves - rejected
        if rest:
            found = {
                item.get("numeroFacture"): item
                for item in self._identified(client.search_invoices(numeroFluxDepot=flow), lines)
            }
            for move in rest:
                item = found.get(move.name)
                if item:
                    changes += self._link(client, move, item)
        return changes

    def _resolve_uncertain(self, client, moves, lines):
        """Search Chorus by invoice number: found means it arrived, link it."""
        changes = 0
        for move in moves:
            filters = {"numeroFacture": move.name}
            if move.company_id.chorus_structure_id:
                filters["idFournisseur"] = move.company_id.chorus_structure_id
            items = [
                i
                for i in self._identified(client.search_invoices(**filters), lines)
                if i.get("numeroFacture") == move.name
            ]
            if not items:
                lines.append(_("%s: not found in Chorus Pro yet, still uncertain.", move.name))
                continue
            item = max(items, key=wire.invoice_id)
            move.message_post(
                body=_(
                    "Chorus Pro received this invoice (flow %s): the uncertain send is resolved.",
                    item.get("numeroFluxDepot") or "?",
                )
            )
            changes += self._link(client, move, item)
        return changes

    def _expire_late_stage(self, moves):
        """Late-stage invoices stop being polled after 180 days without payment news."""
        expired = moves.filtered(
            lambda m: (
                m.chorus_status
                and statuses.is_terminal(
                    m.chorus_status,
                    m.commercial_partner_id.chorus_payment_reported,
                    m._chorus_age_days(),
                )
            )
        )
        expired.write({"chorus_done": True})
        return len(expired)

    def _link(self, client, move, item):
        with self.env.cr.savepoint():
            move._chorus_link(item)
            self._sync_history(client, move)
        return 1

    def _sync_history(self, client, move):
        return move._chorus_refresh_from_chorus(client)

    def _incremental(self, client, company, started, lines):
        """ONE paged search of the invoices whose status changed since the last poll,
        then the history of each of them. Returns ``(changes, resume_from)``: a failed
        invoice moves the next search window back to its change, so it is retried."""
        moves = self.env["account.move"].search(
            [
                ("company_id", "=", company.id),
                ("chorus_state", "=", "integrated"),
                ("chorus_done", "=", False),
                ("chorus_invoice_id", "!=", 0),
            ]
        )
        if not moves:
            return 0, started
        since = company.chorus_last_poll or min(moves.mapped("chorus_sent_date") or [started])
        filters = {
            "periodeDateHeureEtatCourantDu": wire.chorus_timestamp(since - POLL_MARGIN),
            "periodeDateHeureEtatCourantAu": wire.chorus_timestamp(started + POLL_MARGIN),
        }
        if company.chorus_structure_id:
            filters["idFournisseur"] = company.chorus_structure_id
        by_id = {move.chorus_invoice_id: move for move in moves}
        changes, resume_from = 0, started
        for item in self._identified(client.search_invoices(**filters), lines):
            move = by_id.get(wire.invoice_id(item))
            if not move or not self._changed(move, item):
                continue
            try:
                with self.env.cr.savepoint():
                    if self._sync_history(client, move):
                        changes += 1
            except errors.ChorusFunctionalError as exc:
                self.error_count += 1
                resume_from = min(
                    resume_from,
                    wire.parse_chorus_datetime(item.get("dateHeureEtatCourant")) or since,
                )
                lines.append(
                    _(
                        "%(invoice)s: %(error)s",
                        invoice=move.name,
                        error=chorus_error_message(self.env, exc),
                    )
                )
        return changes, resume_from

    def _identified(self, items, lines):
        """Search items with an invoice id; the others are reported and skipped."""
        for item in items:
            if wire.invoice_id(item) is None:
                self._skip_item(item, lines)
            else:
                yield item

    def _skip_item(self, item, lines):
        """A search item without invoice id: reported in the run log, the run goes on."""
        self.error_count += 1
        number = item.get("numeroFacture") if isinstance(item, dict) else None
        lines.append(
            _(
                "Chorus Pro returned an invoice without identifier (%(number)s): skipped. "
                "Technical detail: keys %(keys)s",
                number=number or "?",
                keys=", ".join(sorted(item)) if isinstance(item, dict) else type(item).__name__,
            )
        )

    @staticmethod
    def _changed(move, item):
        """A search item announces a new step: another status, or the same one re-entered."""
        if item.get("statut") != move.chorus_status:
            return True
        moment = wire.parse_chorus_datetime(item.get("dateHeureEtatCourant"))
        return bool(
            moment and move.chorus_status_date and moment - move.chorus_status_date >= SAME_STEP
        )

    def _refresh_by_history(self, client, moves, lines):
        """Button "Update" on integrated invoices: their history, one call each."""
        changes = 0
        for move in moves.filtered(
            lambda m: m.chorus_state == "integrated" and m.chorus_invoice_id
        ):
            with self.env.cr.savepoint():
                changes += bool(self._sync_history(client, move))
        return changes

    # ----------------------------------------------------------- bookkeeping
    def _finish(self, state, client, changes, lines):
        if client:
            lines = lines + [self.env["duret.job"]._duret_budget_line(client.budget)]
        self.write(
            {
                "state": state,
                "date_end": fields.Datetime.now(),
                "calls": client.calls if client else 0,
                "calls_detail": json.dumps(client.calls_by_operation, indent=1) if client else "",
                "changes": changes,
                "log": "\n".join(str(line) for line in lines),
            }
        )

    def _alert_admin(self, message):
        self.ensure_one()
        user = self.company_id._chorus_admin_user()
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=_("Chorus Pro status update failed"),
            note=plaintext2html(message),
            user_id=user.id,
        )

    def _close_interrupted(self):
        """Runs left "running" by a process that is gone (killed worker, crash).

        This run holds the company's poll lock, which a live run would hold:
        any other run still "running" lost its process, so it is closed.
        """
        stale = self.search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "=", "running"),
                ("id", "!=", self.id),
            ]
        )
        for run in stale:
            run.write(
                {
                    "state": "interrupted",
                    "date_end": fields.Datetime.now(),
                    "log": "\n".join(
                        filter(
                            None,
                            [
                                run.log,
                                _(
                                    "Interrupted: the process stopped before the end of the "
                                    "run (found by the run of %s).",
                                    format_datetime(self.env, self.date_start, dt_format="short"),
                                ),
                            ],
                        )
                    ),
                }
            )
        if stale:
            self.env["duret.job"]._duret_commit_progress()

    def _lock(self):
        """Session advisory lock: one poll per company at a time, across workers."""
        self.env.cr.execute(
            "SELECT pg_try_advisory_lock(%s, %s)", [POLL_LOCK_KEY, self.company_id.id]
        )
        return self.env.cr.fetchone()[0]

    def _unlock(self):
        self.env.cr.execute(
            "SELECT pg_advisory_unlock(%s, %s)", [POLL_LOCK_KEY, self.company_id.id]
        )

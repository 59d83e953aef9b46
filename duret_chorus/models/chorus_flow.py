"""One deposit to Chorus Pro (a "flux"): its number, file, sender, invoices and fate.

The one home of the Chorus sending state: every change of an invoice's
``chorus_state`` goes through ``_chorus_set_state`` below, which keeps the
deposit's own state in step. The sequence of a deposit, run by ``_chorus_deposit``
for every kind of deposit (an invoice's Factur-X flow, a works statement):

    claim (sending, committed before the call)
      -> deposited (flow number) | uncertain (answer lost) | abandoned (refused for sure)
      -> integrated (invoice id known) | rejected (flow or invoice refused)
"""

from markupsafe import Markup

from odoo import _, fields, models
from odoo.exceptions import UserError

from ..lib import errors
from .chorus_messages import chorus_error_message

FLOW_STATES = [
    ("sending", "Sending"),
    ("uncertain", "Sending uncertain"),
    ("deposited", "Deposited"),
    ("integrated", "Integrated"),
    ("rejected", "Rejected"),
]
#: invoice state (account.move.chorus_state) -> state of its deposit
FLOW_STATE_OF_MOVE = {
    "sending": "sending",
    "uncertain": "uncertain",
    "sent": "deposited",
    "integrated": "integrated",
    "flow_rejected": "rejected",
}
#: states from which an invoice may be (re)sent (and "integrated" + REJETEE)
SENDABLE_STATES = ("not_sent", "flow_rejected")


class ChorusFlow(models.Model):
    _name = "chorus.flow"
    _description = "Chorus Pro deposit"
    _order = "date_sent desc, id desc"

    name = fields.Char(string="Flow number", index=True, readonly=True, copy=False)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    move_ids = fields.One2many("account.move", "chorus_flow_id", string="Invoices")
    attachment_id = fields.Many2one("ir.attachment", string="File sent", readonly=True)
    date_sent = fields.Datetime(string="Sent on", readonly=True)
    user_id = fields.Many2one("res.users", string="Sent by", readonly=True)
    state = fields.Selection(FLOW_STATES, default="sending", required=True, index=True)
    errors = fields.Text(readonly=True)
    status_ids = fields.One2many("chorus.invoice.status", "flow_id", string="Status history")

    # ------------------------------------------------------------ the one writer
    def _chorus_set_state(self, moves, state, **values):
        """Set the Chorus sending state of ``moves`` (and of their deposit ``self``)."""
        moves.write({"chorus_state": state, **values})
        flows = moves.chorus_flow_id
        if state in FLOW_STATE_OF_MOVE and flows:
            flows.write({"state": FLOW_STATE_OF_MOVE[state]})

    # --------------------------------------------------------------- sequence
    def _chorus_deposit(self, move, send, record, prepare=None):
        """Deposit ``move`` once: claim, remote call(s), and what their failure means.

        ``prepare()`` (optional): remote calls that deposit nothing, such as the upload of
        a works statement's PDF; its result is given to ``send``. ``send(prepared)``: the
        deposit itself, returning Chorus Pro's answer. ``record(flow, answer)``: keeps
        what the answer says, committed with the deposit.

        The claim is committed before any call, so that two clicks, a click and the
        auto-send cron, a crash or a lost answer can never deposit twice. A failure that
        certainly deposited nothing (a Chorus Pro error in ``prepare``, a refusal of
        ``send``) puts the invoice back where it was and raises the French message; an
        answer lost after the request may have arrived, or an unexpected error, leaves the
        deposit uncertain: never re-sent automatically, searched by number by the next
        status update.
        Returns "sent" or "uncertain".
        """
        previous_state, previous_flow = move.chorus_state, move.chorus_flow_id
        flow = self._chorus_claim(move)
        if not flow:
            raise UserError(_("%s is already being sent to Chorus Pro.", move.name))
        self.env["duret.job"]._duret_commit_progress()
        depositing = False
        try:
            prepared = prepare() if prepare else None
            depositing = True
            answer = send(prepared)
        except errors.RemoteError as exc:  # a Chorus refusal never "may have arrived"
            if depositing and exc.request_may_have_arrived:
                flow._chorus_uncertain(move, str(exc))  # technical detail
                self.env["duret.job"]._duret_commit_progress()
                return "uncertain"
            flow._chorus_abandon(move, previous_state, previous_flow)
            self.env["duret.job"]._duret_commit_progress()
            raise UserError(chorus_error_message(self.env, exc)) from exc
        except Exception as exc:
            flow._chorus_uncertain(move, _("unexpected error %s", type(exc).__name__))
            self.env["duret.job"]._duret_commit_progress()
            raise
        record(flow, answer)
        self.env["duret.job"]._duret_commit_progress()
        return "sent"

    def _chorus_claim(self, move):
        """A new deposit of ``move`` in state "sending", unless another send holds it.

        The invoice row is locked (NOWAIT) and its state checked again, so two
        clicks or a click and the auto-send cron never deposit twice; the state is
        committed by the caller before any call to Chorus Pro.
        """
        move.flush_recordset()
        self.env.cr.execute(
            "SELECT chorus_state, chorus_status FROM account_move WHERE id = %s "
            "FOR UPDATE SKIP LOCKED",
            [move.id],
        )
        row = self.env.cr.fetchone()
        if not row or not (
            row[0] in SENDABLE_STATES or (row[0] == "integrated" and row[1] == "REJETEE")
        ):
            return self.browse()
        flow = self.create(
            {
                "company_id": move.company_id.id,
                "date_sent": fields.Datetime.now(),
                "user_id": self.env.uid,
            }
        )
        flow._chorus_set_state(move, "sending", chorus_flow_id=flow.id, chorus_send_pending=False)
        return flow

    def _chorus_deposited(self, move, number, data):
        """Chorus Pro gave the flow number: keep the exact file sent."""
        self.ensure_one()
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"Chorus_{number}_{move._chorus_filename()}",
                "raw": data,
                "mimetype": "application/pdf",
                "res_model": move._name,
                "res_id": move.id,
            }
        )
        self.write({"name": number, "attachment_id": attachment.id})
        self._chorus_set_state(
            move,
            "sent",
            chorus_invoice_id=0,
            chorus_status=False,
            chorus_status_date=False,
            chorus_status_comment=False,
            chorus_rejection_handled=False,
            chorus_done=False,
        )
        move.message_post(
            body=Markup("%s<br/>%s")
            % (
                _("Sent to Chorus Pro as Factur-X (flow %s).", number),
                _("The exact file sent is attached: %s", attachment.name),
            )
        )

    def _chorus_abandon(self, move, previous_state, previous_flow):
        """The deposit certainly did not happen: the invoice is back where it was."""
        self.ensure_one()
        self._chorus_set_state(move, previous_state, chorus_flow_id=previous_flow.id)
        self.unlink()

    def _chorus_uncertain(self, moves, reason):
        """The answer was lost: never re-sent automatically, searched by number later."""
        self._chorus_set_state(moves, "uncertain")
        for move in moves:
            move.message_post(
                body=_(
                    "The answer of Chorus Pro to the deposit was lost (%s): the invoice may or "
                    "may not have arrived. It will not be sent again automatically; the next "
                    "status update searches Chorus Pro for it, or confirm by hand.",
                    reason,
                )
            )

    def _chorus_integrated(self, move, chorus_id, number=None):
        """Chorus Pro created the invoice ``chorus_id`` (found by a search): link it."""
        flow = self or move.chorus_flow_id
        if number and not flow.name:
            flow.name = number
        flow._chorus_set_state(move, "integrated", chorus_invoice_id=chorus_id)

    def _chorus_rejected(self, move, errors_text):
        """Chorus Pro refused the flow or this invoice of it: to correct and send again."""
        flow = self or move.chorus_flow_id
        flow.errors = errors_text
        flow._chorus_set_state(move, "flow_rejected")
        move.message_post(
            body=Markup("%s<br/>%s")
            % (
                _(
                    "Chorus Pro rejected the flow %s: correct the invoice and send it again.",
                    flow.name,
                ),
                errors_text,
            )
        )
        move._chorus_activity(_("Chorus Pro rejected the invoice"), errors_text)

    def _chorus_not_received(self, move):
        """A person checked the portal: this deposit never arrived; the invoice may be sent."""
        flow = self or move.chorus_flow_id
        text = _("%s confirmed that Chorus Pro did not receive this invoice.", self.env.user.name)
        flow.write({"errors": text, "state": "rejected"})
        # detached: the invoice is "not sent", the deposit keeps its story
        flow._chorus_set_state(move, "not_sent", chorus_flow_id=False)
        move.message_post(body=text)

"""ECB main refinancing rate changes, the basis of late-payment interest (R2192-31)."""

import logging

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..lib import ecb_client, mro_history

_logger = logging.getLogger(__name__)

PARAM_URL = "duret_late_payment.ecb_url"
PARAM_KNOWN_UNTIL = "duret_late_payment.ecb_known_until"
PARAM_LAST_ERROR = "duret_late_payment.ecb_last_error"


class LatePaymentRate(models.Model):
    _name = "late.payment.rate"
    _description = "ECB main refinancing rate change"
    _order = "day desc"
    _rec_name = "day"

    day = fields.Date(string="In force from", required=True, help="Day the new rate took effect.")
    rate = fields.Float(string="ECB rate (%)", digits=(16, 3), required=True)
    source = fields.Selection(
        [("seed", "Verified history"), ("ecb", "ECB Data Portal"), ("manual", "Entered by hand")],
        required=True,
        default="manual",
    )
    source_url = fields.Char(string="Source address", default=mro_history.SOURCE_URL)

    _sql_constraints = [
        ("day_unique", "unique(day)", "There is already a rate change on this day."),
    ]

    # ------------------------------------------------------------------ lookup
    @api.model
    def _late_payment_known_until(self):
        value = self.env["ir.config_parameter"].sudo().get_param(PARAM_KNOWN_UNTIL)
        return fields.Date.to_date(value) if value else None

    @api.model
    def _late_payment_rate_lookup(self):
        """``day -> ECB rate`` (None when unknown, never guessed), the rates read once."""
        changes = [(change.day, change.rate) for change in self.sudo().search([])]
        known_until = self._late_payment_known_until()
        return lambda day: mro_history.rate_in_force(changes, day, known_until)

    @api.model
    def _late_payment_rate_on(self, day):
        """ECB rate (percent) in force on ``day``; None when unknown (never guessed)."""
        return self._late_payment_rate_lookup()(day)

    # ------------------------------------------------------------------ seed / update
    @api.model
    def _seed_history(self):
        """Install: the verified history of ``lib/mro_history.py`` (kept if already there)."""
        existing = set(self.search([]).mapped("day"))
        self.create(
            [
                {"day": day, "rate": float(rate), "source": "seed"}
                for day, rate in mro_history.CHANGES
                if day not in existing
            ]
        )
        known = self._late_payment_known_until()
        if not known or known < mro_history.VERIFIED_UNTIL:
            self._late_payment_set_known_until(mro_history.VERIFIED_UNTIL)

    @api.model
    def _late_payment_set_known_until(self, day):
        self.env["ir.config_parameter"].sudo().set_param(
            PARAM_KNOWN_UNTIL, fields.Date.to_string(day)
        )

    @api.model
    def _late_payment_ecb_client(self):
        url = self.env["ir.config_parameter"].sudo().get_param(PARAM_URL)
        return ecb_client.EcbClient(url or ecb_client.DEFAULT_BASE_URL)

    @api.model
    def _late_payment_update_from_ecb(self, today=None):
        """Download the series; add new changes, correct changed ones; rates are then
        known up to ``today``.  Returns the number of changes created or corrected."""
        today = today or fields.Date.context_today(self)
        changes = self._late_payment_ecb_client().mro_rate_changes()
        if not changes:
            raise ecb_client.EcbFormatError("the series has no observation")
        by_day = {rate.day: rate for rate in self.search([])}
        count = 0
        for change in changes:
            record = by_day.get(change.day)
            if not record:
                self.create({"day": change.day, "rate": float(change.rate), "source": "ecb"})
                count += 1
            elif abs(record.rate - float(change.rate)) > 1e-9:
                record.write({"rate": float(change.rate), "source": "ecb"})
                count += 1
        self._late_payment_set_known_until(today)
        self.env["ir.config_parameter"].sudo().set_param(PARAM_LAST_ERROR, False)
        return count

    def _late_payment_error_text(self, exc):
        return _(
            "The ECB rates could not be updated (%(reason)s). Rates are known up to "
            "%(day)s: later interest stays uncomputed until the next update.",
            reason=str(exc),
            day=self._late_payment_known_until() or "-",
        )

    @api.model
    def action_late_payment_update(self):
        """Button: update the rates now (accounting managers)."""
        if not self.env.user.has_group("account.group_account_manager"):
            raise AccessError(_("Only accounting managers can update the ECB rates."))
        try:
            count = self.sudo()._late_payment_update_from_ecb()
        except ecb_client.EcbError as exc:
            raise UserError(self._late_payment_error_text(exc)) from exc
        self.env["account.move"]._late_payment_recompute_open()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("ECB rates"),
                "message": _(
                    "%(count)s rate change(s) added or corrected; rates known up to %(day)s.",
                    count=count,
                    day=self._late_payment_known_until(),
                ),
                "type": "success",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def _cron_late_payment_rates(self):
        """Weekly: follow the ECB; a failure is logged and kept for the digest."""
        try:
            count = self._late_payment_update_from_ecb()
        except ecb_client.EcbError as exc:
            _logger.warning("ECB rate update failed: %s", exc)
            self.env["ir.config_parameter"].sudo().set_param(PARAM_LAST_ERROR, str(exc))
            return
        _logger.info("ECB rate update: %s change(s)", count)
        self.env["account.move"]._late_payment_recompute_open()

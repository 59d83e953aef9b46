"""BOAMP settings, in the suite's settings app (defaults: ``params.DEFAULTS``, one place)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from odoo import api, fields, models

from ..services.params import DEFAULTS, PREFIX

PARIS = ZoneInfo("Europe/Paris")


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    boamp_base_url_mode = fields.Selection(
        [
            ("production", "BOAMP open data (boamp-datadila.opendatasoft.com)"),
            ("mirror", "Mirror (www.boamp.fr)"),
            ("custom", "Custom address"),
        ],
        string="BOAMP source",
        default=DEFAULTS["base_url_mode"],
        config_parameter=PREFIX + "base_url_mode",
    )
    boamp_custom_base_url = fields.Char(
        string="Custom BOAMP address",
        config_parameter=PREFIX + "custom_base_url",
        help="Scheme and host only, e.g. http://127.0.0.1:8899 for the test sandbox.",
    )
    boamp_cron_hour = fields.Integer(
        string="Nightly run hour",
        default=DEFAULTS["cron_hour"],
        config_parameter=PREFIX + "cron_hour",
        help="Hour of the nightly run (Europe/Paris), 0 to 23.",
    )
    boamp_lookback_days = fields.Integer(
        string="First run looks back (days)",
        default=DEFAULTS["lookback_days"],
        config_parameter=PREFIX + "lookback_days",
    )
    boamp_overlap_days = fields.Integer(
        string="Safety overlap (days)",
        default=DEFAULTS["overlap_days"],
        config_parameter=PREFIX + "overlap_days",
        help="Each run starts this many days before the last successful run, "
        "because BOAMP publications can land late.",
    )
    boamp_retention_days = fields.Integer(
        string="Keep raw notices (days)",
        default=DEFAULTS["retention_days"],
        config_parameter=PREFIX + "retention_days",
    )
    boamp_digest_skip_empty = fields.Boolean(
        string="No digest when nothing is new",
        default=DEFAULTS["digest_skip_empty"],
        config_parameter=PREFIX + "digest_skip_empty",
    )
    boamp_deadline_activity_days = fields.Integer(
        string="Deadline reminder (days before)",
        default=DEFAULTS["deadline_activity_days"],
        config_parameter=PREFIX + "deadline_activity_days",
    )
    boamp_empty_alert_days = fields.Integer(
        string="Alert after empty days",
        default=DEFAULTS["empty_alert_days"],
        config_parameter=PREFIX + "empty_alert_days",
        help="Alert the administrators after this many days in a row with nothing fetched.",
    )
    boamp_digest_user_ids = fields.Many2many(
        related="company_id.boamp_digest_user_ids", readonly=False
    )

    def set_values(self):
        super().set_values()
        self._boamp_reschedule_cron(self.boamp_cron_hour)

    @api.model
    def _boamp_reschedule_cron(self, hour=None):
        """Move the nightly job's next call to the next ``hour`` o'clock, Paris time
        (the default hour of the settings when none is given)."""
        cron = self.env.ref("duret_boamp.ir_cron_boamp_watch", raise_if_not_found=False)
        if not cron:
            return
        if hour is None:
            hour = DEFAULTS["cron_hour"]
        hour = min(max(int(hour or 0), 0), 23)
        now = datetime.now(PARIS)
        nextcall = datetime.combine(now.date(), time(hour), tzinfo=PARIS)
        if nextcall <= now:
            nextcall += timedelta(days=1)
        cron.sudo().nextcall = nextcall.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)

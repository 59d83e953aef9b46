"""Global settings of the watch, read from ``ir.config_parameter`` in one place."""

from dataclasses import dataclass

from odoo.addons.duret_procurement.lib.params import typed

PRODUCTION_BASE_URL = "https://boamp-datadila.opendatasoft.com"
MIRROR_BASE_URL = "https://www.boamp.fr"
PREFIX = "duret_boamp."

DEFAULTS = {
    "base_url_mode": "production",
    "custom_base_url": "",
    "cron_hour": 5,
    "lookback_days": 7,
    "overlap_days": 2,
    "retention_days": 365,
    "digest_skip_empty": True,
    "deadline_activity_days": 3,
    "empty_alert_days": 3,
}


@dataclass(frozen=True)
class BoampParams:
    base_url_mode: str
    custom_base_url: str
    cron_hour: int
    lookback_days: int
    overlap_days: int
    retention_days: int
    digest_skip_empty: bool
    deadline_activity_days: int
    empty_alert_days: int

    @property
    def base_url(self):
        if self.base_url_mode == "mirror":
            return MIRROR_BASE_URL
        if self.base_url_mode == "custom" and self.custom_base_url:
            return self.custom_base_url.rstrip("/")
        return PRODUCTION_BASE_URL


def boamp_params(env):
    """Current settings, with defaults for anything never saved."""
    icp = env["ir.config_parameter"].sudo()
    values = {key: typed(icp.get_param(PREFIX + key), default) for key, default in DEFAULTS.items()}
    return BoampParams(**values)

"""The DECP settings: one home for their keys and defaults (read by the jobs and the tab)."""

from odoo.addons.duret_procurement.lib.params import typed

from ..lib.decp_client import BASE_URL

PREFIX = "duret_decp."
DEFAULTS = {
    "base_url": BASE_URL,
    "departements": "",  # empty: the départements of the active watch profiles
    "whole_country": False,
    "first_load_months": 24,
    "overlap_days": 7,
    "similar_years": 3,
}


def param(env, key):
    """A setting's value, typed like its default."""
    raw = env["ir.config_parameter"].sudo().get_param(PREFIX + key)
    return typed(raw, DEFAULTS[key])


def split_codes(text):
    """``"73, 74 38"`` → ``["73", "74", "38"]`` (upper-case, no duplicates)."""
    codes = (text or "").replace(";", ",").replace(" ", ",").split(",")
    return list(dict.fromkeys(c.strip().upper() for c in codes if c.strip()))

"""DECP settings in the suite's settings app (keys and defaults: ``params``)."""

from odoo import fields, models

from .params import DEFAULTS, PREFIX


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    decp_base_url = fields.Char(
        string="DECP address",
        default=DEFAULTS["base_url"],
        config_parameter=PREFIX + "base_url",
        help="data.economie.gouv.fr, or the test sandbox's address.",
    )
    decp_departements = fields.Char(
        string="DECP départements",
        config_parameter=PREFIX + "departements",
        help="Codes separated by commas; empty: the départements of the active watch profiles.",
    )
    decp_whole_country = fields.Boolean(
        string="Whole country",
        config_parameter=PREFIX + "whole_country",
        help="Read the contracts of all France (much more data).",
    )
    decp_first_load_months = fields.Integer(
        string="First load (months)",
        default=DEFAULTS["first_load_months"],
        config_parameter=PREFIX + "first_load_months",
    )
    decp_overlap_days = fields.Integer(
        string="DECP safety overlap (days)",
        default=DEFAULTS["overlap_days"],
        config_parameter=PREFIX + "overlap_days",
    )
    decp_similar_years = fields.Integer(
        string="Similar contracts over (years)",
        default=DEFAULTS["similar_years"],
        help="The current year and this many calendar years before it.",
        config_parameter=PREFIX + "similar_years",
    )

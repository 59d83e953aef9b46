from . import models
from . import wizards


def post_init_hook(env):
    """French companies that already have their chart get the contractor's taxes too.

    New companies get them when l10n_fr's chart is loaded
    (models/account_chart_template.py).
    """
    for company in env["res.company"].search([("chart_template", "=", "fr")]):
        chart = env["account.chart.template"].with_company(company)
        chart._load_data({"account.tax": chart._get_fr_duret_chorus_account_tax()})

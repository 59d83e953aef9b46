from . import models
from . import wizards


def post_init_hook(env):
    """French companies that already have their chart get the contractor's taxes too.

    Only the missing ones: a tax the accountant has since adapted is left alone.

    New companies get them when l10n_fr's chart is loaded
    (models/account_chart_template.py).
    """
    for company in env["res.company"].search([("chart_template", "=", "fr")]):
        chart = env["account.chart.template"].with_company(company)
        missing = {
            xmlid: values
            for xmlid, values in chart._get_fr_duret_chorus_account_tax().items()
            if not env.ref(f"account.{company.id}_{xmlid}", raise_if_not_found=False)
        }
        if missing:
            chart._load_data({"account.tax": missing})

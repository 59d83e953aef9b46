{
    "name": "Chorus Pro",
    "summary": "Send Factur-X invoices to Chorus Pro and track their payment status",
    "version": "17.0.1.0.0",
    "category": "Accounting/Localizations/EDI",
    "website": "https://github.com/duret-electricite/odoo-marches-publics",
    "author": "Duret Électricité",
    "license": "AGPL-3",
    "depends": ["duret_procurement", "account", "l10n_fr", "account_edi_ubl_cii", "l10n_fr_facturx_chorus_pro", "mail"],
    "external_dependencies": {"python": ["requests", "lxml", "facturx"]},
    "data": [
        "security/ir.model.access.csv",
        "views/res_config_settings_views.xml",
    ],
    "installable": True,
}

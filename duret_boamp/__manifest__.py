{
    "name": "Veille BOAMP",
    "summary": "Nightly BOAMP tender watch into CRM leads, with a morning digest",
    "version": "17.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/duret-electricite/odoo-marches-publics",
    "author": "Duret Électricité",
    "license": "AGPL-3",
    "depends": ["duret_procurement", "crm", "mail", "utm", "l10n_fr"],
    "external_dependencies": {"python": ["requests", "dateutil"]},
    "data": [
        "security/ir.model.access.csv",
        "views/res_config_settings_views.xml",
    ],
    "installable": True,
}

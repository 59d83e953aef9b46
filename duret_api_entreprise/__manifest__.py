{
    "name": "Documents administratifs (API Entreprise)",
    "summary": "Company data and compliance certificates for tender answers, with validity tracking",
    "version": "17.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/duret-electricite/odoo-marches-publics",
    "author": "Duret Électricité",
    "license": "AGPL-3",
    "depends": ["duret_procurement", "crm", "l10n_fr", "mail"],
    "external_dependencies": {"python": ["requests", "dateutil"]},
    "data": [
        "security/ir.model.access.csv",
        "views/res_config_settings_views.xml",
    ],
    "installable": True,
}

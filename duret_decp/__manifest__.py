{
    "name": "Intelligence des marchés attribués (DECP)",
    "summary": "Awarded public contracts (DECP): buyer history on tender leads, "
    "competitor book, re-tender radar",
    "version": "17.0.1.0.0",
    "category": "Sales/Public Procurement",
    "website": "https://github.com/duret-electricite/odoo-marches-publics",
    "author": "Duret Électricité",
    "license": "AGPL-3",
    "maintainers": ["duret-electricite"],
    "development_status": "Alpha",
    "depends": ["duret_boamp"],
    "external_dependencies": {"python": ["python-dateutil"]},
    "data": [
        "security/ir.model.access.csv",
        "data/decp_data.xml",
        "data/ir_cron.xml",
        "views/decp_contract_views.xml",
        "views/decp_holder_views.xml",
        "views/decp_sync_views.xml",
        "views/crm_lead_views.xml",
        "views/res_config_settings_views.xml",
        "views/decp_menus.xml",
    ],
    "assets": {
        "web.assets_tests": ["duret_decp/static/tests/tours/*.js"],
    },
    "installable": True,
}

{
    "name": "Marchés publics (socle Duret)",
    "summary": "Shared ground of the Duret public-procurement suite: groups, menu, settings",
    "version": "17.0.1.0.0",
    "category": "Sales/Public Procurement",
    "website": "https://github.com/duret-electricite/odoo-marches-publics",
    "author": "Duret Électricité",
    "license": "AGPL-3",
    "depends": ["base_setup", "mail"],
    "data": [
        "security/duret_procurement_security.xml",
        "views/res_config_settings_views.xml",
        "views/duret_procurement_menus.xml",
    ],
    "assets": {
        "web.assets_tests": ["duret_procurement/static/tests/tours/*.js"],
    },
    "installable": True,
    "application": True,
}

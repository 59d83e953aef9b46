{
    "name": "Retards de paiement sur les appels d'offres",
    "summary": "Glue: the buyer's observed payment habit on its tender leads (go / no-go)",
    "version": "17.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/duret-electricite/odoo-marches-publics",
    "author": "Duret Électricité",
    "license": "AGPL-3",
    "depends": ["duret_late_payment", "duret_boamp"],
    "data": ["views/crm_lead_views.xml"],
    "auto_install": True,
    "installable": True,
}

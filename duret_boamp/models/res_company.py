from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    boamp_digest_user_ids = fields.Many2many(
        "res.users",
        "res_company_boamp_digest_user_rel",
        "company_id",
        "user_id",
        string="BOAMP digest recipients",
        help="Who receives the morning digest. Empty: the sales managers.",
    )

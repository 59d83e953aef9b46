from odoo import fields, models

from ..lib.api_entreprise import ENDPOINTS

STAGES = [
    ("application", "Application"),
    ("award", "Award"),
    ("execution", "Execution"),
]
SOURCES = [
    ("api", "API Entreprise"),
    ("open_data", "Open data"),
    ("manual", "Upload"),
]
VALIDITY_RULES = [
    ("payload", "Dates given by the issuer"),
    ("month_end", "N months, to the end of the month"),
    ("months", "N months"),
    ("year_end", "Until 31 December of the issue year"),
    ("day", "Issue day only"),
    ("none", "No expiry"),
]


class ComplianceDocumentType(models.Model):
    """A kind of administrative document a tender answer needs, with its validity rule."""

    _name = "compliance.document.type"
    _description = "Compliance document type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Technical key, also the API Entreprise operation.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    stage = fields.Selection(
        STAGES,
        required=True,
        default="award",
        help="When the buyer asks for it: with the application (DC1/DC2, DUME, sworn statement), "
        "from the provisional winner at award, or every six months during execution.",
    )
    source = fields.Selection(SOURCES, required=True, default="manual")
    api_endpoint = fields.Selection(
        [(key, endpoint.path) for key, endpoint in ENDPOINTS.items()],
        string="API Entreprise operation",
    )
    open_data = fields.Boolean(
        string="Available in open data",
        help="Refreshed from ADEME open data when no API Entreprise token is configured.",
    )
    validity_rule = fields.Selection(VALIDITY_RULES, required=True, default="months")
    validity_months = fields.Integer(default=6)
    required = fields.Boolean(
        default=True, help="Required documents in red on the dashboard when expired."
    )
    description = fields.Text(translate=True)

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of a document type must be unique."),
    ]

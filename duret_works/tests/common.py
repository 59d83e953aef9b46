"""Set-up of the works tests: Duret, a public buyer, its project manager, a won tender."""

from odoo import Command
from odoo.addons.duret_chorus.tests.common import UGINE, ChorusSetupMixin

from . import works_table as table

#: the validators known to the sandbox (tests/sandbox/chorus_works.py)
MOE_SIRET = "81245000500010"
MOE_SERVICE = "MOE-TRAVAUX"
MAIN_CONTRACTOR_SIRET = "79312000700018"
MAIN_CONTRACTOR_SERVICE = "SOUS-TRAITANCE"


class WorksSetupMixin(ChorusSetupMixin):
    @classmethod
    def setup_works(cls):
        company = cls.setup_chorus_company()
        company.tax_exigibility = True
        cls.vat_on_receipts = cls.env["account.tax"].search(
            [
                ("company_id", "=", company.id),
                ("type_tax_use", "=", "sale"),
                ("amount", "=", 20.0),
                ("tax_exigibility", "=", "on_payment"),
            ],
            limit=1,
        )
        cls.buyer = cls.make_buyer("Commune d'Ugine", UGINE)
        cls.moe = cls.env["res.partner"].create(
            {"name": "Atelier Alpes Lumière Architectes", "is_company": True, "siret": MOE_SIRET}
        )
        won = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Rénovation de l'éclairage du gymnase",
                "type": "opportunity",
                "partner_id": cls.buyer.id,
                "expected_revenue": 300000.0,
                "stage_id": won.id,
                "company_id": company.id,
            }
        )
        return company

    @classmethod
    def make_contract(cls, **values):
        action = cls.lead.action_works_create_contract()
        contract = cls.env["works.contract"].browse(action["res_id"])
        contract.write(
            {
                "market_number": "2026-TRX-014",
                "lot": "Lot 3 – Électricité",
                "notification_date": "2026-03-02",
                "start_order_date": "2026-03-16",
                "duration_months": 8,
                "validator_partner_id": cls.moe.id,
                "validator_service_code": MOE_SERVICE,
                "tax_id": cls.vat_on_receipts.id,
                "retention_rate": 5.0,
                "advance_rate": 10.0,
                "line_ids": [
                    Command.create(
                        {
                            "sequence": index,
                            "code": code,
                            "name": name,
                            "uom_label": unit,
                            "quantity": float(qty),
                            "price_unit": float(price),
                            "progress_mode": "percent" if in_percent else "quantity",
                        }
                    )
                    for index, (code, name, unit, qty, price, in_percent) in enumerate(
                        table.SCHEDULE
                    )
                ],
                **values,
            }
        )
        contract.action_start()
        return contract

    @staticmethod
    def enter_progress(statement, progress):
        for line in statement.line_ids:
            value = float(progress[line.code])
            field = (
                "cumulative_percent" if line.progress_mode == "percent" else "cumulative_quantity"
            )
            line[field] = value

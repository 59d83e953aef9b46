"""Pure computations and the ECB client of the late-payment ledger (no ``odoo`` import)."""

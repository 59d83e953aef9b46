"""Pure works-invoicing logic: statement arithmetic, Chorus works calls and statuses (no odoo)."""

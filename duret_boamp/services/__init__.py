"""Helpers that use the ORM without being models (imported by the models that need them).

``lib/`` holds plain Python free of Odoo; ``models/`` holds one model per file. What is
left between, the batch importer of notices (it creates leads, partners and notices
through ``env``) and the reading of the settings, lives here.
"""

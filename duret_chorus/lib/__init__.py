"""Pure-Python Chorus Pro helpers: PISTE/Chorus client, statuses, Factur-X.

No ORM in here: models orchestrate, this package talks HTTP and XML.
"""

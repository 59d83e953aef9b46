"""Pure-Python clients and parsers (no ORM): API Entreprise, Recherche d'entreprises, ADEME RGE."""

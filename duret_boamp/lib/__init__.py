"""Pure-Python BOAMP toolkit (no ORM): HTTP client, notice parser, relevance scoring."""

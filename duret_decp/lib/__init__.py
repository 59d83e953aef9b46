"""Pure-Python DECP toolkit (no ORM): the dataset reader and the row parser."""

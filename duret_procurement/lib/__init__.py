"""Pure-Python helpers shared by the suite's addons (no ORM here)."""

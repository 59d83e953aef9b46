"""Settings stored as ``ir.config_parameter`` text, read back with the type of their default."""


def typed(raw, default):
    """``raw`` (the stored text, or None) as the type of ``default``; ``default`` when unset
    or unreadable, so that a hand-edited parameter never breaks a nightly job."""
    if raw in (None, False, ""):
        return default
    if isinstance(default, bool):  # Odoo stores booleans as "True" / "False"
        return str(raw).strip().lower() in ("1", "true", "yes")
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            return default
    return raw

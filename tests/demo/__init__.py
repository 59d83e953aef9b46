"""``make demo``: a French demo database wired to the local sandbox (see ``__main__``)."""

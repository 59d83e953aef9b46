"""Benchmarks: each prints figures and ratios against a baseline measured in the same run.

Run them all with ``python -m tests.bench`` (``make bench``); ``--smoke`` runs each once at a
tiny size, as CI does. A benchmark module is a script taking ``--size N``.
"""

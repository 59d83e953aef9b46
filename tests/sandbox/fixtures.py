"""Where the shared real-data fixtures live (never copied into the project)."""

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def fixtures_dir():
    """``$DURET_SHARED_FIXTURES``, else ``<repo>/../shared/fixtures``."""
    path = Path(os.environ.get("DURET_SHARED_FIXTURES") or REPO_ROOT.parent / "shared" / "fixtures")
    if not path.is_dir():
        raise FileNotFoundError(
            f"shared fixtures not found at {path}: set DURET_SHARED_FIXTURES "
            "or check out ../shared next to the project"
        )
    return path

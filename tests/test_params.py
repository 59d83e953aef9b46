"""Settings read back with the type of their default (duret_procurement/lib/params.py)."""

import pytest

from tests.addon_lib import load_lib

typed = load_lib("duret_procurement", "params").typed


@pytest.mark.parametrize(
    ("raw", "default", "expected"),
    [
        (None, 24, 24),
        ("", True, True),
        (False, "x", "x"),
        ("36", 24, 36),
        ("trois", 24, 24),  # hand-edited nonsense: the default, not a crash
        ("True", False, True),
        ("False", True, False),
        ("1", False, True),
        ("yes", False, True),
        ("0", True, False),
        ("73,74", "", "73,74"),
    ],
)
def test_stored_text_takes_the_type_of_its_default(raw, default, expected):
    assert typed(raw, default) == expected

"""web.params: values read from requests."""

import pytest


@pytest.mark.parametrize("typed, expected", [("2017", 2017), ("0", 0), ("²", None), ("٣٣", None), ("-1", None),
                                             (" 12", None), ("1e3", None), ("", None), (None, None), ("12345", None)])
def test_plain_int_takes_only_plain_ascii_digits_within_the_length(typed, expected):
    """Values a page may pass over (a year to show, an id to pick): '²' and Arabic-Indic
    digits are digits to str.isdigit() but never reach int(); too long is None, not an overflow."""
    from integrity.web.params import plain_int

    assert plain_int(typed, max_digits=4) == expected

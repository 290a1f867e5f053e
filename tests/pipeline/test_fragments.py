"""How the pages word durations: plain functions, no database."""

import pytest

from pipeline.fragments import duration_text


@pytest.mark.parametrize(
    ("ms", "text"),
    [
        (None, ""),
        (0, "under 1 ms"),
        (0.4, "under 1 ms"),
        (12.4, "12 ms"),
        (99.4, "99 ms"),
        (150, "0.1 s"),
        (9_940, "9.9 s"),
        (42_000, "42 s"),
        (487_000, "8 min 7 s"),
        (600_000, "10 min"),
        (3_900_000, "1 h 5 min"),
    ],
)
def test_durations_read_as_a_person_would_say_them(ms, text):
    assert duration_text(ms) == text

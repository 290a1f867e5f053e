"""How the pages word durations and scale them: plain functions, no database."""

import pytest

from pipeline.fragments import duration_text, stats_view


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


def test_a_step_waiting_for_a_ca_does_not_flatten_the_machine_steps_bars():
    stats = {
        "total_runs": 3,
        "step_duration_ms": {
            "extract": {"p50": 100, "p95": 200},
            "review": {"p50": 480_000, "p95": 900_000},
            "generate": {"p50": 50, "p95": 100},
        },
    }
    view = stats_view(stats, ["extract", "review", "generate"], frozenset({"review"}))
    extract, review, generate = view["steps"]
    assert (extract["p95_pct"], generate["p95_pct"], generate["p50_pct"]) == (100, 50, 25)
    assert review["human"] and not extract["human"]
    assert review["p50"] == "8 min"

"""How the pages word durations and scale them: plain functions, no database."""

import pytest
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils import translation

from pipeline.fragments import (
    _step_view,
    duration_text,
    error_summary,
    event_text,
    event_title,
    percent_text,
    skip_reason_text,
    stats_view,
    ui_words,
)


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


# Words the pages use ------------------------------------------------------------------

VALIDATION_ERROR = (
    "Validation found 2 error(s): The 2023-24 trial balance does not agree: debits "
    "₹2,03,46,688.60; In 2023-24 total assets differ. Fix the books or the classification, "
    "or process again with skip_validation."
)


def test_an_error_names_options_as_the_process_form_does():
    assert ui_words(VALIDATION_ERROR).endswith("or process again with “Skip validation”.")
    assert ui_words("skip_validations are not a thing") == "skip_validations are not a thing"


@pytest.mark.parametrize(
    ("error", "summary"),
    [
        (VALIDATION_ERROR, "Validation found 2 error(s)"),
        ("Toy failure in classify.", "Toy failure in classify"),
        ("x" * 200, "x" * 79 + "…"),
    ],
)
def test_a_failed_steps_card_says_only_the_first_clause(error, summary):
    assert error_summary(error) == summary


@pytest.mark.parametrize(
    ("reason", "text"),
    [
        ("start_from=generate", "started from Generate"),
        ("skip_validation", "“Skip validation” was ticked"),
        ("up to date", "up to date"),
    ],
)
def test_a_skipped_step_says_why_in_words(reason, text):
    assert skip_reason_text(reason) == text


@pytest.mark.parametrize(
    ("event_type", "payload", "title", "text"),
    [
        ("step.completed", {"step": "extract", "duration_ms": 700}, "Step completed",
         "Extract, in 0.7 s"),
        ("run.queued", {"options": {}}, "Queued", "Process pressed by alice@acme.test"),
        (
            "run.queued",
            {"reason": "resume", "decided_by": 2, "decided_by_name": "bob@acme.test"},
            "Queued",
            "Again after review by bob@acme.test",
        ),
        ("run.queued", {"reason": "retry", "step": "validate"}, "Queued", "To retry from Validate"),
        ("step.skipped", {"step": "validate", "reason": "skip_validation"}, "Step skipped",
         "Validate (“Skip validation” was ticked)"),
    ],
)  # fmt: skip
def test_the_event_log_says_what_happened_and_who_did_it(event_type, payload, title, text):
    assert event_title(event_type) == title
    assert event_text(event_type, payload, requested_by="alice@acme.test") == text


@pytest.mark.parametrize(
    ("status", "marker", "current"),
    [
        ("pending", "3", False),
        ("running", "3", True),
        ("completed", "✓", False),
        ("failed", "✕", False),
        ("skipped", "\u2013", False),
        ("awaiting_review", "❚❚", True),
    ],
)
def test_the_stepper_marks_a_step_by_its_status(status, marker, current):
    step = {
        "name": "validate",
        "status": status,
        "progress": 0,
        "attempts": 1,
        "duration_ms": None,
        "metadata": {},
        "error": None,
    }
    html = render_to_string(
        "pipeline/partials/stepper.html", {"view": {"steps": [_step_view(step, 2)]}}
    )
    assert f'<span class="step-marker" aria-hidden="true">{marker}</span>' in html
    assert ('aria-current="step"' in html) is current


@pytest.mark.parametrize("value", [0, 0.4, 0.5, 1.5, 2.5, 42.5, 99.5, 99.96, 100])
@pytest.mark.parametrize("language", ["en-in", "de"])
def test_the_bars_percent_is_what_floatformat_gives(value, language):
    with translation.override(language):
        assert percent_text(value) == floatformat(value, 0)

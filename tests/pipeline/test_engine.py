"""The engine's pure decisions (pipeline/engine.py), without a database."""

import math

import pytest

from pipeline import engine
from pipeline.engine import InvalidOptions, Option

STEPS = ["extract", "classify", "review", "validate", "generate"]
WEIGHTS = [25, 25, 10, 20, 20]


def validate(raw, **kwargs):
    return engine.options_validate(raw, step_names=STEPS, **kwargs)


def decide(step, record_status="pending", skip_option="", is_current=False, **options):
    return engine.should_run(
        step=step,
        position=STEPS.index(step),
        record_status=record_status,
        options=validate(options),
        step_names=STEPS,
        skip_option=skip_option,
        is_current=is_current,
    )


# options_validate ---------------------------------------------------------------------


def test_no_options_gives_every_default():
    assert validate({}) == {
        "start_from": "",
        "skip_review": False,
        "skip_validation": False,
        "force_reprocess": False,
        "auto_approve_above": 0.70,
        "notify_on_review": True,
    }


def test_given_options_replace_their_defaults_only():
    options = validate({"skip_review": True, "start_from": "validate"})
    assert options["skip_review"] is True
    assert options["start_from"] == "validate"
    assert options["skip_validation"] is False
    assert options["notify_on_review"] is True


def test_pipeline_specific_options_have_their_defaults_too():
    extra = {"pages": Option(int, 3)}
    assert validate({}, extra=extra)["pages"] == 3
    assert validate({"pages": 7}, extra=extra)["pages"] == 7


def test_unknown_option_keys_are_refused_and_named():
    with pytest.raises(InvalidOptions, match="Unknown options: colour, speed"):
        validate({"speed": 2, "colour": "red", "skip_review": True})


def test_options_that_are_not_an_object_are_refused():
    with pytest.raises(InvalidOptions, match="JSON object"):
        validate(["skip_review"])


@pytest.mark.parametrize(
    "raw",
    [
        {"skip_review": "yes"},
        {"skip_review": 1},
        {"skip_validation": None},
        {"force_reprocess": 0},
        {"notify_on_review": "false"},
    ],
)
def test_booleans_must_be_true_or_false(raw):
    [key] = raw
    with pytest.raises(InvalidOptions, match=f"{key} must be true or false"):
        validate(raw)


@pytest.mark.parametrize("value", [True, False])
def test_a_boolean_is_not_a_number(value):
    with pytest.raises(InvalidOptions, match="auto_approve_above must be a number"):
        validate({"auto_approve_above": value})


def test_a_boolean_is_not_a_whole_number_either():
    with pytest.raises(InvalidOptions, match="pages must be a whole number"):
        validate({"pages": True}, extra={"pages": Option(int, 3)})


def test_a_whole_number_is_accepted_for_a_float_option_as_a_float():
    options = validate({"auto_approve_above": 1})
    assert options["auto_approve_above"] == 1.0
    assert isinstance(options["auto_approve_above"], float)


def test_a_float_is_not_a_whole_number():
    with pytest.raises(InvalidOptions, match="pages must be a whole number"):
        validate({"pages": 2.5}, extra={"pages": Option(int, 3)})


@pytest.mark.parametrize("value", ["0.8", None, [0.8]])
def test_auto_approve_above_must_be_a_number(value):
    with pytest.raises(InvalidOptions, match="auto_approve_above must be a number"):
        validate({"auto_approve_above": value})


@pytest.mark.parametrize("value", [0, 0.0, 0.5, 1, 1.0])
def test_auto_approve_above_takes_zero_to_one_inclusive(value):
    assert validate({"auto_approve_above": value})["auto_approve_above"] == value


@pytest.mark.parametrize("value", [-0.01, 1.01, 70, math.inf, -math.inf, math.nan])
def test_auto_approve_above_outside_zero_to_one_is_refused(value):
    with pytest.raises(InvalidOptions, match="between 0 and 1"):
        validate({"auto_approve_above": value})


def test_start_from_must_be_a_step_of_the_pipeline():
    with pytest.raises(InvalidOptions, match="start_from must be one of: extract, classify"):
        validate({"start_from": "upload"})


def test_start_from_must_be_a_string():
    with pytest.raises(InvalidOptions, match="start_from must be a string"):
        validate({"start_from": 3})


@pytest.mark.parametrize("step", STEPS)
def test_start_from_takes_every_step(step):
    assert validate({"start_from": step})["start_from"] == step


def test_an_empty_start_from_means_from_the_beginning():
    assert validate({"start_from": ""})["start_from"] == ""


# should_run -------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["completed", "skipped"])
def test_a_finished_step_is_done_whatever_the_options(status):
    decision = decide("extract", record_status=status, force_reprocess=True, start_from="extract")
    assert decision.action == "done"


@pytest.mark.parametrize("status", ["pending", "failed", "running"])
def test_an_unfinished_step_runs(status):
    assert decide("classify", record_status=status).action == "run"


def test_start_from_skips_the_steps_before_it_and_says_why():
    decisions = {step: decide(step, start_from="validate") for step in STEPS}
    assert {step: d.action for step, d in decisions.items()} == {
        "extract": "skip",
        "classify": "skip",
        "review": "skip",
        "validate": "run",
        "generate": "run",
    }
    assert decisions["extract"].reason == "start_from=validate"


def test_start_from_does_not_skip_a_step_that_already_completed_again():
    assert decide("extract", record_status="completed", start_from="validate").action == "done"


def test_skip_review_skips_the_step_that_names_it():
    decision = decide("review", skip_option="skip_review", skip_review=True)
    assert (decision.action, decision.reason) == ("skip", "skip_review")


def test_skip_review_off_runs_the_review_step():
    assert decide("review", skip_option="skip_review").action == "run"


def test_skip_review_does_not_skip_other_steps():
    assert decide("classify", skip_review=True).action == "run"
    assert decide("validate", skip_option="skip_validation", skip_review=True).action == "run"


def test_skip_validation_skips_the_validation_step():
    decision = decide("validate", skip_option="skip_validation", skip_validation=True)
    assert (decision.action, decision.reason) == ("skip", "skip_validation")


def test_a_step_whose_results_are_current_is_skipped_as_up_to_date():
    decision = decide("extract", is_current=True)
    assert (decision.action, decision.reason) == ("skip", "up to date")


def test_force_reprocess_runs_a_step_whose_results_are_current():
    assert decide("extract", is_current=True, force_reprocess=True).action == "run"


def test_force_reprocess_does_not_override_an_explicit_skip():
    decision = decide(
        "validate", skip_option="skip_validation", skip_validation=True, force_reprocess=True
    )
    assert decision.action == "skip"
    assert decide("extract", start_from="classify", force_reprocess=True).action == "skip"


# run_progress -------------------------------------------------------------------------------


def test_run_progress_is_the_weighted_share_of_finished_work():
    assert engine.run_progress(WEIGHTS, 0, 0.0) == 0.0
    assert engine.run_progress(WEIGHTS, 0, 1.0) == 25.0
    assert engine.run_progress(WEIGHTS, 1, 0.5) == 37.5
    assert engine.run_progress(WEIGHTS, 2, 1.0) == 60.0
    assert engine.run_progress(WEIGHTS, 4, 1.0) == 100.0


def test_run_progress_clamps_the_step_fraction():
    assert engine.run_progress(WEIGHTS, 1, -3) == 25.0
    assert engine.run_progress(WEIGHTS, 1, 7) == 50.0


def test_run_progress_rounds_to_one_decimal_and_copes_with_weights_that_sum_to_zero():
    assert engine.run_progress([1, 1, 1], 0, 1.0) == 33.3
    assert engine.run_progress([0, 0], 1, 1.0) == 0.0


# backoff_delay ----------------------------------------------------------------------------


def test_backoff_doubles_with_each_attempt():
    assert [engine.backoff_delay(n, 1.0) for n in (1, 2, 3, 4)] == [1.0, 2.0, 4.0, 8.0]
    assert [engine.backoff_delay(n, 0.0) for n in (1, 2, 3, 4)] == [0.5, 1.0, 2.0, 4.0]


def test_backoff_is_capped():
    assert engine.backoff_delay(6, 1.0) == engine.BACKOFF_CAP_S
    assert engine.backoff_delay(50, 1.0) == engine.BACKOFF_CAP_S
    assert engine.backoff_delay(50, 0.0) == engine.BACKOFF_CAP_S / 2


@pytest.mark.parametrize("attempt", [1, 2, 3, 5, 8])
@pytest.mark.parametrize("jitter", [0.0, 0.1, 0.5, 0.99, 1.0])
def test_backoff_jitter_stays_between_half_the_ceiling_and_the_ceiling(attempt, jitter):
    ceiling = min(engine.BACKOFF_CAP_S, engine.BACKOFF_BASE_S * 2 ** (attempt - 1))
    assert ceiling / 2 <= engine.backoff_delay(attempt, jitter) <= ceiling


def test_more_jitter_means_a_longer_wait():
    delays = [engine.backoff_delay(3, j / 10) for j in range(11)]
    assert delays == sorted(delays)
    assert len(set(delays)) == 11


# ETAs --------------------------------------------------------------------------------------


def test_ms_per_unit_is_unknown_without_history():
    assert engine.ms_per_unit([]) is None


def test_ms_per_unit_is_the_median_rate_per_unit_of_input():
    assert engine.ms_per_unit([(1000, 1), (9000, 3), (4000, 2)]) == 2000
    assert engine.ms_per_unit([(1000, 1), (3000, 1), (100, 1), (5000, 1)]) == 2000


def test_ms_per_unit_treats_an_empty_input_as_one_unit():
    assert engine.ms_per_unit([(500, 0)]) == 500


def test_estimate_step_uses_the_default_before_any_history():
    assert engine.estimate_step_ms([], 1) == engine.DEFAULT_STEP_MS
    assert engine.estimate_step_ms([], 4) == 4 * engine.DEFAULT_STEP_MS
    assert engine.estimate_step_ms([], 0) == engine.DEFAULT_STEP_MS


def test_estimate_step_scales_history_with_input_size():
    history = [(300, 1), (600, 2), (900, 3)]
    assert engine.estimate_step_ms(history, 1) == 300
    assert engine.estimate_step_ms(history, 10) == 3000


def test_estimate_remaining_before_history_is_the_default_per_step():
    seconds = engine.estimate_remaining_seconds(
        steps=["extract", "classify"],
        histories={},
        input_size=3,
        statuses={},
        current_fraction={},
    )
    assert seconds == math.ceil(2 * 3 * engine.DEFAULT_STEP_MS / 1000)


def test_estimate_remaining_leaves_out_finished_and_paused_steps():
    seconds = engine.estimate_remaining_seconds(
        steps=["a", "b", "c", "d", "e"],
        histories={name: [(1000, 1)] for name in "abcde"},
        input_size=1,
        statuses={"a": "completed", "b": "skipped", "c": "awaiting_review", "d": "pending"},
        current_fraction={},
    )
    assert seconds == 2  # d (pending) and e (no record yet)


def test_estimate_remaining_counts_only_what_is_left_of_the_running_step():
    common = {
        "steps": ["extract", "classify"],
        "histories": {"extract": [(4000, 1)], "classify": [(10_000, 1)]},
        "input_size": 1,
    }
    fresh = engine.estimate_remaining_seconds(
        **common, statuses={"extract": "running"}, current_fraction={"extract": 0.0}
    )
    three_quarters = engine.estimate_remaining_seconds(
        **common, statuses={"extract": "running"}, current_fraction={"extract": 0.75}
    )
    assert fresh == 14
    assert three_quarters == 11
    # A fraction outside 0-1 is clamped rather than giving a negative or inflated ETA.
    over = engine.estimate_remaining_seconds(
        **common, statuses={"extract": "running"}, current_fraction={"extract": 1.5}
    )
    assert over == 10


def test_estimate_remaining_scales_with_input_size():
    def eta(size):
        return engine.estimate_remaining_seconds(
            steps=["extract"],
            histories={"extract": [(1500, 1)]},
            input_size=size,
            statuses={},
            current_fraction={},
        )

    assert eta(1) == 2
    assert eta(10) == 15


def test_estimate_remaining_rounds_up_to_whole_seconds_and_is_zero_when_all_done():
    kwargs = {"steps": ["x"], "histories": {"x": [(1, 1)]}, "input_size": 1}
    assert engine.estimate_remaining_seconds(**kwargs, statuses={}, current_fraction={}) == 1
    done = engine.estimate_remaining_seconds(
        **kwargs, statuses={"x": "completed"}, current_fraction={}
    )
    assert done == 0


# percentile --------------------------------------------------------------------------------


def test_percentile_of_nothing_is_none():
    assert engine.percentile([], 50) is None


def test_percentile_is_nearest_rank():
    values = [400, 100, 300, 200]
    assert engine.percentile(values, 50) == 200
    assert engine.percentile(values, 95) == 400
    assert engine.percentile(values, 0) == 100
    assert engine.percentile(values, 100) == 400
    assert engine.percentile(range(1, 101), 95) == 95
    assert engine.percentile([7], 50) == 7

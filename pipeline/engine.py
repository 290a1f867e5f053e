"""The engine's decisions as plain functions: no ORM, no clock, no randomness of their own.

Everything here is decided from values passed in, so it is tested without a database.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# Before a firm has history, a step is guessed to take this long for one unit of input.
DEFAULT_STEP_MS = 2_000.0
HISTORY_RUNS = 20
MAX_ATTEMPTS = 3
BACKOFF_BASE_S = 1.0
BACKOFF_CAP_S = 30.0


class InvalidOptions(ValueError):
    """Unknown option keys or bad values; the message names them."""


@dataclass(frozen=True)
class Option:
    kind: type
    default: Any


# The options every pipeline takes (API.md "Options").
COMMON_OPTIONS: dict[str, Option] = {
    "start_from": Option(str, ""),
    "skip_review": Option(bool, False),
    "skip_validation": Option(bool, False),
    "force_reprocess": Option(bool, False),
    "auto_approve_above": Option(float, 0.70),
    "notify_on_review": Option(bool, True),
}


def options_validate(
    raw: Mapping[str, Any], *, step_names: Sequence[str], extra: Mapping[str, Option] = {}
) -> dict[str, Any]:
    """The run's options with defaults filled in, or InvalidOptions."""
    if not isinstance(raw, Mapping):
        raise InvalidOptions("Options must be a JSON object.")
    specs = {**COMMON_OPTIONS, **extra}
    unknown = sorted(set(raw) - set(specs))
    if unknown:
        raise InvalidOptions(f"Unknown options: {', '.join(unknown)}.")
    options: dict[str, Any] = {}
    for key, spec in specs.items():
        value = raw.get(key, spec.default)
        if spec.kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, spec.kind) or (spec.kind is not bool and isinstance(value, bool)):
            raise InvalidOptions(f"{key} must be {_kind_name(spec.kind)}.")
        options[key] = value
    if options["start_from"] and options["start_from"] not in step_names:
        raise InvalidOptions(f"start_from must be one of: {', '.join(step_names)}.")
    threshold = options["auto_approve_above"]
    if not (0.0 <= threshold <= 1.0) or math.isnan(threshold):
        raise InvalidOptions("auto_approve_above must be between 0 and 1.")
    return options


def _kind_name(kind: type) -> str:
    return {bool: "true or false", float: "a number", str: "a string", int: "a whole number"}.get(
        kind, kind.__name__
    )


@dataclass(frozen=True)
class Decision:
    action: str  # "run", "skip" or "done"
    reason: str = ""


RUN = Decision("run")


def should_run(
    *,
    step: str,
    position: int,
    record_status: str,
    options: Mapping[str, Any],
    step_names: Sequence[str],
    skip_option: str = "",
    is_current: bool = False,
) -> Decision:
    """Whether a step runs in this pass, from stored state and the run's options.

    ``record_status`` is the step's record in this run: a completed or skipped step is
    never repeated, which makes a redelivered task harmless. ``is_current`` says the
    step's stored results are already up to date for its inputs (from an earlier run).
    """
    if record_status in {"completed", "skipped"}:
        return Decision("done")
    start_from = options.get("start_from") or ""
    if start_from and position < list(step_names).index(start_from):
        return Decision("skip", f"start_from={start_from}")
    if skip_option and options.get(skip_option):
        return Decision("skip", skip_option)
    if options.get("force_reprocess"):
        return RUN
    if is_current:
        return Decision("skip", "up to date")
    return RUN


def run_progress(weights: Sequence[float], position: int, step_fraction: float) -> float:
    """The whole run's percent when step `position` is `step_fraction` (0-1) done."""
    total = sum(weights) or 1.0
    done = sum(weights[:position]) + weights[position] * min(max(step_fraction, 0.0), 1.0)
    return round(100.0 * done / total, 1)


def backoff_delay(attempt: int, jitter: float) -> float:
    """Seconds before retry `attempt` (1-based): exponential, capped, with `jitter` in 0-1.

    "Equal jitter": half the delay is fixed, half random, so several workers that failed
    together do not retry together, and none retries at once.
    """
    ceiling = min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** (attempt - 1))
    return round(ceiling / 2 + (ceiling / 2) * jitter, 3)


def ms_per_unit(history: Sequence[tuple[int, int]]) -> float | None:
    """Median milliseconds per unit of input from (duration_ms, input_size) pairs."""
    rates = sorted(duration / max(size, 1) for duration, size in history)
    if not rates:
        return None
    middle = len(rates) // 2
    return rates[middle] if len(rates) % 2 else (rates[middle - 1] + rates[middle]) / 2


def estimate_step_ms(history: Sequence[tuple[int, int]], input_size: int) -> float:
    rate = ms_per_unit(history)
    if rate is None:
        return DEFAULT_STEP_MS * max(input_size, 1)
    return rate * max(input_size, 1)


def estimate_remaining_seconds(
    *,
    steps: Sequence[str],
    histories: Mapping[str, Sequence[tuple[int, int]]],
    input_size: int,
    statuses: Mapping[str, str],
    current_fraction: Mapping[str, float],
) -> int:
    """Seconds left: unfinished steps' estimates, the running one by what is left of it."""
    remaining = 0.0
    for name in steps:
        status = statuses.get(name, "pending")
        if status in {"completed", "skipped", "awaiting_review"}:
            continue
        estimate = estimate_step_ms(histories.get(name, ()), input_size)
        if status == "running":
            estimate *= 1.0 - min(max(current_fraction.get(name, 0.0), 0.0), 1.0)
        remaining += estimate
    return math.ceil(remaining / 1000.0)


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0-100) of `values`, or None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100.0 * len(ordered)))
    return ordered[rank - 1]

"""A variant of the toy pipeline for the browser tests' daphne and worker processes.

The Process form offers only the product's options, so a run started by pressing it
gets the toy's defaults: this variant's make it slow enough to watch (a tick every
0.12 s) and pause for review. The children select it with CMA_TEST_PIPELINE (read in
tests/settings.py) and import this module through PIPELINE_MODULES.
"""

import dataclasses

from pipeline import registry
from pipeline.engine import Option
from tests.toy import pipeline as toy  # noqa: F401 - registers "toy" first

WATCHABLE = "toy-watchable"
CHILD_ENV = {"CMA_TEST_PIPELINE": WATCHABLE, "PIPELINE_MODULES": __name__}


def _watchable() -> registry.Pipeline:
    base = registry.get("toy")
    steps = tuple(
        # The review step pauses with the product's status, and skip_review skips it.
        dataclasses.replace(step, paused_status="reviewing", skip_option="skip_review")
        if step.name == "review"
        else step
        for step in base.steps
    )
    options = {
        **base.options,
        "toy_items": Option(int, 6),
        "toy_sleep": Option(float, 0.12),
        "toy_review": Option(int, 2),
    }
    return dataclasses.replace(base, name=WATCHABLE, steps=steps, options=options)


registry.register(_watchable())

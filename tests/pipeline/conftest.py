"""Settings and clean toy state for the engine's tests."""

import pytest

from tests.toy import pipeline as toy


@pytest.fixture(autouse=True)
def _pipeline_settings(settings) -> None:
    # The API processes with the pipeline it is configured with: here, the toy one.
    settings.PIPELINE_DEFAULT = "toy"
    # The heartbeat thread would otherwise wake every 5 s and wait on the test's
    # write lock; the sweep tests age heartbeats by hand instead.
    settings.PIPELINE_HEARTBEAT_SECONDS = 3600


@pytest.fixture(autouse=True)
def _fresh_toy_state():
    # Keyed by run id, and ids repeat once a test's transaction is rolled back.
    toy.TRANSIENT_FAILURES.clear()
    toy.REVIEW_PENDING.clear()
    yield
    toy.TRANSIENT_FAILURES.clear()
    toy.REVIEW_PENDING.clear()

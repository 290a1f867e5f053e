"""GET stats: durations and counts over finished runs."""

import pytest

from pipeline import services
from pipeline.models import StepRecord
from tests.conftest import api_client
from tests.pipeline.api.conftest import STEPS, execute, get, post, processed, with_file

pytestmark = pytest.mark.django_db


# Stats --------------------------------------------------------------------------------------


def test_stats_count_the_firms_runs_per_status(client, ready, alice, charlie, make_project):
    def fresh_project(name):
        return with_file(make_project(alice, name), alice)

    done = processed(client, ready)
    execute(done["run_id"])
    execute(processed(client, ready)["run_id"])
    execute(processed(client, fresh_project("F"), toy_fail="extract")["run_id"])
    post(client, f"runs/{processed(client, fresh_project('C'))['run_id']}/cancel")
    processed(client, fresh_project("Q"))
    execute(processed(client, fresh_project("A"), toy_review=1)["run_id"])
    services.run_claim(run_id=processed(client, fresh_project("R"))["run_id"])
    theirs = with_file(make_project(charlie, "T"), charlie)
    execute(processed(api_client(charlie), theirs)["run_id"])

    stats = get(client, "pipeline/stats").json()

    assert {key: value for key, value in stats.items() if key != "step_duration_ms"} == {
        "total_runs": 7,
        "queued": 1,
        "running": 1,
        "awaiting_review": 1,
        "completed": 2,
        "failed": 1,
        "cancelled": 1,
    }


def test_stats_give_p50_and_p95_step_durations_of_the_firm_only(
    client, ready, charlie, make_project
):
    run_ids = []
    for _ in range(3):
        body = processed(client, ready)
        execute(body["run_id"])
        run_ids.append(body["run_id"])
    for run_id, extract, classify in zip(run_ids, [300, 100, 200], [30, 10, 20], strict=True):
        StepRecord.objects.filter(run_id=run_id, name="extract").update(duration_ms=extract)
        StepRecord.objects.filter(run_id=run_id, name="classify").update(duration_ms=classify)
    theirs = with_file(make_project(charlie, "T"), charlie)
    their_run = processed(api_client(charlie), theirs)
    execute(their_run["run_id"])
    StepRecord.objects.filter(run_id=their_run["run_id"]).update(duration_ms=99_999)

    durations = get(client, "pipeline/stats").json()["step_duration_ms"]

    assert set(durations) == set(STEPS)
    assert durations["extract"] == {"p50": 200, "p95": 300}
    assert durations["classify"] == {"p50": 20, "p95": 30}
    assert all(d["p95"] < 99_999 for d in durations.values())


def test_stats_of_a_firm_without_runs_are_zero(client):
    assert get(client, "pipeline/stats").json() == {
        "total_runs": 0,
        "queued": 0,
        "running": 0,
        "awaiting_review": 0,
        "completed": 0,
        "failed": 0,
        "cancelled": 0,
        "step_duration_ms": {},
    }

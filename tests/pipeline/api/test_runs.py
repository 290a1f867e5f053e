"""A project's runs and a run's events through the API."""

import pytest

from pipeline import services
from pipeline.models import Run
from tests.conftest import api_client
from tests.pipeline.api.conftest import (
    ISO_UTC,
    PROGRESS_KEYS,
    STEPS,
    execute,
    get,
    processed,
    with_file,
)

pytestmark = pytest.mark.django_db


# Runs ---------------------------------------------------------------------------------------


def test_runs_lists_the_callers_firms_runs_newest_first(
    client, ready, alice, charlie, make_project
):
    first = processed(client, ready)
    execute(first["run_id"])
    second = processed(client, ready)
    theirs = with_file(make_project(charlie, "T"), charlie)
    processed(api_client(charlie), theirs)

    body = get(client, "runs").json()

    assert body["count"] == 2
    assert (body["next"], body["previous"]) == (None, None)
    assert [r["run_id"] for r in body["results"]] == [second["run_id"], first["run_id"]]
    row = body["results"][1]
    assert row["project_id"] == ready.pk
    assert row["status"] == "completed"
    assert row["requested_by"] == alice.username
    assert ISO_UTC.match(row["finished_at"])


def test_runs_filter_by_project_and_status(client, ready, alice, make_project):
    other = with_file(make_project(alice, "Other"), alice)
    done = processed(client, ready)
    execute(done["run_id"])
    waiting = processed(client, ready)
    elsewhere = processed(client, other)

    def ids(query):
        response = get(client, f"runs?{query}")
        assert response.status_code == 200
        return [r["run_id"] for r in response.json()["results"]]

    assert ids(f"project={ready.pk}") == [waiting["run_id"], done["run_id"]]
    assert ids(f"project={other.pk}") == [elsewhere["run_id"]]
    assert ids("status=queued") == [elsewhere["run_id"], waiting["run_id"]]
    assert ids("status=completed") == [done["run_id"]]
    assert ids(f"project={ready.pk}&status=queued") == [waiting["run_id"]]
    assert ids("status=failed") == []


def test_runs_refuses_bad_filters(client):
    assert get(client, "runs?status=sleeping").json()["error"] == "invalid_filter"
    assert get(client, "runs?project=acme").status_code == 400


def test_runs_are_paginated_50_a_page(client, ready, alice):
    run_ids = []
    for _ in range(51):
        run = services.run_create(subject=ready, pipeline_name="toy", options={})
        services.run_cancel(run=run)
        run_ids.append(run.pk)

    first = get(client, f"runs?project={ready.pk}").json()

    assert first["count"] == 51
    assert len(first["results"]) == 50
    assert first["previous"] is None
    assert "page=2" in first["next"]
    assert f"project={ready.pk}" in first["next"]
    assert first["next"].startswith("http")
    second = client.get(first["next"]).json()
    assert [r["run_id"] for r in second["results"]] == [run_ids[0]]
    assert second["next"] is None
    assert "page=1" in second["previous"]
    assert get(client, "runs?page=3").json()["error"] == "invalid_page"


def test_a_run_shows_progress_options_requester_summary_and_error(client, ready, alice):
    body = processed(client, ready, toy_fail="classify", skip_validation=True)
    execute(body["run_id"])

    response = get(client, f"runs/{body['run_id']}")

    assert response.status_code == 200
    run = response.json()
    assert set(run) >= PROGRESS_KEYS | {"options", "requested_by", "summary", "error"}
    assert run["status"] == "failed"
    assert run["project_status"] == "error"
    assert run["options"]["skip_validation"] is True
    assert run["options"]["toy_fail"] == "classify"
    assert run["requested_by"] == alice.username
    assert run["error"] == "classify cannot read the books"
    assert run["error_kind"] == "permanent"
    assert run["summary"] == {}
    assert run["steps"][1]["status"] == "failed"
    assert run["steps"][1]["error"] == "classify cannot read the books"


def test_a_completed_run_has_its_summary(client, ready):
    body = processed(client, ready)
    execute(body["run_id"])
    run = get(client, f"runs/{body['run_id']}").json()
    assert run["error"] is None
    assert set(run["summary"]["steps"]) == set(STEPS)
    assert run["summary"]["steps"]["extract"]["status"] == "completed"


def test_another_firms_run_is_404(ready, alice, charlie):
    body = processed(api_client(alice), ready)
    theirs = api_client(charlie)
    assert get(theirs, f"runs/{body['run_id']}").status_code == 404
    assert get(theirs, f"runs/{body['run_id']}/events").status_code == 404
    assert get(theirs, "runs").json()["count"] == 0
    assert get(api_client(alice), "runs/999999").status_code == 404


# Events -------------------------------------------------------------------------------------


def test_events_after_n_are_exactly_those_with_a_higher_seq(client, ready):
    body = processed(client, ready)
    execute(body["run_id"])
    everything = get(client, f"runs/{body['run_id']}/events").json()
    last = Run.objects.get(pk=body["run_id"]).last_seq
    assert [e["seq"] for e in everything["events"]] == list(range(1, last + 1))
    assert everything["last_seq"] == last

    later = get(client, f"runs/{body['run_id']}/events?after=10").json()

    assert later["events"] == everything["events"][10:]
    assert later["last_seq"] == last
    caught_up = get(client, f"runs/{body['run_id']}/events?after={last}").json()
    assert caught_up == {"events": [], "last_seq": last}


def test_events_have_type_run_id_seq_ts_and_their_payload(client, ready):
    body = processed(client, ready)
    execute(body["run_id"])
    events = get(client, f"runs/{body['run_id']}/events").json()["events"]
    for event in events:
        assert event["run_id"] == body["run_id"]
        assert ISO_UTC.match(event["ts"])
    by_type = {e["type"]: e for e in events}
    assert {"run.queued", "run.started", "step.started", "step.progress"} <= set(by_type)
    assert {"step.completed", "doc.progress", "run.completed"} <= set(by_type)
    assert by_type["step.progress"]["done"] == 3
    assert by_type["step.progress"]["total"] == 3
    assert by_type["step.completed"]["metadata"] == {"items": 3}
    assert isinstance(by_type["step.completed"]["duration_ms"], int)
    assert by_type["doc.progress"]["file_id"] == 2
    assert by_type["run.completed"]["summary"]["steps"]["generate"]["status"] == "completed"


def test_events_can_be_read_page_by_page_by_following_last_seq(client, ready):
    body = processed(client, ready)
    run = Run.objects.get(pk=body["run_id"])
    # A run over many documents logs more events than one answer carries.
    for file_id in range(1, 1101):
        services.doc_phase_set(run=run, file_id=file_id, phase="extracted")
    total = Run.objects.get(pk=run.pk).last_seq
    assert total > 1100

    seen: list[int] = []
    after = 0
    for _ in range(5):
        page = get(client, f"runs/{run.pk}/events?after={after}").json()
        if not page["events"]:
            break
        seen += [e["seq"] for e in page["events"]]
        assert page["last_seq"] == page["events"][-1]["seq"]
        after = page["last_seq"]

    assert seen == list(range(1, total + 1))


def test_events_refuse_an_after_that_is_not_a_sequence_number(client, ready):
    body = processed(client, ready)
    for after in ["-1", "x", "1.5"]:
        response = get(client, f"runs/{body['run_id']}/events?after={after}")
        assert response.status_code == 400
        assert response.json()["error"] == "invalid_after"

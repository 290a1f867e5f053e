"""The engine across real processes: a django-q2 cluster and a separate daphne."""

import json
import os
import signal

import pytest
from websockets.sync.client import connect

from pipeline import services
from pipeline.models import Run, StepRecord
from projects.services import api_token_issue
from tests.processes import daphne, qcluster, wait_for, worker_pids
from tests.toy.models import ToyResult

pytestmark = pytest.mark.django_db(transaction=True, databases="__all__")

STEPS = ["extract", "classify", "review", "validate", "generate"]


def slow_run(project, user, **options) -> Run:
    return services.run_create(
        subject=project,
        pipeline_name="toy",
        options={"toy_items": 10, "toy_sleep": 0.1, **options},
        requested_by=user,
    )


def status(run: Run) -> str:
    return Run.objects.values_list("status", flat=True).get(pk=run.pk)


def kill_worker_mid_step(cluster, run: Run, step: str) -> None:
    """SIGKILL to the worker process that holds the run, as the OOM killer would do."""
    wait_for(
        lambda: StepRecord.objects.filter(run=run, name=step, status="running").exists(),
        message=f"{step} to start",
    )
    pid = int(Run.objects.values_list("worker", flat=True).get(pk=run.pk).rsplit(":", 1)[1])
    assert pid in worker_pids(cluster)
    os.kill(pid, signal.SIGKILL)


def assert_every_result_once(run: Run) -> None:
    results = list(ToyResult.objects.filter(run_id=run.pk).values_list("step", flat=True))
    assert sorted(results) == sorted(STEPS)


def test_run_finishes_after_its_worker_is_killed_mid_step(tmp_path, project_file, alice, settings):
    settings.PIPELINE_STALE_SECONDS = 4
    with qcluster(tmp_path) as cluster:
        run = slow_run(project_file.project, alice)
        kill_worker_mid_step(cluster, run, "classify")
        # What the django-q2 schedule does every minute, done now: the heartbeat stopped.
        wait_for(lambda: services.run_sweep()["requeued"] == 1, timeout=20, message="the sweep")
        wait_for(lambda: status(run) == "completed", timeout=60, message="the run to complete")
    run.refresh_from_db()
    assert run.recoveries == 1
    assert_every_result_once(run)
    types = list(run.events.values_list("type", flat=True))
    assert "run.requeued" in types
    assert types[-1] == "run.completed"


def test_worker_lost_for_good_fails_and_retry_finishes(tmp_path, project_file, alice, settings):
    settings.PIPELINE_STALE_SECONDS = 4
    with qcluster(tmp_path) as cluster:
        run = slow_run(project_file.project, alice)
        kill_worker_mid_step(cluster, run, "classify")
        Run.objects.filter(pk=run.pk).update(recoveries=services.MAX_RECOVERIES)
        wait_for(lambda: services.run_sweep()["failed"] == 1, timeout=20, message="the sweep")
        run.refresh_from_db()
        assert run.status == "failed"
        assert run.error_kind == "worker_lost"
        assert StepRecord.objects.get(run=run, name="classify").status == "failed"
        services.run_retry(subject=project_file.project)
        wait_for(lambda: status(run) == "completed", timeout=60, message="the retried run")
    assert_every_result_once(run)


def receive_until(socket, last_type: str, timeout: float = 60) -> list[dict]:
    messages = []
    while True:
        message = json.loads(socket.recv(timeout=timeout))
        if message["type"] == "ping":
            continue
        messages.append(message)
        if message["type"] == last_type:
            return messages


def test_worker_events_reach_a_websocket_on_another_process(tmp_path, project_file, alice):
    token = api_token_issue(user=alice)
    headers = {"Authorization": f"Token {token}"}
    run = slow_run(project_file.project, alice, toy_items=4, toy_sleep=0.05)
    with daphne(tmp_path) as host:
        url = f"ws://{host}/ws/runs/{run.pk}/"
        with connect(url, additional_headers=headers, open_timeout=10) as socket:
            sync = json.loads(socket.recv(timeout=10))
            assert sync["type"] == "sync"
            assert sync["status"] == "queued"
            replayed = sync["last_seq"]
            # The worker starts only now: everything after this arrives live.
            with qcluster(tmp_path):
                live = receive_until(socket, "run.completed")
        seqs = [m["seq"] for m in live]
        assert seqs == list(range(replayed + 1, replayed + 1 + len(live)))
        types = [m["type"] for m in live]
        assert types[0] == "run.started"
        assert "step.progress" in types
        assert {m["step"] for m in live if m["type"] == "step.completed"} == set(STEPS)

        # A client that missed events asks for what came after the last one it saw.
        seen = live[5]["seq"]
        with connect(f"{url}?after={seen}", additional_headers=headers, open_timeout=10) as socket:
            sync = json.loads(socket.recv(timeout=10))
            assert sync["status"] == "completed"
            missed = receive_until(socket, "run.completed", timeout=10)
        assert [m["seq"] for m in missed] == [m["seq"] for m in live if m["seq"] > seen]
        assert missed == [m for m in live if m["seq"] > seen]

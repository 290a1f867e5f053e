"""The supervisor: sweeps outside the cluster, re-enqueues lost tasks within a minute,
restarts a frozen or dead cluster, stops it whole, hands back its runs, and removes
orphan outputs."""

import os
import subprocess
import sys
import time
from datetime import timedelta

import psutil
import pytest
from django.utils import timezone

from pipeline import services
from pipeline.models import Event, Run, RunStatus
from pipeline.services import recovery
from pipeline.supervisor import Cluster, Supervisor, Watch, cluster_is_stuck
from projects.management.commands.supervise import outputs_orphans_remove
from projects.models import Output

pytestmark = pytest.mark.django_db


@pytest.fixture
def enqueued(monkeypatch) -> list[int]:
    calls: list[int] = []
    monkeypatch.setattr(recovery, "enqueue", calls.append)
    return calls


def queued_run(project, seconds_ago: float) -> Run:
    run = services.run_create(subject=project, pipeline_name="toy", options={})
    Run.objects.filter(pk=run.pk).update(
        heartbeat_at=timezone.now() - timedelta(seconds=seconds_ago)
    )
    return run


def test_a_queued_run_whose_task_was_lost_is_enqueued_again_within_a_minute(
    project_file, enqueued, monkeypatch
):
    monkeypatch.setattr(recovery, "broker_queue_size", lambda: 0)
    run = queued_run(project_file.project, services.QUEUED_LOST_SECONDS + 1)

    assert services.run_sweep()["redelivered"] == 1
    assert enqueued == [run.pk]
    assert services.QUEUED_LOST_SECONDS < 60
    # Once per wait, not at every sweep.
    assert services.run_sweep()["redelivered"] == 0


def test_queued_runs_behind_tasks_still_in_the_broker_wait_for_their_turn(
    project_file, enqueued, monkeypatch
):
    monkeypatch.setattr(recovery, "broker_queue_size", lambda: 3)
    queued_run(project_file.project, services.QUEUED_LOST_SECONDS + 1)

    assert services.run_sweep()["redelivered"] == 0
    assert enqueued == []


def test_the_workers_runs_are_handed_back_when_their_cluster_is_stopped(project_file):
    run = queued_run(project_file.project, 0)
    claimed, _ = services.run_claim(run_id=run.pk)
    gone = f"{claimed.worker.rpartition(':')[0]}:999999999"
    Run.objects.filter(pk=run.pk).update(worker=gone)

    assert services.runs_hand_back(workers=[gone]) == 1
    run.refresh_from_db()
    assert run.status == RunStatus.QUEUED and run.claim == "" and run.recoveries == 0
    last = Event.objects.filter(run=run).order_by("-seq").first()
    assert last.type == "run.requeued" and last.payload["reason"] == "worker stopped"


def test_the_watch_calls_a_cluster_stuck_only_when_runs_wait_with_workers_free():
    assert not cluster_is_stuck(waited_seconds=None, busy=0, workers=2, stuck_seconds=45)
    assert not cluster_is_stuck(waited_seconds=30, busy=0, workers=2, stuck_seconds=45)
    assert not cluster_is_stuck(waited_seconds=300, busy=2, workers=2, stuck_seconds=45)
    assert cluster_is_stuck(waited_seconds=46, busy=1, workers=2, stuck_seconds=45)

    watch = Watch(stuck_seconds=45)
    assert not watch.observe(queued=[7], busy=0, workers=2, now=1000)
    assert not watch.observe(queued=[7, 8], busy=0, workers=2, now=1040)
    assert watch.observe(queued=[7, 8], busy=0, workers=2, now=1046)
    watch.reset(1046)
    assert not watch.observe(queued=[7, 8], busy=0, workers=2, now=1050)
    # A run that was taken no longer counts.
    assert not watch.observe(queued=[], busy=0, workers=2, now=2000)


FAMILY = (
    "import subprocess, sys, time\n"
    "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)'])\n"
    "time.sleep(300)\n"
)


def family(cluster: Cluster) -> list[psutil.Process]:
    parent = psutil.Process(cluster.process.pid)
    while not parent.children():
        time.sleep(0.05)
    return [parent, *parent.children(recursive=True)]


def gone(process: psutil.Process) -> bool:
    try:
        return not process.is_running() or process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_a_stuck_cluster_is_restarted_whole_and_a_dead_one_started_again(project_file, enqueued):
    queued_run(project_file.project, 0)  # waits, and no worker takes it
    cluster = Cluster([sys.executable, "-c", FAMILY], cwd=os.getcwd())
    supervisor = Supervisor(cluster=cluster, watch=Watch(stuck_seconds=0), workers=2)
    cluster.start()
    try:
        first = family(cluster)
        supervisor.tick()  # first sight of the waiting run
        time.sleep(0.01)
        assert supervisor.tick().get("cluster_restarted") == 1
        # The old parent and its child both went: nothing is left behind.
        assert all(gone(p) for p in first)
        assert cluster.alive() and cluster.process.pid != first[0].pid

        second = family(cluster)
        second[0].kill()
        cluster.process.wait()
        assert supervisor.tick().get("cluster_restarted") == 1
        assert cluster.alive()
        assert all(gone(p) for p in second)
    finally:
        supervisor.shutdown()
    assert not cluster.alive()


def test_the_supervise_command_stops_its_cluster_on_sigterm(tmp_path):
    # A real `supervise --cluster` with a real qcluster: SIGTERM ends the whole tree.
    from tests.processes import ROOT, child_env

    log = open(tmp_path / "supervise.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "manage.py", "supervise", "--cluster", "--interval", "0.5"],
        cwd=ROOT,
        env=child_env(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 40
        tree: list[psutil.Process] = []
        while time.monotonic() < deadline and len(tree) < 3:
            tree = psutil.Process(process.pid).children(recursive=True)
            time.sleep(0.2)
        assert len(tree) >= 3, (tmp_path / "supervise.log").read_text()
    finally:
        process.terminate()
        process.wait(30)
        log.close()
    assert all(gone(p) for p in tree)


def test_orphan_outputs_are_removed_once_old_and_referenced_ones_kept(project, settings):
    root = settings.MEDIA_ROOT
    folder = root / "outputs" / "1" / str(project.pk)
    folder.mkdir(parents=True)
    kept, orphan, young = (folder / f"{n}.xlsx" for n in ("kept", "orphan", "young"))
    for path in (kept, orphan, young):
        path.write_bytes(b"PK\x03\x04 workbook")
    old = time.time() - 3600
    for path in (kept, orphan):
        os.utime(path, (old, old))
    Output.objects.create(
        project=project,
        file=kept.relative_to(root).as_posix(),
        name="CMA.xlsx",
        size=17,
        sha256="0" * 64,
    )

    assert outputs_orphans_remove(min_age_seconds=600) == {"orphans_removed": 1}
    assert kept.exists() and young.exists() and not orphan.exists()


# Linux x86-64 syscall numbers, as /proc/<pid>/syscall gives them.
SYSCALL_READ = "0"
SYSCALL_FUTEX = "202"


def syscall(pid: int) -> str:
    """The system call a process is blocked in ("running" when it is not blocked)."""
    try:
        with open(f"/proc/{pid}/syscall") as text:
            return text.read().split()[0]
    except (OSError, IndexError):
        return ""


def sentinel_children(cluster: Cluster) -> list[psutil.Process]:
    """The live processes of qcluster's sentinel, oldest first: it spawns the worker
    (of a one-worker cluster) before the monitor and the pusher."""
    try:
        sentinels = psutil.Process(cluster.process.pid).children()
        if len(sentinels) != 1:
            return []
        children = sorted(sentinels[0].children(), key=lambda p: (p.create_time(), p.pid))
    except psutil.NoSuchProcess:
        # A short-lived child of the starting cluster (WeasyPrint's warm-up looks for its
        # libraries with gcc and ldconfig) ended while it was looked at: not the sentinel.
        return []
    return [p for p in children if not gone(p)]


@pytest.mark.django_db(transaction=True, databases="__all__")
@pytest.mark.skipif(os.uname().machine != "x86_64", reason="reads x86-64 syscall numbers")
def test_a_worker_killed_holding_the_task_queue_lock_freezes_the_cluster_and_supervise_restarts_it(
    tmp_path, project_file, alice, monkeypatch
):
    """django-q2 issues #23 / #339, provoked deterministically: a one-worker cluster's
    idle worker is blocked in read() inside `task_queue.get()`, holding the queue's
    read lock. SIGKILL leaves the lock taken for good: the worker the guard spawns in
    its place waits on it (futex) forever and no task runs, until the supervisor sees
    a run waiting with its worker free and restarts the cluster."""
    from tests.processes import ROOT, child_env, wait_for

    monkeypatch.setattr(recovery, "QUEUED_LOST_SECONDS", 2)
    log = open(tmp_path / "qcluster.log", "w")  # noqa: SIM115 - closed below
    cluster = Cluster(
        [sys.executable, "manage.py", "qcluster"], cwd=str(ROOT), env=child_env(Q_WORKERS="1")
    )
    cluster.start = lambda: setattr(  # its output in the test's folder, not the terminal
        cluster,
        "process",
        subprocess.Popen(
            cluster.argv, cwd=cluster.cwd, env=cluster.env, start_new_session=True,
            stdout=log, stderr=subprocess.STDOUT,
        ),
    )  # fmt: skip
    # Longer than a fresh cluster takes to start on a slow machine (Django, the worker's
    # warm-up render: 3-5 s), or the supervisor restarts the new cluster before it could
    # take the run, again and again (CLUSTER_STUCK_SECONDS is 45 in production).
    supervisor = Supervisor(cluster=cluster, watch=Watch(stuck_seconds=15), workers=1)
    cluster.start()
    try:
        first: list[psutil.Process] = []

        def worker_waits_in_get() -> bool:
            first[:] = sentinel_children(cluster)
            return len(first) == 3 and syscall(first[0].pid) == SYSCALL_READ

        wait_for(worker_waits_in_get, timeout=30, message="the idle worker in task_queue.get")
        worker = first[0]
        worker.kill()

        def frozen() -> bool:
            # The guard's new worker (the same monitor and pusher) waits on the dead lock.
            new = [p for p in sentinel_children(cluster) if p not in first]
            return len(new) == 1 and syscall(new[0].pid) == SYSCALL_FUTEX

        wait_for(frozen, timeout=30, message="the new worker to wait on the dead lock")
        run = services.run_create(
            subject=project_file.project, pipeline_name="toy", options={}, requested_by=alice
        )

        def finished() -> bool:
            supervisor.tick()
            return Run.objects.values_list("status", flat=True).get(pk=run.pk) == "completed"

        wait_for(finished, timeout=90, interval=0.5, message="the run to complete")
    finally:
        supervisor.shutdown()
        log.close()
    # Restarted (more than once on a loaded machine, where a new cluster can take longer
    # to start than the watch's patience here).
    assert cluster.restarts >= 1, (tmp_path / "qcluster.log").read_text()
    assert not cluster.alive()

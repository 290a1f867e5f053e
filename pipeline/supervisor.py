"""The supervisor: recovery that does not depend on the worker cluster it rescues.

django-q2's own schedule runs the sweep as a task of the cluster, so a frozen cluster
(a worker killed while it held the task queue's lock: django-q2 issues #23 and #339)
stops its own rescue. The supervisor is a plain loop in its own process
(`manage.py supervise`, which `serve` and the Procfile run) that, every few seconds:

- sweeps: runs whose worker died are handed on, queued runs whose task was lost are
  enqueued again (pipeline/services/recovery.py), plus any housekeeping the app gives
  it (the orphan outputs of projects/);
- with `--cluster`, runs qcluster as its child in a process group of its own and
  restarts it when runs have waited CLUSTER_STUCK_SECONDS while workers sat free (the
  freeze), or when it died;
- on SIGTERM or SIGINT stops that whole group within STOP_GRACE_SECONDS (SIGKILL after
  that: django-q2's signal handler can hang, its issue #346), then hands the runs its
  workers held back to the queue, so the next cluster resumes them at once.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection

from pipeline import services
from pipeline.models import Run, RunStatus

log = logging.getLogger(__name__)

SWEEP_SECONDS = 5
CLUSTER_STUCK_SECONDS = 45
STOP_GRACE_SECONDS = 4

Housekeeping = Callable[[], dict[str, int]]


def cluster_is_stuck(
    *, waited_seconds: float | None, busy: int, workers: int, stuck_seconds: float
) -> bool:
    """Runs have waited too long while some worker was free: nothing takes tasks."""
    return waited_seconds is not None and waited_seconds > stuck_seconds and busy < workers


@dataclass
class Watch:
    """Remembers since when each queued run has been waiting, as the supervisor saw it."""

    stuck_seconds: float = CLUSTER_STUCK_SECONDS
    waiting_since: dict[int, float] = field(default_factory=dict)

    def observe(self, *, queued: Sequence[int], busy: int, workers: int, now: float) -> bool:
        self.waiting_since = {pk: self.waiting_since.get(pk, now) for pk in queued}
        waited = now - min(self.waiting_since.values()) if self.waiting_since else None
        return cluster_is_stuck(
            waited_seconds=waited, busy=busy, workers=workers, stuck_seconds=self.stuck_seconds
        )

    def reset(self, now: float) -> None:
        """After a restart every wait starts again: the new cluster gets its chance."""
        self.waiting_since = dict.fromkeys(self.waiting_since, now)


def cluster_load() -> tuple[list[int], int]:
    """The queued runs, and how many runs a live worker holds (fresh heartbeat)."""
    from django.utils import timezone

    fresh = timezone.now() - timedelta(seconds=settings.PIPELINE_STALE_SECONDS)
    queued = list(Run.objects.filter(status=RunStatus.QUEUED).values_list("pk", flat=True))
    busy = Run.objects.filter(status=RunStatus.RUNNING, heartbeat_at__gte=fresh).count()
    return queued, busy


def gone_workers_of_this_host() -> list[str]:
    """Run.worker values ("host:pid") of running runs whose process here is gone."""
    host = socket.gethostname()
    gone = []
    for worker in set(
        Run.objects.filter(status=RunStatus.RUNNING, worker__startswith=f"{host}:").values_list(
            "worker", flat=True
        )
    ):
        pid = worker.rpartition(":")[2]
        if pid.isdigit() and not pid_alive(int(pid)):
            gone.append(worker)
    return gone


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited, not yet reaped) is gone for our purpose.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return True


class Cluster:
    """qcluster as a child in its own process group, so that it is stopped whole."""

    def __init__(self, argv: Sequence[str], *, cwd: str, env: dict[str, str] | None = None) -> None:
        self.argv = list(argv)
        self.cwd = cwd
        self.env = env
        self.process: subprocess.Popen | None = None
        self.restarts = 0

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.argv, cwd=self.cwd, env=self.env, start_new_session=True
        )

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, grace: float = STOP_GRACE_SECONDS) -> None:
        """SIGTERM to the group, SIGKILL to whatever is left after `grace` seconds."""
        if self.process is None:
            return
        group = self.process.pid
        self._signal_group(group, signal.SIGTERM)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and self._group_alive(group):
            self.process.poll()
            time.sleep(0.1)
        self._signal_group(group, signal.SIGKILL)
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL is not refused
            log.error("qcluster %s did not die", group)
        # Workers are reparented when their parent dies first; wait until none is left.
        deadline = time.monotonic() + 5
        while self._group_alive(group) and time.monotonic() < deadline:
            time.sleep(0.05)

    @staticmethod
    def _signal_group(group: int, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, signum)

    @staticmethod
    def _group_alive(group: int) -> bool:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return False
        except PermissionError:  # pragma: no cover
            return True
        # Members that are only zombies count as gone.
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rpartition(")")[2].split()
            except OSError:
                continue
            if int(fields[2]) == group and fields[0] != "Z":
                return True
        return False


class Supervisor:
    """The loop of `manage.py supervise` (see the module doc)."""

    def __init__(
        self,
        *,
        cluster: Cluster | None = None,
        housekeeping: Sequence[Housekeeping] = (),
        interval: float = SWEEP_SECONDS,
        watch: Watch | None = None,
        workers: int | None = None,
    ) -> None:
        self.cluster = cluster
        self.housekeeping = list(housekeeping)
        self.interval = interval
        self.watch = watch or Watch()
        self.workers = workers if workers is not None else settings.Q_WORKERS
        self.stopping = threading.Event()

    def tick(self) -> dict[str, int]:
        """One pass: sweep, housekeeping, and the cluster's health. Never raises."""
        counts: dict[str, int] = {}
        try:
            if not connection.in_atomic_block:
                # A connection the database dropped while it was down is not reused.
                close_old_connections()
            counts |= services.run_sweep()
            for job in self.housekeeping:
                counts |= job()
            if self.cluster is not None:
                counts |= self._mind_cluster()
        except DatabaseError as exc:
            # The database is down: nothing can be recovered now; the next pass retries.
            log.warning("Supervisor pass skipped, database unavailable: %s", exc)
        except Exception:
            log.exception("Supervisor pass failed")
        if any(counts.values()):
            log.info("Supervisor: %s", {k: v for k, v in counts.items() if v})
        return counts

    def _mind_cluster(self) -> dict[str, int]:
        assert self.cluster is not None
        if not self.cluster.alive():
            log.warning("The worker cluster stopped; starting it again")
            self._restart()
            return {"cluster_restarted": 1}
        queued, busy = cluster_load()
        now = time.monotonic()
        if self.watch.observe(queued=queued, busy=busy, workers=self.workers, now=now):
            log.warning(
                "%s runs waiting while %s of %s workers are busy: the cluster is stuck; "
                "restarting it",
                len(queued),
                busy,
                self.workers,
            )
            self._restart()
            self.watch.reset(time.monotonic())
            return {"cluster_restarted": 1}
        return {}

    def _restart(self) -> None:
        assert self.cluster is not None
        self.cluster.stop()
        self._hand_back()
        self.cluster.restarts += 1
        self.cluster.start()

    def _hand_back(self) -> int:
        try:
            return services.runs_hand_back(workers=gone_workers_of_this_host())
        except DatabaseError as exc:
            log.warning("Could not hand back the stopped workers' runs (%s); the sweep will", exc)
            return 0

    def run(self) -> None:
        """Until `stop()` (or SIGTERM/SIGINT when installed by the command)."""
        if self.cluster is not None:
            self.cluster.start()
        try:
            while not self.stopping.is_set():
                self.tick()
                self.stopping.wait(self.interval)
        finally:
            self.shutdown()

    def stop(self) -> None:
        self.stopping.set()

    def shutdown(self) -> None:
        if self.cluster is not None:
            self.cluster.stop()
            self._hand_back()

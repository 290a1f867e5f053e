"""WebSocket event latency: from an event's commit in a worker to a client of the daphne.

    .venv/bin/python bench/ws_latency.py                       # embedded: SQLite + the relay
    .venv/bin/python bench/ws_latency.py \\
        --database-url postgres://postgres@127.0.0.1:5432/postgres \\
        --redis-url redis://127.0.0.1:6379/7                   # PostgreSQL + channels-redis

Starts a daphne and a qcluster (subprocesses with the same env) on a throwaway DATA_DIR
(and, with --database-url, a throwaway database created next to the one named and dropped
at the end). Runs of the "ticker" pipeline (bench/noop.py) wait for the bench's go, then
report progress at a steady rate (--interval-ms; the default, 250 ms, is the most a real
step emits: ctx.progress() is throttled to one write every 250 ms). WebSocket clients in
this process (asyncio + websockets, token auth) watch /ws/runs/<id>/. For each event a
client receives: latency = arrival time - the event's `ts`. Scenarios: 1 client on a
run; --clients on one run; --clients spread over --runs runs at once (one worker each,
so as many messages per second leave the daphne as with one run). Each is bounded: 40 s
to connect and reach the gate, then the ticks plus 10 s. Only events stamped after the
go count (those replayed on connect are not live); events committed but not delivered
by the end are counted and reported apart (the percentiles leave them out).

What `ts` is: the Event's `created_at`, stamped by Django in the worker (auto_now_add,
`timezone.now()` just before its INSERT). The rest of the transaction (hooks' rows, the
COMMIT) follows, so `ts` precedes the commit by less than the whole `ctx.progress()` call,
printed as "progress() call"; the figures overstate commit-to-arrival by that much at
most. All processes run on this machine and share its wall clock.

Per scenario it also prints, per event, the latency of its first and of its last client
(the first is the transport: relay poll or Redis; last minus first is the fan-out), and
the messages per second delivered against those offered (clients x event rate), and the
CPU used meanwhile by the daphne, the workers, the clients and the whole machine (in % of
one core; other work on the machine counts in "machine").
"""

import argparse
import asyncio
import collections
import contextlib
import json
import math
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ASGI_APP = "config.asgi:application"
TERMINAL = {"run.completed", "run.failed", "run.cancelled"}
SETUP_SECONDS = 40
GRACE_SECONDS = 10


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=500, help="clients of the big scenarios")
    parser.add_argument("--runs", type=int, default=5, help="runs the clients are spread over")
    parser.add_argument("--ticks", type=int, default=60, help="progress events per run")
    parser.add_argument("--interval-ms", type=float, default=250, help="between two ticks")
    parser.add_argument("--connect-concurrency", type=int, default=50)
    parser.add_argument(
        "--daphnes",
        type=int,
        default=1,
        help="daphne processes, clients spread over them (needs --redis-url beyond 1)",
    )
    parser.add_argument("--database-url", default="")
    parser.add_argument("--redis-url", default="")
    return parser.parse_args()


# Environment and processes ------------------------------------------------------------


def setup_environment(args: argparse.Namespace) -> tuple[Path, str | None]:
    data_dir = Path(tempfile.mkdtemp(prefix="cma-bench-ws-"))
    os.environ.update(
        {
            "DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PIPELINE_MODULES": "bench.noop",
            "BENCH_TICKS": str(args.ticks),
            "BENCH_TICK_MS": str(args.interval_ms),
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    for name in ("DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        os.environ.pop(name, None)
    bench_db = None
    if args.database_url:
        import psycopg

        base = args.database_url.rsplit("/", 1)[0]
        bench_db = f"cma_bench_ws_{os.getpid()}"
        with psycopg.connect(args.database_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{bench_db}"')
        os.environ["DATABASE_URL"] = f"{base}/{bench_db}"
    if args.redis_url:
        os.environ["REDIS_URL"] = args.redis_url
    return data_dir, bench_db


def drop_database(args: argparse.Namespace, name: str) -> None:
    import psycopg
    from django.db import connections

    with contextlib.suppress(Exception):  # Django may not be set up yet
        connections.close_all()
    with psycopg.connect(args.database_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Children:
    """The daphne and the qcluster; `stop_all` ends them and whatever they started."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self, name: str, argv: list[str], **env: str) -> subprocess.Popen:
        with open(self.data_dir / f"{name}.log", "w") as log:
            proc = subprocess.Popen(
                argv, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT
            )
        self.procs[name] = proc
        return proc

    def pids(self, name: str) -> list[int]:
        """The process and its descendants (a cluster's workers)."""
        try:
            parent = psutil.Process(self.procs[name].pid)
            return [parent.pid] + [child.pid for child in parent.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def check_alive(self) -> None:
        for name, proc in self.procs.items():
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited ({proc.returncode}): see {name}.log")

    def stop_all(self) -> None:
        for name in reversed(list(self.procs)):
            self._stop(self.procs[name])

    def _stop(self, proc: subprocess.Popen) -> None:
        try:
            family = psutil.Process(proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            family = []
        if proc.poll() is None:
            # SIGTERM, not SIGINT: a shell starts background jobs with SIGINT ignored.
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for child in family:  # orphans of a parent that exited or was killed
            with contextlib.suppress(psutil.NoSuchProcess):
                child.kill()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, children: Children) -> None:
    deadline = time.monotonic() + SETUP_SECONDS
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            children.check_alive()
            if time.monotonic() > deadline:
                raise TimeoutError("daphne did not listen in time") from None
            time.sleep(0.1)


def cpu_seconds(children: Children) -> dict[str, float]:
    """CPU seconds used so far: by the daphne, the workers, this process, the machine."""

    def used(pids: list[int]) -> float:
        total = 0.0
        for pid in pids:
            try:
                times = psutil.Process(pid).cpu_times()
                total += times.user + times.system
            except psutil.NoSuchProcess:
                pass
        return total

    machine = psutil.cpu_times()
    return {
        "daphne": used(
            [
                pid
                for name in children.procs
                if name.startswith("daphne")
                for pid in children.pids(name)
            ]
        ),
        "workers": used(children.pids("qcluster")),
        "clients": used([os.getpid()]),
        "machine": sum(machine) - machine.idle - getattr(machine, "iowait", 0.0),
    }


# Fixtures (this process, sync ORM) ----------------------------------------------------


def make_user() -> tuple[Any, str]:
    from projects.services import api_token_issue, user_add

    user, _ = user_add(email="bench@bench.test", firm_name="Bench & Co", role="staff", password="x")
    return user, api_token_issue(user=user)


def make_runs(user: Any, count: int, label: str) -> list[int]:
    from django.core.files.base import ContentFile

    from pipeline import services
    from projects.models import ProjectFile
    from projects.services import project_create

    run_ids = []
    for i in range(count):
        project = project_create(user=user, name=f"{label} {i}")
        ProjectFile.objects.create(
            project=project,
            file=ContentFile(b"a,b\n1,2\n", name="tb.csv"),
            name="tb.csv",
            size=8,
            sha256=f"{project.pk:064d}",
            kind="csv",
        )
        run = services.run_create(subject=project, pipeline_name="ticker", options={})
        run_ids.append(run.pk)
    return run_ids


def runs_at_gate(run_ids: list[int]) -> bool:
    """Whether every run's worker is in its step, waiting for the go."""
    from django.db import connections

    from pipeline.models import Event

    try:
        started = Event.objects.filter(run_id__in=run_ids, type="step.started")
        return started.values("run_id").distinct().count() == len(run_ids)
    finally:
        connections.close_all()  # this runs in a pool thread of the clients' loop


def runs_wind_up(data_dir: Path, run_ids: list[int], go: float | None) -> dict[str, Any]:
    """Stops the runs if they still go, then reads what they committed after the go."""
    from datetime import UTC

    from pipeline.models import FINISHED_RUN_STATUSES, Event, Run

    for run_id in run_ids:
        (data_dir / f"bench-stop-{run_id}").touch()
    deadline = time.monotonic() + 20
    while Run.objects.filter(pk__in=run_ids).exclude(status__in=FINISHED_RUN_STATUSES).exists():
        if time.monotonic() > deadline:
            break
        time.sleep(0.1)
    committed: dict[int, int] = {}
    if go is not None:
        after = datetime.fromtimestamp(go, UTC)
        for run_id in run_ids:
            committed[run_id] = Event.objects.filter(run_id=run_id, created_at__gte=after).count()
    costs: list[float] = []
    for payload in Event.objects.filter(run_id__in=run_ids, type="step.completed").values_list(
        "payload", flat=True
    ):
        costs += payload.get("metadata", {}).get("progress_ms", [])
    return {"committed": committed, "costs": costs}


# The clients --------------------------------------------------------------------------


class Watch:
    """What all clients of a scenario received after the go."""

    def __init__(self) -> None:
        self.go: float | None = None
        self.last_arrival = 0.0
        self.arrivals: dict[tuple[int, int], list[float]] = {}  # (run, seq) -> latencies (s)


class Client:
    """One WebSocket on a run. A socket that fails is recorded in `error`, not retried."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.synced = False
        self.finished = False
        self.received = 0
        self.error = ""

    @property
    def settled(self) -> bool:
        return self.finished or bool(self.error)

    async def watch(self, url: str, key: str, gate: asyncio.Semaphore, watch: Watch) -> None:
        from websockets.asyncio.client import connect
        from websockets.exceptions import ConnectionClosed, WebSocketException

        try:
            async with gate:
                ws = await connect(
                    url,
                    additional_headers={"Authorization": f"Token {key}"},
                    open_timeout=SETUP_SECONDS,
                    ping_interval=None,
                    compression=None,
                    max_size=None,
                )
        except (OSError, TimeoutError, WebSocketException) as exc:
            self.error = f"could not connect: {type(exc).__name__}"
            return
        try:
            async for raw in ws:
                now = time.time()
                message = json.loads(raw)
                kind = message["type"]
                if kind == "sync":
                    self.synced = True
                    continue
                if kind == "ping" or watch.go is None:
                    continue
                ts = datetime.fromisoformat(message["ts"]).timestamp()
                if ts >= watch.go:
                    key_ = (message["run_id"], message["seq"])
                    watch.arrivals.setdefault(key_, []).append(now - ts)
                    watch.last_arrival = max(watch.last_arrival, now)
                    self.received += 1
                if kind in TERMINAL:
                    self.finished = True
                    return
            self.error = f"closed by the server ({ws.close_code})"
        except ConnectionClosed as exc:
            self.error = f"closed by the server ({exc.rcvd.code if exc.rcvd else 'no close frame'})"
        finally:
            await ws.close()


async def until(condition: Callable[[], bool], timeout: float, tasks: list[asyncio.Task]) -> bool:
    """Waits for the condition; False on timeout; raises what a client task raised."""
    deadline = time.monotonic() + timeout
    while not condition():
        for task in tasks:
            if task.done() and not task.cancelled() and task.exception() is not None:
                raise task.exception()
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.01)
    return True


async def observe(
    args: argparse.Namespace,
    children: Children,
    data_dir: Path,
    ports: list[int],
    key: str,
    run_ids: list[int],
    per_run: int,
    watch: Watch,
) -> dict[str, Any]:
    clients = [Client(run_id) for run_id in run_ids for _ in range(per_run)]
    gate = asyncio.Semaphore(args.connect_concurrency)
    started = time.monotonic()
    # Round robin over the daphnes, as a proxy in front of them would spread sockets.
    tasks = [
        asyncio.create_task(
            client.watch(
                f"ws://127.0.0.1:{ports[i % len(ports)]}/ws/runs/{client.run_id}/", key, gate, watch
            )
        )
        for i, client in enumerate(clients)
    ]
    try:
        if not await until(lambda: all(c.synced or c.error for c in clients), SETUP_SECONDS, tasks):
            raise TimeoutError(f"{sum(c.synced for c in clients)} of {len(clients)} connected")
        if all(c.error for c in clients):
            raise RuntimeError(f"no client could connect: {clients[0].error}")
        connect_s = time.monotonic() - started
        deadline = started + SETUP_SECONDS
        while not await asyncio.to_thread(runs_at_gate, run_ids):
            children.check_alive()
            if time.monotonic() > deadline:
                raise TimeoutError("the worker(s) did not start the run(s) in time")
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.5)  # let the connects' and the gate's work settle
        cpu_before, wall_before = cpu_seconds(children), time.monotonic()
        watch.go = time.time()
        for run_id in run_ids:
            (data_dir / f"bench-go-{run_id}").touch()
        timeout = args.ticks * args.interval_ms / 1000 + GRACE_SECONDS
        await until(lambda: all(c.settled for c in clients), timeout, tasks)
        cpu_after, wall = cpu_seconds(children), time.monotonic() - wall_before
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    per_run_count = {run_id: per_run for run_id in run_ids}
    return {
        "arrivals": watch.arrivals,
        "delivery_s": max(watch.last_arrival - watch.go, 1e-9),
        "connect_s": connect_s,
        "wall_s": wall,
        "cpu": {name: (cpu_after[name] - cpu_before[name]) / wall * 100 for name in cpu_after},
        "unfinished": sum(not c.finished for c in clients),
        "errors": collections.Counter(c.error for c in clients if c.error),
        "clients": len(clients),
        "clients_per_run": per_run_count,
    }


# Figures ------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}" if seconds >= 0.01 else f"{seconds * 1000:.1f}"


def report(
    label: str, name: str, args: argparse.Namespace, result: dict[str, Any], wound: dict
) -> None:
    arrivals = result["arrivals"]
    samples = [latency for latencies in arrivals.values() for latency in latencies]
    if samples:
        first = [min(latencies) for latencies in arrivals.values()]
        last = [max(latencies) for latencies in arrivals.values()]
        costs = wound["costs"]
        worker = (
            f"progress() call in the worker p50 {percentile(costs, 0.5):.1f} / "
            f"p95 {percentile(costs, 0.95):.1f} ms"
            if costs
            else "progress() costs not reported (run not completed)"
        )
        cpu = result["cpu"]
        offered = result["clients"] * 1000 / args.interval_ms
        print(
            f"{label}, {name}: p50 {ms(percentile(samples, 0.5))} ms, "
            f"p95 {ms(percentile(samples, 0.95))} ms, max {ms(max(samples))} ms "
            f"({len(samples)} events)\n"
            f"    per event, first client p50 {ms(percentile(first, 0.5))} / "
            f"p95 {ms(percentile(first, 0.95))} ms, last client p50 "
            f"{ms(percentile(last, 0.5))} / p95 {ms(percentile(last, 0.95))} ms "
            f"({len(arrivals)} events); {worker}\n"
            f"    delivered {len(samples) / result['delivery_s']:.0f} msg/s (offered "
            f"{offered:.0f}); connecting took {result['connect_s']:.1f} s; CPU over "
            f"{result['wall_s']:.1f} s in % of one core: daphne {cpu['daphne']:.0f}, workers "
            f"{cpu['workers']:.0f}, clients {cpu['clients']:.0f}, machine "
            f"{cpu['machine']:.0f} of {100 * (os.cpu_count() or 1)}"
        )
    else:
        print(f"{label}, {name}: no events received")
    if result["errors"]:
        failures = ", ".join(f"{count} {error}" for error, count in result["errors"].items())
        print(f"    WARNING: sockets lost (not reconnected): {failures}")
    expected = sum(
        count * result["clients_per_run"][run_id] for run_id, count in wound["committed"].items()
    )
    if result["unfinished"] or expected > len(samples):
        print(
            f"    WARNING: {result['unfinished']} of {result['clients']} clients did not see "
            f"their run end; {expected - len(samples)} of {expected} deliveries of events "
            f"committed after the go were missing at the deadline (not in the figures above)"
        )


def main() -> int:
    args = parse()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 4 * args.clients + 1024  # client and server ends of each socket, both inherit
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))

    def terminate(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    data_dir, bench_db = setup_environment(args)
    children = Children(data_dir)
    ok = interrupted = False
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate_all", verbosity=0)
        user, key = make_user()
        if args.daphnes > 1 and not args.redis_url:
            raise SystemExit(
                "--daphnes beyond 1 needs --redis-url: the embedded setup is one process"
            )
        ports = [free_port() for _ in range(args.daphnes)]
        for number, port in enumerate(ports):
            children.start(
                f"daphne-{number}",
                [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), ASGI_APP],
            )
        children.start(
            "qcluster", [sys.executable, "manage.py", "qcluster"], Q_WORKERS=str(max(2, args.runs))
        )
        for port in ports:
            wait_for_port(port, children)

        transport = "redis" if settings.REDIS_URL else "relay"
        label = f"{connection.vendor} + {transport}"
        if not args.database_url and not args.redis_url:
            label = f"embedded ({label})"
        if args.daphnes > 1:
            label = f"{label}, {args.daphnes} daphnes"
        load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
        print(
            f"{label}: {args.ticks} progress events per run, one every {args.interval_ms:g} ms; "
            f"{os.cpu_count()} cores, load average {load} at start; "
            f"python {sys.version.split()[0]}"
        )
        per_run = max(1, args.clients // args.runs)
        scenarios = [
            ("1 client", 1, 1),
            (f"{args.clients} clients on one run", 1, args.clients),
            (f"{per_run * args.runs} clients over {args.runs} runs", args.runs, per_run),
        ]
        for number, (name, runs, clients_per_run) in enumerate(scenarios):
            run_ids = make_runs(user, runs, f"Scenario {number}")
            watch = Watch()
            try:
                result = asyncio.run(
                    observe(args, children, data_dir, ports, key, run_ids, clients_per_run, watch)
                )
            finally:
                wound = runs_wind_up(data_dir, run_ids, watch.go)
            report(label, name, args, result, wound)
        ok = True
    except KeyboardInterrupt:
        interrupted = True
        print("interrupted", file=sys.stderr)
    finally:
        (data_dir / "bench-stop").touch()  # a ticker waiting for its go gives up at once
        children.stop_all()
        if bench_db:
            drop_database(args, bench_db)
        if ok or interrupted:
            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            print(f"logs kept in {data_dir}", file=sys.stderr)
    return 0 if ok else 130 if interrupted else 1


if __name__ == "__main__":
    sys.exit(main())

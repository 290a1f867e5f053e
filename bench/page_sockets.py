"""Project pages watched by many people: from a progress event's commit to its screen.

    .venv/bin/python bench/page_sockets.py                      # embedded: SQLite + relay
    .venv/bin/python bench/page_sockets.py --clients 100 \\
        --database-url postgres://postgres@127.0.0.1:5432/postgres \\
        --redis-url redis://127.0.0.1:6379/7                    # PostgreSQL + Redis

The same daphne, qcluster and "ticker" runs as bench/ws_latency.py (see there), but the
clients are the project page's htmx socket (/ws/projects/<id>/, token auth): they get
HTML, re-rendered from the database after events, coalesced (at most one render every
150 ms per socket) and, since the shared renders, one render per event for all the
sockets of a daphne that watch the project.

For each progress event committed after the go and each client: the time from the
event's `ts` to the first message that shows a progress bar at least that far
(`aria-valuenow`). Coalescing is part of that figure: an event whose render was folded
into a later one counts until the later one arrives. Scenarios: 1 client; --clients on
one project. Also printed: daphne CPU in % of one core while the run ticks, and the
messages received.
"""

import argparse
import asyncio
import os
import re
import resource
import shutil
import signal
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.ws_latency import (
    ASGI_APP,
    GRACE_SECONDS,
    SETUP_SECONDS,
    Children,
    cpu_seconds,
    drop_database,
    free_port,
    make_runs,
    make_user,
    ms,
    percentile,
    runs_at_gate,
    runs_wind_up,
    setup_environment,
    until,
)

PROGRESS = re.compile(r'aria-valuenow="([0-9.]+)"')


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--ticks", type=int, default=40, help="progress events of the run")
    parser.add_argument("--interval-ms", type=float, default=250, help="between two ticks")
    parser.add_argument("--connect-concurrency", type=int, default=50)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--redis-url", default="")
    args = parser.parse_args()
    args.runs, args.daphnes = 1, 1  # what setup_environment and the fixtures read
    return args


class PageClient:
    """One project page's socket: when it showed which progress."""

    def __init__(self) -> None:
        self.connected = False
        self.done = False
        self.error = ""
        self.messages = 0
        self.seen: list[tuple[float, float]] = []  # (arrival, progress shown)

    async def watch(self, url: str, key: str, gate: asyncio.Semaphore, go: list[float]) -> None:
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
                self.connected = True
                if not go:
                    continue
                self.messages += 1
                match = PROGRESS.search(raw)
                if match:
                    shown = float(match.group(1))
                    self.seen.append((now, shown))
                    if shown >= 100:
                        self.done = True
                        return
        except ConnectionClosed as exc:
            self.error = f"closed ({exc.rcvd.code if exc.rcvd else 'no close frame'})"
        finally:
            await ws.close()


def progress_events(run_id: int, go: float) -> list[tuple[float, float]]:
    """(ts, pipeline progress) of the run's progress events committed after the go."""
    from datetime import UTC

    from pipeline.models import Event

    after = datetime.fromtimestamp(go, UTC)
    rows = Event.objects.filter(run_id=run_id, type="step.progress", created_at__gte=after)
    return [
        (created.timestamp(), float(payload["pipeline_progress"]))
        for created, payload in rows.order_by("seq").values_list("created_at", "payload")
    ]


async def observe(
    args: argparse.Namespace, children: Children, data_dir: Path, port: int, key: str,
    run_id: int, project_id: int, count: int,
) -> dict[str, Any]:  # fmt: skip
    clients = [PageClient() for _ in range(count)]
    gate = asyncio.Semaphore(args.connect_concurrency)
    go: list[float] = []
    url = f"ws://127.0.0.1:{port}/ws/projects/{project_id}/"
    tasks = [asyncio.create_task(c.watch(url, key, gate, go)) for c in clients]
    try:
        settled = lambda: all(c.connected or c.error for c in clients)  # noqa: E731
        if not await until(settled, SETUP_SECONDS, tasks):
            raise TimeoutError(f"{sum(c.connected for c in clients)} of {count} connected")
        deadline = time.monotonic() + SETUP_SECONDS
        while not await asyncio.to_thread(runs_at_gate, [run_id]):
            children.check_alive()
            if time.monotonic() > deadline:
                raise TimeoutError("the worker did not start the run in time")
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.5)  # past the sockets' settle render
        cpu_before, wall_before = cpu_seconds(children), time.monotonic()
        go.append(time.time())
        (data_dir / f"bench-go-{run_id}").touch()
        timeout = args.ticks * args.interval_ms / 1000 + GRACE_SECONDS
        await until(lambda: all(c.done or c.error for c in clients), timeout, tasks)
        cpu_after, wall = cpu_seconds(children), time.monotonic() - wall_before
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return {
        "go": go[0],
        "clients": clients,
        "wall_s": wall,
        "cpu": {name: (cpu_after[name] - cpu_before[name]) / wall * 100 for name in cpu_after},
    }


def report(
    label: str, name: str, result: dict[str, Any], events: list[tuple[float, float]]
) -> None:
    latencies: list[float] = []
    missed = 0
    for client in result["clients"]:
        for ts, progress in events:
            shown = next((at for at, value in client.seen if value >= progress - 1e-9), None)
            if shown is None:
                missed += 1
            else:
                latencies.append(shown - ts)
    clients = result["clients"]
    messages = sum(c.messages for c in clients)
    cpu = result["cpu"]
    if latencies:
        print(
            f"{label}, {name}: event to screen p50 {ms(percentile(latencies, 0.5))} ms, "
            f"p95 {ms(percentile(latencies, 0.95))} ms, max {ms(max(latencies))} ms "
            f"({len(events)} events x {len(clients)} clients)\n"
            f"    {messages / len(clients):.1f} messages a client; CPU over "
            f"{result['wall_s']:.1f} s in % of one core: daphne {cpu['daphne']:.0f}, workers "
            f"{cpu['workers']:.0f}, clients {cpu['clients']:.0f}, machine {cpu['machine']:.0f} "
            f"of {100 * (os.cpu_count() or 1)}"
        )
    else:
        print(f"{label}, {name}: nothing shown")
    errors = [c.error for c in clients if c.error]
    if missed or errors:
        print(f"    WARNING: {missed} screens missing; {len(errors)} sockets lost {errors[:3]}")


def main() -> int:
    args = parse()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 4 * args.clients + 1024
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

        from bench.ws_latency import wait_for_port
        from pipeline.models import Run

        call_command("migrate_all", verbosity=0)
        user, key = make_user()
        port = free_port()
        children.start(
            "daphne-0",
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), ASGI_APP],
        )
        children.start("qcluster", [sys.executable, "manage.py", "qcluster"], Q_WORKERS="2")
        wait_for_port(port, children)
        transport = "redis" if settings.REDIS_URL else "relay"
        label = f"{connection.vendor} + {transport}"
        if not args.database_url and not args.redis_url:
            label = f"embedded ({label})"
        load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
        print(
            f"{label}: project page sockets, {args.ticks} progress events, one every "
            f"{args.interval_ms:g} ms; {os.cpu_count()} cores, load average {load} at start"
        )
        for number, (name, count) in enumerate(
            [("1 client", 1), (f"{args.clients} clients on one project", args.clients)]
        ):
            [run_id] = make_runs(user, 1, f"Pages {number}")
            project_id = Run.objects.get(pk=run_id).project_id
            result = None
            try:
                result = asyncio.run(
                    observe(args, children, data_dir, port, key, run_id, project_id, count)
                )
            finally:
                runs_wind_up(data_dir, [run_id], result["go"] if result else None)
            report(label, name, result, progress_events(run_id, result["go"]))
        ok = True
    except KeyboardInterrupt:
        interrupted = True
        print("interrupted", file=sys.stderr)
    finally:
        (data_dir / "bench-stop").touch()
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

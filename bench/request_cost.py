"""What one request costs the web process: CPU milliseconds and queries, per endpoint.

    .venv/bin/python bench/request_cost.py                    # embedded (SQLite)
    .venv/bin/python bench/request_cost.py --postgres         # PostgreSQL + Redis
    .venv/bin/python bench/request_cost.py --profile 25       # and where the time goes

On 2 cores, 50 requests arriving at once finish within 100 ms only if each costs a few
milliseconds of CPU; bench/end_to_end.py measures the latency, this measures the cost
behind it. A fresh DATA_DIR (on PostgreSQL a bench database it creates), one user,
a --ledgers trial balance processed inline (the book the report and the page show),
and one small project per POST. Then, in this one warm process, each request kind
through Django's full middleware stack (the test client's handler: sessions, CSRF,
auth, token, messages, axes) and through the ASGI handler daphne runs (the same stack
plus the hop of a sync view to its thread): CPU ms (process time) and wall ms per
request, and queries per request. POST process enqueues on the real broker (the queue
file, or Redis); no worker takes the tasks.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import http.client
import logging
import os
import pstats
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from statistics import median
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "cma_bench_request_cost"
PASSWORD = "bench-pass-2024-long"
EMAIL = "cost@bench.test"


def recreate_database() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            [PG_BENCH_DB],
        )
        conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB}")
        conn.execute(f"CREATE DATABASE {PG_BENCH_DB}")


SMALL_TB = (
    "Small Traders\nTrial Balance\n1-Apr-2024 to 31-Mar-2025\n"
    "Particulars,Debit,Credit\n"
    "Purchase of Raw Material,500000,\nSundry Debtors,250000,\nCash-in-Hand,50000,\n"
    "Sales - Domestic,,700000\nEquity Share Capital,,100000\n"
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL + Redis")
    parser.add_argument("--ledgers", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=40, help="per kind and handler")
    parser.add_argument(
        "--runs", type=int, default=1, help="runs of the big book (the page lists them all)"
    )
    parser.add_argument("--profile", type=int, default=0, help="print the N top functions")
    parser.add_argument("--redis-db", type=int, default=12)
    parser.add_argument("--queries", action="store_true", help="print one request's SQL")
    parser.add_argument("--port", type=int, default=8766, help="for the daphne measured")
    parser.add_argument("--burst", type=int, default=0, help="then N clients at once")
    parser.add_argument("--rounds", type=int, default=10, help="requests per --burst client")
    parser.add_argument("--only", default="", help="comma-separated kinds to measure")
    parser.add_argument(
        "--production", action="store_true", help="DEBUG off, as deployed (default: DEBUG on)"
    )
    args = parser.parse_args()

    folder = tempfile.TemporaryDirectory(prefix="cma-cost-")
    os.environ["DATA_DIR"] = folder.name
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    if args.postgres:
        recreate_database()
        import redis

        redis_url = f"redis://127.0.0.1:6379/{args.redis_db}"
        redis.Redis.from_url(redis_url).flushdb()
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_BENCH_DB}"
        os.environ["REDIS_URL"] = redis_url
    if args.production:
        # As bench/end_to_end.py --production: behind a proxy that ends TLS, so plain
        # HTTP from this client is not redirected. The daphne measured inherits these.
        os.environ |= {
            "DEBUG": "False",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "127.0.0.1,testserver",
            "SECURE_SSL_REDIRECT": "False",
        }

    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    for name in ("django-q", "axes"):
        logging.getLogger(name).setLevel(logging.WARNING)
    measure(args, Path(folder.name))
    folder.cleanup()


def measure(args: argparse.Namespace, data: Path) -> None:
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connections
    from django.test import AsyncClient, Client
    from django.test.utils import CaptureQueriesContext

    from bench.cma_throughput import write_trial_balance
    from pipeline.runner import run_execute
    from pipeline.services import run_create
    from projects.services import api_token_issue, project_create, project_files_add, user_add

    call_command("migrate_all", verbosity=0)
    if not settings.DEBUG:
        call_command("collectstatic", interactive=False, verbosity=0)  # the page's manifest
    user, _ = user_add(email=EMAIL, firm_name="Cost & Co", role="staff", password=PASSWORD)

    book = data / "tb.xlsx"
    write_trial_balance(book, args.ledgers, seed=7)
    big = project_create(user=user, name=f"TB {args.ledgers}")
    project_files_add(
        project=big,
        uploads=[SimpleUploadedFile("trial balance.xlsx", book.read_bytes())],
        user=user,
    )
    started = time.perf_counter()
    run = run_create(subject=big, pipeline_name="cma", options={"skip_review": True})
    run_execute(run_id=run.pk)
    run.refresh_from_db()
    print(f"{args.ledgers:,}-ledger book: {run.status} in {time.perf_counter() - started:.1f} s")
    # Each press of Process adds a run and its outputs to what the page shows: the later
    # ones regenerate the report only (as after a plan is saved).
    for _ in range(args.runs - 1):
        again = run_create(
            subject=big,
            pipeline_name="cma",
            options={"skip_review": True, "start_from": "generate"},
        )
        run_execute(run_id=again.pk)

    # Projects to press Process on: one per POST (a second press is a 409).
    per_kind = args.requests + 5
    smalls = []
    for n in range(per_kind * 3 + 2 + args.burst):
        project = project_create(user=user, name=f"Small {n}")
        project_files_add(
            project=project,
            uploads=[SimpleUploadedFile("small.csv", SMALL_TB.encode())],
            user=user,
        )
        smalls.append(project.pk)

    token = api_token_issue(user=user)
    api = {"Authorization": f"Token {token}"}
    sync_token = Client()
    sync_session = Client()
    sync_session.force_login(user)
    async_token = AsyncClient()
    async_session = AsyncClient()
    async_session.force_login(user)  # sync: sets the cookie on this client

    posts = iter(smalls)

    def kinds(handler: str) -> dict:
        token_client = sync_token if handler == "sync" else async_token
        session_client = sync_session if handler == "sync" else async_session
        return {
            "POST process (token)": lambda: token_client.post(
                f"/api/v1/projects/{next(posts)}/process",
                {"skip_review": True},
                content_type="application/json",
                headers=api,
            ),
            "GET report (token)": lambda: token_client.get(
                f"/api/v1/projects/{big.pk}/report", headers=api
            ),
            # The floor: a fixed list behind the token, i.e. what the stack alone costs.
            "GET heads (token)": lambda: token_client.get("/api/v1/heads", headers=api),
            "GET project page (session)": lambda: session_client.get(f"/projects/{big.pk}/"),
        }

    expected = {"POST process (token)": 202}
    wanted = {k.strip() for k in args.only.split(",") if k.strip()}
    loop = asyncio.new_event_loop()
    rows = []
    profiles: dict[str, cProfile.Profile] = {}
    for handler in ("sync", "asgi"):
        for name, call in kinds(handler).items():
            if wanted and not any(w.lower() in name.lower() for w in wanted):
                continue

            def once(call=call):  # noqa: ANN001, ANN202
                result = call()
                return loop.run_until_complete(result) if asyncio.iscoroutine(result) else result

            for _ in range(3):  # warm: templates compiled, connections open
                response = once()
                assert response.status_code == expected.get(name, 200), (name, response)
            cpus: list[float] = []
            walls: list[float] = []
            queries = 0
            profile = cProfile.Profile() if args.profile and handler == "sync" else None
            for _ in range(args.requests):
                contexts = [CaptureQueriesContext(connections[a]) for a in connections]
                for c in contexts:
                    c.__enter__()
                c0, w0 = time.process_time(), time.perf_counter()
                if profile:
                    profile.enable()
                response = once()
                if profile:
                    profile.disable()
                cpus.append(time.process_time() - c0)
                walls.append(time.perf_counter() - w0)
                for c in contexts:
                    c.__exit__(None, None, None)
                    queries += len(c.captured_queries)
                assert response.status_code == expected.get(name, 200), (name, response)
            if profile:
                profiles[name] = profile
            if args.queries and handler == "sync":
                print(f"\n--- {name}: the last request's queries ---")
                for c in contexts:
                    for q in c.captured_queries:
                        print(f"[{c.connection.alias}] {q['sql'][:300]}")
            rows.append(
                (handler, name, median(cpus) * 1000, median(walls) * 1000, queries / len(cpus))
            )

    rows += over_http(
        args,
        posts=posts,
        report=f"/api/v1/projects/{big.pk}/report",
        page=f"/projects/{big.pk}/",
        token=token,
        cookie=f"sessionid={sync_session.cookies['sessionid'].value}",
        wanted=wanted,
    )
    setup = "PostgreSQL + Redis" if args.postgres else "embedded (SQLite)"
    print(f"\n{setup}, DEBUG={settings.DEBUG}, {args.requests} requests each, warm process")
    print("CPU and wall: the median request (daphne: the mean, from its process's CPU time;")
    print("x<N>: daphne under the --burst, its CPU per request and the p95 for wall)")
    print(f"{'handler':8} {'request':28} {'CPU ms':>8} {'wall ms':>8} {'queries':>8}")
    for handler, name, cpu, wall, queries in rows:
        print(f"{handler:8} {name:28} {cpu:8.2f} {wall:8.1f} {queries:8.1f}")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for name, profile in profiles.items():
        print(f"\n--- {name}: top {args.profile} by own time ---")
        pstats.Stats(profile).sort_stats("tottime").print_stats(args.profile)
        print(f"--- {name}: top {args.profile} by cumulative time ---")
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.profile)
    loop.close()


def over_http(
    args: argparse.Namespace,
    *,
    posts: Iterator[int],
    report: str,
    page: str,
    token: str,
    cookie: str,
    wanted: set[str],
) -> list[tuple]:
    """One daphne, as `serve` starts it, asked one request at a time: its own CPU time
    (psutil) per request is everything the web tier spends on one, Twisted's HTTP and
    the connection's open and close included."""
    import psutil
    from django.db import connections

    connections.close_all()
    daphne = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            str(args.port),
            "config.asgi:application",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    rows = []
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
                conn.request("GET", "/accounts/login/")
                conn.getresponse().read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        process = psutil.Process(daphne.pid)
        kinds = {
            "POST process (token)": lambda: ("POST", f"/api/v1/projects/{next(posts)}/process"),
            "GET report (token)": lambda: ("GET", report),
            "GET heads (token)": lambda: ("GET", "/api/v1/heads"),
            "GET project page (session)": lambda: ("GET", page),
        }
        for name, what in kinds.items():
            if wanted and not any(w.lower() in name.lower() for w in wanted):
                continue
            headers = (
                {"Cookie": cookie}
                if "session" in name
                else {"Authorization": f"Token {token}", "Content-Type": "application/json"}
            )
            expected = 202 if name.startswith("POST") else 200
            wall = 0.0
            for n in range(args.requests + 3):
                if n == 3:  # after the warm-up
                    before = process.cpu_times()
                method, path = what()
                started = time.perf_counter()
                conn.request(
                    method,
                    path,
                    body=b'{"skip_review": true}' if method == "POST" else None,
                    headers=headers,
                )
                response = conn.getresponse()
                response.read()
                if n >= 3:
                    wall += time.perf_counter() - started
                assert response.status == expected, (name, response.status)
            after = process.cpu_times()
            cpu = (after.user + after.system) - (before.user + before.system)
            n = args.requests
            rows.append(("daphne", name, cpu / n * 1000, wall / n * 1000, float("nan")))
        if args.burst:
            rows += burst(args, kinds, process=process, token=token, cookie=cookie, wanted=wanted)
    finally:
        daphne.terminate()
        daphne.wait(30)
    return rows


def burst(
    args: argparse.Namespace,
    kinds: dict,
    *,
    process: psutil.Process,
    token: str,
    cookie: str,
    wanted: set[str],
) -> list[tuple]:
    """--burst clients, each on its own keep-alive connection, send --rounds requests each,
    all starting at once (as bench/end_to_end.py's floor does, with no worker competing):
    the one daphne's latency under a burst, and its CPU per request then, which a burst
    raises above one-at-a-time (more threads, more switching)."""
    import threading

    rows = []
    for name, what in kinds.items():
        if wanted and not any(w.lower() in name.lower() for w in wanted):
            continue
        if name.startswith("POST"):
            continue  # one project per press: there are not clients x rounds of them
        headers = (
            {"Cookie": cookie}
            if "session" in name
            else {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        )
        conns = [
            http.client.HTTPConnection("127.0.0.1", args.port, timeout=60)
            for _ in range(args.burst)
        ]
        for conn in conns:
            conn.connect()
        barrier = threading.Barrier(len(conns) + 1)
        latencies: list[float] = []
        statuses: list[int] = []

        def one(
            conn: http.client.HTTPConnection,
            headers: dict = headers,
            barrier: threading.Barrier = barrier,
            latencies: list = latencies,
            statuses: list = statuses,
            what=what,  # noqa: ANN001
        ) -> None:
            barrier.wait()
            for _ in range(args.rounds):
                method, path = what()
                started = time.perf_counter()
                conn.request(method, path, headers=headers)
                response = conn.getresponse()
                response.read()
                latencies.append(time.perf_counter() - started)
                statuses.append(response.status)

        threads = [threading.Thread(target=one, args=(c,)) for c in conns]
        for t in threads:
            t.start()
        before = process.cpu_times()
        barrier.wait()
        for t in threads:
            t.join(120)
        after = process.cpu_times()
        for conn in conns:
            conn.close()
        assert set(statuses) == {200}, (name, sorted(set(statuses)))
        cpu = (after.user + after.system) - (before.user + before.system)
        ordered = sorted(latencies)
        p = [
            ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000
            for q in (0.5, 0.95, 0.99)
        ]
        print(
            f"burst x{args.burst}x{args.rounds} {name}: p50/p95/p99 "
            f"{p[0]:.0f} / {p[1]:.0f} / {p[2]:.0f} ms"
        )
        rows.append((f"x{args.burst}", name, cpu / len(latencies) * 1000, p[1], float("nan")))
    return rows


if __name__ == "__main__":
    main()

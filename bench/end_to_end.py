"""The product as users meet it: `serve` (web + worker) driven over HTTP, side by side.

    .venv/bin/python bench/end_to_end.py                  # the embedded default only
    .venv/bin/python bench/end_to_end.py --postgres       # and PostgreSQL + Redis beside it
    .venv/bin/python bench/end_to_end.py --postgres --big 0 --ledgers 5000   # quicker
    .venv/bin/python bench/end_to_end.py --postgres --clients 0   # (a) only: the books

For each configuration it starts `manage.py serve` on a fresh temporary DATA_DIR (on
PostgreSQL a bench database it creates, on Redis a database number it empties), then:
(a) a trial balance of --ledgers ledgers (and one of --big ledgers) from POST process to
the workbook ready, with the peak RSS of the worker processes; (b) the latency of POST
process with --clients clients pressing it at once, one project each; (c) GET
projects/{id}/report (token) and the project page (session) with --clients clients,
while (b)'s runs are being processed, and on PostgreSQL while another process holds
--hold connections. Before (b), a floor: GET api/v1/heads (a fixed list behind the token)
with --clients clients and the workers idle, i.e. what any request costs through daphne and
this client. Everything talks to 127.0.0.1; every loop is bounded.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.cma_throughput import write_trial_balance  # noqa: E402

PYTHON = sys.executable
HOST = "127.0.0.1"
PASSWORD = "bench-pass-2024-long"
EMAIL = "bench@bench.test"
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
RUN_TIMEOUT = 900  # seconds a run may take before the bench gives up on it
DONE = {"completed", "failed", "cancelled", "partial", "awaiting_review", "paused"}


@dataclass
class Result:
    name: str
    figures: dict[str, str] = field(default_factory=dict)


class Client:
    """One keep-alive HTTP connection, as one user's browser or script holds it."""

    def __init__(self, port: int, token: str = "", cookie: str = "") -> None:
        self.port = port
        self.token = token
        self.cookie = cookie
        self.conn = http.client.HTTPConnection(HOST, port, timeout=120)

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, bytes, dict[str, str]]:
        headers = dict(headers or {})
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        if self.cookie:
            headers["Cookie"] = self.cookie
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                return response.status, data, {k.lower(): v for k, v in response.getheaders()}
            except (http.client.HTTPException, ConnectionError, TimeoutError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=120)
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def json(self, method: str, path: str, payload: dict | None = None) -> tuple[int, dict]:
        body = json.dumps(payload or {}).encode() if method != "GET" else None
        status, data, _ = self.request(
            method, path, body, {"Content-Type": "application/json"} if body else {}
        )
        try:
            return status, json.loads(data or b"{}")
        except ValueError:  # an HTML error page: the status says what happened
            return status, {}

    def upload(self, project_id: int, path: Path, name: str) -> dict:
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
                f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
            ).encode()
            + path.read_bytes()
            + f"\r\n--{boundary}--\r\n".encode()
        )
        status, data, _ = self.request(
            "POST",
            f"/api/v1/projects/{project_id}/files",
            body,
            {"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        assert status == 201, (status, data[:500])
        return json.loads(data)


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_for_http(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/accounts/login/")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"serve did not answer on port {port} within {seconds} s")


def wait_for_cluster(root_pid: int, workers: int, seconds: float = 120) -> None:
    """Until every process of the worker cluster is up (its parent, sentinel, monitor,
    pusher and workers): a run posted earlier would time the cluster's start, not the run."""
    root = psutil.Process(root_pid)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        processes = [p for p in root.children(recursive=True) if "qcluster" in _cmdline(p)]
        if len(processes) >= workers + 4:
            time.sleep(0.5)  # the last one forked: its loop starts
            return
        time.sleep(0.1)
    raise RuntimeError(f"the worker cluster did not start within {seconds} s")


def _cmdline(process: psutil.Process) -> str:
    try:
        return " ".join(process.cmdline())
    except psutil.Error:
        return ""


def session_cookie(port: int) -> str:
    """Logs in through the login page like a browser: CSRF cookie and token, then POST."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    page = response.read().decode()
    csrf = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "").group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = f"username={EMAIL}&password={PASSWORD}&csrfmiddlewaretoken={token}".encode()
    conn.request(
        "POST",
        "/accounts/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf}",
            "Referer": f"http://{HOST}:{port}/accounts/login/",
            "Origin": f"http://{HOST}:{port}",
        },
    )
    response = conn.getresponse()
    response.read()
    cookies = ";".join(
        v.split(";", 1)[0] for k, v in response.getheaders() if k.lower() == "set-cookie"
    )
    session = re.search(r"sessionid=([^;]+)", cookies)
    assert session, f"login failed: {response.status}"
    return f"sessionid={session.group(1)}; csrftoken={csrf}"


def percentiles(values: list[float]) -> str:
    if not values:
        return "-"
    ordered = sorted(values)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000

    return f"{at(0.50):.0f} / {at(0.95):.0f} / {at(0.99):.0f} ms"


class RssWatch(threading.Thread):
    """Samples the RSS of the worker processes (qcluster's children) until stopped."""

    def __init__(self, root_pid: int) -> None:
        super().__init__(daemon=True)
        self.root = psutil.Process(root_pid)
        self.peak = 0
        self.halt = threading.Event()

    def run(self) -> None:
        while not self.halt.wait(0.1):
            try:
                for child in self.root.children(recursive=True):
                    try:
                        if "qcluster" in " ".join(child.cmdline()):
                            self.peak = max(self.peak, child.memory_info().rss)
                    except psutil.Error:
                        continue
            except psutil.Error:
                return


def cluster_cpu(root_pid: int, kind: str = "qcluster") -> float:
    """CPU seconds the worker cluster's processes (kind "daphne": the web's) have used
    so far, with the children they waited for (a forked PDF): the machine's other load
    does not count."""
    total = 0.0
    for process in psutil.Process(root_pid).children(recursive=True):
        try:
            if kind in " ".join(process.cmdline()):
                times = process.cpu_times()
                total += times.user + times.system + times.children_user + times.children_system
        except psutil.Error:
            continue
    return total


def run_to_end(client: Client, project_id: int, options: dict) -> tuple[float, str, int, int]:
    """Seconds from POST process to the run's end, its status, 5xx seen while polling, and
    the run's id."""
    errors = 0
    started = time.perf_counter()
    status, body = client.json("POST", f"/api/v1/projects/{project_id}/process", options)
    assert status == 202, (status, body)
    run_id = body["run_id"]
    deadline = time.monotonic() + RUN_TIMEOUT
    while time.monotonic() < deadline:
        status, body = client.json("GET", f"/api/v1/projects/{project_id}/progress")
        errors += status >= 500
        if status == 200 and body["status"] in DONE:
            return time.perf_counter() - started, body["status"], errors, run_id
        time.sleep(0.05)
    raise RuntimeError(f"project {project_id}'s run did not finish in {RUN_TIMEOUT} s")


def run_breakdown(client: Client, run_id: int) -> str:
    """Where a run's time went, from its own records: the wait until a worker started it,
    each step, and the rest (between steps and after the last)."""
    from datetime import datetime

    _, run = client.json("GET", f"/api/v1/runs/{run_id}")

    def at(value: str) -> datetime:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))

    created, started, finished = (at(run[k]) for k in ("created_at", "started_at", "finished_at"))
    parts = [f"queue {(started - created).total_seconds():.2f}"]
    stepped = 0.0
    for step in run["steps"]:
        if step["started_at"] and step["completed_at"]:
            seconds = (at(step["completed_at"]) - at(step["started_at"])).total_seconds()
            stepped += seconds
            parts.append(f"{step['name']} {seconds:.2f}")
    parts.append(f"between {(finished - started).total_seconds() - stepped:.2f}")
    return ", ".join(parts) + " s"


def hold_connections(count: int, seconds: float) -> None:
    """The other program sharing the database: holds `count` connections, then lets go."""
    import psycopg

    held = []
    for _ in range(count):
        try:
            held.append(psycopg.connect(PG_ADMIN))
        except psycopg.OperationalError:
            break  # the server is full: the product already holds the rest
    print(len(held), flush=True)
    # Until the bench closes our stdin, or `seconds` at most.
    reader = threading.Thread(target=sys.stdin.read, daemon=True)
    reader.start()
    reader.join(seconds)
    for conn in held:
        conn.close()


def product_connections(database: str) -> int:
    import psycopg

    with psycopg.connect(PG_ADMIN) as conn:
        return conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [database]
        ).fetchone()[0]


def recreate_database(database: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            [database],
        )
        conn.execute(f"DROP DATABASE IF EXISTS {database}")
        conn.execute(f"CREATE DATABASE {database}")


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def small_trial_balance(path: Path) -> None:
    path.write_text(
        "Small Traders\nTrial Balance\n1-Apr-2024 to 31-Mar-2025\n"
        "Particulars,Debit,Credit\n"
        "Purchase of Raw Material,500000,\nSundry Debtors,250000,\nCash-in-Hand,50000,\n"
        "Sales - Domestic,,700000\nEquity Share Capital,,100000\n"
    )


def bench_configuration(name: str, env_extra: dict[str, str], args: argparse.Namespace) -> Result:
    result = Result(name)
    with tempfile.TemporaryDirectory(prefix="cma-e2e-") as folder:
        data = Path(folder)
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
        env |= {"DATA_DIR": str(data), "PORT": str(args.port), **env_extra}
        if args.production:
            # As deployed (README "Production"), behind a proxy that ends TLS: no debug
            # query log; plain HTTP from this client is not redirected.
            env |= {"DEBUG": "False", "SECRET_KEY": secrets.token_urlsafe(64),
                    "ALLOWED_HOSTS": HOST, "SECURE_SSL_REDIRECT": "False"}  # fmt: skip
        manage(env, "migrate_all", "--verbosity", "0")
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")  # as `make run` does
        manage(env, "add_user", EMAIL, "--firm", "Bench & Co", "--role", "staff",
               "--password", PASSWORD)  # fmt: skip
        big = data / "big-tb.xlsx"
        small = data / "small-tb.csv"
        small_trial_balance(small)
        launched = time.perf_counter()
        serve = subprocess.Popen(
            [PYTHON, "manage.py", "serve", "--port", str(args.port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL if not args.verbose else None,
            stderr=subprocess.DEVNULL if not args.verbose else None,
            start_new_session=True,
        )
        try:
            wait_for_http(args.port)
            wait_for_cluster(serve.pid, int(env.get("Q_WORKERS", "2")))
            result.figures["serve started to every worker up"] = (
                f"{time.perf_counter() - launched:.1f} s"
            )
            anon = Client(args.port)
            status, body = anon.json(
                "POST", "/api/v1/auth/token", {"username": EMAIL, "password": PASSWORD}
            )
            assert status == 200, body
            client = Client(args.port, token=body["token"])
            options = {"skip_review": True}

            # (a) one big book, then a bigger one, each through the whole pipeline.
            for ledgers in [n for n in (args.ledgers, args.big) if n]:
                write_trial_balance(big, ledgers, seed=7)
                _, project = client.json("POST", "/api/v1/projects", {"name": f"TB {ledgers}"})
                client.upload(project["id"], big, f"trial balance {ledgers}.xlsx")
                watch = RssWatch(serve.pid)
                watch.start()
                cpu = cluster_cpu(serve.pid)
                seconds, status, errors, run_id = run_to_end(client, project["id"], options)
                cpu = cluster_cpu(serve.pid) - cpu
                watch.halt.set()
                watch.join()
                result.figures[f"(a) {ledgers:,} ledgers, process to workbook"] = (
                    f"{seconds:.1f} s ({status}; 5xx while polling: {errors})"
                )
                result.figures[f"(a) {ledgers:,} ledgers, the run's records"] = run_breakdown(
                    client, run_id
                )
                result.figures[f"(a) {ledgers:,} ledgers, CPU of the worker cluster"] = (
                    f"{cpu:.1f} s"
                )
                result.figures[f"(a) {ledgers:,} ledgers, peak worker RSS"] = (
                    f"{watch.peak / 2**20:.0f} MiB"
                )
                report_project = project["id"]

            if not args.clients:
                return result  # --clients 0: the books only
            # The floor under (b) and (c): the cheapest authenticated request (a fixed
            # list, one token query), as many at once, with the workers idle. What it
            # costs is daphne's, Django's and this client's own, not the product's.
            web_cpu, own_cpu = cluster_cpu(serve.pid, "daphne"), time.process_time()
            latencies, codes = concurrent_gets(
                args.port,
                "/api/v1/heads",
                clients=args.clients,
                rounds=args.rounds,
                token=client.token,
                cookie="",
            )
            result.figures[f"(floor) GET heads x{args.clients}, p50/p95/p99"] = percentiles(
                latencies
            )
            web_cpu = cluster_cpu(serve.pid, "daphne") - web_cpu
            own_cpu = time.process_time() - own_cpu
            result.figures["(floor) GET heads answers"] = summary(codes)
            result.figures["(floor) CPU per request: web / this client"] = (
                f"{web_cpu / len(codes) * 1000:.1f} / {own_cpu / len(codes) * 1000:.1f} ms"
            )
            # (b) many users press Process at the same moment, one project each.
            projects = []
            for n in range(args.clients):
                _, project = client.json("POST", "/api/v1/projects", {"name": f"Small {n}"})
                client.upload(project["id"], small, "small trial balance.csv")
                projects.append(project["id"])
            clients = [Client(args.port, token=client.token) for _ in projects]
            for c in clients:  # connected, as users' already-open pages are
                c.json("GET", "/api/v1/projects?page=1")
            latencies: list[float] = []
            codes: list[int] = []
            barrier = threading.Barrier(len(clients))

            def press(c: Client, project_id: int) -> None:
                barrier.wait()
                started = time.perf_counter()
                status, _ = c.json("POST", f"/api/v1/projects/{project_id}/process", options)
                latencies.append(time.perf_counter() - started)
                codes.append(status)

            web_cpu = cluster_cpu(serve.pid, "daphne")
            threads = [
                threading.Thread(target=press, args=(c, p))
                for c, p in zip(clients, projects, strict=True)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join(300)
            result.figures[f"(b) POST process x{args.clients}, p50/p95/p99"] = percentiles(
                latencies
            )
            result.figures["(b) POST process answers"] = summary(codes)
            result.figures["(b) web CPU per POST"] = (
                f"{(cluster_cpu(serve.pid, 'daphne') - web_cpu) / len(codes) * 1000:.1f} ms"
            )

            # (c) reads while (b)'s runs are processed, and another program holds
            # connections on PostgreSQL.
            holder = None
            if "DATABASE_URL" in env_extra and args.hold:
                holder = subprocess.Popen(
                    [PYTHON, __file__, "--hold-connections", str(args.hold)],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                )
                held = holder.stdout.readline().strip()
                result.figures["(c) connections held by the other program"] = held
            cookie = session_cookie(args.port)
            for path, label, kind in (
                (f"/api/v1/projects/{report_project}/report", "report GET", "token"),
                (f"/projects/{report_project}/", "project page GET", "session"),
            ):
                web_cpu = cluster_cpu(serve.pid, "daphne")
                latencies, codes = concurrent_gets(
                    args.port,
                    path,
                    clients=args.clients,
                    rounds=args.rounds,
                    token=client.token if kind == "token" else "",
                    cookie=cookie if kind == "session" else "",
                )
                result.figures[f"(c) {label} x{args.clients}, p50/p95/p99"] = percentiles(latencies)
                result.figures[f"(c) {label} answers"] = summary(codes)
                web_cpu = cluster_cpu(serve.pid, "daphne") - web_cpu
                result.figures[f"(c) web CPU per {label}"] = f"{web_cpu / len(codes) * 1000:.1f} ms"
            if holder is not None:
                holder.stdin.close()
                holder.wait(30)
            if "DATABASE_URL" in env_extra:
                # After the other program let go: on a shared server it may be full.
                result.figures["(c) the product's connections after (c)"] = str(
                    product_connections(args.database)
                )
            # (b)'s runs finish before the next configuration starts.
            deadline = time.monotonic() + RUN_TIMEOUT
            while time.monotonic() < deadline:
                states = [
                    client.json("GET", f"/api/v1/projects/{p}/progress")[1].get("status")
                    for p in projects
                ]
                if all(s in DONE for s in states):
                    break
                time.sleep(1)
            result.figures[f"(b) the {args.clients} runs"] = summary_states(states)
        finally:
            os.killpg(serve.pid, signal.SIGTERM)
            try:
                serve.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(serve.pid, signal.SIGKILL)
    return result


def concurrent_gets(
    port: int, path: str, *, clients: int, rounds: int, token: str, cookie: str
) -> tuple[list[float], list[int]]:
    readers = [Client(port, token=token, cookie=cookie) for _ in range(clients)]
    latencies: list[float] = []
    codes: list[int] = []
    barrier = threading.Barrier(len(readers))

    def read(c: Client) -> None:
        barrier.wait()
        for _ in range(rounds):
            started = time.perf_counter()
            try:
                status, _, _ = c.request("GET", path)
            except OSError:
                status = 599
            latencies.append(time.perf_counter() - started)
            codes.append(status)

    threads = [threading.Thread(target=read, args=(c,)) for c in readers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    return latencies, codes


def summary(codes: list[int]) -> str:
    counts = {code: codes.count(code) for code in sorted(set(codes))}
    fives = sum(n for code, n in counts.items() if code >= 500)
    return ", ".join(f"{n}x {code}" for code, n in counts.items()) + f" (5xx: {fives})"


def summary_states(states: list[str | None]) -> str:
    return ", ".join(f"{states.count(s)} {s}" for s in sorted(set(states), key=str))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true", help="also PostgreSQL + Redis")
    parser.add_argument("--only-postgres", action="store_true")
    parser.add_argument("--ledgers", type=int, default=20_000)
    parser.add_argument("--big", type=int, default=100_000, help="0 skips it")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=10, help="GETs per client in (c)")
    parser.add_argument("--hold", type=int, default=80, help="PostgreSQL connections held")
    parser.add_argument("--redis-db", type=int, default=13)
    parser.add_argument(
        "--database", default="cma_bench_e2e", help="PostgreSQL database (dropped, created)"
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument(
        "--production", action="store_true", help="DEBUG off, as deployed (default: make run's)"
    )
    parser.add_argument("--hold-connections", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.hold_connections:
        hold_connections(args.hold_connections, seconds=600)
        return

    results = []
    if not args.only_postgres:
        results.append(bench_configuration("embedded (SQLite)", {}, args))
    if args.postgres or args.only_postgres:
        recreate_database(args.database)
        redis_url = f"redis://127.0.0.1:6379/{args.redis_db}"
        flush_redis(redis_url)
        pg = {"DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.database}",
              "REDIS_URL": redis_url}  # fmt: skip
        results.append(bench_configuration("PostgreSQL + Redis", pg, args))
    keys = list(dict.fromkeys(k for r in results for k in r.figures))
    width = max(len(k) for k in keys)
    print()
    print(" | ".join(["measure".ljust(width), *(r.name for r in results)]))
    for key in keys:
        print(" | ".join([key.ljust(width), *(r.figures.get(key, "-") for r in results)]))
    setup = "DEBUG off (--production)" if args.production else "DEBUG on (make run's default)"
    print(f"\nmachine: {os.cpu_count()} cores; {setup}; one run of each measure")


if __name__ == "__main__":
    main()

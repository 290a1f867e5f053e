"""Faults against the running product: does every run still finish, once, whole?

    .venv/bin/python bench/chaos.py              # both setups, ~6 min of faults each
    .venv/bin/python bench/chaos.py --quick      # both setups, ~2 min each
    .venv/bin/python bench/chaos.py --only embedded --seconds 120

For each setup it starts `manage.py serve` (daphnes + `supervise --cluster`) on a fresh
temporary DATA_DIR (PostgreSQL: a bench database it creates; Redis: a private
redis-server on a free port, never the machine's shared one), makes --projects projects
with a small trial balance, and keeps every project processing (Process again as soon as
its run ends) while it injects, at random moments: SIGKILL of one cluster process (a
worker, the monitor or the pusher), SIGKILL of the whole cluster (qcluster and all its
children), one Redis stop and restart mid-run (PostgreSQL + Redis only; the private
server, its data not saved), and one SIGTERM of `serve` mid-run (then `serve` again).

Then it stops the faults, lets every run settle, and prints: runs lost (never ended),
runs stuck > 60 s after the faults stopped, runs failed (and by what), duplicated line
items and outputs, orphan output files, 5xx answers, how long `serve` took to stop and
what it left, and the longest recovery (a fault to the next run completing).
Everything talks to 127.0.0.1; every wait is bounded.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.end_to_end import (  # noqa: E402
    EMAIL,
    PASSWORD,
    PG_ADMIN,
    PYTHON,
    Client,
    manage,
    small_trial_balance,
    wait_for_http,
)
from tests.processes import free_port  # noqa: E402

PG_CHAOS_DB = "cma_bench_chaos"
DONE = {"completed", "failed", "cancelled", "partial", "awaiting_review", "paused"}
SETTLE_SECONDS = 60  # after the faults, a run still not ended by then is stuck
STOP_WAIT_SECONDS = 30


@dataclass
class Tally:
    name: str
    kills_process: int = 0
    kills_cluster: int = 0
    redis_stops: int = 0
    serve_sigterms: int = 0
    serve_stop_seconds: list[float] = field(default_factory=list)
    serve_leftovers: int = 0
    answers: dict[int, int] = field(default_factory=dict)
    refused: int = 0
    runs_started: int = 0
    faults_at: list[float] = field(default_factory=list)
    completions_at: list[float] = field(default_factory=list)
    # Per run, Process to its end as the user saw it (polling every 0.3 s).
    run_seconds: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, status: int) -> None:
        with self.lock:
            self.answers[status] = self.answers.get(status, 0) + 1

    def longest_recovery(self, until: float) -> float:
        """Per fault, seconds until the next run completed (or `until`): the longest."""
        done = sorted(self.completions_at)
        longest = 0.0
        for at in self.faults_at:
            after = next((c for c in done if c > at), until)
            longest = max(longest, after - at)
        return longest


class Product:
    """`serve` on a port, restartable, with the processes it owns."""

    def __init__(self, env: dict[str, str], port: int, log: Path) -> None:
        self.env, self.port, self.log = env, port, log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(
                [PYTHON, "manage.py", "serve", "--port", str(self.port)],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for_http(self.port, 90)

    def tree(self) -> list[psutil.Process]:
        try:
            return psutil.Process(self.process.pid).children(recursive=True)
        except psutil.Error:
            return []

    def cluster_main(self) -> psutil.Process | None:
        for proc in self.tree():
            try:
                cmd = " ".join(proc.cmdline())
                parent = " ".join(proc.parent().cmdline())
            except psutil.Error:
                continue
            if "qcluster" in cmd and "qcluster" not in parent:
                return proc
        return None

    def cluster_processes(self) -> list[psutil.Process]:
        """The sentinel's children: the workers, the monitor and the pusher."""
        main = self.cluster_main()
        if main is None:
            return []
        try:
            return [p for s in main.children() for p in s.children()]
        except psutil.Error:
            return []

    def sigterm(self) -> tuple[float, int]:
        """SIGTERM to serve as systemd would: seconds to exit, processes left behind."""
        assert self.process is not None
        session = self.process.pid
        members = [self.process.pid, *(p.pid for p in self.tree())]
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(STOP_WAIT_SECONDS)
        seconds = time.monotonic() - started
        time.sleep(0.5)
        left = [pid for pid in members if psutil.pid_exists(pid) and _alive(pid)]
        for pid in left:  # the bench cleans up what serve did not
            _kill(pid)
        with contextlib.suppress(OSError):
            os.killpg(session, signal.SIGKILL)
        return seconds, len(left)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.sigterm()


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _kill(pid: int) -> bool:
    try:
        os.kill(pid, signal.SIGKILL)
        return True
    except OSError:
        return False


class PrivateRedis:
    """A redis-server of the bench's own on a free port: stopping it harms no one else."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if (
                subprocess.run(
                    ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True
                ).stdout.strip()
                == "PONG"
            ):
                return
            time.sleep(0.1)
        raise RuntimeError("the private redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


def recreate_database() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            [PG_CHAOS_DB],
        )
        conn.execute(f"DROP DATABASE IF EXISTS {PG_CHAOS_DB}")
        conn.execute(f"CREATE DATABASE {PG_CHAOS_DB}")


CHECKS = """
import json
from collections import Counter
from pathlib import Path
from django.conf import settings
from django.db.models import Count
from pipeline.models import Run
from projects.models import LineItem, Output
runs = dict(Counter(Run.objects.values_list("status", flat=True)))
errors = Run.objects.filter(status="failed").values_list("error", flat=True)
failed = dict(Counter((error or "?")[:70] for error in errors))
# order_by(): the models' default ordering would split the groups.
key = ("project_id", "file_id", "year", "label", "side")
dup_items = LineItem.objects.order_by().values(*key).annotate(n=Count("id")).filter(n__gt=1).count()
items = dict(Counter(LineItem.objects.values_list("project_id", flat=True)))
# A run makes a workbook and a PDF: a duplicate is a second file of one name for one run.
per_run = Output.objects.order_by().values("run_id", "name").annotate(n=Count("id"))
dup_outputs = per_run.filter(n__gt=1).count()
completed = Run.objects.filter(status="completed").count()
with_output = (
    Output.objects.filter(run__status="completed").order_by().values("run_id").distinct().count()
)
root = Path(settings.MEDIA_ROOT)
known = set(Output.objects.values_list("file", flat=True))
folder = root / "outputs"
files = [p.relative_to(root).as_posix() for p in folder.rglob("*") if p.is_file()]
orphans = [name for name in files if name not in known]
missing = sum(1 for name in known if not (root / name).is_file())
print(json.dumps({"runs": runs, "failed": failed, "dup_items": dup_items, "items": items,
  "dup_outputs": dup_outputs, "completed": completed, "completed_without_output":
  completed - with_output, "orphans": len(orphans), "outputs_missing_file": missing}))
"""


def checks(env: dict[str, str]) -> dict:
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", CHECKS],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


class Driver(threading.Thread):
    """Keeps one project processing: Process, poll, Process again once it ended."""

    def __init__(self, port: int, token: str, project_id: int, tally: Tally) -> None:
        super().__init__(daemon=True)
        self.client = Client(port, token=token)
        self.project_id = project_id
        self.tally = tally
        self.pressing = threading.Event()
        self.pressing.set()
        self.halt = threading.Event()
        self.active_since: float | None = None
        self.last_status = ""

    def call(self, method: str, path: str, payload: dict | None = None) -> tuple[int, dict]:
        try:
            status, body = self.client.json(method, path, payload)
        except OSError:
            with self.tally.lock:
                self.tally.refused += 1
            time.sleep(0.5)
            return 0, {}
        self.tally.answer(status)
        return status, body

    def run(self) -> None:
        base = f"/api/v1/projects/{self.project_id}"
        while not self.halt.is_set():
            status, body = self.call("GET", f"{base}/progress")
            state = body.get("status", "") if status == 200 else ""
            if state and state != self.last_status and state == "completed":
                with self.tally.lock:
                    self.tally.completions_at.append(time.monotonic())
            if state:
                self.last_status = state
            if status == 404 or state in DONE:
                if self.active_since is not None:
                    with self.tally.lock:
                        self.tally.run_seconds.append(time.monotonic() - self.active_since)
                self.active_since = None
                if self.pressing.is_set():
                    code, _ = self.call("POST", f"{base}/process", {"skip_review": True})
                    if code == 202:
                        with self.tally.lock:
                            self.tally.runs_started += 1
                        self.last_status = "queued"
                        self.active_since = time.monotonic()
            elif state and self.active_since is None:
                self.active_since = time.monotonic()
            time.sleep(0.3)


def run_setup(name: str, env_extra: dict[str, str], args: argparse.Namespace) -> dict:
    tally = Tally(name)
    rng = random.Random(args.seed)
    redis: PrivateRedis | None = None
    with tempfile.TemporaryDirectory(prefix="cma-chaos-") as folder:
        data = Path(folder)
        if name != "embedded":
            redis = PrivateRedis(data)
            redis.start()
            env_extra = {**env_extra, "REDIS_URL": redis.url}
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
        env |= {"DATA_DIR": str(data), **env_extra}
        manage(env, "migrate_all", "--verbosity", "0")
        manage(env, "add_user", EMAIL, "--firm", "Chaos & Co", "--role", "staff",
               "--password", PASSWORD)  # fmt: skip
        small = data / "small-tb.csv"
        small_trial_balance(small)
        port = free_port()
        product = Product(env, port, data / "serve.log")
        product.start()
        drivers: list[Driver] = []
        try:
            anon = Client(port)
            status, body = anon.json(
                "POST", "/api/v1/auth/token", {"username": EMAIL, "password": PASSWORD}
            )
            assert status == 200, body
            client = Client(port, token=body["token"])
            for n in range(args.projects):
                _, project = client.json("POST", "/api/v1/projects", {"name": f"Chaos {n}"})
                client.upload(project["id"], small, "small trial balance.csv")
                drivers.append(Driver(port, body["token"], project["id"], tally))
            for driver in drivers:
                driver.start()
            time.sleep(3)  # the first runs under way before the first fault

            started = time.monotonic()
            end = started + args.seconds
            redis_at = started + args.seconds * 0.35 if redis else None
            sigterm_at = started + args.seconds * 0.65
            while time.monotonic() < end:
                time.sleep(rng.uniform(args.min_gap, args.max_gap))
                now = time.monotonic()
                if redis_at is not None and now >= redis_at:
                    redis_at = None
                    redis.stop()
                    tally.redis_stops += 1
                    tally.faults_at.append(now)
                    time.sleep(args.redis_down)
                    redis.start()
                    continue
                if sigterm_at is not None and now >= sigterm_at:
                    sigterm_at = None
                    seconds, left = product.sigterm()
                    tally.serve_sigterms += 1
                    tally.serve_stop_seconds.append(seconds)
                    tally.serve_leftovers += left
                    tally.faults_at.append(time.monotonic())
                    product.start()
                    continue
                if rng.random() < args.cluster_share:
                    main = product.cluster_main()
                    if main is not None:
                        try:
                            family = [main, *main.children(recursive=True)]
                        except psutil.Error:
                            family = [main]
                        for proc in family:
                            _kill(proc.pid)
                        tally.kills_cluster += 1
                        tally.faults_at.append(now)
                else:
                    victims = product.cluster_processes()
                    if victims and _kill(rng.choice(victims).pid):
                        tally.kills_process += 1
                        tally.faults_at.append(now)

            # No more faults: no new runs either; every run must now end.
            faults_over = time.monotonic()
            for driver in drivers:
                driver.pressing.clear()
            deadline = faults_over + SETTLE_SECONDS
            while time.monotonic() < deadline and not all(d.active_since is None for d in drivers):
                time.sleep(0.5)
            stuck = sum(1 for d in drivers if d.active_since is not None)
            # Beyond the 60 s, a bounded wait to tell stuck from lost.
            deadline = time.monotonic() + args.lost_after
            while time.monotonic() < deadline and not all(d.active_since is None for d in drivers):
                time.sleep(1)
            lost = sum(1 for d in drivers if d.active_since is not None)
            settled = time.monotonic()
        finally:
            for driver in drivers:
                driver.halt.set()
            for driver in drivers:
                driver.join(10)
            product.stop()
        found = checks(env)
        if redis is not None:
            redis.stop()
    # 503 with Retry-After is the designed answer while Redis or the database is down.
    fives = {code: n for code, n in tally.answers.items() if code >= 500 and code != 503}
    return {
        "setup": name,
        "SIGKILLs (cluster processes / whole clusters)": (
            f"{tally.kills_process + tally.kills_cluster} "
            f"({tally.kills_process} / {tally.kills_cluster})"
        ),
        "Redis stops / serve SIGTERMs": f"{tally.redis_stops} / {tally.serve_sigterms}",
        "runs started": str(tally.runs_started),
        "runs by status": ", ".join(f"{n} {s}" for s, n in sorted(found["runs"].items())),
        "runs lost (never ended)": str(lost),
        "runs that took > 60 s from Process to end (longest)": (
            f"{sum(1 for t in tally.run_seconds if t > 60)} "
            f"({max(tally.run_seconds, default=0):.1f} s)"
        ),
        f"runs stuck > {SETTLE_SECONDS} s after the faults": str(stuck),
        "failed runs, by error": json.dumps(found["failed"]) if found["failed"] else "0",
        "duplicated line items / outputs": f"{found['dup_items']} / {found['dup_outputs']}",
        "line items per project": ", ".join(f"{n}" for n in sorted(set(found["items"].values()))),
        "completed runs without a workbook": str(found["completed_without_output"]),
        "orphan output files / outputs missing their file": (
            f"{found['orphans']} / {found['outputs_missing_file']}"
        ),
        "5xx answers (503 aside)": json.dumps(fives) if fives else "0",
        "503 answers (Redis or database down)": str(tally.answers.get(503, 0)),
        "refused connections (serve restarting)": str(tally.refused),
        "serve SIGTERM: seconds to stop / processes left": (
            ", ".join(f"{s:.1f}" for s in tally.serve_stop_seconds) + f" / {tally.serve_leftovers}"
        ),
        "longest recovery (fault to next run completed)": (
            f"{tally.longest_recovery(settled):.1f} s"
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="~2 minutes of faults a setup")
    parser.add_argument("--only", choices=["embedded", "postgres"])
    parser.add_argument("--seconds", type=float, help="faults for this long per setup")
    parser.add_argument("--projects", type=int, default=6)
    parser.add_argument("--min-gap", type=float, default=2.0)
    parser.add_argument("--max-gap", type=float, default=8.0)
    parser.add_argument("--cluster-share", type=float, default=0.3, help="kills of whole clusters")
    parser.add_argument("--redis-down", type=float, default=10.0, help="seconds Redis is down")
    parser.add_argument("--lost-after", type=float, default=120.0)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    if args.seconds is None:
        args.seconds = 120.0 if args.quick else 330.0
    if args.quick:
        args.min_gap, args.max_gap = 1.5, 5.0

    results = []
    if args.only in (None, "embedded"):
        results.append(run_setup("embedded", {}, args))
    if args.only in (None, "postgres"):
        recreate_database()
        url = f"postgres://postgres@127.0.0.1:5432/{PG_CHAOS_DB}"
        results.append(run_setup("PostgreSQL + Redis", {"DATABASE_URL": url}, args))
    keys = [k for k in results[0] if k != "setup"]
    width = max(len(k) for k in keys)
    print()
    print(" | ".join(["measure".ljust(width), *(r["setup"] for r in results)]))
    for key in keys:
        print(" | ".join([key.ljust(width), *(r.get(key, "-") for r in results)]))
    print(f"\nmachine: {os.cpu_count()} cores; {args.seconds:.0f} s of faults a setup")


if __name__ == "__main__":
    main()

"""Engine overhead per step, against a bare django-q2 task chain, and runs per minute.

    .venv/bin/python bench/pipeline_engine.py                      # embedded default
    .venv/bin/python bench/pipeline_engine.py --database-url postgres://postgres@127.0.0.1/postgres

Works in a throwaway DATA_DIR (and, with --database-url, a throwaway database it
creates next to the one named and drops at the end). Prints one figure a line.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--inline-runs", type=int, default=30)
    parser.add_argument("--worker-runs", type=int, default=5)
    parser.add_argument("--throughput-runs", type=int, default=40)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--redis-url", default="")
    return parser.parse_args()


def setup_environment(args: argparse.Namespace) -> str | None:
    data_dir = tempfile.mkdtemp(prefix="cma-bench-")
    os.environ.update(
        {
            "DATA_DIR": data_dir,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PIPELINE_MODULES": "bench.noop",
            "BENCH_STEPS": str(args.steps),
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    bench_db = None
    if args.database_url:
        import psycopg

        base = args.database_url.rsplit("/", 1)[0]
        bench_db = f"cma_bench_{os.getpid()}"
        with psycopg.connect(args.database_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{bench_db}"')
        os.environ["DATABASE_URL"] = f"{base}/{bench_db}"
    if args.redis_url:
        os.environ["REDIS_URL"] = args.redis_url
    return bench_db


def drop_database(args: argparse.Namespace, name: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(args.database_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_projects(count: int) -> list:
    from django.core.files.base import ContentFile

    from projects.models import ProjectFile
    from projects.services import project_create, user_add

    user, _ = user_add(email="bench@bench.test", firm_name="Bench & Co", role="staff", password="x")
    projects = []
    for i in range(count):
        project = project_create(user=user, name=f"Bench {i}")
        ProjectFile.objects.create(
            project=project,
            file=ContentFile(b"a,b\n1,2\n", name="tb.csv"),
            name="tb.csv",
            size=8,
            sha256=f"{i:064d}",
            kind="csv",
        )
        projects.append(project)
    return projects, user


def start_cluster(workers: int) -> subprocess.Popen:
    env = {**os.environ, "Q_WORKERS": str(workers)}
    return subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop_cluster(cluster: subprocess.Popen) -> None:
    import signal

    cluster.send_signal(signal.SIGINT)
    try:
        cluster.wait(timeout=20)
    except subprocess.TimeoutExpired:
        cluster.kill()


def wait(condition, timeout: float = 300) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError
        time.sleep(0.005)


def main() -> None:
    args = parse()
    bench_db = setup_environment(args)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate_all", verbosity=0)
    from django_q.models import Task
    from django_q.tasks import async_chain

    from pipeline import runner, services
    from pipeline.models import Run

    backend = connection.vendor + (" + redis" if settings.REDIS_URL else "")
    print(f"backend: {backend}; steps per run: {args.steps}; python {sys.version.split()[0]}")
    projects, _ = make_projects(max(args.inline_runs, args.worker_runs, args.throughput_runs))
    try:
        # 1. The engine alone, in this process: everything a step costs but the step.
        per_step = []
        for project in projects[: args.inline_runs]:
            run = services.run_create(subject=project, pipeline_name="noop", options={})
            started = time.perf_counter()
            runner.run_execute(run_id=run.pk)
            per_step.append((time.perf_counter() - started) * 1000 / args.steps)
        Run.objects.all().delete()
        print(
            f"engine overhead per step, in-process: p50 {statistics.median(per_step):.2f} ms, "
            f"max {max(per_step):.2f} ms ({args.inline_runs} runs)"
        )

        # 2. Through a real worker: a run of N no-op steps against a chain of N no-op tasks.
        cluster = start_cluster(1)
        try:
            time.sleep(3)
            chain_ms, run_ms = [], []
            for i in range(args.worker_runs):
                started = time.perf_counter()
                group = async_chain([("bench.noop.bare_task",)] * args.steps)
                wait(lambda group=group: Task.objects.filter(group=group).count() == args.steps)
                chain_ms.append((time.perf_counter() - started) * 1000 / args.steps)

                started = time.perf_counter()
                run = services.run_create(subject=projects[i], pipeline_name="noop", options={})
                wait(lambda run=run: Run.objects.filter(pk=run.pk, status="completed").exists())
                run_ms.append((time.perf_counter() - started) * 1000 / args.steps)
            print(
                f"through a worker, per step: engine run {statistics.median(run_ms):.1f} ms, "
                f"bare django-q2 chain {statistics.median(chain_ms):.1f} ms per task "
                f"(medians of {args.worker_runs})"
            )
        finally:
            stop_cluster(cluster)
        Run.objects.all().delete()

        # 3. Throughput: many projects' runs, two workers.
        cluster = start_cluster(2)
        try:
            time.sleep(3)
            started = time.perf_counter()
            for project in projects[: args.throughput_runs]:
                services.run_create(subject=project, pipeline_name="noop", options={})
            wait(lambda: Run.objects.filter(status="completed").count() == args.throughput_runs)
            elapsed = time.perf_counter() - started
        finally:
            stop_cluster(cluster)
        print(
            f"runs per minute with 2 workers: {args.throughput_runs / elapsed * 60:.0f} "
            f"({args.throughput_runs} runs of {args.steps} steps in {elapsed:.1f} s)"
        )
    finally:
        if bench_db:
            drop_database(args, bench_db)


if __name__ == "__main__":
    main()

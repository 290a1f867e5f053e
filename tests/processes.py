"""Real processes for tests that cross them: a daphne and a django-q2 cluster.

They run with CMA_TEST_CHILD=1, so they open the test session's own databases.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
ASGI_APP = "config.asgi:application"


def child_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "CMA_TEST_CHILD": "1",
        "PIPELINE_MODULES": "",
        "PIPELINE_HEARTBEAT_SECONDS": "1",
        "PIPELINE_STALE_SECONDS": "4",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            for child in psutil.Process(process.pid).children(recursive=True):
                child.kill()
            process.kill()
            process.wait()


@contextmanager
def daphne(tmp_path: Path, **env: str) -> Iterator[str]:
    """A daphne serving config.asgi on a free port; yields its base URL."""
    port = free_port()
    log = open(tmp_path / "daphne.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), ASGI_APP],
        cwd=ROOT,
        env=child_env(**env),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((tmp_path / "daphne.log").read_text()) from None
                time.sleep(0.1)
        yield f"127.0.0.1:{port}"
    finally:
        _stop(process)
        log.close()


@contextmanager
def qcluster(tmp_path: Path, workers: int = 1, **env: str) -> Iterator[subprocess.Popen]:
    """A real django-q2 cluster; yields its process (its workers are its children)."""
    log = open(tmp_path / "qcluster.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=ROOT,
        env=child_env(Q_WORKERS=str(workers), **env),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield process
    finally:
        _stop(process)
        log.close()


def worker_pids(cluster: subprocess.Popen) -> list[int]:
    return [child.pid for child in psutil.Process(cluster.pid).children(recursive=True)]


def wait_for(condition, timeout: float = 30.0, interval: float = 0.1, message: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message or condition}")

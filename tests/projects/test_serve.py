"""`serve` starts several daphnes on one port, and the worker; all stop together."""

import http.client
import signal
import subprocess
import sys
import time

import psutil
import pytest

from tests.processes import ROOT, child_env, free_port


def ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.mark.parametrize(
    ("stop_signal", "options", "started_with"),
    [
        pytest.param(signal.SIGINT, ["--web-processes", "2"], None, id="sigint"),
        # A shell script's background job starts with SIGINT ignored, and so do its
        # children: SIGTERM must still stop them all. Without --web-processes: as many
        # daphnes as WEB_PROCESSES' default, 2. (It was a test of its own in
        # test_commands.py that started a second serve for what this one proves.)
        pytest.param(signal.SIGTERM, [], ignore_sigint, id="sigterm-with-sigint-ignored"),
    ],
)
@pytest.mark.django_db(transaction=True)
def test_serve_runs_several_daphnes_on_one_port_and_stops_them_all(
    tmp_path, stop_signal, options, started_with
):
    port = free_port()
    log = open(tmp_path / "serve.log", "w")  # noqa: SIM115 - closed below
    serve = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(port), *options],
        cwd=ROOT,
        env=child_env(),
        stdout=log,
        stderr=subprocess.STDOUT,
        preexec_fn=started_with,
    )
    try:
        deadline = time.monotonic() + 40
        statuses = []
        while time.monotonic() < deadline and len(statuses) < 6:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/accounts/login/")
                statuses.append(conn.getresponse().status)
                conn.close()
            except OSError:
                assert serve.poll() is None, (tmp_path / "serve.log").read_text()
                time.sleep(0.2)
        assert statuses == [200] * 6
        children = psutil.Process(serve.pid).children()
        webs = [c for c in children if "daphne" in c.cmdline()]
        assert len(webs) == 2
        assert all("--fd" in c.cmdline() for c in webs)
        [supervisor] = [c for c in children if "supervise" in c.cmdline()]
        assert "--cluster" in supervisor.cmdline()
        # The cluster's parent and its workers, under the supervisor.
        while time.monotonic() < deadline and len(qcluster_processes(serve)) < 3:
            time.sleep(0.2)
        assert len(qcluster_processes(serve)) >= 3
        everything = psutil.Process(serve.pid).children(recursive=True)
    finally:
        serve.send_signal(stop_signal)
        serve.wait(30)
        log.close()
    # Stopped in time, nothing killed, and nothing left behind: daphnes, supervisor,
    # qcluster and each of its workers.
    assert serve.returncode == 0
    assert "killed" not in (tmp_path / "serve.log").read_text()
    assert all(gone(c) for c in everything)


def qcluster_processes(serve: subprocess.Popen) -> list[psutil.Process]:
    try:
        tree = psutil.Process(serve.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    found = []
    for process in tree:
        try:
            if "qcluster" in process.cmdline():
                found.append(process)
        except psutil.NoSuchProcess:
            continue
    return found


def gone(process: psutil.Process) -> bool:
    try:
        return not process.is_running() or process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


@pytest.mark.django_db(transaction=True)
def test_serve_without_its_worker_runs_only_the_daphnes(tmp_path):
    port = free_port()
    log = open(tmp_path / "serve.log", "w")  # noqa: SIM115 - closed below
    serve = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(port), "--no-worker"],
        cwd=ROOT,
        env=child_env(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 40
        status = None
        while time.monotonic() < deadline and status is None:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/accounts/login/")
                status = conn.getresponse().status
                conn.close()
            except OSError:
                assert serve.poll() is None, (tmp_path / "serve.log").read_text()
                time.sleep(0.2)
        assert status == 200
        children = psutil.Process(serve.pid).children(recursive=True)
        assert [c for c in children if "daphne" in c.cmdline()]
        assert not [c for c in children if {"supervise", "qcluster"} & set(c.cmdline())]
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(30)
        log.close()

"""`demo`, `add_user` and `serve`, as API.md and the README describe them."""

import signal
import subprocess
import sys
import urllib.request

import psutil
import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from pipeline.services import run_create
from projects.models import Firm, Membership, Project, ProjectFile, Role
from tests.processes import ROOT, child_env, free_port, wait_for


def test_demo_loads_firm_users_and_sample_books(db, capsys):
    call_command("demo")
    out = capsys.readouterr().out
    assert "staff@demo.test" in out and "ca@demo.test" in out
    firm = Firm.objects.get(name="Demo & Co")
    assert Membership.objects.get(user__username="staff@demo.test").role == Role.STAFF
    assert Membership.objects.get(user__username="ca@demo.test").role == Role.CA
    projects = Project.objects.filter(firm=firm)
    assert projects.count() == 3
    kinds = sorted(ProjectFile.objects.filter(project__firm=firm).values_list("kind", flat=True))
    assert kinds == ["csv", "pdf", "xlsx", "xlsx", "xml", "xml"]
    password = out.split("password ")[1].split()[0]
    assert authenticate(username="staff@demo.test", password=password) is not None


def test_demo_is_idempotent(db):
    call_command("demo")
    call_command("demo")
    assert Firm.objects.filter(name="Demo & Co").count() == 1
    assert Project.objects.count() == 3
    assert ProjectFile.objects.count() == 6


def test_demo_runs_again_while_a_demo_project_waits_for_review(db, capsys):
    call_command("demo")
    project = Project.objects.get(name__startswith="Mehta")
    run_create(subject=project, pipeline_name="cma", options={}, requested_by=None)
    ProjectFile.objects.filter(project=project).delete()  # a book it would want back
    capsys.readouterr()

    call_command("demo")
    out = capsys.readouterr().out
    assert "“Mehta Traders — working capital” is being processed" in out
    assert "ca@demo.test" in out
    assert ProjectFile.objects.count() == 5


def test_demo_puts_back_a_sample_book_removed_from_an_idle_project(db):
    call_command("demo")
    ProjectFile.objects.filter(kind="csv").delete()
    call_command("demo")
    assert ProjectFile.objects.filter(kind="csv").count() == 1


def test_add_user_creates_the_firm_and_gives_the_role(db):
    call_command(
        "add_user",
        "New@Firm.test",
        "--firm",
        "New Firm",
        "--role",
        "ca",
        "--password",
        "pw-12345678",
    )
    membership = Membership.objects.get(user__username="new@firm.test")
    assert membership.firm.name == "New Firm"
    assert membership.role == Role.CA
    assert membership.user.is_staff
    assert authenticate(username="new@firm.test", password="pw-12345678") is not None


def test_add_user_again_changes_the_role(db):
    call_command("add_user", "a@f.test", "--firm", "F", "--role", "ca", "--password", "x")
    call_command("add_user", "a@f.test", "--firm", "F", "--role", "staff")
    membership = Membership.objects.get(user__username="a@f.test")
    assert membership.role == Role.STAFF
    assert not membership.user.is_staff
    assert authenticate(username="a@f.test", password="x") is not None


def test_add_user_refuses_a_bad_role(db):
    with pytest.raises(CommandError):
        call_command("add_user", "a@f.test", "--firm", "F", "--role", "boss")


def test_add_user_refuses_a_non_email(db):
    with pytest.raises(CommandError, match="not an email"):
        call_command("add_user", "alice", "--firm", "F", "--role", "staff")


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=1)
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_serve_stops_web_and_worker_on_sigterm_even_with_sigint_ignored():
    # A shell script's background job starts with SIGINT ignored, and so do its children.
    port = free_port()
    serve = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(port)],
        cwd=ROOT,
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    try:
        wait_for(lambda: _answers(f"http://127.0.0.1:{port}/login/"), message="web never up")
        children = psutil.Process(serve.pid).children()
        commands = [" ".join(child.cmdline()) for child in children]
        assert sum("daphne" in c for c in commands) == 2  # WEB_PROCESSES' default
        assert sum("supervise --cluster" in c for c in commands) == 1
        wait_for(
            lambda: any(
                "qcluster" in " ".join(p.cmdline())
                for p in psutil.Process(serve.pid).children(recursive=True)
            ),
            message="qcluster never up",
        )
        children = psutil.Process(serve.pid).children(recursive=True)
        serve.terminate()
        _, err = serve.communicate(timeout=60)
    finally:
        if serve.poll() is None:
            serve.kill()
    assert serve.returncode == 0
    assert "killed" not in err
    assert not any(child.is_running() and child.status() != "zombie" for child in children)

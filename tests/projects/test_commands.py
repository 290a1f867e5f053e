"""`demo` and `add_user`, as API.md and the README describe them (`serve`: test_serve.py)."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from pipeline.services import run_create
from projects.models import Firm, Membership, Project, ProjectFile, Role


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

"""Every demo project processes to a report as it ships: what a new user sees first."""

import pytest
from django.core.management import call_command

from pipeline.runner import run_execute
from pipeline.services import run_create
from projects.models import Project


@pytest.mark.parametrize("prefix", ["Shree Ganesh", "Mehta", "Sai Krupa"])
def test_each_demo_project_processes_to_a_report_with_no_file_set_aside(db, prefix):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    project = Project.objects.get(name__startswith=prefix)
    run = run_create(subject=project, pipeline_name="cma", options={}, requested_by=None)
    run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == "completed", run.error
    for project_file in project.files.all():
        assert project_file.status == "extracted", project_file.error
        # Only what a user should know: a statement that only cross-checks a trial
        # balance, masters that give groups and no figures. Never a failed checksum.
        for warning in project_file.warnings:
            assert "also covers" in warning or "masters" in warning, warning
    output = project.outputs.get(name__endswith=".xlsx")
    assert output.validation["errors"] == []

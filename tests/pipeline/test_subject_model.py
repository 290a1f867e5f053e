"""PIPELINE_SUBJECT_MODEL is a real setting: set before the first migrate, the engine's
runs belong to that model, and its migrations never name the projects app."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db.migrations.loader import MigrationLoader

ROOT = Path(__file__).resolve().parents[2]

MIGRATE_AND_RUN = """
import django
django.setup()
from django.core.management import call_command
from django.db import connection
call_command("migrate", run_syncdb=True, verbosity=0)
from pipeline.models import Run
from tests.toy.models import Ledger
ledger = Ledger.objects.create(name="Cash book")
Run.objects.create(project=ledger, tenant_id=1, pipeline="toy")
with connection.cursor() as cursor:
    relations = connection.introspection.get_relations(cursor, Run._meta.db_table)
print(relations["project_id"][1], ledger.runs.count())
"""


def test_the_migrations_follow_the_setting_not_the_projects_app():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for (app, _), migration in loader.disk_migrations.items():
        if app == "pipeline":
            assert all(
                dependency[0] != "projects" or dependency[1] == "__first__"
                for dependency in migration.dependencies
            )
    initial = loader.disk_migrations[("pipeline", "0001_initial")]
    [create_run] = [op for op in initial.operations if getattr(op, "name", "") == "Run"]
    project = dict(create_run.fields)["project"]
    assert project.remote_field.model == settings.PIPELINE_SUBJECT_MODEL


def test_a_fresh_database_with_another_subject_model_runs_on_it(tmp_path):
    # A child process: the setting is read once, as Django reads AUTH_USER_MODEL. It gets
    # a fresh SQLite database of its own, whatever database this session runs on.
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CMA_TEST_CHILD"}
    }
    env |= {"DJANGO_SETTINGS_MODULE": "tests.toy.subject_settings", "DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", MIGRATE_AND_RUN],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["toy_ledger", "1"]

"""Helpers for the pipeline part of the JSON API (API.md "Pipeline"), with the toy pipeline."""

import re

import pytest
from django.test import Client

from pipeline import runner
from projects.models import Project
from projects.services import project_files_add
from tests.conftest import MEHTA_CSV, api_client, sample

STEPS = ["extract", "classify", "review", "validate", "generate"]
PROGRESS_KEYS = {
    "project_id",
    "run_id",
    "status",
    "project_status",
    "current_step",
    "pipeline_progress",
    "is_processing",
    "estimated_remaining_seconds",
    "steps",
    "documents",
    "review",
}
STEP_KEYS = {
    "name",
    "status",
    "started_at",
    "completed_at",
    "duration_ms",
    "attempts",
    "progress",
    "metadata",
    "error",
}
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def post(client: Client, path: str, body: object = None):
    return client.post(
        f"/api/v1/{path}", {} if body is None else body, content_type="application/json"
    )


def get(client: Client, path: str):
    return client.get(f"/api/v1/{path}")


def with_file(project: Project, user) -> Project:
    project_files_add(project=project, uploads=[sample(MEHTA_CSV)], user=user)
    return project


def execute(run_id: int) -> str:
    return runner.run_execute(run_id=run_id)


@pytest.fixture
def client(alice) -> Client:
    return api_client(alice)


@pytest.fixture
def ready(project_file) -> Project:
    """Alice's project with a file: it can be processed."""
    return project_file.project


def processed(client: Client, project: Project, **options) -> dict:
    response = post(client, f"projects/{project.pk}/process", options)
    assert response.status_code == 202, response.json()
    return response.json()

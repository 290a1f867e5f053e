"""The engine's state: runs, their steps, per-document phases and the event log.

A run belongs to a *subject* (``settings.PIPELINE_SUBJECT_MODEL``, a project in this
product) without this app importing the app that defines it. Like ``AUTH_USER_MODEL``,
the setting is fixed before the first migrate: the migrations follow it (they never
name the projects app), and a database made for one subject model stays with it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    AWAITING_REVIEW = "awaiting_review", "Awaiting review"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


ACTIVE_RUN_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.AWAITING_REVIEW)
FINISHED_RUN_STATUSES = (RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.CANCELLED)


class StepStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    COMPLETED = "completed", "Completed"
    SKIPPED = "skipped", "Skipped"
    FAILED = "failed", "Failed"
    AWAITING_REVIEW = "awaiting_review", "Awaiting review"


class ErrorKind(models.TextChoices):
    TRANSIENT = "transient", "Transient"
    PERMANENT = "permanent", "Permanent"
    PARTIAL = "partial", "Partial"
    WORKER_LOST = "worker_lost", "Worker lost"


class Run(models.Model):
    project = models.ForeignKey(
        settings.PIPELINE_SUBJECT_MODEL, on_delete=models.CASCADE, related_name="runs"
    )
    # Whose runs these are (the firm): ETAs and statistics never mix tenants.
    tenant_id = models.BigIntegerField(db_index=True)
    pipeline = models.CharField(max_length=50)
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED)
    options = models.JSONField(default=dict, blank=True)
    current_step = models.CharField(max_length=50, blank=True)
    progress = models.FloatField(default=0.0, help_text="Percent of the whole run, 0-100.")
    input_size = models.PositiveIntegerField(default=1, help_text="Scales the ETA.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    cancel_requested_at = models.DateTimeField(null=True, blank=True)
    # Set by the worker that claimed the run; only its holder may write progress.
    claim = models.CharField(max_length=32, blank=True)
    worker = models.CharField(max_length=100, blank=True, help_text="host:pid holding the run.")
    # Times a sweep handed the run to a new worker after its worker was lost.
    recoveries = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    error_kind = models.CharField(max_length=20, choices=ErrorKind.choices, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    last_seq = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # The database, not the code, guarantees one active run per project: two
            # simultaneous "Process" clicks get one run and one 409.
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(status__in=ACTIVE_RUN_STATUSES),
                name="one_active_run_per_project",
            )
        ]
        indexes = [
            models.Index(fields=["tenant_id", "status"]),
            models.Index(fields=["status", "heartbeat_at"]),
        ]

    def __str__(self) -> str:
        return f"Run {self.pk} of {self.pipeline} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_RUN_STATUSES


class StepRecord(models.Model):
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="steps")
    name = models.CharField(max_length=50)
    position = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=StepStatus.choices, default=StepStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    progress = models.FloatField(default=0.0, help_text="Percent of this step, 0-100.")
    metadata = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    error_kind = models.CharField(max_length=20, choices=ErrorKind.choices, blank=True)

    class Meta:
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "name"], name="one_record_per_step"),
        ]
        indexes = [models.Index(fields=["name", "status", "-completed_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"


class DocProgress(models.Model):
    """Where each input document of a run is (e.g. extracting, classified, failed)."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="documents")
    file_id = models.BigIntegerField()
    name = models.CharField(max_length=200, blank=True)
    phase = models.CharField(max_length=30)
    error = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["run", "file_id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "file_id"], name="one_phase_per_document")
        ]

    def __str__(self) -> str:
        return f"{self.name or self.file_id}: {self.phase}"


class Event(models.Model):
    """The durable log of everything that happened to a run, in order (`seq`)."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    type = models.CharField(max_length=40)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["run", "seq"]
        constraints = [models.UniqueConstraint(fields=["run", "seq"], name="one_event_per_seq")]

    def __str__(self) -> str:
        return f"{self.run_id}#{self.seq} {self.type}"

"""The domain: firms and their people, client projects and the files uploaded to them."""

import hashlib
import secrets
import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models

from pipeline.selectors import subject_is_processing


class Firm(models.Model):
    name = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    STAFF = "staff", "Staff"
    CA = "ca", "Chartered Accountant"
    OWNER = "owner", "Owner"


REVIEWER_ROLES = frozenset({Role.CA, Role.OWNER})


class Membership(models.Model):
    """A user works for exactly one firm; everything they see is scoped to it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.STAFF)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["firm", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.firm})"

    @property
    def is_reviewer(self) -> bool:
        return self.role in REVIEWER_ROLES


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    EXTRACTING = "extracting", "Extracting"
    EXTRACTED = "extracted", "Extracted"
    CLASSIFYING = "classifying", "Classifying"
    CLASSIFIED = "classified", "Classified"
    REVIEWING = "reviewing", "Awaiting review"
    VALIDATING = "validating", "Validating"
    VALIDATED = "validated", "Validated"
    GENERATING = "generating", "Generating"
    COMPLETED = "completed", "Completed"
    ERROR = "error", "Error"


class Project(models.Model):
    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="projects")
    name = models.CharField(max_length=200)
    client_name = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["firm", "-created_at"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_processing(self) -> bool:
        """A run is queued, running or waiting for review: the files must stay as they are."""
        return subject_is_processing(subject_id=self.pk)


class FileKind(models.TextChoices):
    XLSX = "xlsx", "Excel workbook (.xlsx)"
    XLS = "xls", "Excel 97-2003 workbook (.xls)"
    XLSB = "xlsb", "Excel binary workbook (.xlsb)"
    ODS = "ods", "OpenDocument spreadsheet (.ods)"
    CSV = "csv", "CSV"
    PDF = "pdf", "PDF"
    XML = "xml", "Tally XML export"


class FileStatus(models.TextChoices):
    UPLOADED = "uploaded", "Uploaded"
    EXTRACTED = "extracted", "Extracted"
    FAILED = "failed", "Failed"


def project_file_path(instance: "ProjectFile", filename: str) -> str:
    # The stored name is ours, never the client's: the original lives in `name`.
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"uploads/{instance.project.firm_id}/{instance.project_id}/{uuid.uuid4().hex}{suffix}"


class ProjectFile(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=project_file_path, max_length=300)
    name = models.CharField(max_length=200, help_text="The uploaded name, sanitized.")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    kind = models.CharField(max_length=8, choices=FileKind.choices)
    fiscal_year = models.CharField(
        max_length=7, blank=True, help_text='Like "2024-25"; blank when the file spans years.'
    )
    status = models.CharField(
        max_length=10, choices=FileStatus.choices, default=FileStatus.UPLOADED
    )
    error = models.TextField(blank=True)
    # The failure is one the user may accept (a total that does not add up, another
    # company's name, a year that contradicts the others): the file page offers "Accept".
    error_acceptable = models.BooleanField(default=False)
    accepted_at = models.DateTimeField(
        null=True, blank=True, help_text="When the user accepted the file as it is."
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What the latest extraction said of this file: warnings in words, the company it
    # names, and every row that did not become a line item with the reason.
    warnings = models.JSONField(default=list, blank=True)
    company = models.CharField(max_length=200, blank=True)
    skipped_rows = models.JSONField(default=list, blank=True)
    # A statement whose year another file gave: its total assets by year, for the
    # report to check against the balance sheet computed from that other file.
    set_aside_totals = models.JSONField(default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "sha256"], name="unique_file_per_project")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def accepted(self) -> bool:
        return self.accepted_at is not None


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """An API key; only its SHA-256 is stored, the key is shown once when issued."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(
        max_length=8, help_text="The key's first characters, to tell keys apart."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def generate_key() -> str:
        return secrets.token_urlsafe(32)


# AuditLog.action of a CA moving a line item to another head after its run.
LINE_ITEM_CORRECTED = "line_item_corrected"
# AuditLog.action of a user accepting a file that extraction refused for a mismatch.
FILE_ACCEPTED = "file_accepted"


class AuditLog(models.Model):
    """Who did what to a firm's work, and when: pipeline steps, reviews, decisions."""

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="audit_log")
    project = models.ForeignKey(
        Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_log"
    )
    run_id = models.BigIntegerField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=60)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "audit log entry"
        verbose_name_plural = "audit log"

    def __str__(self) -> str:
        return f"{self.action} ({self.created_at:%Y-%m-%d %H:%M})"


class Basis(models.TextChoices):
    TRIAL_BALANCE = "trial_balance", "Trial balance"
    STATEMENTS = "statements", "Financial statements"


class ReviewStatus(models.TextChoices):
    AUTO_APPROVED = "auto_approved", "Auto-approved"
    PENDING = "pending", "Pending review"
    APPROVED = "approved", "Approved"
    CORRECTED = "corrected", "Corrected"
    ACCEPTED = "accepted", "Accepted without review"


class LineItem(models.Model):
    """One ledger or statement line of one year, as the latest run extracted it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="line_items")
    file = models.ForeignKey(ProjectFile, on_delete=models.CASCADE, related_name="line_items")
    year = models.CharField(max_length=7)
    label = models.CharField(max_length=300)
    amount = models.DecimalField(max_digits=18, decimal_places=2)
    side = models.CharField(max_length=2, choices=[("Dr", "Dr"), ("Cr", "Cr")])
    source = models.CharField(max_length=200)
    section = models.CharField(max_length=200, blank=True)
    closing_stock = models.BooleanField(default=False)
    basis = models.CharField(max_length=15, choices=Basis.choices, default=Basis.TRIAL_BALANCE)
    # Read by OCR from a scanned page: how sure the engine was of the line (0..1).
    ocr_confidence = models.FloatField(null=True, blank=True)
    head = models.CharField(max_length=40, blank=True)
    confidence = models.FloatField(default=0.0)
    method = models.CharField(max_length=20, blank=True)
    alternatives = models.JSONField(default=list, blank=True)
    evidence = models.JSONField(default=list, blank=True, help_text="What decided the head.")
    review_status = models.CharField(max_length=15, choices=ReviewStatus.choices, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["year", "position", "id"]
        indexes = [models.Index(fields=["project", "year", "head"])]

    def __str__(self) -> str:
        return f"{self.label} ({self.year})"


class ReviewItemStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    CORRECTED = "corrected", "Corrected"


class ReviewItem(models.Model):
    """A line item the classifier was unsure of, waiting for (or decided by) a CA."""

    run = models.ForeignKey("pipeline.Run", on_delete=models.CASCADE, related_name="review_items")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="review_items")
    line_item = models.OneToOneField(LineItem, on_delete=models.CASCADE, related_name="review")
    status = models.CharField(
        max_length=10, choices=ReviewItemStatus.choices, default=ReviewItemStatus.PENDING
    )
    suggested_head = models.CharField(max_length=40, blank=True)
    final_head = models.CharField(max_length=40, blank=True)
    confidence = models.FloatField(default=0.0)
    alternatives = models.JSONField(default=list, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["status", "confidence", "id"]
        indexes = [models.Index(fields=["project", "status"])]

    def __str__(self) -> str:
        return f"Review of {self.line_item}"


class LabelMemory(models.Model):
    """A firm's CA decided that this ledger name, on this side, belongs to this head."""

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="label_memory")
    label = models.CharField(max_length=300, help_text="Normalized ledger name.")
    side = models.CharField(max_length=2)
    head = models.CharField(max_length=40)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["firm", "label"]
        constraints = [
            models.UniqueConstraint(fields=["firm", "label", "side"], name="one_head_per_label")
        ]
        verbose_name_plural = "label memory"

    def __str__(self) -> str:
        return f"{self.label} ({self.side}) → {self.head}"


def output_path(instance: "Output", filename: str) -> str:
    # The workbook or its PDF: the stored name keeps the kind of file it is.
    suffix = ".pdf" if filename.lower().endswith(".pdf") else ".xlsx"
    return f"outputs/{instance.project.firm_id}/{instance.project_id}/{uuid.uuid4().hex}{suffix}"


class Output(models.Model):
    """A generated CMA workbook, with the figures and checks it was made from."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="outputs")
    run = models.ForeignKey("pipeline.Run", on_delete=models.SET_NULL, null=True, related_name="+")
    file = models.FileField(upload_to=output_path, max_length=300)
    name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    years = models.JSONField(default=list)
    key_figures = models.JSONField(default=dict)
    # Per year, its kind: audited, provisional, estimated or projected (empty in reports
    # made before plans existed: every year there is an actual one).
    kinds = models.JSONField(default=dict, blank=True)
    validation = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class Plan(models.Model):
    """A project's plan for its estimate and projected years (PROJECTIONS.md).

    ``data`` holds only what users set (API.md's plan fields, amounts as strings so that
    no paisa is lost); defaults are read from the books whenever the plan is read. Every
    save is a new version, kept with who made it and what changed (PlanVersion).
    """

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="plan")
    version = models.PositiveIntegerField(default=0)
    data = models.JSONField(default=dict, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Plan of {self.project} (version {self.version})"


class PlanVersion(models.Model):
    """One save of a plan: the whole plan as saved and the changes from the one before."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    data = models.JSONField(default=dict)
    changes = models.JSONField(default=list, help_text="[{path, old, new}]")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "version"], name="one_plan_version_each")
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.version}"

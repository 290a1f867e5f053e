"""The only writers of the domain's models. Each call is one transaction."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from pipeline.events import subject_changed_publish
from pipeline.models import Run, RunStatus
from pipeline.services import NotAllowed, RunActive, run_resume
from projects.audit import FILE_DELETED, FILE_UPLOADED, PLAN_SAVED
from projects.cma.classify import normalize_label
from projects.cma.heads import is_head
from projects.cma.projections import data_changes, parse_plan, plan_to_data
from projects.cma.years import parse_fiscal_year
from projects.models import (
    FILE_ACCEPTED,
    LINE_ITEM_CORRECTED,
    ApiToken,
    AuditLog,
    FileStatus,
    Firm,
    LabelMemory,
    LineItem,
    Membership,
    Plan,
    PlanVersion,
    Project,
    ProjectFile,
    ReviewItem,
    ReviewItemStatus,
    ReviewStatus,
    Role,
    hash_token,
)
from projects.roles import membership_apply_role
from projects.selectors import (
    actual_report,
    membership_for_user,
    plan_data_for_years,
    plan_data_merged,
)
from projects.uploads import UploadRejected, inspect_upload, sanitize_filename


class NotAMember(Exception):
    """The user belongs to no firm, so there is nowhere to put their work."""


class ProjectBusy(Exception):
    """The project is being processed; its files must stay as they are."""


@dataclass(frozen=True)
class FileProblem:
    name: str
    code: str
    detail: str

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "error": self.code, "detail": self.detail}


class FilesRejected(Exception):
    """At least one file of an upload was refused; nothing of that upload was stored."""

    def __init__(self, problems: Sequence[FileProblem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(p.detail for p in self.problems))

    @property
    def too_large(self) -> bool:
        return any(p.code == "file_too_large" for p in self.problems)


# Users --------------------------------------------------------------------------------


def user_add(
    *, email: str, firm_name: str, role: str, password: str | None = None
) -> tuple[AbstractBaseUser, bool]:
    """Creates (or updates the role and firm of) the user with this email.

    The email is the username. Returns the user and whether it was created. A password,
    when given, replaces the user's; a new user without one cannot log in until set.
    """
    email = email.strip().lower()
    if "@" not in email:
        raise ValidationError(f"{email!r} is not an email address.")
    role = Role(role)
    with transaction.atomic():
        firm, _ = Firm.objects.get_or_create(name=firm_name.strip())
        users = get_user_model().objects
        user, created = users.get_or_create(username=email, defaults={"email": email})
        if password:
            user.set_password(password)
            user.save(update_fields=["password"])
        elif created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        membership, _ = Membership.objects.update_or_create(
            user=user, defaults={"firm": firm, "role": role}
        )
        membership_apply_role(membership=membership)
    return user, created


def api_token_issue(*, user: AbstractBaseUser) -> str:
    """Stores a new token's hash and returns the key, which is never stored."""
    key = ApiToken.generate_key()
    ApiToken.objects.create(user=user, key_hash=hash_token(key), prefix=key[:8])
    return key


# Writing "last used" on every request would serialize all API traffic on SQLite; a
# minute's precision is plenty.
TOKEN_TOUCH_SECONDS = 60


def token_touch_due(token: ApiToken, *, now: datetime) -> bool:
    """Whether a token's "last used" is due to be written."""
    last = token.last_used_at
    return last is None or (now - last).total_seconds() > TOKEN_TOUCH_SECONDS


def api_token_authenticate(*, key: str) -> AbstractBaseUser | None:
    try:
        # The membership too: every API view asks for it (the firm scopes each read).
        # get(), not first(): the hash is unique, and first() adds an ORDER BY to sort
        # one row (a quarter of the lookup's CPU, every API request).
        token = ApiToken.objects.select_related("user", "user__membership").get(
            key_hash=hash_token(key), user__is_active=True
        )
    except ApiToken.DoesNotExist:
        return None
    now = timezone.now()
    if token_touch_due(token, now=now):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# Projects -----------------------------------------------------------------------------


def project_create(*, user: AbstractBaseUser, name: str, client_name: str = "") -> Project:
    membership = membership_for_user(user=user)
    if membership is None:
        raise NotAMember("You are not a member of any firm, so you cannot create projects.")
    name = name.strip()
    if not name:
        raise ValidationError({"name": "A project needs a name."})
    if len(name) > 200 or len(client_name) > 200:
        raise ValidationError({"name": "Names are limited to 200 characters."})
    return Project.objects.create(
        firm_id=membership.firm_id,
        name=name,
        client_name=client_name.strip(),
        created_by=user,
    )


def upload_body_too_large(content_length: str | None) -> bool:
    """Whether a request body is past any legal upload, so it is refused unread.

    Checked before Django spools the body to disk; each file's own limit comes later.
    """
    try:
        length = int(content_length or 0)
    except ValueError:
        return False
    per_file = settings.MAX_UPLOAD_MB * 1024 * 1024
    return length > per_file * settings.MAX_UPLOAD_FILES + 1024 * 1024


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def project_files_add(
    *,
    project: Project,
    uploads: Sequence[UploadedFile],
    user: AbstractBaseUser,
    fiscal_year: str | None = None,
) -> list[ProjectFile]:
    """Checks every upload, then stores all of them or none.

    Each file is refused with its reason when it is empty, too large, of an unsupported
    type (decided by content), corrupt, an archive that expands absurdly, or a copy of a
    file the project already has (or of another file in the same upload). The user's
    ``fiscal_year`` wins over the one detected from the file.
    """
    if not uploads:
        raise FilesRejected([FileProblem("", "no_files", "Choose at least one file to upload.")])
    if len(uploads) > settings.MAX_UPLOAD_FILES:
        raise FilesRejected(
            [
                FileProblem(
                    "",
                    "too_many_files",
                    f"Upload at most {settings.MAX_UPLOAD_FILES} files at a time.",
                )
            ]
        )
    chosen_year = None
    if fiscal_year:
        chosen_year = parse_fiscal_year(fiscal_year)
        if chosen_year is None:
            raise ValidationError(
                {"fiscal_year": f"{fiscal_year!r} is not a fiscal year like 2024-25."}
            )

    max_bytes = settings.MAX_UPLOAD_MB * 1024 * 1024
    problems: list[FileProblem] = []
    accepted: list[tuple[UploadedFile, str, str, str, str | None]] = []
    seen: dict[str, str] = {}
    for upload in uploads:
        name = sanitize_filename(upload.name or "")
        try:
            inspection = inspect_upload(
                name=name, fileobj=upload, size=upload.size or 0, max_bytes=max_bytes
            )
        except UploadRejected as exc:
            problems.append(FileProblem(name, exc.code, exc.detail))
            continue
        sha = _sha256(upload)
        if sha in seen:
            problems.append(
                FileProblem(name, "duplicate", f"{name} is the same file as {seen[sha]}.")
            )
            continue
        seen[sha] = name
        accepted.append((upload, name, sha, inspection.kind, inspection.fiscal_year))

    written: list[ProjectFile] = []
    try:
        with transaction.atomic():
            # The lock keeps the duplicate and "is it processing" checks true until commit.
            project = Project.objects.select_for_update().get(pk=project.pk)
            if project.is_processing:
                raise ProjectBusy("Files cannot change while the project is being processed.")
            existing = dict(project.files.filter(sha256__in=seen).values_list("sha256", "name"))
            problems += [
                FileProblem(
                    name, "duplicate", f"{name} is already in this project as {existing[sha]}."
                )
                for _, name, sha, _, _ in accepted
                if sha in existing
            ]
            if problems:
                raise FilesRejected(problems)
            for upload, name, sha, kind, detected_year in accepted:
                project_file = ProjectFile(
                    project=project,
                    name=name,
                    size=upload.size,
                    sha256=sha,
                    kind=kind,
                    fiscal_year=chosen_year or detected_year or "",
                    uploaded_by=user,
                )
                project_file.file.save(name, upload, save=False)
                written.append(project_file)
                project_file.save()
                AuditLog.objects.create(
                    firm_id=project.firm_id,
                    project=project,
                    actor=user,
                    action=FILE_UPLOADED,
                    detail={"file_id": project_file.pk, "name": name, "size": upload.size},
                )
            transaction.on_commit(lambda: subject_changed_publish(project.pk))
    except BaseException:
        # Nothing of a refused or failed upload may stay behind, on disk included.
        for project_file in written:
            project_file.file.storage.delete(project_file.file.name)
        raise
    return written


def project_file_delete(*, project_file: ProjectFile, user: AbstractBaseUser | None = None) -> None:
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project_file.project_id)
        if project.is_processing:
            raise ProjectBusy("Files cannot change while the project is being processed.")
        path, storage = project_file.file.name, project_file.file.storage
        AuditLog.objects.create(
            firm_id=project.firm_id,
            project=project,
            actor=user,
            action=FILE_DELETED,
            detail={"file_id": project_file.pk, "name": project_file.name},
        )
        project_file.delete()
        transaction.on_commit(lambda: storage.delete(path))
        transaction.on_commit(lambda: subject_changed_publish(project.pk))


class NothingToAccept(Exception):
    """The file has no failure the user may accept (or was accepted already)."""


def project_file_accept(*, project_file: ProjectFile, user: AbstractBaseUser) -> ProjectFile:
    """The user takes the file as it is: the next run reads it despite what its latest
    extraction refused it for (a total that does not add up, another company's name, a
    year that contradicts the others); the reason stays with it as a warning."""
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project_file.project_id)
        if project.is_processing:
            raise ProjectBusy("Files cannot change while the project is being processed.")
        locked = ProjectFile.objects.select_for_update().get(pk=project_file.pk)
        if not locked.error_acceptable or locked.accepted:
            raise NothingToAccept(f"{locked.name} has nothing to accept.")
        locked.accepted_at = timezone.now()
        locked.accepted_by = user
        # Waiting to be read again: the next run's extract must not count as up to date.
        locked.status = FileStatus.UPLOADED
        locked.save(update_fields=["accepted_at", "accepted_by", "status"])
        AuditLog.objects.create(
            firm_id=project.firm_id,
            project=project,
            actor=user,
            action=FILE_ACCEPTED,
            detail={"file_id": locked.pk, "name": locked.name, "reason": locked.error},
        )
        transaction.on_commit(lambda: subject_changed_publish(project.pk))
    return locked


# Review -------------------------------------------------------------------------------


class NotAReviewer(Exception):
    """Only a CA or an owner of the firm may decide review items."""


class UnknownHead(Exception):
    pass


class ReviewLocked(Exception):
    """The run resumed after review: its decisions are final."""


def _label_learn(
    *, firm_id: int, line: LineItem, head: str, user: AbstractBaseUser, corrected: bool = True
) -> None:
    """The firm's label memory: this ledger name on this side goes to `head` next time.

    An approval only confirms the machine's suggestion: it never replaces what the firm
    already decided for the label (a CA corrects this year's "Freight", then approves
    last year's in bulk: the correction is what the firm meant)."""
    key = {"firm_id": firm_id, "label": normalize_label(line.label), "side": line.side}
    if not corrected:
        LabelMemory.objects.get_or_create(**key, defaults={"head": head, "decided_by": user})
        return
    LabelMemory.objects.update_or_create(**key, defaults={"head": head, "decided_by": user})


def review_item_decide(
    *, item: ReviewItem, user: AbstractBaseUser, action: str, head: str | None = None
) -> ReviewItem:
    """Approves the suggested head or corrects it, and remembers the decision for the firm.

    The decision records who and when, writes the audit log and teaches the firm's
    label memory. When it was the run's last pending item, the run resumes by itself.
    """
    membership = membership_for_user(user=user)
    if membership is None or not membership.is_reviewer:
        raise NotAReviewer("Only a CA or an owner of the firm can decide review items.")
    if action not in {"approve", "correct"}:
        raise ValidationError('action must be "approve" or "correct".')
    if action == "correct" and not is_head(head or ""):
        raise UnknownHead(f"{head!r} is not a CMA head.")
    with transaction.atomic():
        item = ReviewItem.objects.select_for_update().select_related("line_item").get(pk=item.pk)
        if Run.objects.filter(pk=item.run_id, status=RunStatus.AWAITING_REVIEW).count() != 1:
            raise ReviewLocked("The run has moved on from review; this decision is locked.")
        final = item.suggested_head if action == "approve" else head
        if not final:
            raise UnknownHead("There is no suggested head to approve; correct it instead.")
        status = ReviewItemStatus.APPROVED if action == "approve" else ReviewItemStatus.CORRECTED
        if action == "correct" and head == item.suggested_head:
            status = ReviewItemStatus.APPROVED
        now = timezone.now()
        ReviewItem.objects.filter(pk=item.pk).update(
            status=status, final_head=final, decided_by=user, decided_at=now
        )
        line = item.line_item
        LineItem.objects.filter(pk=line.pk).update(
            head=final,
            review_status=ReviewStatus.APPROVED if status == "approved" else ReviewStatus.CORRECTED,
        )
        _label_learn(
            firm_id=membership.firm_id,
            line=line,
            head=final,
            user=user,
            corrected=status != ReviewItemStatus.APPROVED,
        )
        AuditLog.objects.create(
            firm_id=membership.firm_id,
            project_id=item.project_id,
            run_id=item.run_id,
            actor=user,
            action=f"review_{status}",
            detail={
                "label": line.label,
                "year": line.year,
                "suggested": item.suggested_head,
                "head": final,
            },
        )
        pending = ReviewItem.objects.filter(run_id=item.run_id, status=ReviewItemStatus.PENDING)
        if not pending.exists():
            project_id = item.project_id
            transaction.on_commit(lambda: _resume_after_review(project_id))
    item.refresh_from_db()
    return item


def line_item_correct(*, item: LineItem, user: AbstractBaseUser, head: str) -> LineItem:
    """A CA moves a line item to another head after its run, auto-approved items included.

    Like a review decision it records who, writes the audit log and teaches the firm's
    label memory. The report does not change by itself: processing again from
    validate makes it anew (the project page says so until then).
    """
    membership = membership_for_user(user=user)
    if membership is None or not membership.is_reviewer:
        raise NotAReviewer("Only a CA or an owner of the firm can correct a line item's head.")
    if not is_head(head):
        raise UnknownHead(f"{head!r} is not a CMA head.")
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=item.project_id)
        if project.is_processing:
            raise ProjectBusy("Heads cannot change while the project is being processed.")
        item = LineItem.objects.get(pk=item.pk)
        if item.head == head:
            return item
        previous = item.head
        LineItem.objects.filter(pk=item.pk).update(head=head, review_status=ReviewStatus.CORRECTED)
        _label_learn(firm_id=membership.firm_id, line=item, head=head, user=user)
        AuditLog.objects.create(
            firm_id=membership.firm_id,
            project_id=project.pk,
            actor=user,
            action=LINE_ITEM_CORRECTED,
            detail={"label": item.label, "year": item.year, "from": previous, "head": head},
        )
        transaction.on_commit(lambda: subject_changed_publish(project.pk))
    item.refresh_from_db()
    return item


@dataclass
class BulkApproval:
    approved: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    resumed_runs: list[int] = field(default_factory=list)

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


def review_items_approve(
    *, items: Iterable[ReviewItem], user: AbstractBaseUser, min_confidence: float = 0.0
) -> BulkApproval:
    """Approves the suggested head of each pending item at or above `min_confidence`.

    One decision at a time through `review_item_decide`, so each is audited and learned
    like any other, and the run resumes after its last pending item. Items already
    decided, below the bar, without a suggestion or locked are counted, not touched.
    """
    result = BulkApproval()
    runs: set[int] = set()
    for item in items:
        if item.status != ReviewItemStatus.PENDING:
            result.skip("already decided")
        elif item.confidence < min_confidence:
            result.skip(f"confidence below {min_confidence:.0%}")
        elif not item.suggested_head:
            result.skip("no suggested head (choose one from the list)")
        else:
            try:
                review_item_decide(item=item, user=user, action="approve")
            except ReviewLocked:
                result.skip("the run has resumed; locked")
            except UnknownHead:
                result.skip("no suggested head (choose one from the list)")
            else:
                result.approved += 1
                runs.add(item.run_id)
    pending = ReviewItem.objects.filter(run_id__in=runs, status=ReviewItemStatus.PENDING)
    result.resumed_runs = sorted(runs - set(pending.values_list("run_id", flat=True)))
    return result


def _resume_after_review(project_id: int) -> None:

    # Someone may have resumed it already (the API, or another CA's last decision).
    with contextlib.suppress(NotAllowed, RunActive):
        run_resume(subject=Project.objects.get(pk=project_id))


# The plan -----------------------------------------------------------------------------


class StalePlan(Exception):
    """The plan was saved by someone else since the version the caller edited."""

    def __init__(self, latest: int) -> None:
        self.latest = latest
        super().__init__(
            f"The plan was changed since you opened it (it is at version {latest} now). "
            "Reload it, redo your change and save again."
        )


def plan_save(
    *, project: Project, user: AbstractBaseUser, data: dict, if_match: int | None = None
) -> Plan:
    """Saves the plan's fields in ``data`` over the saved plan, as a new version.

    Refused (ProjectBusy) while a run is active: the run may be generating the report from
    the plan. ``if_match`` is the version the caller edited; another save since is a
    StalePlan. Bad fields raise PlanInvalid with every problem. A save that changes
    nothing makes no new version.
    """

    actual = actual_report(project=project)
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if locked.is_processing:
            raise ProjectBusy("The plan cannot change while the project is being processed.")
        plan, _ = Plan.objects.select_for_update().get_or_create(project=locked)
        if if_match is not None and if_match != plan.version:
            raise StalePlan(plan.version)
        stored = plan_data_for_years(plan.data, actual.years)
        spec = parse_plan(plan_data_merged(stored, data), actual_years=actual.years)
        new = plan_to_data(spec)
        changes = data_changes(plan.data, new)
        if not changes and plan.version:
            return plan
        plan.version += 1
        plan.data = new
        plan.updated_by = user
        plan.updated_at = timezone.now()
        plan.save()
        PlanVersion.objects.create(
            plan=plan, version=plan.version, data=new, changes=changes, created_by=user
        )
        AuditLog.objects.create(
            firm_id=locked.firm_id,
            project=locked,
            actor=user,
            action=PLAN_SAVED,
            detail={"version": plan.version, "changes": len(changes)},
        )
        transaction.on_commit(lambda: subject_changed_publish(locked.pk))
    return plan

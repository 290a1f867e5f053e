"""Firm-scoped reads. Another firm's object is a 404, exactly like a missing one."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from projects.models import Membership, Project, ProjectFile

User = AbstractBaseUser | AnonymousUser


def membership_for_user(*, user: User) -> Membership | None:
    if not user.is_authenticated:
        return None
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


def project_list_for_user(*, user: User) -> QuerySet[Project]:
    membership = membership_for_user(user=user)
    if membership is None:
        return Project.objects.none()
    return Project.objects.filter(firm_id=membership.firm_id).select_related("created_by")


def project_get_for_user(*, user: User, project_id: int) -> Project:
    return get_object_or_404(project_list_for_user(user=user), pk=project_id)


def project_files(*, project: Project) -> QuerySet[ProjectFile]:
    return project.files.all()


def project_file_get_for_user(*, user: User, project_id: int, file_id: int) -> ProjectFile:
    project = project_get_for_user(user=user, project_id=project_id)
    return get_object_or_404(project_files(project=project), pk=file_id)

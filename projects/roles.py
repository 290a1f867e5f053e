"""What each role may do in the admin, kept in one group per role.

Staff work in the web UI only (they read review items on the project's review page);
CAs and owners enter the admin (``is_staff``) with just the permissions below. Firm
scoping is the admin's job (projects/admin/).
"""

from django.contrib.auth.models import Group, Permission

from projects.models import Membership, Role

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.STAFF: [],
    Role.CA: [
        "projects.view_project",
        "projects.view_projectfile",
        "projects.view_auditlog",
        "projects.view_reviewitem",
        "projects.change_reviewitem",
        "projects.view_labelmemory",
        "projects.delete_labelmemory",
    ],
    Role.OWNER: [
        "projects.view_project",
        "projects.change_project",
        "projects.view_projectfile",
        "projects.view_auditlog",
        "projects.view_membership",
        "projects.change_membership",
        "projects.view_reviewitem",
        "projects.change_reviewitem",
        "projects.view_labelmemory",
        "projects.delete_labelmemory",
    ],
}

ADMIN_ROLES = frozenset({Role.CA, Role.OWNER})


def role_group_name(role: str) -> str:
    return f"Role: {Role(role).label}"


def roles_sync_groups() -> None:
    """Creates or updates one group per role with exactly its permissions."""
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role_group_name(role))
        permissions = []
        for name in names:
            app_label, codename = name.split(".")
            permissions.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)


def membership_apply_role(*, membership: Membership) -> None:
    """Gives the member's user the admin access and group of their role, and only those."""
    user = membership.user
    role_groups = Group.objects.filter(name__in=[role_group_name(r) for r in ROLE_PERMISSIONS])
    user.groups.remove(*role_groups)
    user.groups.add(Group.objects.get(name=role_group_name(membership.role)))
    is_staff = user.is_superuser or membership.role in ADMIN_ROLES
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])

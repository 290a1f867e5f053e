"""The admin: who may enter, and that a firm sees only its own rows."""

from django.urls import reverse

from projects.models import Membership, Role
from tests.conftest import login


def test_staff_cannot_enter_the_admin(alice):
    response = login(alice).get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_ca_enters_the_admin_and_sees_own_firm_projects_only(project, bob, charlie, make_project):
    theirs = make_project(charlie, name="Brij project")
    client = login(bob)
    assert client.get(reverse("admin:index")).status_code == 200
    listing = client.get(reverse("admin:projects_project_changelist"))
    assert listing.status_code == 200
    assert project.name in listing.text
    assert theirs.name not in listing.text


def test_ca_of_another_firm_gets_404_on_a_direct_url(project_file, dave):
    client = login(dave)
    for url in [
        reverse("admin:projects_project_change", args=[project_file.project_id]),
        reverse("admin:projects_project_history", args=[project_file.project_id]),
        reverse("admin:projects_projectfile_change", args=[project_file.pk]),
    ]:
        assert client.get(url).status_code == 404


def test_another_firms_object_is_a_404_like_a_missing_one(project_file, bob, dave):
    url = "admin:projects_project_change"
    theirs = login(dave).get(reverse(url, args=[project_file.project_id]))
    missing = login(bob).get(reverse(url, args=[10**9]))
    assert theirs.status_code == missing.status_code == 404


def test_ca_can_view_but_not_change_a_project(project, bob):
    client = login(bob)
    url = reverse("admin:projects_project_change", args=[project.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "Renamed", "firm": project.firm_id})
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.name == "CC renewal"


def test_ca_cannot_see_memberships_or_users(bob):
    client = login(bob)
    assert client.get(reverse("admin:projects_membership_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_owner_changes_a_role_and_admin_access_follows(olga, alice, charlie):
    client = login(olga)
    membership = alice.membership
    listing = client.get(reverse("admin:projects_membership_changelist"))
    assert "alice@acme.test" in listing.text
    assert "charlie@brij.test" not in listing.text
    response = client.post(
        reverse("admin:projects_membership_change", args=[membership.pk]), {"role": Role.CA}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert Membership.objects.get(user=alice).role == Role.CA
    assert alice.is_staff
    assert alice.has_perm("projects.view_project")
    assert not alice.has_perm("projects.change_project")

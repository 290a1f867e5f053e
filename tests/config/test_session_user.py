"""The session user's read, compiled once (config/auth.py, pipeline/sql.CompiledRead),
gives what the ORM's `select_related("membership__firm").get(pk=…)` gave, field for
field, and every change to the user, their membership or their session shows on the
very next request."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.auth import MemberBackend
from projects.models import Firm, Membership
from projects.selectors import membership_for_user
from tests.conftest import PASSWORD, login

pytestmark = pytest.mark.django_db


def _fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def _orm(user_id):
    return get_user_model().objects.select_related("membership__firm").get(pk=user_id)


def test_the_user_membership_and_firm_match_the_orm_field_for_field(alice):
    user, expected = MemberBackend().get_user(alice.pk), _orm(alice.pk)

    assert type(user) is type(expected)
    assert _fields(user) == _fields(expected)
    assert user._state.db == expected._state.db and not user._state.adding
    with CaptureQueriesContext(connection) as captured:
        membership, firm = user.membership, user.membership.firm
    assert captured.captured_queries == []
    assert _fields(membership) == _fields(expected.membership)
    assert _fields(firm) == _fields(expected.membership.firm)
    assert membership.user is user
    assert user.get_session_auth_hash() == expected.get_session_auth_hash()


def test_the_read_is_one_query(alice):
    MemberBackend().get_user(alice.pk)  # compiled
    with CaptureQueriesContext(connection) as captured:
        MemberBackend().get_user(alice.pk)
    assert len(captured.captured_queries) == 1


def test_a_user_of_no_firm_has_none_cached_as_the_orm_does(db):
    loner = get_user_model().objects.create_user("loner", "loner@x.test", PASSWORD)
    user = MemberBackend().get_user(loner.pk)

    assert _fields(user) == _fields(_orm(loner.pk))
    with CaptureQueriesContext(connection) as captured:
        assert membership_for_user(user=user) is None
    assert captured.captured_queries == []


def test_an_unknown_or_deactivated_user_is_none(alice):
    assert MemberBackend().get_user(10_000_000) is None
    get_user_model().objects.filter(pk=alice.pk).update(is_active=False)
    assert MemberBackend().get_user(alice.pk) is None


def test_a_key_that_is_not_an_int_is_read_as_the_orm_reads_it(alice):
    user = MemberBackend().get_user(str(alice.pk))
    assert _fields(user) == _fields(_orm(alice.pk))
    assert user.membership.firm.name == "Acme Associates"


def test_each_change_shows_on_the_next_read(alice):
    backend = MemberBackend()
    assert backend.get_user(alice.pk).membership.firm.name == "Acme Associates"

    Firm.objects.filter(pk=alice.membership.firm_id).update(name="Acme & Sons")
    assert backend.get_user(alice.pk).membership.firm.name == "Acme & Sons"

    other = Firm.objects.create(name="Elsewhere LLP")
    Membership.objects.filter(user=alice).update(firm=other, role="admin")
    moved = backend.get_user(alice.pk).membership
    assert (moved.firm.name, moved.role) == ("Elsewhere LLP", "admin")

    get_user_model().objects.filter(pk=alice.pk).update(first_name="Alicia")
    assert backend.get_user(alice.pk).first_name == "Alicia"

    Membership.objects.filter(user=alice).delete()
    assert membership_for_user(user=backend.get_user(alice.pk)) is None


def test_a_deleted_membership_shows_on_the_next_page(alice):
    client = login(alice)
    assert "Acme Associates" in client.get(reverse("project-list")).text

    Membership.objects.filter(user=alice).delete()

    assert "Acme Associates" not in client.get(reverse("project-list")).text


def test_a_deleted_user_is_signed_out(alice):
    client = login(alice)
    assert client.get(reverse("project-list")).status_code == 200
    get_user_model().objects.filter(pk=alice.pk).delete()

    response = client.get(reverse("project-list"))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_changed_password_signs_other_sessions_out(alice):
    client = login(alice)
    assert client.get(reverse("project-list")).status_code == 200
    user = get_user_model().objects.get(pk=alice.pk)
    user.set_password("another-pass-2026-long")
    user.save()

    response = client.get(reverse("project-list"))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_signed_out_session_stays_signed_out(alice):
    client = login(alice)
    cookie = client.cookies["sessionid"].value
    client.post(reverse("logout"))
    client.cookies["sessionid"] = cookie  # the old session's key, replayed

    response = client.get(reverse("project-list"))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]

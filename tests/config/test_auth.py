"""A signed-in session's user comes with their membership and firm (config/auth.py)."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.auth import MemberBackend
from projects.selectors import membership_for_user
from tests.conftest import PASSWORD, login

pytestmark = pytest.mark.django_db


def test_the_session_user_brings_the_firm_with_no_further_query(alice):
    user = MemberBackend().get_user(alice.pk)

    with CaptureQueriesContext(connection) as captured:
        membership = membership_for_user(user=user)
        firm = membership.firm.name

    assert firm == "Acme Associates"
    assert captured.captured_queries == []


def test_a_user_of_no_firm_is_read_as_having_none(db):
    loner = get_user_model().objects.create_user("loner", "loner@x.test", PASSWORD)
    user = MemberBackend().get_user(loner.pk)

    with CaptureQueriesContext(connection) as captured:
        assert membership_for_user(user=user) is None
    assert captured.captured_queries == []


def test_a_deactivated_user_is_signed_out(alice):
    client = login(alice)
    assert client.get(reverse("project-list")).status_code == 200
    get_user_model().objects.filter(pk=alice.pk).update(is_active=False)

    response = client.get(reverse("project-list"))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_signing_in_with_the_password_keeps_the_session(alice):
    client = Client()
    response = client.post(
        reverse("login"), {"username": alice.username, "password": PASSWORD}, follow=True
    )

    assert response.status_code == 200
    assert response.context["user"].pk == alice.pk
    assert "Acme Associates" in response.text


def test_a_session_signed_in_before_the_member_backend_stays_signed_in(alice):
    client = Client()
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")

    response = client.get(reverse("project-list"))

    assert response.status_code == 200
    assert "Acme Associates" in response.text


def test_a_wrong_password_is_checked_once(alice, monkeypatch):
    checks = []
    check_password = get_user_model().check_password

    def counted(user, raw):
        checks.append(raw)
        return check_password(user, raw)

    monkeypatch.setattr(get_user_model(), "check_password", counted)
    client = Client()

    response = client.post(reverse("login"), {"username": alice.username, "password": "wrong-1"})

    assert response.status_code == 200  # the form again, with its error
    assert checks == ["wrong-1"]

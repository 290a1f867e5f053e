"""The session's read, compiled once (config/sessions.py), gives what Django's database
sessions gave, and a session ended anywhere (logout, expiry, deletion) is ended on the
very next request."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from config.sessions import SessionStore
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_the_product_uses_it():
    assert settings.SESSION_ENGINE == "config.sessions"


def test_a_session_reads_as_djangos_does_in_one_query(alice):
    key = login(alice).cookies[settings.SESSION_COOKIE_NAME].value
    SessionStore(key).load()  # compiled
    with CaptureQueriesContext(connection) as captured:
        data = SessionStore(key).load()
    assert len(captured.captured_queries) == 1
    assert data == DjangoStore(key).load()
    assert data["_auth_user_id"] == str(alice.pk)


def test_an_unknown_or_expired_session_is_empty_and_its_key_dropped(alice):
    key = login(alice).cookies[settings.SESSION_COOKIE_NAME].value
    unknown = SessionStore("x" * 32)
    assert unknown.load() == {} and unknown.session_key is None

    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = SessionStore(key)
    assert expired.load() == {} and expired.session_key is None


def test_a_logout_or_a_deleted_session_ends_it_on_the_next_request(alice, bob):
    page = reverse("project-list")
    client = login(alice)
    assert client.get(page).status_code == 200
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("logout"))
    stale = Client()
    stale.cookies[settings.SESSION_COOKIE_NAME] = cookie  # the old cookie, kept by another tab
    assert stale.get(page).status_code == 302

    other = login(bob)
    assert other.get(page).status_code == 200
    Session.objects.all().delete()  # e.g. `clearsessions`, or an admin ending them all
    assert other.get(page).status_code == 302


def test_a_session_written_by_a_request_is_read_by_the_next(alice):
    client = Client()
    client.force_login(alice)
    session = client.session
    session["seen"] = [1, "two"]
    session.save()
    assert SessionStore(session.session_key).load()["seen"] == [1, "two"]

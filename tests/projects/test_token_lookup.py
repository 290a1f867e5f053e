"""The API token's read, compiled once (projects/middleware.token_user), gives the user
`services.api_token_authenticate` gives, field for field, and each change to the token,
the user or their membership shows on the very next request."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projects.middleware import token_user
from projects.models import ApiToken, Membership, hash_token
from projects.services import api_token_authenticate, api_token_issue

pytestmark = pytest.mark.django_db


def _fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_the_user_and_membership_match_the_service_field_for_field(alice):
    key = api_token_issue(user=alice)
    expected = api_token_authenticate(key=key)  # and sets last_used_at: read as it is now

    user = token_user(key=key)

    assert type(user) is type(expected)
    assert _fields(user) == _fields(expected)
    with CaptureQueriesContext(connection) as captured:
        membership = user.membership
    assert captured.captured_queries == []
    assert _fields(membership) == _fields(expected.membership)


def test_a_recently_used_token_costs_one_query(alice):
    key = api_token_issue(user=alice)
    token_user(key=key)  # compiled; writes last_used_at
    with CaptureQueriesContext(connection) as captured:
        assert token_user(key=key).pk == alice.pk
    assert len(captured.captured_queries) == 1


def test_last_used_is_written_as_the_service_writes_it(alice):
    key = api_token_issue(user=alice)
    token = ApiToken.objects.get(key_hash=hash_token(key))
    assert token.last_used_at is None

    token_user(key=key)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None and timezone.now() - first < timedelta(seconds=5)

    token_user(key=key)  # within the minute: not written again
    token.refresh_from_db()
    assert token.last_used_at == first

    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    token_user(key=key)
    token.refresh_from_db()
    assert token.last_used_at > first


def test_a_wrong_revoked_or_deactivated_token_is_none(alice):
    key = api_token_issue(user=alice)
    assert token_user(key=key) is not None
    assert token_user(key=key + "x") is None
    assert token_user(key="") is None

    get_user_model().objects.filter(pk=alice.pk).update(is_active=False)
    assert token_user(key=key) is None and api_token_authenticate(key=key) is None

    get_user_model().objects.filter(pk=alice.pk).update(is_active=True)
    assert token_user(key=key).pk == alice.pk
    ApiToken.objects.filter(key_hash=hash_token(key)).delete()
    assert token_user(key=key) is None


def test_a_user_of_no_firm_has_none_cached_as_the_service_does(alice):
    key = api_token_issue(user=alice)
    token_user(key=key)
    Membership.objects.filter(user=alice).delete()

    user = token_user(key=key)

    with CaptureQueriesContext(connection) as captured:
        assert not hasattr(user, "membership")
    assert captured.captured_queries == []
    assert not hasattr(api_token_authenticate(key=key), "membership")


def test_over_http_each_change_shows_on_the_next_request(alice, project):
    key = api_token_issue(user=alice)
    client = Client(headers={"Authorization": f"Token {key}"})
    url = reverse("api-project", args=[project.pk])
    assert client.get(url).status_code == 200

    Membership.objects.filter(user=alice).delete()
    assert client.get(url).status_code in {403, 404}

    ApiToken.objects.filter(key_hash=hash_token(key)).delete()
    response = client.get(url)
    assert response.status_code == 401
    assert "invalid or was revoked" in response.text

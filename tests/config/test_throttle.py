"""Password guesses are throttled per account and per address, on every way in."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

LIMIT = 3


@pytest.fixture(autouse=True)
def _small_limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def page_login(client: Client, path: str, username: str, password: str):
    return client.post(path, {"username": username, "password": password})


def token(client: Client, username: str, password: str):
    return client.post(
        reverse("api-auth-token"),
        json.dumps({"username": username, "password": password}),
        content_type="application/json",
    )


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_the_right_password_is_refused_after_too_many_wrong_ones_on_the_login_pages(path, bob):
    client = Client()
    for _ in range(LIMIT - 1):
        response = page_login(client, path, bob.email, "wrong")
        assert response.status_code == 200  # the form again, with its error
    response = page_login(client, path, bob.email, "wrong")
    assert response.status_code == 429
    response = page_login(client, path, bob.email, PASSWORD)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    text = response.content.decode()
    assert "Too many failed sign-ins" in text and "owner can unlock" in text
    assert "_auth_user_id" not in client.session


def test_the_token_endpoint_answers_429_with_the_api_error_shape(alice):
    client = Client()
    for _ in range(LIMIT - 1):
        assert token(client, alice.email, "wrong").status_code == 400
    response = token(client, alice.email, PASSWORD)
    assert response.status_code == 200  # below the limit the right password still works
    for _ in range(LIMIT):
        token(client, alice.email, "wrong")
    response = token(client, alice.email, PASSWORD)
    assert response.status_code == 429
    body = response.json()
    assert body["error"] == "too_many_attempts"
    assert "Too many failed sign-ins" in body["detail"]
    assert int(response["Retry-After"]) == body["retry_after"] > 0
    assert "token" not in body


def test_one_address_guessing_many_accounts_is_locked_out_for_all_of_them(alice, bob, charlie):
    client = Client(REMOTE_ADDR="203.0.113.7")
    for n in range(LIMIT):
        token(client, f"nobody{n}@acme.test", "wrong")
    assert token(client, charlie.email, PASSWORD).status_code == 429
    # Another address is not affected.
    assert token(Client(REMOTE_ADDR="203.0.113.8"), charlie.email, PASSWORD).status_code == 200


def test_one_account_guessed_from_many_addresses_is_locked_out_everywhere(bob):
    for n in range(LIMIT):
        client = Client(REMOTE_ADDR=f"198.51.100.{n + 1}")
        # The same account however it is typed: emails are case-insensitive.
        page_login(client, "/accounts/login/", f"  {bob.email.upper()} ", "wrong")
    fresh = Client(REMOTE_ADDR="198.51.100.200")
    assert page_login(fresh, "/accounts/login/", bob.email, PASSWORD).status_code == 429
    assert token(fresh, bob.email, PASSWORD).status_code == 429


def test_a_sign_in_below_the_limit_starts_the_count_again(alice):
    for _ in range(2):
        client = Client()
        for _ in range(LIMIT - 1):
            page_login(client, "/accounts/login/", alice.email, "wrong")
        response = page_login(client, "/accounts/login/", alice.email, PASSWORD)
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(alice.pk)


def test_a_forwarded_address_counts_only_behind_a_configured_proxy(settings, alice):
    # Without a proxy, a client could invent a new address for every guess.
    for n in range(LIMIT):
        Client(REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").post(
            reverse("api-auth-token"),
            json.dumps({"username": f"x{n}@acme.test", "password": "wrong"}),
            content_type="application/json",
        )
    assert token(Client(REMOTE_ADDR="192.0.2.1"), alice.email, PASSWORD).status_code == 429
    settings.THROTTLE_PROXY_COUNT = 1
    behind = Client(REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="evil, 203.0.113.50")
    assert token(behind, alice.email, PASSWORD).status_code == 200

"""Who a signed-in session is: the user with their firm membership, in one query."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


class MemberBackend(ModelBackend):
    """Django's password backend, whose session user brings their membership and firm.

    Every signed-in page asks for the membership (the header names the firm, each read is
    scoped to it): reading it with the user saves a query on each of them. A user of no
    firm comes back with no membership, which is cached as such too.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> AbstractBaseUser | None:
        user = super().authenticate(request, username, password, **kwargs)
        if user is None and username is not None and password is not None:
            # Checked here, and final: Django's ModelBackend, listed after this one only
            # for sessions it signed in before, would hash the same guess a second time.
            raise PermissionDenied
        return user

    def get_user(self, user_id: Any) -> AbstractBaseUser | None:
        users = get_user_model()._default_manager.select_related("membership__firm")
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

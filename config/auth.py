"""Who a signed-in session is: the user with their firm membership, in one query."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from pipeline.sql import CompiledRead


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
        # Compiled once (pipeline/sql.CompiledRead): every signed-in request asks, and the
        # ORM took longer to build this join than the database to answer it.
        if type(user_id) is int:
            found = _SESSION_USER.instances(user_id)
            if not found:
                return None
            user = found[0]
        else:  # not what a session gives (its key is read as the pk's type): as the ORM does
            users = get_user_model()._default_manager.select_related("membership__firm")
            try:
                user = users.get(pk=user_id)
            except get_user_model().DoesNotExist:
                return None
        return user if self.user_can_authenticate(user) else None


# `users.select_related("membership__firm").get(pk=user_id)`, read as iterating it reads.
_SESSION_USER = CompiledRead(
    get_user_model(),
    lambda user_id: (
        get_user_model()._default_manager.select_related("membership__firm").filter(pk=user_id)
    ),
)

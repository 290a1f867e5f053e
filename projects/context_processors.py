from django.http import HttpRequest

from projects.selectors import membership_for_user


def membership(request: HttpRequest) -> dict[str, object]:
    """The signed-in user's firm and role, for the page header."""
    user = getattr(request, "user", None)
    return {"membership": membership_for_user(user=user) if user else None}

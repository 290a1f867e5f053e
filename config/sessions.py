"""Django's database sessions, their read compiled once (SESSION_ENGINE).

Every signed-in page and htmx request reads its session before anything else, and the
ORM spent longer building `Session.objects.get(session_key=…, expire_date__gt=now)` than
the database took to answer it (~0.25 ms of a page's CPU, bench/request_cost.py). The
read is the same query, its SQL built once (pipeline/sql.CompiledRead); writes, expiry
and logout are Django's own, so a session ended in one process is ended in every one.
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from pipeline.sql import CompiledRead

# `Session.objects.get(...)`: the key is the primary key, so there is one row or none.
_SESSION = CompiledRead(
    Session,
    lambda session_key, now: Session.objects.filter(
        session_key=session_key, expire_date__gt=now
    ).order_by(),
    texts=1,
    with_time=True,
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Session | None:
        found = _SESSION.instances(self.session_key, timezone.now())
        if not found:
            # As the base class: a key with no live session is dropped, and a new one
            # is made if the session is written.
            self._session_key = None
            return None
        return found[0]

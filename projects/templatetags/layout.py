"""base.html's links and assets, each worked out once per process.

Every page renders base.html, and its five `{% url %}` and four `{% static %}` were
~0.12 ms of each (a tenth of what the page's template costs; bench/request_cost.py).
Neither depends on the request's data: a link on the URL prefix and urlconf (as
`fragments.link`), an asset's URL on the static files storage, which reads its manifest
once when it is made. (A context processor would run for each of a page's fragments
too: measured slower.)
"""

from functools import lru_cache

from django import template
from django.conf import settings
from django.core.files.storage import Storage, storages
from django.templatetags.static import StaticNode

from projects import fragments

register = template.Library()


@lru_cache(maxsize=64)
def _asset(path: str, storage: Storage, debug: bool) -> str:
    # The storage (a new one when the settings change) and DEBUG (a manifest's storage
    # gives the file's own name under DEBUG) are the key; `static` reads them itself.
    return StaticNode.handle_simple(path)


@register.simple_tag
def asset(path: str) -> str:
    """`{% static path %}`."""
    return _asset(path, storages["staticfiles"], settings.DEBUG)


@register.simple_tag
def link(name: str) -> str:
    """`{% url name %}` of a URL without arguments."""
    return fragments.link(name)

"""The admin, where CAs and owners work. Non-superusers see only their own firm.

Django's autodiscovery imports this module; each submodule registers its models.
"""

from django.contrib import admin

from projects.admin import firm, review  # noqa: F401
from projects.admin.scoping import EmailAdminAuthenticationForm

admin.site.login_form = EmailAdminAuthenticationForm
# A CA's screen is for the review list's many columns, not a second menu.
admin.site.enable_nav_sidebar = False

"""The accounts app, and the admin site that asks staff for a second factor."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from allauth.account.signals import password_changed, password_reset

        from . import services

        # A new password ends the member's sessions on every other device.
        password_changed.connect(services.end_other_sessions, dispatch_uid="end-on-change")
        password_reset.connect(services.end_other_sessions, dispatch_uid="end-on-reset")


class SecondFactorAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with accounts.admin_site.SecondFactorAdminSite as admin.site."""

    default = False
    default_site = "accounts.admin_site.SecondFactorAdminSite"

"""The accounts app, and the admin site that asks staff for a second factor."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from allauth.account.signals import password_changed, password_reset
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from . import services

        # A new password ends the member's sessions on every other device.
        password_changed.connect(services.end_other_sessions, dispatch_uid="end-on-change")
        password_reset.connect(services.end_other_sessions, dispatch_uid="end-on-reset")
        # A user made outside allauth (createsuperuser, admin) gets the address row it needs.
        post_save.connect(
            services.keep_email_address, sender=get_user_model(), dispatch_uid="email-row"
        )


class SecondFactorAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with accounts.admin_site.SecondFactorAdminSite as admin.site."""

    default = False
    default_site = "accounts.admin_site.SecondFactorAdminSite"

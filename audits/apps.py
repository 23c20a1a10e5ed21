from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = "Curiosity audit"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401  (registers the content check)
        from .services import claim_visitor_audits, remember_login_session

        user_logged_in.connect(remember_login_session, dispatch_uid="remember-login-session")
        # Signing up logs the new member in too, so either way in claims a visitor's audits.
        user_logged_in.connect(claim_visitor_audits, dispatch_uid="claim-visitor-audits")

from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = "Curiosity audit"
    # The seed content (tracks.seeding): files in fixtures/, in load order, with their models.
    content_fixtures = [("audit_questions.json", ["Question", "Option", "OptionWeight"])]

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import (
            checks,  # noqa: F401  (registers the content check)
            client_address,  # noqa: F401  (registers the proxy count's deploy check)
        )
        from .flows import claim_visitor_audits

        # allauth sends user_logged_in on every way in (password, email, GitHub, and the
        # log-in that follows a sign-up), so each of them claims a visitor's audits.
        user_logged_in.connect(claim_visitor_audits, dispatch_uid="claim-visitor-audits")

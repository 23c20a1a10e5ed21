from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = "Curiosity audit"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .services import remember_login_session

        user_logged_in.connect(remember_login_session, dispatch_uid="remember-login-session")

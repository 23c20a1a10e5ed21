from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = "Curiosity audit"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_delete, post_save

        from careerguide.pagecache import watch_catalogue

        from .models import Audit, Option, OptionWeight, Question
        from .services import remember_login_session
        from .signals import audit_changed, member_changed

        user_logged_in.connect(remember_login_session, dispatch_uid="remember-login-session")
        # The audit's questions are catalogue data too: steps read them through the cache.
        watch_catalogue([Question, Option, OptionWeight])
        member = get_user_model()
        post_save.connect(audit_changed, sender=Audit, dispatch_uid="audit-saved")
        post_save.connect(member_changed, sender=member, dispatch_uid="member-saved")
        post_delete.connect(member_changed, sender=member, dispatch_uid="member-deleted")

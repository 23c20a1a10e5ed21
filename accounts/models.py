"""What accounts keeps beside allauth's tables: notices a member reads at their next log-in."""

from django.conf import settings
from django.db import models


class LoginNotice(models.Model):
    """A message shown to a member the next time they log in, then deleted."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_notices"
    )
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Notice for {self.member_id}: {self.text[:40]}"

"""The curiosity log: a member's dated evidence of what pulls them in, kept as it happens."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from audits.models import Option
from tracks.models import Company, ConferenceTrack, Project


def not_in_the_future(day):
    if day > timezone.localdate():
        raise ValidationError("The date cannot be in the future: log what has happened.")


class Entry(models.Model):
    class Kind(models.TextChoices):
        # The chapter's evidence, in the order the audit asks for it.
        PROBLEM = "problem", "A problem that made me lose track of time"
        READING = "reading", "Something I read in my own time"
        TALK = "talk", "A talk I finished"
        CONTRIBUTION = "contribution", "An open-source contribution"
        COMPANY = "company", "A company I looked into"

    # No index of its own: entry_member_newest starts with the member.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="log_entries",
        db_index=False,
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    day = models.DateField(default=timezone.localdate, validators=[not_in_the_future])
    # What it points to in the catalogue, if anything. A curator deleting the item leaves the
    # entry with its title: the text was copied when it was logged.
    session = models.ForeignKey(
        ConferenceTrack, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    project = models.ForeignKey(
        Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    company = models.ForeignKey(
        Company, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    option = models.ForeignKey(
        Option, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=200)
    link = models.URLField(
        max_length=500, blank=True, validators=[URLValidator(schemes=["http", "https"])]
    )
    note = models.TextField(max_length=1000, blank=True)
    # Imported from a CSV file: counted against the import limit, not the daily one.
    imported = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "-created_at", "-id"]
        verbose_name_plural = "entries"
        indexes = [
            models.Index(fields=["member", "-day", "-created_at"], name="entry_member_newest"),
            models.Index(fields=["member", "created_at"], name="entry_member_created"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title} ({self.day:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("logbook:edit", args=[self.pk])

    @property
    def item(self):
        return self.session or self.project or self.company or self.option

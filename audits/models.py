"""The curiosity audit: curator-edited questions, and each member's audits with their answers."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from tracks.models import NaturalKeyManager, Sourced, Track


class Question(Sourced):
    """A question of steps 2, 3 (curiosity), 4 (talk topics beside the catalogue's conference
    sessions) or 6 (reflection), as members count steps; its options carry the weights.

    Each carries its origin (tracks.models.Sourced): the chapter names the questions of the
    audit and some of their examples; the other options, the talk topics, the reflection
    questions and every weight are editorial.
    """

    # Stored 0-based like audits/steps.py; labeled as members number them: "Step 2".
    class Step(models.IntegerChoices):
        PROBLEMS = 1, "Step 2: problems that made you lose track of time"
        READING = 2, "Step 3: what you read in your free time"
        TALKS = 3, "Step 4: talk topics (beside the conference sessions)"
        REFLECTION = 5, "Step 6: reflection"

    slug = models.SlugField(unique=True)
    step = models.PositiveSmallIntegerField(
        choices=Step.choices, help_text="The screen of the audit that asks this question."
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Position on its step.")
    prompt = models.CharField(max_length=300)
    help_text = models.CharField(max_length=300, blank=True)
    allows_multiple = models.BooleanField(
        default=True, help_text="Several options may be chosen (curiosity questions)."
    )
    published = models.BooleanField(
        default=True,
        help_text="Unpublished questions are no longer asked; past results keep their answers. "
        "Unpublish a question instead of deleting it.",
    )

    objects = NaturalKeyManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["step", "order", "id"]

    def __str__(self):
        return f"Step {self.position}: {self.prompt}"

    @property
    def position(self):
        """The step's number as members see it (1-based)."""
        return self.step + 1

    def natural_key(self):
        return (self.slug,)


class Option(Sourced):
    class Warning(models.TextChoices):
        PAY = "pay", "Pay is the main draw"
        RELEASE_NOTES = "release_notes", "No appetite for weekly release notes"
        DAY_JOB = "day_job", "The day job will not allow depth"
        TREND = "trend", "Picked because it is hot this quarter"

    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="options")
    key = models.SlugField(
        max_length=60, help_text="Stored with members' answers: keep it once the option is live."
    )
    order = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(max_length=200)
    warning = models.CharField(
        max_length=20,
        choices=Warning.choices,
        blank=True,
        help_text="Reflection answers only: the warning this answer raises.",
    )
    published = models.BooleanField(
        default=True,
        help_text="Unpublished options are no longer offered. Unpublish instead of deleting.",
    )
    tracks = models.ManyToManyField(Track, through="OptionWeight", related_name="audit_options")

    objects = NaturalKeyManager("question__slug", "key")
    history = HistoricalRecords()

    class Meta:
        ordering = ["question__step", "question__order", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "key"], name="unique_option_per_question")
        ]

    def __str__(self):
        return self.label

    def clean(self):
        super().clean()
        if self.warning and self.question_id and self.question.step != Question.Step.REFLECTION:
            raise ValidationError({"warning": "Only reflection answers (step 6) raise warnings."})

    def natural_key(self):
        return (*self.question.natural_key(), self.key)

    natural_key.dependencies = ["audits.question"]


class OptionWeight(Sourced):
    option = models.ForeignKey(Option, on_delete=models.PROTECT, related_name="weights")
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="option_weights")
    weight = models.PositiveSmallIntegerField(
        default=2,
        validators=[MaxValueValidator(5)],
        help_text="How strongly choosing this option points to the track (1 weak, 2 usual, "
        "up to 5).",
    )

    objects = NaturalKeyManager("option__question__slug", "option__key", "track__slug")
    history = HistoricalRecords()

    class Meta:
        ordering = ["option", "track__number"]
        constraints = [
            models.UniqueConstraint(fields=["option", "track"], name="unique_weight_per_track")
        ]

    def __str__(self):
        return f"{self.option} → {self.track.name} ×{self.weight}"

    def natural_key(self):
        return (*self.option.natural_key(), *self.track.natural_key())

    natural_key.dependencies = ["audits.option", "tracks.track"]


class Audit(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        FINISHED = "finished", "Finished"

    class Years(models.TextChoices):
        UNDER_1 = "under-1", "Under 1 year"
        ONE_TWO = "1-2", "1–2 years"
        TWO_THREE = "2-3", "2–3 years"
        THREE_FIVE = "3-5", "3–5 years"
        FIVE_PLUS = "5-plus", "5+ years"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Indexed by audit_member_newest (member first), which also serves plain member lookups.
    # A visitor's audit has no member until it is claimed at sign-up or log-in.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="audits",
        db_index=False,
        null=True,
        blank=True,
    )
    # A visitor's audit belongs to the browser whose session holds this key.
    visitor_key = models.CharField(max_length=64, blank=True, db_index=True)
    # Where a visitor's audit was started from (a keyed hash, never the address): new drafts
    # per address are limited.
    visitor_address = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    reached_step = models.PositiveSmallIntegerField(default=0)
    years = models.CharField(max_length=10, choices=Years.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_activity_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    seconds_spent = models.PositiveIntegerField(default=0)
    # Filled when the audit is finished; never recomputed, so later curator edits change nothing.
    answers_snapshot = models.JSONField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    scoring_version = models.PositiveSmallIntegerField(null=True, blank=True)
    top_tracks = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["member", "-created_at"], name="audit_member_newest"),
            models.Index(
                fields=["visitor_address", "created_at"],
                name="audit_visitor_address",
                condition=models.Q(member__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(member__isnull=False) | ~models.Q(visitor_key=""),
                name="audit_has_an_owner",
            )
        ]

    def __str__(self):
        return f"Audit {self.id} ({self.get_status_display()})"

    def get_absolute_url(self):
        if self.status == self.Status.FINISHED:
            return reverse("audits:result", args=[self.id])
        return reverse("audits:step", args=[self.id, self.reached_step])

    @property
    def is_finished(self):
        return self.status == self.Status.FINISHED


class AuditAnswer(models.Model):
    """One step's answers; a row per step, so two tabs saving different steps never collide."""

    # No index of its own: unique_answer_per_step starts with the audit and serves its lookups.
    audit = models.ForeignKey(
        Audit, on_delete=models.CASCADE, related_name="answers", db_index=False
    )
    step = models.PositiveSmallIntegerField()
    data = models.JSONField(default=dict)
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["step"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "step"], name="unique_answer_per_step")
        ]

    def __str__(self):
        return f"Step {self.step} of {self.audit_id}"


class ShareLink(models.Model):
    """A private link to one finished audit's result, made by its member and revocable.

    Whoever holds the token sees the recommendation, the explained scores and the plan, never
    the member or their answers. A revoked link answers 404; revoked rows are kept so that the
    creation limit counts them.
    """

    # No index of its own: share_link_audit_newest starts with the audit.
    audit = models.ForeignKey(
        Audit, on_delete=models.CASCADE, related_name="share_links", db_index=False
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["audit", "-created_at"], name="share_link_audit_newest")]

    def __str__(self):
        state = "revoked" if self.revoked_at else "active"
        return f"Share link of {self.audit_id} ({state})"

    def get_absolute_url(self):
        return reverse("shared_result", args=[self.token])

    @property
    def is_active(self):
        return self.revoked_at is None


class AuditPdf(models.Model):
    """A finished audit's PDF, made once by the task worker (audits.tasks) and kept here, so a
    request only ever serves it. `made_for` is the scoring version and the release it is made
    for: a deploy or a rescore makes it again. `body` is empty until the worker has made it."""

    audit = models.OneToOneField(
        Audit, on_delete=models.CASCADE, primary_key=True, related_name="pdf"
    )
    made_for = models.CharField(max_length=200)
    body = models.BinaryField(null=True, editable=False)
    requested_at = models.DateTimeField()
    made_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "audit PDF"

    def __str__(self):
        return f"PDF of {self.audit_id} ({'made' if self.made_at else 'being made'})"

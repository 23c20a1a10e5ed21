"""The catalogue: the nine tracks and what hangs off them, as curators keep it."""

from django.db import models
from django.urls import reverse
from django.utils.text import slugify


class NaturalKeyManager(models.Manager):
    """Looks rows up by the fields their natural key is made of, as fixtures refer to them."""

    def __init__(self, *fields):
        super().__init__()
        self.natural_key_fields = fields or ("slug",)

    def get_by_natural_key(self, *values):
        return self.get(**dict(zip(self.natural_key_fields, values, strict=True)))


class Track(models.Model):
    number = models.PositiveSmallIntegerField(unique=True, help_text="Order on every page, 1–9.")
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80)
    subtitle = models.CharField(max_length=120, blank=True, help_text="e.g. “RAG at scale”.")
    owns = models.CharField(max_length=200, help_text="What this specialist owns on a team.")
    summary = models.TextField(blank=True, help_text="A short introduction in our own words.")
    pay_premium_note = models.CharField(max_length=300, blank=True)
    hiring_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Catch-all phrases about who else hires, kept as prose.",
    )
    chapter_url = models.URLField(blank=True, help_text="Link to a full chapter, if one exists.")
    colour = models.CharField(
        max_length=7, default="#3b5bdb", help_text="Hex colour, e.g. #1c7ed6."
    )
    symbol = models.CharField(
        max_length=4, default="◆", help_text="One character shown with the name."
    )
    published = models.BooleanField(default=True)

    objects = NaturalKeyManager()

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.name}"

    def get_absolute_url(self):
        return reverse("tracks:track_detail", args=[self.slug])

    def natural_key(self):
        return (self.slug,)


class Skill(models.Model):
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="skills")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=120)
    tools = models.CharField(
        max_length=300, blank=True, help_text="Named tools or variants, comma separated."
    )

    objects = NaturalKeyManager("track__slug", "name")

    class Meta:
        ordering = ["track__number", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["track", "name"], name="unique_skill_per_track")
        ]

    def __str__(self):
        return f"{self.name} ({self.tools})" if self.tools else self.name

    def natural_key(self):
        return (*self.track.natural_key(), self.name)

    natural_key.dependencies = ["tracks.track"]


class Background(models.Model):
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="backgrounds")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=200)

    objects = NaturalKeyManager("track__slug", "name")

    class Meta:
        ordering = ["track__number", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["track", "name"], name="unique_background_per_track")
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (*self.track.natural_key(), self.name)

    natural_key.dependencies = ["tracks.track"]


class Company(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(unique=True)
    note = models.CharField(
        max_length=300, blank=True, help_text="e.g. “the original” for Palantir."
    )
    tracks = models.ManyToManyField(Track, through="CompanyTrack", related_name="companies")

    objects = NaturalKeyManager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "companies"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.slug = self.slug or slugify(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("tracks:company_detail", args=[self.slug])

    def natural_key(self):
        return (self.slug,)


class CompanyTrack(models.Model):
    """A company hires deep roles for a track, sometimes in one named team."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="hiring")
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="hiring")
    team = models.CharField(max_length=120, blank=True, help_text="e.g. “Claude Code”.")
    order = models.PositiveSmallIntegerField(default=0)

    objects = NaturalKeyManager("company__slug", "track__slug")

    class Meta:
        ordering = ["track__number", "order", "id"]
        verbose_name = "company hiring for a track"
        constraints = [
            models.UniqueConstraint(fields=["company", "track"], name="unique_company_per_track")
        ]

    def __str__(self):
        team = f" — {self.team}" if self.team else ""
        return f"{self.company}{team} ({self.track.name})"

    def natural_key(self):
        return (*self.company.natural_key(), *self.track.natural_key())

    natural_key.dependencies = ["tracks.company", "tracks.track"]


class Conference(models.Model):
    class Kind(models.TextChoices):
        ACADEMIC = "academic", "Academic"
        INDUSTRY = "industry", "Industry"
        COMMUNITY = "community", "Community"

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    note = models.CharField(max_length=300, blank=True)
    tracks = models.ManyToManyField(Track, through="ConferenceTrack", related_name="conferences")

    objects = NaturalKeyManager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.slug = self.slug or slugify(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("tracks:conference_list") + f"#{self.slug}"

    def natural_key(self):
        return (self.slug,)


class ConferenceTrack(models.Model):
    """A conference is worth attending for a track, often for one session of it."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="sessions")
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="sessions")
    session = models.CharField(max_length=160, blank=True, help_text="e.g. “agent workshops”.")
    order = models.PositiveSmallIntegerField(default=0)

    objects = NaturalKeyManager("conference__slug", "track__slug")

    class Meta:
        ordering = ["track__number", "order", "id"]
        verbose_name = "conference session for a track"
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "track"], name="unique_conference_per_track"
            )
        ]

    def __str__(self):
        return self.label

    @property
    def label(self):
        return f"{self.conference.name} — {self.session}" if self.session else self.conference.name

    def natural_key(self):
        return (*self.conference.natural_key(), *self.track.natural_key())

    natural_key.dependencies = ["tracks.conference", "tracks.track"]


class Project(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(unique=True)
    steward = models.CharField(max_length=120, blank=True, help_text="e.g. “Hugging Face”.")
    tracks = models.ManyToManyField(Track, through="ProjectTrack", related_name="projects")

    objects = NaturalKeyManager()

    class Meta:
        ordering = ["name"]
        verbose_name = "open-source project"

    def __str__(self):
        return f"{self.name} ({self.steward})" if self.steward else self.name

    def save(self, *args, **kwargs):
        self.slug = self.slug or slugify(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("tracks:project_list") + f"#{self.slug}"

    def natural_key(self):
        return (self.slug,)


class ProjectTrack(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="listings")
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="project_listings")
    note = models.CharField(max_length=160, blank=True, help_text="e.g. “red-team templates”.")
    order = models.PositiveSmallIntegerField(default=0)

    objects = NaturalKeyManager("project__slug", "track__slug")

    class Meta:
        ordering = ["track__number", "order", "id"]
        verbose_name = "project listed under a track"
        constraints = [
            models.UniqueConstraint(fields=["project", "track"], name="unique_project_per_track")
        ]

    def __str__(self):
        return f"{self.project.name} ({self.track.name})"

    def natural_key(self):
        return (*self.project.natural_key(), *self.track.natural_key())

    natural_key.dependencies = ["tracks.project", "tracks.track"]


class GuideSection(models.Model):
    class Kind(models.TextChoices):
        SUMMARY = "summary", "In one line"
        PLAIN = "plain", "In plain English"
        TIMELINE = "timeline", "When to specialize"
        WRONG_REASON = "wrong_reason", "The wrong reason"
        HIGHLIGHT = "highlight", "Highlight"
        MISTAKE = "mistake", "Common mistake"
        COMP_NOTE = "comp_note", "Comp note"
        CHAPTERS = "chapters", "Going deeper"
        AUDIT = "audit", "The curiosity audit"
        NEXT = "next", "Next chapter"

    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(max_length=60, blank=True, help_text="e.g. “Year 2–3”.")
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Plain text; blank lines separate paragraphs.")
    link_url = models.CharField(max_length=200, blank=True)
    link_text = models.CharField(max_length=120, blank=True)

    objects = NaturalKeyManager()

    class Meta:
        ordering = ["kind", "order"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"

    def get_absolute_url(self):
        return reverse("tracks:guide") + f"#{self.slug}"

    @property
    def paragraphs(self):
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]

    def natural_key(self):
        return (self.slug,)


class QuickCheckQuestion(models.Model):
    slug = models.SlugField(unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    prompt = models.CharField(max_length=300)
    explanation = models.TextField(
        help_text="Why the right answer is right, shown after answering."
    )

    objects = NaturalKeyManager()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "quick-check question"

    def __str__(self):
        return self.prompt

    def get_absolute_url(self):
        return reverse("tracks:guide") + f"#check-{self.slug}"

    def natural_key(self):
        return (self.slug,)


class QuickCheckOption(models.Model):
    question = models.ForeignKey(
        QuickCheckQuestion, on_delete=models.CASCADE, related_name="options"
    )
    key = models.SlugField(max_length=40)
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)
    is_correct = models.BooleanField(default=False)

    objects = NaturalKeyManager("question__slug", "key")

    class Meta:
        ordering = ["question__order", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "key"], name="unique_option_key_per_question"
            )
        ]

    def __str__(self):
        return self.text

    def natural_key(self):
        return (*self.question.natural_key(), self.key)

    natural_key.dependencies = ["tracks.quickcheckquestion"]


class SeedRecord(models.Model):
    """What `seed_content` last wrote to a row, so a curator's later edit is recognised and kept."""

    model = models.CharField(max_length=100)
    natural_key = models.CharField(max_length=400)
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "natural_key"], name="unique_seed_record")
        ]

    def __str__(self):
        return f"{self.model} {self.natural_key}"

"""The catalogue: the nine tracks and what hangs off them, as curators keep it."""

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
    URLValidator,
)
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

# Links out are plain web pages: no javascript:, data: or ftp: addresses.
web_address = URLValidator(
    schemes=["http", "https"], message="Enter a web address starting with http:// or https://."
)
# Links inside the guide stay on this site.
site_path = RegexValidator(
    r"^/(?!/)\S*$", "Enter a path on this site starting with “/”, e.g. /tracks/voice/."
)


def link_field(verbose_name, help_text):
    return models.URLField(verbose_name, blank=True, validators=[web_address], help_text=help_text)


class Origin(models.TextChoices):
    """Whose word a row or text block is."""

    CHAPTER = "chapter", "The chapter"
    EDITORIAL = "editorial", "Editorial addition"


class Sourced(models.Model):
    """Where a row comes from: the chapter, or an editorial addition of careerguide's, with who
    added it, when, and the page that confirms it where it states a fact. Shared by the
    catalogue and the audit's questions; `manage.py check --tag content` lists rows without."""

    origin = models.CharField(
        max_length=10,
        choices=Origin.choices,
        default="",
        db_index=True,
        help_text="“The chapter” for what the chapter says (its names, notes and qualifiers "
        "included); “Editorial addition” for anything careerguide adds. Editorial rows are "
        "marked as ours on the site.",
    )
    added_by = models.CharField(
        "added by",
        max_length=120,
        blank=True,
        help_text="Editorial additions: who wrote or added it, e.g. “careerguide maintainers”. "
        "Left blank in admin, it is the curator who saves it.",
    )
    added_on = models.DateField(
        "added on",
        null=True,
        blank=True,
        help_text="Editorial additions: when it was added. Left blank in admin, the day it is "
        "saved.",
    )
    source_url = models.URLField(
        "source",
        blank=True,
        validators=[web_address],
        help_text="The page that confirms this, e.g. an official site or a careers page. "
        "Required for an editorial addition that states a fact.",
    )

    class Meta:
        abstract = True

    @property
    def is_editorial(self):
        return self.origin == Origin.EDITORIAL


class Freshness(Sourced):
    """Where a fact was checked, by whom and when: shown on public pages, listed when it grows
    old."""

    reviewed_on = models.DateField(
        "last reviewed",
        null=True,
        blank=True,
        help_text="When a curator last checked this against its source (or the chapter). Shown "
        "on the site as “reviewed against the chapter by …, Nov 2026”; after six months it "
        "appears under “needs review”.",
    )
    reviewed_by = models.CharField(
        "reviewed by",
        max_length=120,
        blank=True,
        help_text="Who checked it, shown beside the date.",
    )

    class Meta:
        abstract = True

    @property
    def reviewed_against(self):
        """What the review compared the row with: its source, or the chapter."""
        return "its source" if self.source_url else "the chapter"


class NaturalKeyManager(models.Manager):
    """Looks rows up by the fields their natural key is made of, as fixtures refer to them."""

    def __init__(self, *fields):
        super().__init__()
        self.natural_key_fields = fields or ("slug",)

    def get_by_natural_key(self, *values):
        return self.get(**dict(zip(self.natural_key_fields, values, strict=True)))


class Listed(models.Model):
    """A company, conference or project: known by a unique name, addressed and keyed by a slug
    made from it unless a curator gives one."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(unique=True)

    objects = NaturalKeyManager()

    class Meta:
        abstract = True
        ordering = [Lower("name")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.slug = self.slug or slugify(self.name)
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.slug,)


class Track(Freshness):
    number = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(9)],
        db_index=True,
        help_text="Position on every page, 1–9. Typing another track's number moves that track "
        "and the ones after it along; you can also drag tracks in the list.",
    )
    slug = models.SlugField(
        unique=True,
        help_text="The end of the track's address, as in /tracks/voice/. When you change it, the "
        "old address "
        "keeps working and sends visitors to the new one.",
    )
    name = models.CharField(max_length=80, help_text="As the chapter writes it, casing included.")
    subtitle = models.CharField(max_length=120, blank=True, help_text="e.g. “RAG at scale”.")
    owns = models.CharField(max_length=200, help_text="What this specialist owns on a team.")
    summary = models.TextField(
        blank=True,
        help_text="A short introduction in our own words: marked on the site as an editorial "
        "addition, by “written by” below.",
    )
    pay_premium_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Our words applying the chapter's “10–30% over generalist” to this track: "
        "marked as editorial like the summary.",
    )
    prose_by = models.CharField(
        "written by",
        max_length=120,
        blank=True,
        help_text="Who wrote the summary and the pay-premium line.",
    )
    prose_on = models.DateField("written on", null=True, blank=True)
    companies_heading = models.CharField(
        max_length=120,
        blank=True,
        help_text="The heading above the companies, worded as the chapter does, e.g. “Companies "
        "hiring deep retrieval roles”. Left blank, it reads “Companies hiring for” and the name.",
    )
    hiring_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Catch-all phrases about who else hires, kept as prose.",
    )
    chapter_url = link_field("full chapter", "Link to a full chapter, if one exists.")
    colour = models.CharField(
        "color",
        max_length=7,
        default="#3b5bdb",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a hex color such as #1c7ed6.")],
        help_text="Hex color of the track's badge, e.g. #1c7ed6; white text must stay readable.",
    )
    symbol = models.CharField(
        max_length=4, default="◆", help_text="One character shown with the name."
    )
    published = models.BooleanField(
        default=True,
        help_text="Unpublished tracks are hidden from visitors and from the audit; staff can "
        "still preview them. Unpublish a track instead of deleting it.",
    )
    # What the audit's warnings read (audits.scoring), rather than the track's slug.
    reads_release_notes_weekly = models.BooleanField(
        "reads model release notes weekly",
        default=False,
        help_text="Its specialists keep up with model release notes every week: the audit warns "
        "members who find that a chore when it recommends this track.",
    )
    forward_deployed = models.BooleanField(
        "forward-deployed",
        default=False,
        help_text="A forward-deployed role: when the audit recommends it, it says that this is "
        "not a downgrade.",
    )

    objects = NaturalKeyManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["number", "id"]

    def __str__(self):
        return f"{self.number}. {self.name}"

    def get_absolute_url(self):
        return reverse("tracks:track_detail", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    @property
    def companies_title(self):
        return self.companies_heading or f"Companies hiring for {self.name}"

    @property
    def summary_paragraphs(self):
        return [p.strip() for p in self.summary.split("\n\n") if p.strip()]


class FormerSlug(models.Model):
    """An address a track had before its slug changed: it answers with a redirect to the track."""

    slug = models.SlugField(unique=True)
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="former_slugs")
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"/tracks/{self.slug}/ → {self.track.slug}"


class Skill(Sourced):
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="skills")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=120)
    tools = models.CharField(
        max_length=300, blank=True, help_text="Named tools or variants, comma separated."
    )

    objects = NaturalKeyManager("track__slug", "name")
    history = HistoricalRecords()

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


class Background(Sourced):
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="backgrounds")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=200)

    objects = NaturalKeyManager("track__slug", "name")
    history = HistoricalRecords()

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


class Company(Sourced, Listed):
    note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Shown in brackets after the name wherever it is listed, e.g. “the original” "
        "for Palantir.",
    )
    careers_url = link_field("careers page", "The company's careers page.")
    tracks = models.ManyToManyField(Track, through="CompanyTrack", related_name="companies")

    history = HistoricalRecords()

    class Meta(Listed.Meta):
        verbose_name_plural = "companies"

    def get_absolute_url(self):
        return reverse("tracks:company_detail", args=[self.slug])


class Qualifier(models.TextChoices):
    """What the words after a company's name are: a team, a product, or a plain note."""

    TEAM = "team", "Team"
    PRODUCT = "product", "Product"
    NOTE = "note", "Note"


class CompanyTrack(Freshness):
    """A company hires deep roles for a track, sometimes for one team or product of it."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="hiring")
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="hiring")
    qualifier = models.CharField(
        max_length=120,
        blank=True,
        help_text="Words the chapter puts in brackets, e.g. “Claude Code” or “post-training”.",
    )
    qualifier_kind = models.CharField(
        "kind",
        max_length=10,
        choices=Qualifier.choices,
        blank=True,
        help_text="A team (“post-training”), a product (“Claude Code”) or a note "
        "(“document AI”), for curators' searches; the site shows the words as the chapter does.",
    )
    qualifier_first = models.BooleanField(
        "qualifier first",
        default=False,
        help_text="The chapter names the qualifier first and the company in brackets, as in "
        "“Inspect AI (UK AISI)”.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    objects = NaturalKeyManager("company__slug", "track__slug")
    history = HistoricalRecords()

    class Meta:
        ordering = ["track__number", "order", "id"]
        verbose_name = "hiring company"
        verbose_name_plural = "hiring companies"
        constraints = [
            models.UniqueConstraint(fields=["company", "track"], name="unique_company_per_track")
        ]

    def __str__(self):
        qualifier = f" ({self.qualifier})" if self.qualifier else ""
        return f"{self.company}{qualifier} for {self.track.name}"

    @property
    def shown_name(self):
        """The name a listing starts with, in the chapter's order: "Inspect AI (UK AISI)"."""
        return self.qualifier if self.qualifier_first else self.company.name

    @property
    def brackets(self):
        """What follows `shown_name` where it is listed: the qualifier (or, when the qualifier
        comes first, the company) and the company's note."""
        second = self.company.name if self.qualifier_first else self.qualifier
        return "; ".join(part for part in (second, self.company.note) if part)

    def clean(self):
        super().clean()
        if self.qualifier and not self.qualifier_kind:
            raise ValidationError(
                {"qualifier_kind": "Say whether these words name a team, a product or a note."}
            )
        if self.qualifier_kind and not self.qualifier:
            self.qualifier_kind = ""

    def natural_key(self):
        return (*self.company.natural_key(), *self.track.natural_key())

    natural_key.dependencies = ["tracks.company", "tracks.track"]


class Conference(Freshness, Listed):
    class Kind(models.TextChoices):
        ACADEMIC = "academic", "Academic"
        INDUSTRY = "industry", "Industry"
        COMMUNITY = "community", "Community"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    kind_origin = models.CharField(
        "kind from",
        max_length=10,
        choices=Origin.choices,
        default="",
        help_text="“The chapter” only where the chapter says it (SIGIR is “academic”); a kind "
        "careerguide assigned is editorial and marked so.",
    )
    note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Shown in brackets after the name wherever it is listed, e.g. “London”.",
    )
    url = link_field("site", "The conference's own site.")
    tracks = models.ManyToManyField(Track, through="ConferenceTrack", related_name="conferences")

    history = HistoricalRecords()

    class Meta(Listed.Meta):
        pass

    def get_absolute_url(self):
        return reverse("tracks:conference_list") + f"#{self.slug}"


class ConferenceTrack(Sourced):
    """A conference is worth attending for a track, often for one session of it."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="sessions")
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="sessions")
    session = models.CharField(max_length=160, blank=True, help_text="e.g. “agent workshops”.")
    order = models.PositiveSmallIntegerField(default=0)

    objects = NaturalKeyManager("conference__slug", "track__slug")
    history = HistoricalRecords()

    class Meta:
        ordering = ["track__number", "order", "id"]
        verbose_name = "conference session"
        verbose_name_plural = "conference sessions"
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

    @property
    def note(self):
        """What a conference's card says under this track, as a project listing's note does."""
        return self.session

    def natural_key(self):
        return (*self.conference.natural_key(), *self.track.natural_key())

    natural_key.dependencies = ["tracks.conference", "tracks.track"]


class Project(Freshness, Listed):
    steward = models.CharField(
        max_length=120,
        blank=True,
        help_text="Who keeps it, shown in brackets after the name, e.g. “Hugging Face”.",
    )
    url = link_field("repository", "The project's repository or home page.")
    tracks = models.ManyToManyField(Track, through="ProjectTrack", related_name="projects")

    history = HistoricalRecords()

    class Meta(Listed.Meta):
        verbose_name = "open-source project"

    def __str__(self):
        return f"{self.name} ({self.steward})" if self.steward else self.name

    def get_absolute_url(self):
        return reverse("tracks:project_list") + f"#{self.slug}"


class ProjectTrack(Sourced):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="listings")
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="project_listings")
    note = models.CharField(
        max_length=160,
        blank=True,
        help_text="Shown in brackets under this track only, e.g. “red-team templates”.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    objects = NaturalKeyManager("project__slug", "track__slug")
    history = HistoricalRecords()

    class Meta:
        ordering = ["track__number", "order", "id"]
        verbose_name = "project listing"
        verbose_name_plural = "project listings"
        constraints = [
            models.UniqueConstraint(fields=["project", "track"], name="unique_project_per_track")
        ]

    def __str__(self):
        return f"{self.project.name} ({self.track.name})"

    @property
    def brackets(self):
        """What follows the project's name under this track: its steward and the note."""
        return "; ".join(part for part in (self.project.steward, self.note) if part)

    def natural_key(self):
        return (*self.project.natural_key(), *self.track.natural_key())

    natural_key.dependencies = ["tracks.project", "tracks.track"]


class GuideSection(Sourced):
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
    link_url = models.CharField(
        max_length=200,
        blank=True,
        validators=[site_path],
        help_text="A page of this site, e.g. /tracks/voice/. Links to other sites are refused.",
    )
    link_text = models.CharField(max_length=120, blank=True)

    objects = NaturalKeyManager()
    history = HistoricalRecords()

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


class QuickCheckQuestion(Sourced):
    slug = models.SlugField(unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    prompt = models.CharField(max_length=300)
    explanation = models.TextField(
        help_text="Why the right answer is right, shown after answering."
    )

    objects = NaturalKeyManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "quick-check question"

    def __str__(self):
        return self.prompt

    def get_absolute_url(self):
        return reverse("tracks:guide") + f"#check-{self.slug}"

    def natural_key(self):
        return (self.slug,)


class QuickCheckOption(Sourced):
    question = models.ForeignKey(
        QuickCheckQuestion, on_delete=models.CASCADE, related_name="options"
    )
    key = models.SlugField(max_length=40)
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)
    is_correct = models.BooleanField(default=False)

    objects = NaturalKeyManager("question__slug", "key")
    history = HistoricalRecords()

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
    """What `seed_content` last wrote to a row, so a curator's later edit is recognized and kept."""

    model = models.CharField(max_length=100)
    natural_key = models.CharField(max_length=400)
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "natural_key"], name="unique_seed_record")
        ]

    def __str__(self):
        return f"{self.model} {self.natural_key}"


class CatalogueVersion(models.Model):
    """The catalogue's version: one row, renewed in the same transaction as every change to the
    catalogue's content, so a page kept under an older version is never read again."""

    token = models.CharField(max_length=32)
    renewed_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.token

    @classmethod
    def current(cls):
        return cls.objects.filter(pk=1).values_list("token", flat=True).first() or cls.renew()

    @classmethod
    def renew(cls):
        token = secrets.token_hex(8)
        cls.objects.update_or_create(pk=1, defaults={"token": token, "renewed_at": timezone.now()})
        return token

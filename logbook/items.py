"""The catalogue items an entry can point to, named by a reference such as "company:12": the
choices of the log's form, the buttons of the catalogue pages, and what a reference resolves to."""

from typing import NamedTuple

from audits.models import Option, Question
from tracks.models import Company, ConferenceTrack, Project

from .models import Entry

# The audit's questions whose options can be logged, and the kind each is logged as.
OPTION_KINDS = {
    Question.Step.PROBLEMS: Entry.Kind.PROBLEM,
    Question.Step.READING: Entry.Kind.READING,
    Question.Step.TALKS: Entry.Kind.TALK,
}
# What an entry of a session, a project or a company is logged as.
FIELD_KINDS = {
    "session": Entry.Kind.TALK,
    "project": Entry.Kind.CONTRIBUTION,
    "company": Entry.Kind.COMPANY,
}


class Item(NamedTuple):
    """A catalogue item: the entry's field that points to it, its key, and the kind and title
    an entry of it is logged with."""

    field: str
    pk: int
    kind: str
    title: str

    @property
    def reference(self):
        return f"{self.field}:{self.pk}"


def session_title(conference, session):
    return f"{conference} — {session}" if session else conference


def field_items(field, **filters):
    """The items of one field, in the order the log's select lists them (one query of the
    columns they need)."""
    if field == "session":
        rows = (
            ConferenceTrack.objects.filter(**filters)
            .order_by("conference__name", "session", "pk")
            .values_list("pk", "conference__name", "session")
        )
        return [Item(field, pk, Entry.Kind.TALK, session_title(*names)) for pk, *names in rows]
    if field == "option":
        rows = (
            Option.objects.filter(
                question__step__in=list(OPTION_KINDS),
                published=True,
                question__published=True,
                **filters,
            )
            .order_by("question__step", "label")
            .values_list("pk", "question__step", "label")
        )
        return [Item(field, pk, OPTION_KINDS[step], label) for pk, step, label in rows]
    model = {"project": Project, "company": Company}[field]
    rows = model.objects.filter(**filters).values_list("pk", "name")
    return [Item(field, pk, FIELD_KINDS[field], name) for pk, name in rows]


class Catalogue:
    """Every item an entry can point to, read once (four queries): grouped choices for a
    select, and references resolved without another query (an import reads it once)."""

    def __init__(self):
        self.found = {}
        # A session listed under two tracks is one talk to choose: its first reference.
        self.shown, talks = {}, []
        for item in field_items("session"):
            self.found[item.reference] = item
            if item.title not in self.shown:
                self.shown[item.title] = item.reference
                talks.append((item.reference, item.title))
        grouped = {kind: [] for kind in OPTION_KINDS.values()}
        for item in field_items("option"):
            self.found[item.reference] = item
            grouped[item.kind].append((item.reference, item.title))
        projects, companies = field_items("project"), field_items("company")
        self.found.update((item.reference, item) for item in projects + companies)
        self.choices = [
            ("Talks at conferences", talks),
            ("Talk topics", grouped[Entry.Kind.TALK]),
            ("Problems", grouped[Entry.Kind.PROBLEM]),
            ("Reading", grouped[Entry.Kind.READING]),
            ("Open-source projects", [(item.reference, item.title) for item in projects]),
            ("Companies", [(item.reference, item.title) for item in companies]),
        ]

    def shown_reference(self, reference):
        """The choice that shows `reference`'s item."""
        item = self.found.get(reference)
        if item and item.field == "session":
            return self.shown.get(item.title, reference)
        return reference

    def resolve(self, reference):
        """The Item of a reference like "project:3", or None when it names nothing."""
        return self.found.get(str(reference))


FIELDS = ("session", "project", "company", "option")


def resolve(reference):
    """The Item of one reference like "project:3" (one query), or None."""
    field, _, pk = str(reference).partition(":")
    if field not in FIELDS or not pk.isdigit() or len(pk) > 12:
        return None
    found = field_items(field, pk=int(pk))
    return found[0] if found else None


def reference_of(entry):
    for field in FIELDS:
        if pk := getattr(entry, f"{field}_id"):
            return f"{field}:{pk}"
    return ""

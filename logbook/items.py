"""The catalogue items an entry can point to, named by a reference such as "company:12": the
choices of the log's form, the buttons of the catalogue pages, and what a reference resolves to."""

from audits.models import Option, Question
from tracks.models import Company, ConferenceTrack, Project

from .models import Entry

# The audit's questions whose options can be logged, and the kind each is logged as.
OPTION_KINDS = {
    Question.Step.PROBLEMS: Entry.Kind.PROBLEM,
    Question.Step.READING: Entry.Kind.READING,
    Question.Step.TALKS: Entry.Kind.TALK,
}


def session_title(session):
    conference = session.conference.name
    return f"{conference} — {session.session}" if session.session else conference


def option_title(option):
    return option.label


def title_of(field, item):
    if field == "session":
        return session_title(item)
    if field == "option":
        return option_title(item)
    return item.name


def kind_of(field, item):
    if field == "session":
        return Entry.Kind.TALK
    if field == "project":
        return Entry.Kind.CONTRIBUTION
    if field == "company":
        return Entry.Kind.COMPANY
    return OPTION_KINDS[item.question.step]


def sessions():
    return ConferenceTrack.objects.select_related("conference").order_by(
        "conference__name", "session", "pk"
    )


def options():
    return (
        Option.objects.filter(
            question__step__in=list(OPTION_KINDS), published=True, question__published=True
        )
        .select_related("question")
        .order_by("question__step", "label")
    )


class Catalogue:
    """Every item an entry can point to, read once (four queries): grouped choices for a
    select, and references resolved without another query (an import reads it once)."""

    def __init__(self):
        self.found = {}
        # A session listed under two tracks is one talk to choose: its first reference.
        self.shown, talks = {}, []
        for session in sessions():
            reference = f"session:{session.pk}"
            self.found[reference] = ("session", session)
            title = session_title(session)
            if title not in self.shown:
                self.shown[title] = reference
                talks.append((reference, title))
        grouped = {kind: [] for kind in OPTION_KINDS.values()}
        for option in options():
            self.found[f"option:{option.pk}"] = ("option", option)
            grouped[OPTION_KINDS[option.question.step]].append(
                (f"option:{option.pk}", option.label)
            )
        projects = list(Project.objects.all())
        companies = list(Company.objects.all())
        self.found.update({f"project:{p.pk}": ("project", p) for p in projects})
        self.found.update({f"company:{c.pk}": ("company", c) for c in companies})
        self.choices = [
            ("Talks at conferences", talks),
            ("Talk topics", grouped[Entry.Kind.TALK]),
            ("Problems", grouped[Entry.Kind.PROBLEM]),
            ("Reading", grouped[Entry.Kind.READING]),
            ("Open-source projects", [(f"project:{p.pk}", p.name) for p in projects]),
            ("Companies", [(f"company:{c.pk}", c.name) for c in companies]),
        ]

    def shown_reference(self, reference):
        """The choice that shows `reference`'s item."""
        found = self.found.get(reference)
        if found and found[0] == "session":
            return self.shown.get(session_title(found[1]), reference)
        return reference

    def resolve(self, reference):
        """(field, item) for a reference like "project:3", or None when it names nothing."""
        return self.found.get(str(reference))


FIELDS = ("session", "project", "company", "option")


def resolve(reference):
    """(field, item) for one reference like "project:3" (one query), or None."""
    field, _, pk = str(reference).partition(":")
    if field not in FIELDS or not pk.isdigit() or len(pk) > 12:
        return None
    querysets = {
        "session": ConferenceTrack.objects.select_related("conference"),
        "project": Project.objects.all(),
        "company": Company.objects.all(),
        "option": options(),
    }
    item = querysets[field].filter(pk=int(pk)).first()
    return (field, item) if item is not None else None


def reference_of(entry):
    for field in FIELDS:
        if pk := getattr(entry, f"{field}_id"):
            return f"{field}:{pk}"
    return ""

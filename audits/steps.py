"""The six steps of the curiosity audit, declared once: what each asks, its form, how its
answers enter the scoring and the kept snapshot, and how the result and compare label them.

No step shows which track an option leads to: options come in alphabetical order, never
grouped, labelled or coloured by track (conference sessions are grouped by their conference).
"""

from dataclasses import dataclass, field

from django import forms
from django.db.models import Prefetch, Q
from django.utils.text import slugify

from tracks.models import Company, CompanyTrack, ConferenceTrack, Track

from . import scoring
from .models import Audit, Option, Question


@dataclass
class Reading:
    """What one step's stored answers give: evidence for the scoring and lines for the snapshot."""

    evidence: dict = field(default_factory=dict)  # AuditInput fields
    snapshot: dict = field(default_factory=dict)


class StepForm(forms.Form):
    """A step's answers, stored in the shape of `cleaned_data` and shown again from it."""

    def __init__(self, *args, stored=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.load_choices()
        if stored and not self.is_bound:
            self.initial = self.known_values(stored)

    def load_choices(self):
        pass

    def known_values(self, values, getlist=None):
        """Only the answers among `values` that are on offer now (curators may have removed
        some); with `getlist`, read from submitted data, as the Back button saves it."""
        known = {}
        for name, form_field in self.fields.items():
            choices = {str(key) for key, _ in flat_choices(getattr(form_field, "choices", []))}
            if isinstance(form_field, forms.MultipleChoiceField):
                picked = getlist(name) if getlist else values.get(name, [])
                known[name] = [value for value in picked if value in choices]
            elif name not in values:
                continue
            elif isinstance(form_field, forms.ChoiceField):
                if values[name] in choices:
                    known[name] = values[name]
            else:
                try:  # what the field allows (no NUL characters, say), cut to its length
                    known[name] = form_field.clean(str(values[name])[: form_field.max_length])
                except forms.ValidationError:
                    continue
        return known

    def stored_data(self):
        return dict(self.cleaned_data)

    def draft_data(self):
        """What is on the step now, unvalidated but limited to what is on offer: saved when the
        member goes back, so nothing they ticked or typed is lost."""
        return self.known_values(self.data, getlist=self.data.getlist)

    def marks_editorial(self):
        """Whether a question or an option of this step is careerguide's, marked "ours"."""
        return any(
            getattr(f, "editorial", False) or getattr(f, "editorial_values", None)
            for f in self.fields.values()
        )

    def fieldsets(self):
        """Each field with its choices grouped and marked, ready for the step template."""
        sets = []
        for bound in self:
            if not isinstance(bound.field, forms.ChoiceField):
                sets.append({"bound": bound, "choice": False})
                continue
            current = bound.value()
            current = current if isinstance(current, list | tuple) else [current]
            selected = {str(value) for value in current if value not in (None, "")}
            sets.append(
                {
                    "bound": bound,
                    "choice": True,
                    "multiple": isinstance(bound.field, forms.MultipleChoiceField),
                    "groups": self.groups(bound, selected),
                    "ours": getattr(bound.field, "editorial", False),
                }
            )
        return sets

    def groups(self, bound, selected):
        groups = []
        for key, label in bound.field.choices:
            if isinstance(label, list | tuple):
                groups.append((key, [self.option(bound, v, text, selected) for v, text in label]))
                continue
            if not groups or groups[-1][0] is not None:
                groups.append((None, []))
            groups[-1][1].append(self.option(bound, key, label, selected))
        return groups

    def option(self, bound, value, label, selected):
        return {
            "value": value,
            "label": label,
            "checked": str(value) in selected,
            "id": f"{bound.auto_id}-{slugify(str(value))}",
            "ours": value in getattr(bound.field, "editorial_values", ()),
        }


def flat_choices(choices):
    for key, label in choices:
        if isinstance(label, list | tuple):
            yield from label
        else:
            yield key, label


class ContextForm(StepForm):
    years = forms.ChoiceField(
        label="How long have you worked as an AI engineer?",
        choices=Audit.Years.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how long you have worked as an AI engineer."},
    )
    tried = forms.MultipleChoiceField(
        label="Which areas have you tried so far?",
        help_text="Shipped or seriously worked on. Choose none if you are just starting.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def load_choices(self):
        self.fields["tried"].choices = list(
            Track.objects.filter(published=True).values_list("slug", "name")
        )

    @staticmethod
    def read(data, tracks):
        names = {track.slug: track.name for track in tracks}
        years = data.get("years", "")
        tried = [slug for slug in data.get("tried", []) if slug in names]
        return Reading(
            evidence={"years": years, "tried": tuple(tried)},
            snapshot={
                "years": years,
                "years_label": Audit.Years(years).label if years in Audit.Years.values else "",
                "tried": [names[slug] for slug in tried],
            },
        )


class QuestionsForm(StepForm):
    """One field per curator-edited question of the step; options in alphabetical order."""

    step_number = None
    ordered = True  # options sorted by label, so their order says nothing about tracks

    def load_choices(self):
        questions = Question.objects.filter(step=self.step_number, published=True).prefetch_related(
            Prefetch("options", queryset=Option.objects.filter(published=True))
        )
        for question in questions:
            options = question.options.all()
            if self.ordered:
                options = sorted(options, key=lambda option: option.label.casefold())
            choices = [(option.key, option.label) for option in options]
            if question.allows_multiple:
                form_field = forms.MultipleChoiceField(
                    choices=choices, required=False, widget=forms.CheckboxSelectMultiple
                )
            else:
                form_field = forms.ChoiceField(
                    choices=choices,
                    widget=forms.RadioSelect,
                    error_messages={"required": "Choose an answer to this question."},
                )
            form_field.label = question.prompt
            form_field.help_text = question.help_text
            # Marked "ours" on the step: careerguide's questions, and our options under the
            # chapter's questions (a question of ours is marked once, not on each option).
            form_field.editorial = question.is_editorial
            form_field.editorial_values = (
                set() if question.is_editorial else {o.key for o in options if o.is_editorial}
            )
            self.fields[question.slug] = form_field

    @classmethod
    def chosen_options(cls, data):
        """The options picked in `data` ({question slug: key or keys}), with their questions and
        weights, in the curators' order."""
        picked = Q()
        for slug, keys in data.items():
            if keys:
                picked |= Q(question__slug=slug, key__in=keys if isinstance(keys, list) else [keys])
        if not picked:
            return []
        return list(
            Option.objects.filter(
                picked, question__step=cls.step_number, published=True, question__published=True
            )
            .select_related("question")
            .prefetch_related("weights")
        )

    @staticmethod
    def signals(options, tracks):
        """Each option as evidence, weighing the audit's `tracks` only (the published ones)."""
        slugs = {track.pk: track.slug for track in tracks}
        return tuple(
            scoring.Signal(
                o.label,
                {slugs[w.track_id]: w.weight for w in o.weights.all() if w.track_id in slugs},
            )
            for o in options
        )


# The note's length: stated on the step and counted as it is typed; Save and continue refuses
# a longer text with a message and keeps it on the page.
NOTE_LIMIT = 500


class ProblemsForm(QuestionsForm):
    step_number = Question.Step.PROBLEMS

    def load_choices(self):
        super().load_choices()
        self.fields["note"] = forms.CharField(
            label="Anything else? (optional)",
            help_text=(
                f"A problem in your own words, for your future self to read: up to "
                f"{NOTE_LIMIT} characters."
            ),
            required=False,
            max_length=NOTE_LIMIT,
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    @classmethod
    def read(cls, data, tracks):
        options = cls.chosen_options(data)
        return Reading(
            evidence={"problems": cls.signals(options, tracks)},
            snapshot={"problems": [o.label for o in options], "note": data.get("note", "")},
        )


class ReadingForm(QuestionsForm):
    step_number = Question.Step.READING

    @classmethod
    def read(cls, data, tracks):
        options = cls.chosen_options(data)
        return Reading(
            evidence={"reading": cls.signals(options, tracks)},
            snapshot={"reading": [o.label for o in options]},
        )


class TalksForm(QuestionsForm):
    """The conference sessions of the catalogue, each conference once with its sessions as its
    own choices, then the talk topics curators add (a step-4 question)."""

    step_number = Question.Step.TALKS

    talks = forms.MultipleChoiceField(
        label="Talks at these conferences",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def load_choices(self):
        choices = []
        for conference, talks in conference_talks().items():
            if len(talks) == 1:  # the conference itself is the choice
                ((key, (_label, full, _tracks)),) = talks.items()
                choices.append((key, full))
            else:
                choices.append((conference, [(key, label) for key, (label, _, _) in talks.items()]))
        self.fields["talks"].choices = choices
        super().load_choices()

    @classmethod
    def read(cls, data, tracks):
        picked = set(data.get("talks", []))
        sessions = [
            (full, {slug: 1 for slug in track_slugs})
            for talks in conference_talks().values()
            for key, (_label, full, track_slugs) in talks.items()
            if key in picked
        ]
        topics = cls.chosen_options(data)
        return Reading(
            evidence={
                "talks": tuple(scoring.Signal(full, weights) for full, weights in sessions)
                + tuple(
                    scoring.Signal(s.label, s.weights, topic=True)
                    for s in cls.signals(topics, tracks)
                )
            },
            snapshot={"talks": [full for full, _ in sessions] + [o.label for o in topics]},
        )


def conference_talks():
    """{conference name: {choice key: (label, label with the conference, track slugs)}}, in
    alphabetical order: one choice per session of a conference, whatever tracks list it."""
    sessions = ConferenceTrack.objects.filter(track__published=True).values_list(
        "conference__name", "conference__note", "conference__slug", "session", "track__slug"
    )
    grouped = {}
    for name, note, conference_slug, session, track_slug in sessions:
        conference = f"{name} ({note})" if note else name  # "GTC (NVIDIA)", as the chapter has it
        talks = grouped.setdefault(conference, {})
        key = f"{conference_slug}:{slugify(session) or 'talk'}"
        if key not in talks:
            talks[key] = [session, set()]
        talks[key][1].add(track_slug)
    ordered = {}
    for name in sorted(grouped, key=str.casefold):
        talks = grouped[name]
        entries = {}
        for key, (label, track_slugs) in sorted(
            talks.items(), key=lambda kv: (not kv[1][0], kv[1][0].casefold())
        ):
            shown = label[:1].upper() + label[1:] if label else f"Another talk at {name}"
            full = f"{name} — {label}" if label else name
            entries[key] = (shown, full, sorted(track_slugs))
        ordered[name] = entries
    return ordered


def listed_name(company):
    """A company as the chapter lists it, with its note: "Palantir (the original)"."""
    return f"{company.name} ({company.note})" if company.note else company.name


class CompaniesForm(StepForm):
    companies = forms.MultipleChoiceField(
        label="Companies you would most like to work at",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, query="", **kwargs):
        self.query = query.strip()[:100]
        super().__init__(*args, **kwargs)

    def load_choices(self):
        companies = [(c.slug, listed_name(c)) for c in Company.objects.only("slug", "name", "note")]
        self.fields["companies"].choices = sorted(companies, key=lambda c: c[1].casefold())

    def groups(self, bound, selected):
        """The chosen companies first, then those whose name matches the filter."""
        query = self.query.casefold()
        chosen, others = [], []
        for value, label in bound.field.choices:
            if value in selected:
                chosen.append(self.option(bound, value, label, selected))
            elif query in label.casefold():
                others.append(self.option(bound, value, label, selected))
        return [(None, chosen + others)]

    @staticmethod
    def read(data, tracks):
        slugs = set(data.get("companies", []))
        companies = Company.objects.filter(slug__in=slugs).prefetch_related(
            Prefetch(
                "hiring",
                queryset=CompanyTrack.objects.filter(track__published=True).select_related("track"),
            )
        )
        return Reading(
            evidence={
                "companies": tuple(
                    scoring.Signal(listed_name(c), {h.track.slug: 1 for h in c.hiring.all()})
                    for c in companies
                )
            },
            snapshot={"companies": [listed_name(c) for c in companies]},
        )


class ReflectionForm(QuestionsForm):
    step_number = Question.Step.REFLECTION
    ordered = False  # yes/no questions, in the curators' order

    @classmethod
    def read(cls, data, tracks):
        options = cls.chosen_options(data)
        return Reading(
            evidence={"warnings": frozenset(o.warning for o in options if o.warning)},
            snapshot={
                "reflection": [{"question": o.question.prompt, "answer": o.label} for o in options]
            },
        )


@dataclass(frozen=True)
class Step:
    number: int
    key: str
    title: str
    intro: str
    form_class: type
    # (snapshot key, label) of each answer line in the result and in compare.
    answers: tuple = ()
    # The whole step is careerguide's, not one of the chapter's questions: marked "ours".
    ours: bool = False

    @property
    def position(self):
        return self.number + 1

    def form(self, data=None, stored=None, **options):
        return self.form_class(data, stored=stored, **options)


STEPS = [
    Step(
        0,
        "context",
        "Where you are now",
        "Two quick facts first: they decide whether this is the moment to specialize at all.",
        ContextForm,
        (("years_label", "Years as an AI engineer"), ("tried", "Areas tried")),
        ours=True,
    ),
    Step(
        1,
        "problems",
        "Which AI problem made you lose track of time in the last six months?",
        "",  # the question's own help text says what to do
        ProblemsForm,
        (("problems", "Problems that made you lose track of time"),),
    ),
    Step(
        2,
        "reading",
        "What did you read in your own free time?",
        "",
        ReadingForm,
        (("reading", "Free-time reading"),),
    ),
    Step(
        3,
        "talks",
        "Which conference talks did you actually finish this year?",
        "Finished, not bookmarked: watched to the end, in the room or on video. Pick every "
        "session you finished a talk in, or none if none comes to mind.",
        TalksForm,
        (("talks", "Talks finished"),),
    ),
    Step(
        4,
        "companies",
        "Which companies would you most like to work at?",
        "Pick the ones you would most like to join; the audit looks at where they need depth.",
        CompaniesForm,
        (("companies", "Companies you want to work at"),),
    ),
    Step(
        5,
        "reflection",
        "Reflection",
        "Four honest questions about specializing. They do not change your result; they warn "
        "you about the ways people burn out.",
        ReflectionForm,
    ),
]
STEP_BY_KEY = {step.key: step for step in STEPS}
TOTAL_STEPS = len(STEPS)
LAST_STEP = TOTAL_STEPS - 1
# Every answer line of the result and of compare, in step order.
ANSWER_LINES = [line for step in STEPS for line in step.answers]


def step_form(number, data=None, stored=None, **options):
    """The form of step `number`, bound to `data` or showing the `stored` answers."""
    return STEPS[number].form(data, stored=stored, **options)


def read_answers(answers):
    """The stored answers ({step: data}), resolved against today's catalogue: the scoring's
    input and the snapshot kept with the result."""
    # An unpublished track is out of the audit: it is neither scored nor recommended.
    tracks = list(Track.objects.filter(published=True))
    evidence, snapshot = {}, {}
    for step in STEPS:
        reading = step.form_class.read(answers.get(step.number, {}), tracks)
        evidence.update(reading.evidence)
        snapshot.update(reading.snapshot)
    audit_input = scoring.AuditInput(
        tracks=tuple(
            scoring.TrackRef(t.slug, t.name, t.reads_release_notes_weekly, t.forward_deployed)
            for t in tracks
        ),
        **evidence,
    )
    return audit_input, snapshot

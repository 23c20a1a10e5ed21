"""The six steps of the curiosity audit: what each asks, its form, and the choices it offers."""

from dataclasses import dataclass

from django import forms
from django.db.models import Prefetch
from django.utils.text import slugify

from tracks.models import Company, CompanyTrack, ConferenceTrack, Track

from .models import Audit, Option, Question

TOTAL_STEPS = 6
LAST_STEP = TOTAL_STEPS - 1


@dataclass(frozen=True)
class Step:
    number: int
    slug: str
    title: str
    intro: str

    @property
    def position(self):
        return self.number + 1


STEPS = [
    Step(
        0,
        "context",
        "Where you are now",
        "Two quick facts first: they decide whether this is the moment to specialize at all.",
    ),
    Step(
        1,
        "problems",
        "Which AI problem made you lose track of time in the last six months?",
        "Pick every one that kept you up, not the ones you think you should like.",
    ),
    Step(
        2,
        "reading",
        "What did you read in your own free time?",
        "Not for work: what you chose to read when nobody asked.",
    ),
    Step(
        3,
        "talks",
        "Which conference talk this year did you actually finish?",
        "Finished, not bookmarked. The track of a talk you watched to the end is a hint at where "
        "your energy is. Choose none if none comes to mind.",
    ),
    Step(
        4,
        "companies",
        "Where do the companies you would most like to work at need depth?",
        "Choose the companies you would most like to work at; each hires deep roles in "
        "some tracks.",
    ),
    Step(
        5,
        "reflection",
        "Reflection",
        "Four honest questions. They do not change your track; they warn you about the ways "
        "people burn out on one.",
    ),
]


class StepForm(forms.Form):
    """A step's answers, stored in the shape of `cleaned_data` and shown again from it."""

    def __init__(self, *args, stored=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.load_choices()
        if stored and not self.is_bound:
            self.initial = self.known_initial(stored)

    def load_choices(self):
        pass

    def known_initial(self, stored):
        """Only the stored answers that are still on offer (curators may have removed some)."""
        initial = {}
        for name, field in self.fields.items():
            if name not in stored:
                continue
            value = stored[name]
            choices = {str(key) for key, _ in flat_choices(getattr(field, "choices", []))}
            if isinstance(field, forms.MultipleChoiceField):
                initial[name] = [v for v in value if v in choices]
            elif isinstance(field, forms.ChoiceField):
                initial[name] = value if value in choices else None
            else:
                initial[name] = value
        return initial

    def stored_data(self):
        return dict(self.cleaned_data)

    def fieldsets(self):
        """Each field with its choices grouped and marked, ready for the step template."""
        sets = []
        for bound in self:
            field = bound.field
            if not isinstance(field, forms.ChoiceField):
                sets.append({"bound": bound, "choice": False})
                continue
            current = bound.value()
            current = current if isinstance(current, list | tuple) else [current]
            selected = {str(value) for value in current if value not in (None, "")}
            groups = []
            for key, label in field.choices:
                if isinstance(label, list | tuple):
                    groups.append(
                        (key, [self.option(bound, v, text, selected) for v, text in label])
                    )
                    continue
                if not groups or groups[-1][0] is not None:
                    groups.append((None, []))
                groups[-1][1].append(self.option(bound, key, label, selected))
            sets.append(
                {
                    "bound": bound,
                    "choice": True,
                    "multiple": isinstance(field, forms.MultipleChoiceField),
                    "groups": groups,
                }
            )
        return sets

    def option(self, bound, value, label, selected):
        return {
            "value": value,
            "label": label,
            "checked": str(value) in selected,
            "id": f"{bound.auto_id}-{slugify(str(value))}",
            "hint": self.hint(bound.name, value),
        }

    def hint(self, name, value):
        return ""


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


class QuestionsForm(StepForm):
    """Steps 1, 2 and 5: one field per curator-edited question of the step."""

    step_number = None

    def __init__(self, *args, step_number, **kwargs):
        self.step_number = step_number
        super().__init__(*args, **kwargs)

    def load_choices(self):
        questions = Question.objects.filter(step=self.step_number, published=True).prefetch_related(
            Prefetch("options", queryset=Option.objects.filter(published=True))
        )
        for question in questions:
            choices = [(option.key, option.label) for option in question.options.all()]
            if question.allows_multiple:
                field = forms.MultipleChoiceField(
                    choices=choices, required=False, widget=forms.CheckboxSelectMultiple
                )
            else:
                field = forms.ChoiceField(
                    choices=choices,
                    widget=forms.RadioSelect,
                    error_messages={"required": "Choose an answer to this question."},
                )
            field.label = question.prompt
            field.help_text = question.help_text
            self.fields[question.slug] = field
        if self.step_number == Question.Step.PROBLEMS:
            self.fields["note"] = forms.CharField(
                label="Anything else? (optional)",
                help_text="A problem in your own words, for your future self to read.",
                required=False,
                max_length=500,
                widget=forms.Textarea(attrs={"rows": 3}),
            )


class TalksForm(StepForm):
    talks = forms.MultipleChoiceField(
        label="Talks you finished this year",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def load_choices(self):
        self.fields["talks"].choices = talk_choices()


def talk_choices():
    """The talks of published tracks, grouped under their track's name."""
    groups = {}
    sessions = ConferenceTrack.objects.filter(track__published=True).select_related(
        "conference", "track"
    )
    for session in sessions:
        name, choices = groups.setdefault(session.track_id, (session.track.name, []))
        choices.append((f"{session.conference.slug}:{session.track.slug}", session.label))
    return list(groups.values())


class CompaniesForm(StepForm):
    companies = forms.MultipleChoiceField(
        label="Companies you would most like to work at",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def load_choices(self):
        self.fields["companies"].choices, self.hints = company_choices()

    def hint(self, name, value):
        return self.hints.get(value, "")


def company_choices():
    """Every company, with the published tracks it hires for as each one's hint."""
    companies = list(
        Company.objects.prefetch_related(
            Prefetch(
                "hiring",
                queryset=CompanyTrack.objects.filter(track__published=True).select_related("track"),
            )
        )
    )
    choices = [(company.slug, company.name) for company in companies]
    hints = {c.slug: " · ".join(h.track.name for h in c.hiring.all()) for c in companies}
    return choices, hints


def step_form(number, data=None, stored=None):
    """The form of step `number`, bound to `data` or showing the `stored` answers."""
    options = {"stored": stored}
    if number == 0:
        return ContextForm(data, **options)
    if number in (1, 2, 5):
        return QuestionsForm(data, step_number=number, **options)
    if number == 3:
        return TalksForm(data, **options)
    return CompaniesForm(data, **options)

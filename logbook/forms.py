"""The log's forms: one entry (add and edit) and the CSV file to import."""

from django import forms
from django.utils import timezone

from . import items
from .models import Entry


class CatalogueSelect(forms.Select):
    """The catalogue's choices with each option written inline (see its template)."""

    template_name = "logbook/catalogue_select.html"

    def optgroups(self, name, value, attrs=None):
        """(group label or None, [(value, label)]) for each group and each choice outside one;
        the template marks the choice equal to the widget's value."""
        return [
            (None, [(group, choices)]) if isinstance(choices, str) else (group, choices)
            for group, choices in self.choices
        ]


class EntryForm(forms.ModelForm):
    # Checked against the catalogue in clean(), so a session listed under two tracks is found
    # by either of its references.
    item = forms.CharField(
        label="From the catalogue",
        required=False,
        max_length=40,
        help_text="A talk, project, company or audit option; anything else: a kind and a title.",
    )

    class Meta:
        model = Entry
        fields = ["kind", "item", "title", "day", "link", "note"]
        labels = {"kind": "What is it?", "title": "Title", "day": "When", "note": "Note"}
        widgets = {
            "day": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 3}),
            "link": forms.URLInput(attrs={"placeholder": "https://…"}),
        }
        help_texts = {"link": "Optional: an http:// or https:// address."}
        error_messages = {
            "link": {"invalid": "Only an http:// or https:// address can be kept as a link."},
            "day": {"invalid": "Give the date as YYYY-MM-DD, e.g. 2026-10-12."},
        }

    def __init__(self, *args, catalogue=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.catalogue = catalogue or items.Catalogue()
        self.fields["item"].widget = CatalogueSelect(
            choices=[("", "— not in the catalogue —"), *self.catalogue.choices]
        )
        self.fields["title"].required = False
        self.fields["day"].required = False  # today, unless the member says otherwise
        # Picking from the catalogue says the kind: the ten-second entry is one choice.
        self.fields["kind"].required = False
        self.fields["kind"].help_text = "Not needed when you pick from the catalogue."
        self.fields["title"].help_text = "Needed when nothing is picked from the catalogue."
        if self.instance.pk:
            self.initial["item"] = self.catalogue.shown_reference(items.reference_of(self.instance))

    def clean_day(self):
        return self.cleaned_data["day"] or timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        reference = cleaned.get("item")
        found = self.catalogue.resolve(reference) if reference else None
        kind = cleaned.get("kind")
        for field in items.FIELDS:
            setattr(self.instance, field, None)
        if found:
            if kind and kind != found.kind:
                self.add_error(
                    "item",
                    f"“{found.title}” is logged as "
                    f"“{Entry.Kind(found.kind).label.lower()}”: choose that kind or leave the "
                    "catalogue empty.",
                )
            setattr(self.instance, f"{found.field}_id", found.pk)
            if not kind:
                cleaned["kind"] = found.kind
            if not cleaned.get("title"):
                cleaned["title"] = found.title
        elif reference:
            self.add_error("item", "That is not in the catalogue (any more): type a title instead.")
        else:
            if not cleaned.get("title"):
                self.add_error("title", "Give it a title, or pick it from the catalogue.")
            if not kind and "kind" not in self.errors:
                self.add_error("kind", "Say what it is, or pick it from the catalogue.")
        return cleaned


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="The columns of the CSV export: kind, date, title, link, note, item.",
        error_messages={"required": "Choose a CSV file to import."},
    )

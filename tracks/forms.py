"""Forms of the public catalogue."""

from django import forms


class TrackFilterForm(forms.Form):
    q = forms.CharField(label="Filter tracks", max_length=100, required=False)

"""Filters for the result's sentences (templates/audits/reasons.html): lists in plain English."""

from django import template

register = template.Library()


@register.filter
def join_words(items, conjunction="and"):
    """Join items in natural English: "A", "A and B", "A, B and C" (or "A or B" with "or")."""
    words = [item for item in items if item]
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


@register.filter
def quoted(items):
    """Each item in quotation marks, as the result quotes the member's own answers."""
    return [f"“{item}”" for item in items]

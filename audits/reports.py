"""What a finished audit's report shows: the context the result page, the print page and the
PDF render it from. Read from the audit's snapshot only when a template uses it (the report is
cached as rendered)."""

from django.utils.functional import SimpleLazyObject

from . import charts
from .steps import ANSWER_LINES


def report_context(audit):
    return {
        "audit": audit,
        "picks": SimpleLazyObject(lambda: picks(audit.result)),
        "result": SimpleLazyObject(lambda: audit.result),
        "answers": SimpleLazyObject(lambda: audit.answers_snapshot),
        "answer_rows": SimpleLazyObject(lambda: answer_rows(audit.answers_snapshot or {})),
        "chart": SimpleLazyObject(lambda: charts.score_chart(audit.result)),
    }


def answer_rows(snapshot):
    """(label, the answers as a list, key) for each answer line of the steps."""
    rows = []
    for key, label in ANSWER_LINES:
        value = snapshot.get(key) or []
        rows.append((label, value if isinstance(value, list) else [value], key))
    return rows


def picks(result):
    colours = result.get("colours", {})
    return [
        {
            "name": name,
            "colour": colours.get(slug, charts.DEFAULT_COLOUR)[0],
            "symbol": colours.get(slug, charts.DEFAULT_COLOUR)[1],
        }
        for slug, name in zip(result["recommended"], result["recommended_names"], strict=False)
    ]

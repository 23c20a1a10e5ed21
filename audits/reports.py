"""What a finished audit's report shows: the context the result page, the print page and the
PDF render it from, read from the audit's snapshot."""

from . import charts
from .steps import ANSWER_LINES


def report_context(audit):
    return {
        "audit": audit,
        "picks": picks(audit.result),
        "result": audit.result,
        "answers": audit.answers_snapshot,
        "answer_rows": answer_rows(audit.answers_snapshot or {}),
        "chart": charts.score_chart(audit.result),
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

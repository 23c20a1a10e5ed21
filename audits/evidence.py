"""The member's own evidence for an audit: what their curiosity log held when it started.

The log lives in an app that reads this one, so the audit reaches it through a documented hook:
the AUDIT_EVIDENCE setting names a function (member -> evidence or None), loaded with
`import_string`. The evidence has the steps' own shape, {step key: {field: {value: {"count",
"last"}}}}, so it ticks the options it names; at the finish it tells which answers were logged
and which came from memory, and what the log alone would have recommended.
"""

from datetime import date

from django.conf import settings
from django.utils.module_loading import import_string

from . import scoring
from .steps import STEP_BY_KEY, flat_choices, read_answers

# Where talks and companies disagree, the chapter leans on the talks.
CHAPTER_RULE = (
    "Where the talks you finish and the companies you want disagree, the chapter says to lean "
    "on the talks: the energy lasts longer than the pay premium."
)


def member_evidence(member):
    if not getattr(settings, "AUDIT_EVIDENCE", ""):
        return None
    return import_string(settings.AUDIT_EVIDENCE)(member)


def prefilled_answers(evidence):
    """{step number: stored data} ticking every option the log names."""
    single = set(evidence.get("single", []))
    answers = {}
    for key, fields in evidence["steps"].items():
        data = {}
        for field, values in fields.items():
            if f"{key}:{field}" in single:
                data[field] = max(values, key=lambda value: values[value]["count"])
            else:
                data[field] = sorted(values)
        answers[STEP_BY_KEY[key].number] = data
    return answers


def logged_on_step(evidence, step_key):
    """{field: {value: {"count", "last" (a date)}}} of one step, for its options' hints."""
    fields = (evidence or {}).get("steps", {}).get(step_key, {})
    return {
        field: {
            value: {"count": info["count"], "last": date.fromisoformat(info["last"])}
            for value, info in values.items()
        }
        for field, values in fields.items()
    }


def unmatched_on_step(evidence, step_key):
    return [
        {**entry, "day": date.fromisoformat(entry["day"])}
        for entry in (evidence or {}).get("unmatched", [])
        if entry["step"] == step_key
    ]


def compare_with_log(answers, evidence, result):
    """What the result says of the log: the answers it held and those from memory (by label),
    and the tracks the log alone points to when they are not today's."""
    logged, remembered = [], []
    for key in ("problems", "reading", "talks", "companies"):
        step = STEP_BY_KEY[key]
        data = answers.get(step.number, {})
        in_log = evidence["steps"].get(key, {})
        form = step.form()
        for field, form_field in form.fields.items():
            labels = {
                str(value): label
                for value, label in flat_choices(getattr(form_field, "choices", []))
            }
            chosen = data.get(field, [])
            for value in chosen if isinstance(chosen, list) else [chosen]:
                if value in labels:
                    (logged if value in in_log.get(field, {}) else remembered).append(labels[value])
    log_only = {**prefilled_answers(evidence), 0: answers.get(0, {})}
    from_log = scoring.score(read_answers(log_only)[0])
    differs = bool(from_log["recommended"]) and set(from_log["recommended"]) != set(
        result["recommended"]
    )
    return {
        "logged": logged,
        "remembered": remembered,
        "log_points_to": from_log["recommended_names"] if differs else [],
        "rule": CHAPTER_RULE if differs else "",
    }

"""What a finished audit's report shows: the context the result page, the print page and the
PDF render it from, read from the audit's snapshot."""

import html
import re

from django.template.loader import render_to_string
from django.utils.html import strip_tags

from . import charts
from .steps import ANSWER_LINES

LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.S)


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
        if key == "since_last" and not snapshot.get(key):
            continue  # asked of retakes only
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


def in_words(result):
    """A result of version 4 or later with its words written out by the templates the pages
    use (templates/audits/reasons.html and plan.html), under the keys earlier results stored
    them in: the JSON export reads the same sentences as the page. Earlier results, which
    carry their words, come back as they are."""
    if not result or "reasons" not in result:
        return result

    def say(partial, **context):
        return plain(
            render_to_string(f"audits/reasons.html#{partial}", {"result": result, **context})
        )

    def warning_in_words(warning):
        title, text = render_to_string("audits/reasons.html#warning", {"warning": warning}).split(
            "</strong>", 1
        )
        return {**warning, "title": plain(title).removesuffix("."), "text": plain(text)}

    runner_up = result["runner_up"]
    return {
        **result,
        "headline": say("headline"),
        "explanation": [say(reason["kind"], reason=reason) for reason in result["reasons"]],
        "stage": {**result["stage"], "title": say("stage-title"), "advice": say("stage-advice")},
        "warnings": [warning_in_words(warning) for warning in result["warnings"]],
        "runner_up": runner_up and {**runner_up, "reason": say("runner-up")},
        "next_steps": [plan_in_words(plan) for plan in result.get("next_steps", [])],
    }


def plan_in_words(plan):
    """One plan of a result of version 4 or later with its words written out: each stage's
    title, each item's words before its links, the links and the words after them."""

    def say(partial, **context):
        return render_to_string(f"audits/plan.html#{partial}", {"next": plan, **context})

    def item_in_words(item):
        rendered = say("item", item=item)
        before, _, rest = rendered.partition("<a ")
        after = rest.rpartition("</a>")[2]
        return {
            **item,
            "text": plain(before),
            "links": [
                {"text": html.unescape(text), "url": html.unescape(url)}
                for url, text in LINK.findall(rendered)
            ],
            "after": " " * after[:1].isspace() + plain(after),
        }

    stages = [
        {
            **stage,
            "title": plain(say("stage", stage=stage)),
            "items": [item_in_words(item) for item in stage["items"]],
        }
        for stage in plan["stages"]
    ]
    words = {"title": plain(say("heading")), "more": plain(say("more"))}
    return {**plan, **(words if plan.get("generalist") else {}), "stages": stages}


def plain(fragment):
    """A rendered fragment as text: no tags, no entities, each run of white space one space."""
    return " ".join(html.unescape(strip_tags(fragment)).split())

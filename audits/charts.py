"""Server-rendered SVG charts (and their text alternatives) for results and history."""

import textwrap

from django.utils.dateformat import format as format_date
from django.utils.timezone import localtime

from .scoring import COMPANY_POINTS, CURIOSITY_POINTS, TALK_POINTS
from .steps import ANSWER_LINES

TREND_LIMIT = 12
DEFAULT_COLOUR = ["#3b5bdb", "◆"]


# Where a score's points came from, in the order the bars stack them, with the light scheme's
# colours (site.css restyles them; the PDF renderer reads the attributes).
PARTS = (
    ("talks", "Talks", "#2f4fd1"),
    ("companies", "Companies", "#0b7a5c"),
    ("curiosity", "Curiosity", "#b86e00"),
)
BARS_WIDTH = 360  # the SVG's width in user units; a label may use all of it
BAR_LENGTH = 300  # the scale's full length; the score is written after it
BAR_HEIGHT = 16
LABEL_LINE = 19  # 15-unit type
LABEL_CHARS = 34  # the longest label line that fits BARS_WIDTH at that size
HEAT_LEVELS = 4
TREND_WIDTH = 300
TREND_LABEL_CHARS = 30  # at 13 units, a line this long fits TREND_WIDTH
TREND_DATE = "j M Y, H:i"


def score_chart(result):
    """One row per track: its whole name, then a bar split by where the points came from,
    drawn against the scale (the points one track could get from these answers; for results
    scored before the scale existed, the top score)."""
    if not result:
        return None
    scores = result.get("scores", [])
    possible = result.get("possible")
    top = max((row["score"] for row in scores), default=0)
    scale = max(possible or top, 1)
    recommended = set(result.get("recommended", []))
    runner_up = (result.get("runner_up") or {}).get("slug")
    rows, y = [], 0
    for row in scores:
        x, segments = 0.0, []
        for part, label, fill in PARTS:
            points = max(row.get(part, 0) or 0, 0)
            if not points:
                continue
            width = round(min(points / scale, 1 - x / BAR_LENGTH) * BAR_LENGTH, 1)
            segments.append(
                {
                    "part": part,
                    "label": label,
                    "fill": fill,
                    "points": points,
                    "x": x,
                    "width": width,
                }
            )
            x = round(x + width, 1)
        # Long names take two lines rather than a smaller type: every label stays whole.
        lines = textwrap.wrap(row["name"], LABEL_CHARS) or [""]
        label_y = y + LABEL_LINE - 3
        bar_y = y + LABEL_LINE * len(lines) + 3
        rows.append(
            {
                "slug": row["slug"],
                "name": row["name"],
                "lines": [
                    {"text": text, "y": label_y + i * LABEL_LINE} for i, text in enumerate(lines)
                ],
                "score": row["score"],
                "segments": segments,
                "recommended": row["slug"] in recommended,
                "runner_up": row["slug"] == runner_up,
                "bar_y": bar_y,
                "score_y": bar_y + 13,
            }
        )
        y = bar_y + BAR_HEIGHT + 12
    return {
        "rows": rows,
        "possible": possible,
        # What one answer of each kind gives, for the sentence that says how a score is counted.
        "points": {"talk": TALK_POINTS, "company": COMPANY_POINTS, "curiosity": CURIOSITY_POINTS},
        "width": BARS_WIDTH,
        "bar_length": BAR_LENGTH,
        "height": y,
    }


def share(score, possible):
    """A score as a whole percentage of the points possible from its audit's answers: the one
    scale on which two audits' scores can stand side by side (their answers, and so the points
    possible, differ)."""
    return round(100 * max(score, 0) / possible) if possible else 0


def scale_of(result_scores, possible):
    """The points possible of a result; a result scored before the scale existed is read
    against its top score."""
    return possible or max((row["score"] for row in result_scores), default=0)


def trend_chart(rows):
    """Every track's score in each finished audit, newest first: a heat strip (one row per
    track, one cell per audit, darker for more points), never a line across tracks. Each row
    holds an audit's `finished_at` and its result's `scores`, `recommended` and
    `recommended_names`. The positions are worked out here; history.html draws them."""
    audits = []
    tracks = []
    for row in rows:
        scores = row["scores"] or []
        if len(scores) > len(tracks):
            tracks = [{"slug": s["slug"], "name": s["name"]} for s in scores]
        possible = scale_of(scores, row.get("possible"))
        audits.append(
            {
                "when": format_date(localtime(row["finished_at"]), TREND_DATE),
                "possible": possible,
                "points": {s["slug"]: s["score"] for s in scores},
                "scores": {s["slug"]: share(s["score"], possible) for s in scores},
                "recommended": set(row["recommended"] or []),
                "top": " & ".join(row["recommended_names"] or []) or "No clear leaning",
            }
        )
    if not audits or not tracks:
        return None
    # Room above the cells for the rotated dates, with WCAG 1.4.12's text spacing too.
    width, header, line, cell_height, gap = TREND_WIDTH, 160, 17, 24, 10
    cell = min(48, width // len(audits))
    for index, audit in enumerate(audits):
        audit["x"], audit["y"] = index * cell + cell // 2 + 4, header - 6
    strip, y = [], header
    for track in tracks:
        lines = textwrap.wrap(track["name"], TREND_LABEL_CHARS) or [""]
        cells_y = y + line * len(lines) + 2
        cells = []
        for index, audit in enumerate(audits):
            score = int(audit["scores"].get(track["slug"], 0))
            cells.append(
                {
                    "score": score,
                    "level": min(-(-HEAT_LEVELS * max(score, 0) // 100), HEAT_LEVELS),
                    "top": track["slug"] in audit["recommended"],
                    "x": index * cell + 1,
                    "middle": index * cell + cell // 2,
                }
            )
        strip.append(
            {
                "lines": [{"text": text, "y": y + 13 + i * line} for i, text in enumerate(lines)],
                "y": cells_y,
                "cells": cells,
            }
        )
        y = cells_y + cell_height + gap
    for audit in audits:
        audit["line"] = ", ".join(
            f"{track['name']} {audit['scores'][track['slug']]}% "
            f"({audit['points'][track['slug']]} of {audit['possible']})"
            for track in tracks
            if audit["points"].get(track["slug"])
        )
    return {
        "audits": audits,
        "strip": strip,
        "cell_width": cell - 2,
        "cell_height": cell_height,
        "width": width,
        "height": y,
    }


def signed_points(delta):
    """A change of share in percentage points, as the compare table writes it."""
    if not delta:
        return "no change"
    return f"{'+' if delta > 0 else '−'}{abs(delta)} point{'' if abs(delta) == 1 else 's'}"


def comparison(older, newer):
    """Two finished audits side by side, with what changed marked."""
    rows = []
    for key, label in ANSWER_LINES:
        before = as_list((older.answers_snapshot or {}).get(key))
        after = as_list((newer.answers_snapshot or {}).get(key))
        if key == "since_last" and not (before or after):
            continue  # asked of retakes only
        is_list = key != "years_label"
        rows.append(
            {
                "label": label,
                "before": before,
                "after": after,
                "added": [item for item in after if item not in before] if is_list else [],
                "removed": [item for item in before if item not in after] if is_list else [],
                "changed": before != after,
            }
        )
    old_result, new_result = older.result or {}, newer.result or {}
    old_possible = scale_of(old_result.get("scores", []), old_result.get("possible"))
    new_possible = scale_of(new_result.get("scores", []), new_result.get("possible"))
    old_scores = {s["slug"]: s for s in old_result.get("scores", [])}
    score_rows = []
    for row in new_result.get("scores", []):
        before = old_scores.get(row["slug"], {}).get("score", 0)
        before_share, after_share = share(before, old_possible), share(row["score"], new_possible)
        score_rows.append(
            {
                "name": row["name"],
                "before": before,
                "after": row["score"],
                "before_share": before_share,
                "after_share": after_share,
                "delta": after_share - before_share,
                "change": signed_points(after_share - before_share),
            }
        )
    old_top = (older.result or {}).get("recommended_names", [])
    new_top = (newer.result or {}).get("recommended_names", [])
    return {
        "older": older,
        "newer": newer,
        "rows": rows,
        "score_rows": score_rows,
        "old_possible": old_possible,
        "new_possible": new_possible,
        "old_top": old_top,
        "new_top": new_top,
        "top_changed": old_top != new_top,
    }


def as_list(value):
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]

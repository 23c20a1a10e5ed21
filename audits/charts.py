"""Server-rendered SVG charts (and their text alternatives) for results and history."""

from dataclasses import dataclass

from .steps import ANSWER_LINES

TREND_LIMIT = 12
DEFAULT_COLOUR = ["#3b5bdb", "◆"]


@dataclass
class Bar:
    slug: str
    name: str
    score: int
    colour: str
    symbol: str
    y: int
    width: float
    recommended: bool


def score_chart(result):
    """One horizontal bar per track, longest = highest score."""
    if not result:
        return None
    scores = result.get("scores", [])
    colours = result.get("colours", {})
    top = max((row["score"] for row in scores), default=0) or 1
    recommended = set(result.get("recommended", []))
    row_height = 50
    bars = [
        Bar(
            slug=row["slug"],
            name=row["name"],
            score=row["score"],
            colour=colours.get(row["slug"], DEFAULT_COLOUR)[0],
            symbol=colours.get(row["slug"], DEFAULT_COLOUR)[1],
            y=index * row_height,
            width=round(360 * row["score"] / top, 1),
            recommended=row["slug"] in recommended,
        )
        for index, row in enumerate(scores)
    ]
    return {"bars": bars, "height": len(bars) * row_height, "row_height": row_height}


def trend_chart(rows):
    """Which track came out on top in each finished audit, oldest to newest: one row per track."""
    points, tracks = [], []
    for row in reversed(list(rows)):
        result = row["result"] or {}
        slugs = result.get("recommended") or []
        if not slugs:
            continue
        scores = result.get("scores", [])
        if len(scores) > len(tracks):
            tracks = [{"slug": s["slug"], "name": s["name"]} for s in scores]
        colour = result.get("colours", {}).get(slugs[0], DEFAULT_COLOUR)[0]
        names = result.get("recommended_names") or []
        points.append(
            {
                "date": row["finished_at"],
                "slug": slugs[0],
                "name": " & ".join(names),
                "colour": colour,
            }
        )
    if not points:
        return None
    left, right, top, row_height = 230, 590, 16, 26
    rows_y = {track["slug"]: top + index * row_height for index, track in enumerate(tracks)}
    for index, track in enumerate(tracks):
        track["y"] = top + index * row_height
    span = right - left
    for index, point in enumerate(points):
        point["x"] = round(
            left + (span * index / (len(points) - 1) if len(points) > 1 else span / 2)
        )
        point["y"] = rows_y.get(point["slug"], top)
    height = top + len(tracks) * row_height + 10
    return {
        "points": points,
        "tracks": tracks,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "width": 640,
        "height": height + 20,
        "axis_y": height,
        "left": left,
        "right": right,
    }


def comparison(older, newer):
    """Two finished audits side by side, with what changed marked."""
    rows = []
    for key, label in ANSWER_LINES:
        before = as_list((older.answers_snapshot or {}).get(key))
        after = as_list((newer.answers_snapshot or {}).get(key))
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
    old_scores = {s["slug"]: s for s in (older.result or {}).get("scores", [])}
    score_rows = []
    for row in (newer.result or {}).get("scores", []):
        before = old_scores.get(row["slug"], {}).get("score", 0)
        score_rows.append(
            {
                "name": row["name"],
                "before": before,
                "after": row["score"],
                "delta": row["score"] - before,
            }
        )
    old_top = (older.result or {}).get("recommended_names", [])
    new_top = (newer.result or {}).get("recommended_names", [])
    return {
        "older": older,
        "newer": newer,
        "rows": rows,
        "score_rows": score_rows,
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

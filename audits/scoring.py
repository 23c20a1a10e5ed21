"""Score a curiosity audit: pure standard-library logic whose result is stored as a snapshot."""

from collections.abc import Iterable
from dataclasses import dataclass

# 2: each score's sources, the scale (`possible`) and the runner-up with its reason.
# 3: a talk topic is "a talk on “…”", never "a talk at" it as if it were a conference.
# 4: facts, not words: each sentence is a code and what it names; templates/audits/reasons.html
#    writes it. Results of version 3 and before keep the words they were stored with.
SCORING_VERSION = 4

# Points per answer for each track it points to, times the answer's weight for that track
# (how strongly it points there, set per option by curators).
TALK_POINTS = 3
COMPANY_POINTS = 2
CURIOSITY_POINTS = 1
EVIDENCE_PARTS = ("talks", "companies", "curiosity")

STAGE_BY_YEARS = {
    "under-1": "too-early",
    "1-2": "explore",
    "2-3": "pivot",
    "3-5": "deepen",
    "5-plus": "deepen",
}

# The reflection answers' warnings, in the order the result lists them; a recommended
# forward-deployed track adds "fde-not-a-downgrade". Their words: templates/audits/reasons.html.
REFLECTION_CODES = ("pay", "release_notes", "day_job", "trend")


@dataclass(frozen=True)
class TrackRef:
    """One of the nine tracks, in catalogue order, with what curators say of it in admin that
    the warnings read."""

    slug: str
    name: str
    reads_release_notes_weekly: bool = False
    forward_deployed: bool = False


@dataclass(frozen=True)
class Signal:
    """One piece of evidence the member gave: the label they chose and its track weights."""

    label: str
    weights: dict[str, int]
    # A talk's topic (step 4's editorial options), not a conference: "a talk on …", not "at".
    topic: bool = False


@dataclass(frozen=True)
class AuditInput:
    """Everything the scoring needs from one audit, detached from the database."""

    tracks: tuple[TrackRef, ...]
    years: str
    tried: tuple[str, ...] = ()
    problems: tuple[Signal, ...] = ()
    reading: tuple[Signal, ...] = ()
    talks: tuple[Signal, ...] = ()
    companies: tuple[Signal, ...] = ()
    warnings: frozenset[str] = frozenset()


# --- small helpers ---------------------------------------------------------------------------


def _unique(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out


class _Evidence:
    """The audit's answers as points per track, and which answers support which track."""

    def __init__(self, audit: AuditInput):
        self.order = [track.slug for track in audit.tracks]
        self.tracks = {track.slug: track for track in audit.tracks}
        self.names = {track.slug: track.name for track in audit.tracks}
        self.parts = {slug: dict.fromkeys(EVIDENCE_PARTS, 0) for slug in self.order}
        # (label, weights) pairs, kept so the explanation can name the member's own answers.
        self.talks = self._read(audit.talks)
        self.topics = frozenset(signal.label.strip() for signal in audit.talks if signal.topic)
        self.companies = self._read(audit.companies)
        self.curiosity = self._read(audit.problems) + self._read(audit.reading)
        self.company_labels = _unique(label for label, _ in self.companies)

        for part, pairs, points in (
            ("talks", self.talks, TALK_POINTS),
            ("companies", self.companies, COMPANY_POINTS),
            ("curiosity", self.curiosity, CURIOSITY_POINTS),
        ):
            for _, weights in pairs:
                for slug, weight in weights.items():
                    self.parts[slug][part] += points * weight
        self.talk_tracks = self.supported(self.talks)
        self.company_tracks = self.supported(self.companies)

        self.tried = set(audit.tried) & set(self.order)
        self.flags = set(audit.warnings)
        self.years = audit.years

    def _read(self, signals: Iterable[Signal]) -> list[tuple[str, dict[str, int]]]:
        """(label, weights) for each signal, its weights restricted to the audit's tracks."""
        return [
            (
                signal.label.strip(),
                {slug: weight for slug, weight in signal.weights.items() if slug in self.names},
            )
            for signal in signals
        ]

    @staticmethod
    def supported(pairs: list[tuple[str, dict[str, int]]]) -> set[str]:
        return {slug for _, weights in pairs for slug, weight in weights.items() if weight > 0}

    def total(self, slug: str) -> int:
        return sum(self.parts[slug].values())

    def possible(self) -> int:
        """The most any one track could score from these answers: what it would get if every
        answer pointed to it with that answer's strongest weight."""

        def strongest(pairs):
            return sum(max([0, *weights.values()]) for _, weights in pairs)

        return (
            TALK_POINTS * strongest(self.talks)
            + COMPANY_POINTS * strongest(self.companies)
            + CURIOSITY_POINTS * strongest(self.curiosity)
        )

    def sources(self, slug: str) -> dict[str, list[str]]:
        """The member's answers behind each part of a track's score."""
        return {
            "talks": self.supporting(self.talks, slug),
            "companies": self.supporting(self.companies, slug),
            "curiosity": self.supporting(self.curiosity, slug),
        }

    def curiosity_score(self, slug: str) -> int:
        return self.parts[slug]["curiosity"]

    def in_order(self, slugs: Iterable[str]) -> list[str]:
        wanted = set(slugs)
        return [slug for slug in self.order if slug in wanted]

    def supporting(self, pairs: list[tuple[str, dict[str, int]]], slug: str) -> list[str]:
        return _unique(label for label, weights in pairs if weights.get(slug, 0) > 0)

    def name_list(self, slugs: Iterable[str]) -> list[str]:
        return [self.names[slug] for slug in slugs]


def _top(candidates: list[str], key) -> list[str]:
    if not candidates:
        return []
    best = max(key(slug) for slug in candidates)
    return [slug for slug in candidates if key(slug) == best]


# --- the reasons, as facts templates/audits/reasons.html writes out ----------------------------


def _talks(ev: _Evidence, slug: str) -> dict:
    """The finished talks behind a track: at a conference (venues), or on a topic."""
    labels = ev.supporting(ev.talks, slug)
    return {
        "venues": [label for label in labels if label not in ev.topics],
        "topics": [label for label in labels if label in ev.topics],
    }


def _chose(ev: _Evidence, slug: str, also: bool = True) -> dict | None:
    """The curiosity answers that point to a track, if any."""
    labels = ev.supporting(ev.curiosity, slug)
    if not labels:
        return None
    return {"kind": "chose", "track": ev.names[slug], "labels": labels, "also": also}


def _breakdown(ev: _Evidence, slug: str) -> dict:
    return {"kind": "breakdown", "track": ev.names[slug], "score": ev.total(slug), **ev.parts[slug]}


def _tie(ev: _Evidence, recommended: list[str], key, curiosity: bool = False) -> dict | None:
    if len(recommended) < 2:
        return None
    return {
        "kind": "tie",
        "tracks": ev.name_list(recommended),
        "points": key(recommended[0]),
        "curiosity": curiosity,
    }


def _reasons_overlap(ev: _Evidence, recommended: list[str], overlap: list[str]) -> list:
    reasons = []
    for slug in recommended:
        companies = ev.supporting(ev.companies, slug)
        reasons += [
            {
                "kind": "overlap",
                "track": ev.names[slug],
                **_talks(ev, slug),
                "companies": companies,
            },
            _chose(ev, slug),
            _breakdown(ev, slug),
        ]
    reasons.append(_tie(ev, recommended, ev.total))
    if others := [slug for slug in overlap if slug not in recommended]:
        reasons.append({"kind": "also-overlap", "tracks": ev.name_list(others)})
    return reasons


def _reasons_talks(ev: _Evidence, recommended: list[str]) -> list:
    reasons = []
    for slug in recommended:
        reasons += [{"kind": "talk", "track": ev.names[slug], **_talks(ev, slug)}, _chose(ev, slug)]
    labels, hired_for = ev.company_labels, ev.name_list(ev.in_order(ev.company_tracks))
    if labels and hired_for:
        reasons.append({"kind": "companies-elsewhere", "companies": labels, "tracks": hired_for})
    elif labels:
        reasons.append({"kind": "companies-unhired", "companies": labels})
    else:
        reasons.append({"kind": "no-companies"})
    return [*reasons, {"kind": "follow-talks"}, _tie(ev, recommended, ev.total)]


def _reasons_curiosity(ev: _Evidence, recommended: list[str]) -> list:
    reasons = [
        {"kind": "no-talk"},
        *(_chose(ev, slug, also=False) for slug in recommended),
        _tie(ev, recommended, ev.curiosity_score, curiosity=True),
    ]
    labels, hired_for = ev.company_labels, ev.name_list(ev.in_order(ev.company_tracks))
    if labels and hired_for:
        reasons.append({"kind": "companies-no-talk", "companies": labels, "tracks": hired_for})
    reasons.append({"kind": "finish-talk", "tracks": ev.name_list(recommended)})
    return reasons


def _reasons_none(ev: _Evidence) -> list:
    reasons = [{"kind": "nothing"}]
    if labels := ev.company_labels:
        reasons.append({"kind": "companies-alone", "companies": labels})
    reasons.append({"kind": "block-two-hours"})
    return reasons


# --- stage, warnings, runner-up ------------------------------------------------------------


def _stage(ev: _Evidence, basis: str, recommended: list[str]) -> dict:
    """The career stage by years, and the areas not tried yet (when the member named some)."""
    code = STAGE_BY_YEARS.get(ev.years, "unknown")
    clear = basis in ("overlap", "talks") and len(recommended) == 1
    if ev.years == "5-plus" and not clear:
        code = "refusing"
    untried = [ev.names[slug] for slug in ev.order if slug not in ev.tried] if ev.tried else []
    return {"code": code, "untried": untried}


def _warnings(ev: _Evidence, recommended: list[str]) -> list[dict]:
    out = []
    for code in REFLECTION_CODES:
        if code not in ev.flags:
            continue
        if code == "release_notes":
            hit = [slug for slug in recommended if ev.tracks[slug].reads_release_notes_weekly]
            if not hit:
                continue
            out.append({"code": code, "tracks": ev.name_list(hit)})
        else:
            out.append({"code": code})
    if any(ev.tracks[slug].forward_deployed for slug in recommended):
        out.append({"code": "fde-not-a-downgrade"})
    return out


def _untried(ev: _Evidence, recommended: list[str]) -> dict | None:
    """A recommended track the member has not tried, when they named the areas they tried."""
    untried = [slug for slug in recommended if slug not in ev.tried]
    if not ev.tried or not untried:
        return None
    return {"kind": "untried", "tracks": ev.name_list(untried)}


def _runner_up(ev: _Evidence, basis: str, recommended: list[str], overlap: list[str]):
    """The track that comes next in the ranking the recommendation used, and why it is not
    the recommendation (`why`): None when no other track scored."""
    if basis == "none" or not recommended:
        return None
    if basis == "overlap":
        rank = lambda slug: (slug in overlap, ev.total(slug))  # noqa: E731
    elif basis == "talks":
        rank = lambda slug: (slug in ev.talk_tracks, ev.total(slug))  # noqa: E731
    else:
        rank = lambda slug: (ev.curiosity_score(slug), ev.total(slug))  # noqa: E731
    others = [slug for slug in ev.order if slug not in recommended and ev.total(slug) > 0]
    if not others:
        return None
    slug = max(others, key=rank)  # the first of equals, in catalogue order
    runner = {
        "slug": slug,
        "name": ev.names[slug],
        "score": ev.total(slug),
        # Where its points came from, without the parts that gave none.
        "parts": [[points, part] for part, points in ev.parts[slug].items() if points],
        "top": ev.total(recommended[0]),
    }
    if basis == "overlap" and slug in overlap:
        runner["why"] = "meets-too"
    elif basis == "overlap":
        runner["why"] = "does-not-meet"
        runner["no_talk"] = slug not in ev.talk_tracks
        runner["no_company"] = slug not in ev.company_tracks
    elif basis == "talks":
        runner["why"] = "talk-too" if slug in ev.talk_tracks else "no-talk"
    else:
        runner["why"] = "curious" if ev.curiosity_score(slug) > 0 else "not-curious"
        runner["curiosity"] = ev.curiosity_score(slug)
        runner["top_curiosity"] = ev.curiosity_score(recommended[0])
    return runner


# --- entry point ---------------------------------------------------------------------------


def score(audit: AuditInput) -> dict:
    """Score one audit; the result is plain JSON data, safe to store as a snapshot: codes and
    what each sentence names, written out by templates/audits/reasons.html."""
    ev = _Evidence(audit)
    overlap = ev.in_order(ev.talk_tracks & ev.company_tracks)
    talks_only = ev.in_order(ev.talk_tracks)
    curious = [slug for slug in ev.order if ev.curiosity_score(slug) > 0]

    if overlap:
        basis, recommended = "overlap", _top(overlap, ev.total)
        reasons = _reasons_overlap(ev, recommended, overlap)
    elif talks_only:
        basis, recommended = "talks", _top(talks_only, ev.total)
        reasons = _reasons_talks(ev, recommended)
    elif curious:
        basis, recommended = "curiosity", _top(curious, ev.curiosity_score)
        reasons = _reasons_curiosity(ev, recommended)
    else:
        basis, recommended = "none", []
        reasons = _reasons_none(ev)
    reasons.append(_untried(ev, recommended))

    return {
        "version": SCORING_VERSION,
        "basis": basis,
        "recommended": list(recommended),
        "recommended_names": ev.name_list(recommended),
        "scores": [
            {
                "slug": slug,
                "name": ev.names[slug],
                "score": ev.total(slug),
                "talks": ev.parts[slug]["talks"],
                "companies": ev.parts[slug]["companies"],
                "curiosity": ev.parts[slug]["curiosity"],
                "in_talks": slug in ev.talk_tracks,
                "in_companies": slug in ev.company_tracks,
                "sources": ev.sources(slug),
            }
            for slug in ev.order
        ],
        "possible": ev.possible(),
        "runner_up": _runner_up(ev, basis, recommended, overlap),
        # The headline says whether the member picked any companies at all.
        "picked_companies": bool(ev.companies),
        "reasons": [reason for reason in reasons if reason],
        "stage": _stage(ev, basis, recommended),
        "warnings": _warnings(ev, recommended),
    }

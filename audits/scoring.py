"""Score a curiosity audit: pure standard-library logic whose result is stored as a snapshot."""

from collections.abc import Iterable
from dataclasses import dataclass

# 2: each score's sources, the scale (`possible`) and the runner-up with its reason.
# 3: a talk topic is "a talk on “…”", never "a talk at" it as if it were a conference.
SCORING_VERSION = 3

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

WARNING_TEXTS = {
    "pay": (
        "Pay is the wrong reason",
        "“This track pays 25% more on levels.fyi” is not a reason to specialize. A premium of "
        "10–30% over a generalist will not carry you through years of depth in work that does "
        "not pull you in by itself.",
    ),
    "release_notes": (
        "Release notes come with the job",
        "{tracks} specialists keep up with model release notes every single week. If that "
        "sounds like a chore, you are likely to burn out before the pay premium has paid you back.",
    ),
    "day_job": (
        "Your day job has to allow the depth",
        "Calling yourself a specialist only works if you may spend work time on that area. If "
        "your manager wants more shipped features and less platform work, trying to be both is "
        "the quickest way to burn out: talk to them first, or find a team where this is the job.",
    ),
    "trend": (
        "Hot this quarter is not a reason",
        "In 2024 the hot track was agents, in 2025 voice, and in 2026 attention is already moving "
        "to long-context and memory. Chasing the trend resets your depth clock every year, "
        "while the fundamentals that carry across tracks keep compounding.",
    ),
    "fde-not-a-downgrade": (
        "Forward-deployed is not a downgrade",
        "At Anthropic, OpenAI, Sierra and Decagon, FDE is a senior IC track with high pay and "
        "unusual upside: you meet the most interesting enterprise problems before anyone else.",
    ),
}
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


# --- small text helpers ---------------------------------------------------------------------


def join_words(items: Iterable[str], conjunction: str = "and") -> str:
    """Join items in natural English: "A", "A and B", "A, B and C"."""
    words = [item for item in items if item]
    if not words:
        return ""
    if len(words) == 1:
        return words[0]
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def _quoted(labels: Iterable[str]) -> str:
    return join_words(f"“{label}”" for label in labels)


def _unique(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out


def _points(value: int) -> str:
    return f"{value} point" if value in (1, -1) else f"{value} points"


def _talk_phrase(labels: list[str], topics: frozenset[str] = frozenset()) -> str:
    """The talks as a sentence names them: at a conference, or on a topic (quoted)."""
    if not labels:
        return "a conference talk"
    venues = [label for label in labels if label not in topics]
    on = [f"“{label}”" for label in labels if label in topics]
    parts = []
    if venues:
        parts.append(
            f"a talk at {venues[0]}" if len(venues) == 1 else f"talks at {join_words(venues)}"
        )
    if on:
        parts.append(f"a talk on {on[0]}" if len(on) == 1 else f"talks on {join_words(on)}")
    return join_words(parts)


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

    def name_list(self, slugs: Iterable[str], conjunction: str = "and") -> str:
        return join_words((self.names[slug] for slug in slugs), conjunction)


def _top(candidates: list[str], key) -> list[str]:
    if not candidates:
        return []
    best = max(key(slug) for slug in candidates)
    return [slug for slug in candidates if key(slug) == best]


# --- explanation sentences -----------------------------------------------------------------


def _curiosity_sentence(ev: _Evidence, slug: str, prefix: str = "You also chose") -> str | None:
    labels = ev.supporting(ev.curiosity, slug)
    if not labels:
        return None
    verb = "points" if len(labels) == 1 else "point"
    return f"{prefix} {_quoted(labels)}, which {verb} to {ev.names[slug]}."


def _breakdown(ev: _Evidence, slug: str) -> str:
    parts = ev.parts[slug]
    return (
        f"{ev.names[slug]} scores {_points(ev.total(slug))} in all: {parts['talks']} from "
        f"talks, {parts['companies']} from companies and {parts['curiosity']} from what you "
        f"enjoy and read."
    )


def _tie_sentence(ev: _Evidence, recommended: list[str], key, what: str) -> str | None:
    if len(recommended) < 2:
        return None
    value = key(recommended[0])
    return (
        f"{ev.name_list(recommended)} tie at {_points(value)} {what}, so we show them all; "
        f"another finished talk or a retake of the curiosity steps will separate them."
    )


def _agrees(labels: list[str], one: str, many: str) -> str:
    """The verb for a list of the member's labels: "Modal hires", "Modal and Baseten hire"."""
    return one if len(labels) == 1 else many


def _explain_overlap(ev: _Evidence, recommended: list[str], overlap: list[str]) -> list[str]:
    sentences = []
    for slug in recommended:
        talks = ev.supporting(ev.talks, slug)
        companies = ev.supporting(ev.companies, slug)
        where = join_words(companies) or "the companies you picked"
        sentences += [
            f"You finished {_talk_phrase(talks, ev.topics)} and want to work at {where}, "
            f"which {_agrees(companies, 'hires', 'hire')} deep {ev.names[slug]} roles.",
            _curiosity_sentence(ev, slug),
            _breakdown(ev, slug),
        ]
    sentences.append(_tie_sentence(ev, recommended, ev.total, "each"))
    others = [slug for slug in overlap if slug not in recommended]
    if others:
        sentences.append(
            f"{ev.name_list(others)} {_agrees(others, 'is', 'are')} also where your talks and "
            f"companies meet, but with fewer points overall."
        )
    return [sentence for sentence in sentences if sentence]


def _explain_talks(ev: _Evidence, recommended: list[str]) -> list[str]:
    sentences = []
    for slug in recommended:
        talks = ev.supporting(ev.talks, slug)
        sentences += [
            f"You finished {_talk_phrase(talks, ev.topics)}, which points to {ev.names[slug]}.",
            _curiosity_sentence(ev, slug),
        ]
    labels, hired_for = ev.company_labels, ev.in_order(ev.company_tracks)
    if labels and hired_for:
        sentences.append(
            f"You want to work at {join_words(labels)}, which {_agrees(labels, 'hires', 'hire')} "
            f"deep roles in {ev.name_list(hired_for)}, so your talks and your companies do not "
            f"overlap."
        )
    elif labels:
        sentences.append(
            f"You want to work at {join_words(labels)}, but we have no track they hire "
            f"for, so your talks and your companies do not overlap."
        )
    else:
        sentences.append(
            "You did not pick any companies, so there is no overlap to check your talks "
            "against yet."
        )
    sentences += [
        "When the two disagree, follow the talks: the pull of work you actually finish lasts "
        "longer than any pay premium does.",
        _tie_sentence(ev, recommended, ev.total, "each"),
    ]
    return [sentence for sentence in sentences if sentence]


def _explain_curiosity(ev: _Evidence, recommended: list[str]) -> list[str]:
    sentences = [
        "You have not finished a conference talk yet, so this rests only on the problems that "
        "absorbed you and what you read for fun: a weak signal.",
        *(_curiosity_sentence(ev, slug, prefix="You chose") for slug in recommended),
        _tie_sentence(ev, recommended, ev.curiosity_score, "from your curiosity answers"),
    ]
    labels, hired_for = ev.company_labels, ev.in_order(ev.company_tracks)
    if labels and hired_for:
        sentences.append(
            f"{join_words(labels)} {_agrees(labels, 'hires', 'hire')} for "
            f"{ev.name_list(hired_for)}, but without a finished talk there is nothing for that "
            f"to overlap with."
        )
    sentences.append(
        f"Finish one conference talk in {ev.name_list(recommended, 'or')} this year, then retake "
        f"the audit to see whether the leaning holds."
    )
    return [sentence for sentence in sentences if sentence]


def _explain_none(ev: _Evidence) -> list[str]:
    sentences = [
        "There is not enough to go on yet: you have not finished a conference talk, and none of "
        "your answers about problems or reading points to a track."
    ]
    if labels := ev.company_labels:
        sentences.append(
            f"{join_words(labels)} {_agrees(labels, 'shows', 'show')} where you would like to "
            f"work, but companies alone say where the pay is, not where your energy is."
        )
    sentences.append(
        "Block two hours: note the AI problems that made you lose track of time, what you read "
        "in your free time, and finish one conference talk, then take the audit again."
    )
    return sentences


# --- stage, headline, warnings -------------------------------------------------------------


def _stage(ev: _Evidence, basis: str, recommended: list[str]) -> dict:
    code = STAGE_BY_YEARS.get(ev.years, "unknown")
    clear = basis in ("overlap", "talks") and len(recommended) == 1
    if ev.years == "5-plus" and not clear:
        code = "refusing"
    leaning = ev.name_list(recommended, "or")
    untried = [ev.names[slug] for slug in ev.order if slug not in ev.tried]
    untried_note = ""
    if ev.tried and untried:
        untried_note = f" Areas you have not tried yet: {join_words(untried)}."

    if code == "too-early":
        title = "Not yet: stay a generalist"
        advice = (
            "In your first year, breadth across prompting, retrieval, evals and observability is "
            "worth more than depth in any one, and you cannot know what energizes you before you "
            "have tried each. Stay a generalist for at least a year"
            + (
                " and treat the leaning below as something to watch, not a decision."
                if recommended
                else ", and try the areas the audit asks about before you take it again."
            )
            + untried_note
        )
    elif code == "explore":
        title = "Keep exploring: the pivot is near"
        advice = (
            "Keep trying the areas you have not worked in yet. By years 2–3 you will have shipped "
            "4–8 features and felt which problems you enjoy debugging at 11pm; that is the "
            "moment to pick." + untried_note
        )
    elif code == "pivot":
        title = "The natural moment to specialize"
        if recommended:
            advice = (
                "You have shipped enough to know which problems you would debug at 11pm. Become "
                f"the person your team brings {leaning} problems to: take the next decision in "
                "that area, write its eval suite, give a brown-bag. The title follows the work."
            )
        else:
            advice = (
                "This is when most engineers specialize, but you need a leaning first: finish a "
                "conference talk in the area that excites you and retake the audit."
            )
    elif code == "deepen":
        title = "Go deeper"
        if recommended:
            advice = (
                f"Build depth in {leaning} at team level: be the one your team brings these "
                "problems to. Three months of being that person beats six months of rewriting "
                "your résumé."
            )
        else:
            advice = (
                "You are past the usual pivot point without a leaning yet: finish a conference "
                "talk in the area that pulls you and retake the audit soon."
            )
    elif code == "refusing":
        title = "Refusing to specialize"
        advice = (
            "Past year 5, “I'm a generalist AI engineer” often means someone with depth somewhere "
            "could replace you at any level. Senior pay rewards depth: pick one track"
            + (f", {leaning} for a start," if recommended else "")
            + " and go deep."
        )
    else:
        title = "Career stage not given"
        advice = (
            "Tell us how long you have worked as an AI engineer and we can say whether now is the "
            "time: not in year 1, naturally around years 2–3."
        )
    return {"code": code, "title": title, "advice": advice}


def _headline(ev: _Evidence, basis: str, recommended: list[str], stage_code: str) -> str:
    names = ev.name_list(recommended)
    tied = " (tied)" if len(recommended) > 1 else ""
    lead = "Your early leaning is" if stage_code == "too-early" else "We recommend"
    if basis == "overlap":
        match = "strong matches" if len(recommended) > 1 else "a strong match"
        return (
            f"{lead} {names}{tied}, {match}: the talks you finish and the companies you want "
            f"meet there."
        )
    if basis == "talks":
        if ev.companies:
            gap = "the companies you picked do not hire for it"
        else:
            gap = "you picked no companies to confirm it"
        return (
            f"{lead} {names}{tied}, a moderate signal: your finished talks point there, but {gap}."
        )
    if basis == "curiosity":
        return (
            f"Your curiosity leans toward {names}{tied}, a weak signal until you finish a "
            f"conference talk in it."
        )
    return "Not enough to go on yet, so there is no recommendation for now."


def _warnings(ev: _Evidence, recommended: list[str]) -> list[dict]:
    out = []
    for code in REFLECTION_CODES:
        if code not in ev.flags:
            continue
        title, text = WARNING_TEXTS[code]
        if code == "release_notes":
            hit = [slug for slug in recommended if ev.tracks[slug].reads_release_notes_weekly]
            if not hit:
                continue
            text = text.format(tracks=ev.name_list(hit))
        out.append({"code": code, "title": title, "text": text})
    if any(ev.tracks[slug].forward_deployed for slug in recommended):
        title, text = WARNING_TEXTS["fde-not-a-downgrade"]
        out.append({"code": "fde-not-a-downgrade", "title": title, "text": text})
    return out


def _tried_sentence(ev: _Evidence, recommended: list[str]) -> str | None:
    if not ev.tried:
        return None
    untried = [slug for slug in recommended if slug not in ev.tried]
    if not untried:
        return None
    return (
        f"You have not listed {ev.name_list(untried, 'or')} among the areas you have tried: "
        f"give it a real project at work before you commit."
    )


def _parts_phrase(ev: _Evidence, slug: str) -> str:
    """Where a track's points came from, without the parts that gave none."""
    parts = ev.parts[slug]
    named = [
        f"{parts['talks']} from talks" if parts["talks"] else "",
        f"{parts['companies']} from companies" if parts["companies"] else "",
        f"{parts['curiosity']} from curiosity" if parts["curiosity"] else "",
    ]
    return join_words(named)


def _runner_up(ev: _Evidence, basis: str, recommended: list[str], overlap: list[str]):
    """The track that comes next in the ranking the recommendation used, and why it is not
    the recommendation: None when no other track scored."""
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
    name, points, possible = ev.names[slug], ev.total(slug), ev.possible()
    winner, top = ev.name_list(recommended), ev.total(recommended[0])
    lead = (
        f"{name} comes next with {points} of {possible} possible points ({_parts_phrase(ev, slug)})"
    )
    if basis == "overlap" and slug in overlap:
        reason = f"{lead}: your talks and companies meet there too, but {winner} scores {top}."
    elif basis == "overlap":
        missing = []
        if slug not in ev.talk_tracks:
            missing.append("none of the talks you finished is about it")
        if slug not in ev.company_tracks:
            missing.append("none of the companies you picked hires for it")
        more = f" That is more than {winner}'s {top}, but" if points > top else " But"
        reason = (
            f"{lead}.{more} {join_words(missing)}, and a recommendation needs a finished talk "
            f"and a company that meet on the same track."
        )
    elif basis == "talks" and slug in ev.talk_tracks:
        reason = f"{lead}: a talk you finished points there too, but {winner} scores {top}."
    elif basis == "talks":
        reason = (
            f"{lead}, but no talk you finished points to it, and when your companies do not "
            f"overlap your talks, the talks decide."
        )
    elif ev.curiosity_score(slug) > 0:
        reason = (
            f"{lead}: {ev.curiosity_score(slug)} of them from the problems and reading that "
            f"absorbed you, against {ev.curiosity_score(recommended[0])} for {winner}."
        )
    else:
        reason = (
            f"{lead}, but none of them from the problems and reading that absorbed you, which "
            f"decide while you have no finished talk."
        )
    return {"slug": slug, "name": name, "score": points, "reason": reason}


# --- entry point ---------------------------------------------------------------------------


def points_sentence() -> str:
    """How a score is counted, as the result says it: the numbers are the ones above."""
    return (
        f"Each answer gives every track it points to {_points(TALK_POINTS)} for a finished "
        f"talk, {COMPANY_POINTS} for a company and {CURIOSITY_POINTS} for a problem or a read, "
        f"times how strongly it points there (its weight): a problem that points strongly can "
        f"count as much as a talk."
    )


def score(audit: AuditInput) -> dict:
    """Score one audit; the result is plain JSON data, safe to store as a snapshot."""
    ev = _Evidence(audit)
    overlap = ev.in_order(ev.talk_tracks & ev.company_tracks)
    talks_only = ev.in_order(ev.talk_tracks)
    curious = [slug for slug in ev.order if ev.curiosity_score(slug) > 0]

    if overlap:
        basis, recommended = "overlap", _top(overlap, ev.total)
        explanation = _explain_overlap(ev, recommended, overlap)
    elif talks_only:
        basis, recommended = "talks", _top(talks_only, ev.total)
        explanation = _explain_talks(ev, recommended)
    elif curious:
        basis, recommended = "curiosity", _top(curious, ev.curiosity_score)
        explanation = _explain_curiosity(ev, recommended)
    else:
        basis, recommended = "none", []
        explanation = _explain_none(ev)

    tried = _tried_sentence(ev, recommended)
    if tried:
        explanation.append(tried)
    stage = _stage(ev, basis, recommended)

    return {
        "version": SCORING_VERSION,
        "basis": basis,
        "recommended": list(recommended),
        "recommended_names": [ev.names[slug] for slug in recommended],
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
        "headline": _headline(ev, basis, recommended, stage["code"]),
        "explanation": explanation,
        "stage": stage,
        "warnings": _warnings(ev, recommended),
    }

"""The curiosity-audit scoring: pure function, no database. Its words are the templates', and
the tests read them as the member does, written out by audits.reports.in_words."""

import ast
import json
import sys
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from hypothesis import given, settings
from hypothesis import strategies as st

from audits import charts, scoring
from audits.reports import in_words, plain
from audits.scoring import SCORING_VERSION, AuditInput, Signal, TrackRef

TRACKS = (
    TrackRef("retrieval", "Retrieval", reads_release_notes_weekly=True),
    TrackRef("agents", "Agents"),
    TrackRef("evals", "Evals & quality"),
    TrackRef("inference", "Inference / model serving"),
    TrackRef("voice", "Voice"),
    TrackRef("multimodal", "Multimodal"),
    TrackRef("safety", "Safety / responsible AI"),
    TrackRef("fine-tuning", "Fine-tuning / custom models", reads_release_notes_weekly=True),
    TrackRef(
        "forward-deployed", "Forward-Deployed Engineer (FDE) / Applied AI", forward_deployed=True
    ),
)
SLUGS = [track.slug for track in TRACKS]
FDE_NAME = "Forward-Deployed Engineer (FDE) / Applied AI"


def company(name, *slugs):
    return Signal(name, dict.fromkeys(slugs, 1))


def talk(label, slug):
    return Signal(label, {slug: 1})


# Companies and talks as the seed chapter has them.
GLEAN = company("Glean", "retrieval", "forward-deployed")
SIERRA = company("Sierra", "agents", "voice", "forward-deployed")
MODAL = company("Modal", "inference")
ANTHROPIC = company(
    "Anthropic",
    "agents",
    "evals",
    "voice",
    "multimodal",
    "safety",
    "fine-tuning",
    "forward-deployed",
)
SIGIR = talk("SIGIR", "retrieval")
CVPR = talk("CVPR", "multimodal")
NEURIPS_SYSTEMS = talk("NeurIPS — systems track", "inference")
FACCT = talk("FAccT", "safety")
ICLR = talk("ICLR", "fine-tuning")

# Step 1 and 2 options, weighted the way the audit's seed options are.
CHUNKING = Signal("A finicky chunking strategy", {"retrieval": 2})
EVAL_RESULT = Signal("A confusing eval result", {"evals": 2})
SLOW_AGENT = Signal("A slow agent that should be fast", {"agents": 2})
CUSTOMER_WORKFLOW = Signal("A customer's workflow that needed untangling", {"forward-deployed": 2})
EVAL_POSTS = Signal("Eval blog posts", {"evals": 2})
AGENT_NOTES = Signal("Agent design notes", {"agents": 2})
VISION_DEMOS = Signal("Vision-model demos", {"multimodal": 2})


def score(audit_input):
    """The result as the member reads it: the scoring's facts and the sentences written out."""
    return in_words(scoring.score(audit_input))


def audit(**kwargs):
    kwargs.setdefault("years", "2-3")
    return AuditInput(tracks=TRACKS, **kwargs)


def text_of(result):
    """Everything a member reads on the result page, as one string."""
    parts = [
        result["headline"],
        *result["explanation"],
        result["stage"]["title"],
        result["stage"]["advice"],
    ]
    for warning in result["warnings"]:
        parts += [warning["title"], warning["text"]]
    return "\n".join(parts)


def warning_codes(result):
    return [warning["code"] for warning in result["warnings"]]


def row(result, slug):
    return next(item for item in result["scores"] if item["slug"] == slug)


# --- overlap of talks (E) and companies (M) --------------------------------------------------


def test_sigir_talk_and_glean_recommend_retrieval():
    result = score(audit(talks=(SIGIR,), companies=(GLEAN,)))
    assert result["basis"] == "overlap"
    assert result["recommended"] == ["retrieval"]
    assert result["recommended_names"] == ["Retrieval"]
    assert "Retrieval" in result["headline"]
    assert "strong" in result["headline"]


def test_overlap_explanation_names_the_members_talk_and_company():
    result = score(audit(talks=(SIGIR,), companies=(GLEAN,)))
    assert (
        "You finished a talk at SIGIR and want to work at Glean, which hires deep Retrieval roles."
        in result["explanation"]
    )


def test_overlap_explanation_joins_several_talks_and_companies_in_plain_english():
    hebbia = company("Hebbia", "retrieval", "forward-deployed")
    qcon = talk("QCon — Vector Search talks", "retrieval")
    result = score(audit(talks=(SIGIR, qcon), companies=(GLEAN, hebbia, MODAL)))
    assert result["recommended"] == ["retrieval"]
    assert (
        "You finished talks at SIGIR and QCon — Vector Search talks and want to work at "
        "Glean and Hebbia, which hire deep Retrieval roles." in result["explanation"]
    )
    assert "Modal" not in " ".join(result["explanation"])


def test_overlap_names_the_curiosity_answers_that_support_the_winner():
    result = score(audit(talks=(SIGIR,), companies=(GLEAN,), problems=(CHUNKING, EVAL_RESULT)))
    explanation = " ".join(result["explanation"])
    assert "A finicky chunking strategy" in explanation
    assert "A confusing eval result" not in explanation


def test_overlap_is_ranked_by_all_evidence_and_ignores_tracks_outside_it():
    # CVPR (multimodal) and FAccT (safety) both overlap with Anthropic; the vision demos break
    # the tie. Evals has the most curiosity points but no finished talk, so it cannot win.
    result = score(
        audit(
            talks=(CVPR, FACCT),
            companies=(ANTHROPIC,),
            reading=(VISION_DEMOS, EVAL_POSTS),
            problems=(EVAL_RESULT, Signal("Calibrating an LLM judge", {"evals": 2})),
        )
    )
    assert result["basis"] == "overlap"
    assert result["recommended"] == ["multimodal"]
    assert row(result, "evals")["score"] > row(result, "multimodal")["score"]
    assert any(
        "Safety / responsible AI" in s and "fewer points" in s for s in result["explanation"]
    )


def test_overlap_tie_recommends_both_names():
    result = score(audit(talks=(CVPR, FACCT), companies=(ANTHROPIC,)))
    assert result["recommended"] == ["multimodal", "safety"]
    assert result["recommended_names"] == ["Multimodal", "Safety / responsible AI"]
    assert "Multimodal and Safety / responsible AI" in result["headline"]
    assert "tied" in result["headline"]
    assert any("tie" in sentence for sentence in result["explanation"])


# --- no overlap: lean on the talks -------------------------------------------------------------


def test_cvpr_talk_with_glean_has_no_overlap_and_leans_on_multimodal():
    result = score(audit(talks=(CVPR,), companies=(GLEAN,)))
    assert result["basis"] == "talks"
    assert result["recommended"] == ["multimodal"]
    assert "Multimodal" in result["headline"]
    explanation = " ".join(result["explanation"])
    assert "CVPR" in explanation
    assert "Glean" in explanation
    assert "do not overlap" in explanation
    # The companies' own tracks are named, so the member sees the gap.
    assert f"Retrieval and {FDE_NAME}" in explanation
    assert "follow the talks" in explanation


def test_talks_without_any_company_still_lean_on_the_talks():
    result = score(audit(talks=(NEURIPS_SYSTEMS,)))
    assert result["basis"] == "talks"
    assert result["recommended_names"] == ["Inference / model serving"]
    assert "NeurIPS — systems track" in " ".join(result["explanation"])
    assert "no companies" in result["headline"]


def test_talks_basis_picks_the_highest_scoring_talk_track():
    result = score(audit(talks=(SIGIR, CVPR), companies=(MODAL,), reading=(VISION_DEMOS,)))
    assert result["basis"] == "talks"
    assert result["recommended"] == ["multimodal"]
    assert "Inference / model serving" in " ".join(result["explanation"])


# --- no talks: curiosity decides, weakly -------------------------------------------------------


def test_curiosity_only_is_a_weak_signal():
    result = score(audit(problems=(EVAL_RESULT,), reading=(EVAL_POSTS, AGENT_NOTES)))
    assert result["basis"] == "curiosity"
    assert result["recommended"] == ["evals"]
    assert "Evals & quality" in result["headline"]
    assert "weak" in result["headline"]
    explanation = " ".join(result["explanation"])
    assert "A confusing eval result" in explanation
    assert "Eval blog posts" in explanation
    assert "Finish one conference talk in Evals & quality" in explanation


def test_curiosity_tie_lists_every_tied_track():
    result = score(audit(problems=(SLOW_AGENT,), reading=(EVAL_POSTS,)))
    assert result["basis"] == "curiosity"
    assert result["recommended_names"] == ["Agents", "Evals & quality"]
    assert "Agents and Evals & quality" in result["headline"]


def test_curiosity_decides_even_when_companies_point_elsewhere():
    result = score(audit(problems=(EVAL_RESULT,), companies=(GLEAN, GLEAN, GLEAN)))
    assert result["basis"] == "curiosity"
    assert result["recommended"] == ["evals"]
    assert "Glean" in " ".join(result["explanation"])


def test_nothing_at_all_gives_basis_none():
    result = score(audit())
    assert result["basis"] == "none"
    assert result["recommended"] == []
    assert result["recommended_names"] == []
    assert "Not enough to go on" in result["headline"]
    explanation = " ".join(result["explanation"])
    assert "not enough to go on" in explanation
    assert "finish one conference talk" in explanation


def test_companies_alone_are_not_enough():
    result = score(audit(companies=(GLEAN,)))
    assert result["basis"] == "none"
    assert result["recommended"] == []
    assert "Glean" in " ".join(result["explanation"])


def test_zero_weight_answers_are_not_a_signal():
    result = score(audit(problems=(Signal("Something else", {"evals": 0}),)))
    assert result["basis"] == "none"


# --- career stage ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("years", "code"),
    [
        ("under-1", "too-early"),
        ("1-2", "explore"),
        ("2-3", "pivot"),
        ("3-5", "deepen"),
        ("5-plus", "deepen"),
        ("", "unknown"),
    ],
)
def test_each_stage_code_with_a_clear_leaning(years, code):
    result = score(audit(years=years, talks=(SIGIR,), companies=(GLEAN,)))
    assert result["stage"]["code"] == code
    assert result["stage"]["title"]
    assert result["stage"]["advice"]


def test_under_one_year_says_stay_generalist_but_still_shows_the_leaning():
    result = score(audit(years="under-1", talks=(SIGIR,), companies=(GLEAN,)))
    assert result["stage"]["title"] == "Not yet: stay a generalist"
    assert "at least a year" in result["stage"]["advice"]
    assert result["recommended_names"] == ["Retrieval"]
    assert "Retrieval" in result["headline"]


def test_explore_stage_lists_the_areas_not_tried_yet():
    result = score(audit(years="1-2", tried=("retrieval", "agents"), problems=(EVAL_RESULT,)))
    assert result["stage"]["code"] == "explore"
    advice = result["stage"]["advice"]
    assert "Evals & quality" in advice
    assert "Voice" in advice
    assert "Agents" not in advice


def test_pivot_stage_names_the_track_to_become_the_person_for():
    result = score(audit(years="2-3", talks=(SIGIR,), companies=(GLEAN,)))
    assert result["stage"]["title"] == "The natural moment to specialize"
    assert "Retrieval problems" in result["stage"]["advice"]


def test_five_plus_with_only_curiosity_is_refusing_to_specialize():
    result = score(audit(years="5-plus", reading=(EVAL_POSTS,)))
    assert result["stage"]["code"] == "refusing"
    assert result["stage"]["title"] == "Refusing to specialize"
    assert "depth" in result["stage"]["advice"]
    assert "replace" in text_of(result)
    assert "Evals & quality" in text_of(result)


def test_five_plus_with_nothing_is_refusing_to_specialize():
    result = score(audit(years="5-plus"))
    assert result["stage"]["code"] == "refusing"


def test_five_plus_with_a_tie_is_refusing_to_specialize():
    result = score(audit(years="5-plus", talks=(CVPR, FACCT), companies=(ANTHROPIC,)))
    assert len(result["recommended"]) == 2
    assert result["stage"]["code"] == "refusing"


def test_five_plus_with_a_clear_leaning_deepens():
    result = score(audit(years="5-plus", talks=(CVPR,), companies=(GLEAN,)))
    assert result["basis"] == "talks"
    assert result["stage"]["code"] == "deepen"
    assert "Refusing to specialize" not in text_of(result)
    assert "Multimodal" in result["stage"]["advice"]


def test_three_to_five_years_with_a_tie_still_deepens():
    result = score(audit(years="3-5", talks=(CVPR, FACCT), companies=(ANTHROPIC,)))
    assert result["stage"]["code"] == "deepen"


# --- warnings --------------------------------------------------------------------------------


def test_pay_warning():
    result = score(audit(talks=(CVPR,), warnings=frozenset({"pay"})))
    assert warning_codes(result) == ["pay"]
    assert "levels.fyi" in result["warnings"][0]["text"]


def test_day_job_warning():
    result = score(audit(talks=(CVPR,), warnings=frozenset({"day_job"})))
    assert warning_codes(result) == ["day_job"]
    assert "burn out" in result["warnings"][0]["text"]


def test_trend_warning():
    result = score(audit(talks=(CVPR,), warnings=frozenset({"trend"})))
    assert warning_codes(result) == ["trend"]
    text = result["warnings"][0]["text"]
    assert "2024" in text
    assert "depth clock" in text


@pytest.mark.parametrize(
    ("talk", "company", "recommended", "named"),
    [
        (SIGIR, GLEAN, "retrieval", "Retrieval"),
        (ICLR, ANTHROPIC, "fine-tuning", "Fine-tuning / custom models"),
        (CVPR, ANTHROPIC, "multimodal", None),  # silent for the other tracks
    ],
)
def test_release_notes_warning_names_retrieval_and_fine_tuning_only(
    talk, company, recommended, named
):
    result = score(
        audit(talks=(talk,), companies=(company,), warnings=frozenset({"release_notes"}))
    )
    assert result["recommended"] == [recommended]
    assert warning_codes(result) == (["release_notes"] if named else [])
    if named:
        assert named in result["warnings"][0]["text"]


def test_all_reflection_warnings_come_in_a_fixed_order():
    flags = frozenset({"trend", "day_job", "release_notes", "pay"})
    result = score(audit(talks=(SIGIR,), companies=(GLEAN,), warnings=flags))
    assert warning_codes(result) == ["pay", "release_notes", "day_job", "trend"]
    assert all(w["title"] and w["text"] for w in result["warnings"])


def test_fde_recommendation_says_it_is_not_a_downgrade():
    result = score(audit(problems=(CUSTOMER_WORKFLOW,)))
    assert result["recommended"] == ["forward-deployed"]
    assert warning_codes(result) == ["fde-not-a-downgrade"]
    text = result["warnings"][0]["text"]
    for lab in ("Anthropic", "OpenAI", "Sierra", "Decagon"):
        assert lab in text


def test_no_fde_note_when_fde_is_not_recommended():
    result = score(audit(talks=(SIGIR,), companies=(GLEAN,)))
    assert "fde-not-a-downgrade" not in warning_codes(result)


def test_early_career_without_tried_areas_gets_no_extra_warning():
    for years in ("under-1", "1-2"):
        result = score(audit(years=years, talks=(SIGIR,), companies=(GLEAN,)))
        assert result["warnings"] == []


def test_unknown_warning_codes_are_ignored():
    result = score(audit(talks=(SIGIR,), warnings=frozenset({"astrology"})))
    assert result["warnings"] == []


def test_untried_recommendation_is_pointed_out():
    result = score(audit(tried=("agents",), talks=(SIGIR,), companies=(GLEAN,)))
    assert any(
        "not listed Retrieval among the areas you have tried" in s for s in result["explanation"]
    )
    tried = score(audit(tried=("retrieval",), talks=(SIGIR,), companies=(GLEAN,)))
    assert not any("areas you have tried" in s for s in tried["explanation"])


# --- the shape of the snapshot -----------------------------------------------------------------


def test_scores_cover_every_track_in_catalogue_order_with_their_parts():
    result = score(audit(talks=(SIGIR,), companies=(GLEAN,), problems=(CHUNKING,)))
    assert [item["slug"] for item in result["scores"]] == SLUGS
    assert [item["name"] for item in result["scores"]] == [t.name for t in TRACKS]
    retrieval = row(result, "retrieval")
    assert retrieval == {
        "slug": "retrieval",
        "name": "Retrieval",
        "score": 3 + 2 + 2,
        "talks": 3,
        "companies": 2,
        "curiosity": 2,
        "in_talks": True,
        "in_companies": True,
        "sources": {
            "talks": ["SIGIR"],
            "companies": ["Glean"],
            "curiosity": ["A finicky chunking strategy"],
        },
    }
    fde = row(result, "forward-deployed")
    assert (fde["score"], fde["in_talks"], fde["in_companies"]) == (2, False, True)


def test_talk_and_company_points_scale_with_weight_and_count():
    double = Signal("NeurIPS", {"multimodal": 2})
    result = score(audit(talks=(double, CVPR), companies=(ANTHROPIC, SIERRA)))
    assert row(result, "multimodal")["talks"] == 3 * 2 + 3
    assert row(result, "voice")["companies"] == 2 * 2


def test_result_is_json_serialisable_and_versioned():
    result = scoring.score(
        audit(
            years="5-plus",
            tried=("retrieval",),
            talks=(SIGIR, CVPR),
            companies=(GLEAN, ANTHROPIC),
            problems=(CHUNKING,),
            reading=(EVAL_POSTS,),
            warnings=frozenset({"pay", "release_notes", "day_job", "trend"}),
        )
    )
    assert result["version"] == SCORING_VERSION == 4
    assert json.loads(json.dumps(result)) == result
    assert set(result) == {
        "version",
        "basis",
        "recommended",
        "recommended_names",
        "scores",
        "picked_companies",
        "reasons",
        "stage",
        "warnings",
        "possible",
        "runner_up",
    }


def test_unknown_track_slugs_in_weights_are_ignored():
    result = score(
        audit(
            talks=(Signal("Quantum Summit", {"quantum": 1, "retrieval": 1}),),
            companies=(company("Glean", "retrieval", "quantum"),),
            reading=(Signal("Ghost posts", {"ghosts": 5}),),
            tried=("quantum",),
        )
    )
    assert [item["slug"] for item in result["scores"]] == SLUGS
    assert result["recommended"] == ["retrieval"]
    assert "quantum" not in json.dumps(result)
    only_unknown = score(audit(talks=(Signal("Quantum Summit", {"quantum": 3}),)))
    assert only_unknown["basis"] == "none"


def test_scoring_is_deterministic():
    make = lambda: audit(talks=(CVPR, FACCT), companies=(ANTHROPIC,), reading=(EVAL_POSTS,))  # noqa: E731
    assert score(make()) == score(make())


def test_module_is_pure_standard_library():
    tree = ast.parse(Path(scoring.__file__).read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert imported <= set(sys.stdlib_module_names)


# --- never raises ---------------------------------------------------------------------------

slug_or_stray = st.sampled_from([*SLUGS, "quantum", ""])
signals = st.lists(
    st.builds(
        Signal,
        label=st.text(max_size=20),
        weights=st.dictionaries(slug_or_stray, st.integers(-3, 5), max_size=4),
    ),
    max_size=4,
).map(tuple)


@settings(max_examples=200, deadline=None)
@given(
    years=st.sampled_from(["under-1", "1-2", "2-3", "3-5", "5-plus", ""]),
    tried=st.lists(slug_or_stray, max_size=4).map(tuple),
    problems=signals,
    reading=signals,
    talks=signals,
    companies=signals,
    warnings=st.frozensets(st.sampled_from(["pay", "release_notes", "day_job", "trend", "x"])),
)
def test_any_well_formed_audit_scores_without_raising(
    years, tried, problems, reading, talks, companies, warnings
):
    result = score(AuditInput(TRACKS, years, tried, problems, reading, talks, companies, warnings))
    assert json.loads(json.dumps(result)) == result
    assert [item["slug"] for item in result["scores"]] == SLUGS
    assert (result["basis"] == "none") == (result["recommended"] == [])
    assert result["headline"]
    assert result["explanation"]
    if "release_notes" in warning_codes(result):
        assert {"retrieval", "fine-tuning"} & set(result["recommended"])


def test_empty_catalogue_does_not_raise():
    result = score(AuditInput(tracks=(), years="", talks=(SIGIR,)))
    assert result["basis"] == "none"
    assert result["scores"] == []


# --- the score explained: its parts, its scale and the runner-up -------------------------------


def test_each_score_is_split_by_where_its_points_came_from_and_names_the_answers():
    result = score(audit(talks=(SIGIR,), companies=(GLEAN, ANTHROPIC), reading=(VISION_DEMOS,)))
    multimodal = row(result, "multimodal")
    assert (multimodal["talks"], multimodal["companies"], multimodal["curiosity"]) == (0, 2, 2)
    assert multimodal["score"] == multimodal["talks"] + multimodal["companies"] + 2
    assert multimodal["sources"] == {
        "talks": [],
        "companies": ["Anthropic"],
        "curiosity": ["Vision-model demos"],
    }
    for item in result["scores"]:
        assert item["score"] == item["talks"] + item["companies"] + item["curiosity"]


def test_the_scale_is_what_a_track_would_score_if_every_answer_pointed_to_it():
    result = score(
        audit(talks=(SIGIR, CVPR), companies=(GLEAN,), problems=(CHUNKING,), reading=(EVAL_POSTS,))
    )
    # Two talks (3 each), one company (2), two curiosity answers of weight 2.
    assert result["possible"] == 3 + 3 + 2 + 2 + 2
    assert all(item["score"] <= result["possible"] for item in result["scores"])
    assert score(audit())["possible"] == 0


def test_the_runner_up_outside_the_overlap_says_what_it_lacks():
    result = score(audit(talks=(SIGIR,), companies=(GLEAN, ANTHROPIC), reading=(VISION_DEMOS,)))
    assert result["recommended"] == ["retrieval"]
    runner = result["runner_up"]
    assert (runner["slug"], runner["score"]) == ("multimodal", 4)
    assert runner["reason"].startswith(
        f"Multimodal comes next with 4 of {result['possible']} possible points "
        "(2 from companies and 2 from curiosity)"
    )
    assert "none of the talks you finished is about it" in runner["reason"]


def test_a_runner_up_in_the_overlap_has_fewer_points():
    result = score(audit(talks=(SIGIR, CVPR), companies=(GLEAN, ANTHROPIC), problems=(CHUNKING,)))
    assert result["recommended"] == ["retrieval"]
    runner = result["runner_up"]
    assert runner["slug"] == "multimodal"
    assert "your talks and companies meet there too, but Retrieval scores 7" in runner["reason"]


def test_the_runner_up_with_more_points_says_why_it_still_is_not_recommended():
    result = score(
        audit(
            talks=(SIGIR,),
            companies=(GLEAN, ANTHROPIC),
            reading=(EVAL_POSTS,),
            problems=(EVAL_RESULT,),
        )
    )
    runner = result["runner_up"]
    assert runner["slug"] == "evals" and runner["score"] > row(result, "retrieval")["score"]
    assert "more than Retrieval's 5" in runner["reason"]


def test_the_runner_up_of_a_curiosity_leaning_compares_curiosity_points():
    result = score(audit(reading=(EVAL_POSTS, AGENT_NOTES), problems=(EVAL_RESULT,)))
    assert result["recommended"] == ["evals"]
    assert result["runner_up"]["slug"] == "agents"
    assert "2 of them from the problems and reading" in result["runner_up"]["reason"]


def test_no_runner_up_when_nothing_else_scored():
    assert (
        score(audit(talks=(SIGIR,), companies=(company("Glean", "retrieval"),)))["runner_up"]
        is None
    )
    assert score(audit())["runner_up"] is None


def test_track_names_keep_their_casing_in_every_sentence():
    fde = talk("A customer workshop", "forward-deployed")
    safety = talk("FAccT", "safety")
    for talks in ((fde,), (safety,)):
        result = score(audit(talks=talks, companies=(ANTHROPIC,), problems=(CUSTOMER_WORKFLOW,)))
        text = (
            text_of(result) + result["runner_up"]["reason"]
            if result["runner_up"]
            else text_of(result)
        )
        assert FDE_NAME.lower() not in text
        assert "safety / responsible ai" not in text


def test_no_leaning_in_the_first_year_says_nothing_about_a_leaning_below():
    result = score(audit(years="under-1"))
    assert "leaning below" not in result["stage"]["advice"]
    leaning = score(audit(years="under-1", talks=(SIGIR,), companies=(GLEAN,)))
    assert "leaning below" in leaning["stage"]["advice"]


def test_the_sentence_about_points_says_what_the_scoring_does():
    """The numbers the result states are the scoring's, and a score built from one answer of
    each kind, at a weight, is what the sentence says it is."""
    import re

    chart = charts.score_chart(scoring.score(audit(talks=[SIGIR])))
    sentence = plain(render_to_string("audits/reasons.html#points", {"points": chart["points"]}))
    talk_points, company_points, curiosity_points = (
        int(n) for n in re.findall(r"(\d+)(?: points?)? for a", sentence)
    )
    assert (talk_points, company_points, curiosity_points) == (
        scoring.TALK_POINTS,
        scoring.COMPANY_POINTS,
        scoring.CURIOSITY_POINTS,
    )
    strong_problem = Signal("A finicky chunking strategy", {"retrieval": 3})
    result = score(audit(talks=[SIGIR], companies=[GLEAN], problems=[strong_problem]))
    retrieval = row(result, "retrieval")
    assert retrieval["talks"] == talk_points * 1
    assert retrieval["companies"] == company_points * 1
    assert retrieval["curiosity"] == curiosity_points * 3
    assert "times how strongly it points there" in sentence
    # "a problem that points strongly can count as much as a talk": weight 3 here.
    assert retrieval["curiosity"] >= retrieval["talks"]
    assert "weigh most" not in sentence


def test_a_talk_topic_is_a_talk_on_it_not_at_it():
    topic = Signal(
        "A customer case study: rolling an AI assistant out", {"forward-deployed": 1}, topic=True
    )
    result = score(audit(talks=[SIGIR, topic], companies=[GLEAN]))
    text = text_of(result)
    assert "at A customer case study" not in text
    assert "a talk on “A customer case study: rolling an AI assistant out”" in text
    assert "a talk at SIGIR" in text
    assert result["version"] == SCORING_VERSION == 4

"""The seed content says what the chapter says: nine tracks, their people, places and projects."""

from django.core.management import call_command

from audits.models import Option, OptionWeight, Question
from tracks.models import (
    Company,
    CompanyTrack,
    Conference,
    ConferenceTrack,
    GuideSection,
    ProjectTrack,
    QuickCheckQuestion,
    Skill,
    Track,
)

TRACK_NAMES = [
    ("retrieval", "Retrieval"),
    ("agents", "Agents"),
    ("evals", "Evals & quality"),
    ("inference", "Inference / model serving"),
    ("voice", "Voice"),
    ("multimodal", "Multimodal"),
    ("safety", "Safety / responsible AI"),
    ("fine-tuning", "Fine-tuning / custom models"),
    ("forward-deployed", "Forward-Deployed Engineer (FDE) / Applied AI"),
]

SKILL_COUNTS = {
    "retrieval": 5,
    "agents": 6,
    "evals": 5,
    "inference": 10,
    "voice": 7,
    "multimodal": 5,
    "safety": 7,
    "fine-tuning": 6,
    "forward-deployed": 5,
}


def load_content():
    call_command("seed_content", verbosity=0)


def teams(company_slug):
    return dict(
        CompanyTrack.objects.filter(company__slug=company_slug).values_list(
            "track__slug", "qualifier"
        )
    )


def test_nine_tracks_in_order_with_names(db):
    tracks = list(Track.objects.order_by("number"))
    assert [(t.slug, t.name) for t in tracks] == TRACK_NAMES
    assert [t.number for t in tracks] == list(range(1, 10))
    assert Track.objects.get(slug="retrieval").subtitle == "RAG at scale"
    assert all(t.published and t.owns for t in tracks)


def test_tracks_have_distinct_colours_and_symbols(db):
    tracks = list(Track.objects.all())
    assert len({t.colour.lower() for t in tracks}) == 9
    assert len({t.symbol for t in tracks}) == 9
    assert all(len(t.symbol) == 1 for t in tracks)


def test_skill_counts_match_the_chapter(db):
    for slug, count in SKILL_COUNTS.items():
        assert Skill.objects.filter(track__slug=slug).count() == count, slug


def test_skills_keep_their_tools_and_order(db):
    first = Skill.objects.filter(track__slug="retrieval").order_by("order").first()
    assert (first.name, first.tools) == (
        "chunking strategies",
        "semantic, structural, hierarchical",
    )
    assert Skill.objects.get(track__slug="retrieval", name="reranking").tools == (
        "Cohere rerank-3, Voyage, cross-encoders"
    )
    assert "<500ms" in Skill.objects.get(track__slug="voice", name="latency budgets").tools
    assert (
        "Temporal-for-agents" in Skill.objects.get(track__slug="agents", name="orchestration").tools
    )


def test_glean_hires_for_retrieval_and_forward_deployed(db):
    assert {"retrieval", "forward-deployed"} <= set(teams("glean"))


def test_anthropic_teams(db):
    anthropic = teams("anthropic")
    assert anthropic["agents"] == "Claude Code"
    assert anthropic["fine-tuning"] == "post-training"
    assert anthropic["safety"] == "safety teams"
    assert set(anthropic) == {
        "agents",
        "evals",
        "voice",
        "multimodal",
        "safety",
        "fine-tuning",
        "forward-deployed",
    }


def test_shared_companies_exist_exactly_once(db):
    for name in [
        "Anthropic",
        "OpenAI",
        "Sierra",
        "Decagon",
        "Cresta",
        "Harvey",
        "Glean",
        "Hebbia",
        "Speak",
        "Together AI",
        "Fireworks AI",
    ]:
        assert Company.objects.filter(name=name).count() == 1, name
    assert teams("fireworks-ai") == {"inference": "", "fine-tuning": "managed fine-tuning"}
    assert set(teams("sierra")) == {"agents", "voice", "forward-deployed"}


def test_catch_all_phrases_are_notes_not_companies(db):
    assert not Company.objects.filter(name__icontains="every").exists()
    assert not Company.objects.filter(name__icontains="frontier labs").exists()
    assert "every enterprise-AI search company" in Track.objects.get(slug="retrieval").hiring_note


def test_company_order_follows_the_chapter(db):
    agents = CompanyTrack.objects.filter(track__slug="agents").order_by("order")
    assert [ct.company.name for ct in agents][:4] == ["Sierra", "Decagon", "Cresta", "Cognition"]
    assert agents[3].qualifier == "Devin"


def test_neurips_spans_several_tracks_with_sessions(db):
    sessions = dict(
        ConferenceTrack.objects.filter(conference__slug="neurips").values_list(
            "track__slug", "session"
        )
    )
    assert len(sessions) >= 5
    assert sessions["agents"] == "agent workshops"
    assert sessions["inference"] == "systems track"


def test_sigir_is_academic_under_retrieval(db):
    sigir = Conference.objects.get(name="SIGIR")
    assert sigir.kind == Conference.Kind.ACADEMIC
    assert sigir.tracks.filter(slug="retrieval").exists()


def test_inspect_ai_and_promptfoo_sit_under_evals_and_safety(db):
    for slug in ["inspect-ai", "promptfoo"]:
        listed = set(
            ProjectTrack.objects.filter(project__slug=slug).values_list("track__slug", flat=True)
        )
        assert listed == {"evals", "safety"}, slug
    assert ProjectTrack.objects.get(project__slug="promptfoo", track__slug="safety").note == (
        "red-team templates"
    )


def test_five_mistakes_and_three_timeline_stages(db):
    mistakes = GuideSection.objects.filter(kind=GuideSection.Kind.MISTAKE).order_by("order")
    assert [m.order for m in mistakes] == [1, 2, 3, 4, 5]
    timeline = GuideSection.objects.filter(kind=GuideSection.Kind.TIMELINE).order_by("order")
    assert [t.label for t in timeline] == ["Year 1", "Year 2–3", "Year 5+"]
    for kind in ["summary", "plain", "wrong_reason", "highlight", "comp_note", "chapters", "audit"]:
        assert GuideSection.objects.filter(kind=kind).count() == 1, kind
    assert GuideSection.objects.get(kind="next").title == "Next: AI system-design interviews"


def test_each_quick_check_question_has_exactly_one_right_option(db):
    questions = list(QuickCheckQuestion.objects.all())
    assert len(questions) == 5
    for question in questions:
        assert question.options.count() >= 3
        assert question.options.filter(is_correct=True).count() == 1, question.slug


def test_every_track_is_reachable_from_steps_one_and_two(db):
    for step in (1, 2):
        weighted = set(
            OptionWeight.objects.filter(option__question__step=step, weight__gt=0).values_list(
                "track__slug", flat=True
            )
        )
        assert weighted == {slug for slug, _ in TRACK_NAMES}, step


def test_audit_questions_follow_the_chapter(db):
    first = Question.objects.get(slug="lost-track-of-time")
    assert first.step == 1 and first.allows_multiple
    assert Question.objects.get(slug="free-time-reading").step == 2
    generalize = Option.objects.get(question=first, key="prompt-wont-generalize")
    assert dict(generalize.weights.values_list("track__slug", "weight")) == {
        "fine-tuning": 2,
        "evals": 1,
    }
    reflection = Question.objects.filter(step=5)
    assert set(reflection.values_list("slug", flat=True)) == {
        "pay-main-draw",
        "weekly-release-notes",
        "day-job-depth",
        "hot-this-quarter",
    }
    assert not reflection.filter(allows_multiple=True).exists()
    warnings = set(
        Option.objects.filter(question__step=5)
        .exclude(warning="")
        .values_list("question__slug", "key", "warning")
    )
    assert warnings == {
        ("pay-main-draw", "yes", "pay"),
        ("weekly-release-notes", "no", "release_notes"),
        ("day-job-depth", "no", "day_job"),
        ("hot-this-quarter", "yes", "trend"),
    }
    assert not OptionWeight.objects.filter(option__question__step=5).exists()


def test_loading_twice_changes_nothing(db):
    before = (Company.objects.count(), CompanyTrack.objects.count(), OptionWeight.objects.count())
    load_content()
    after = (Company.objects.count(), CompanyTrack.objects.count(), OptionWeight.objects.count())
    assert before == after

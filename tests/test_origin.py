"""A reader always knows whose word it is: the chapter's, told straight and whole, or ours,
marked “ours” in one way everywhere, and a content check that fails on a row without an origin.

Pages are read as rendered HTML; what a sighted reader sees is the page's text outside
`visually-hidden` elements.
"""

import datetime
import re
from html.parser import HTMLParser

import pytest
from answers import RETRIEVAL_ANSWERS, TRACK_SLUGS
from audit_helpers import post_step, start, step_url
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from audits import scoring
from audits.models import Option, Question
from tracks.checks import rows_without_origin
from tracks.models import (
    Company,
    CompanyTrack,
    Conference,
    GuideSection,
    Origin,
    QuickCheckQuestion,
    Skill,
    Track,
)

pytestmark = pytest.mark.usefixtures("db")

PUBLIC_PAGES = [
    "/",
    "/tracks/",
    *[f"/tracks/{slug}/" for slug in ("retrieval", "evals", "inference", "forward-deployed")],
    "/companies/",
    "/companies/anthropic/",
    "/companies/uk-aisi/",
    "/conferences/",
    "/projects/",
    "/guide/",
    "/about/",
    "/audits/how-it-works/",
    "/audits/new/",
]
MARKER = 'class="pill ours"'


class Reading(HTMLParser):
    """The text a sighted reader sees (outside `visually-hidden`), the text only screen readers
    get, and the text of each "ours" marker's explanation."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack, self.visible, self.hidden, self.tips = [], [], [], []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        self.stack.append((tag, "visually-hidden" in classes, "ours-tip" in classes))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if any(tip for _, _, tip in self.stack):
            self.tips.append(data)
        elif any(hidden for _, hidden, _ in self.stack):
            self.hidden.append(data)
        elif not any(tag in ("script", "style", "title") for tag, _, _ in self.stack):
            self.visible.append(data)


def read(html):
    reading = Reading()
    reading.feed(html)
    squash = lambda parts: re.sub(r"\s+", " ", " ".join(parts))  # noqa: E731
    return squash(reading.visible), squash(reading.hidden), reading.tips


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# --- The content check ------------------------------------------------------------------------


def test_every_seeded_row_says_whose_word_it_is():
    assert rows_without_origin() == []
    call_command("check", tags=["content"], databases=["default"], fail_level="WARNING")


def test_content_check_fails_on_a_row_without_origin_or_without_who_added_it():
    Skill.objects.filter(name="reranking").update(origin="")
    Option.objects.filter(key="gpu-throughput").update(added_by="")
    with pytest.raises(SystemCheckError) as failure:
        call_command("check", tags=["content"], databases=["default"], fail_level="WARNING")
    assert "“reranking" in str(failure.value) and "has no origin" in str(failure.value)
    assert "without who added it and when" in str(failure.value)


def test_the_chapters_audit_examples_are_the_chapters_and_the_rest_is_ours():
    chapter = set(Option.objects.filter(origin=Origin.CHAPTER).values_list("label", flat=True))
    assert "A finicky chunking strategy" in chapter and "Eval blog posts" in chapter
    ours = Option.objects.filter(origin=Origin.EDITORIAL)
    assert ours.filter(question__step=Question.Step.TALKS).count() == 6
    assert ours.filter(question__step=Question.Step.REFLECTION).count() == 8
    assert not Question.objects.filter(
        step=Question.Step.REFLECTION, origin=Origin.CHAPTER
    ).exists()
    assert not QuickCheckQuestion.objects.exclude(origin=Origin.EDITORIAL).exists()
    assert GuideSection.objects.get(slug="when-year-5-plus").origin == Origin.EDITORIAL


# --- Editorial additions are marked -----------------------------------------------------------


def test_the_marker_explains_itself_in_text_and_on_focus(client):
    html = page(client, "/tracks/voice/")
    marker = re.search(r'<span class="pill ours" tabindex="0">.*?</span></span>', html).group(0)
    assert "ours" in marker
    _, _, tips = read(marker)
    assert "careerguide's addition, not the chapter's word" in tips[0]
    assert "careerguide maintainers" in tips[0] and "Nov 2026" in tips[0]


@pytest.mark.parametrize("slug", ["retrieval", "voice", "forward-deployed"])
def test_track_page_marks_our_words_and_only_them(client, slug):
    html = page(client, f"/tracks/{slug}/")
    track = Track.objects.get(slug=slug)
    intro = html[html.index("In our words") : html.index(track.summary_paragraphs[-1][:40])]
    assert MARKER in intro
    related = html[html.index('id="related-ours"') :]
    assert MARKER in related[: related.index("</p>")]
    # Headings keep their own text: the marker sits beside them, never inside.
    for heading in re.findall(r"<h[1-3][^>]*>.*?</h[1-3]>", html, re.S):
        assert MARKER not in heading
    # The chapter's own lists carry no marker.
    deep_in = html[html.index('id="skills-heading"') : html.index('id="companies-heading"')]
    assert MARKER not in deep_in


def test_an_editorial_row_is_marked_where_it_is_listed(client):
    Skill.objects.create(
        track=Track.objects.get(slug="voice"),
        name="barge-in detection",
        order=99,
        origin=Origin.EDITORIAL,
        added_by="Ada Curator",
        added_on=datetime.date(2026, 12, 1),
    )
    html = page(client, "/tracks/voice/")
    item = re.search(r"<li><strong>barge-in detection</strong>.*?</li>", html).group(0)
    assert MARKER in item and "Ada Curator" in item and "Dec 2026" in item


def test_guide_marks_the_year_5_stage_and_the_quick_check(client):
    html = page(client, "/guide/")
    stage = html[html.index('id="when-year-5-plus"') :]
    assert MARKER in stage[: stage.index("</p>")]
    check = html[html.index('id="check-h"') :]
    assert MARKER in check[: check.index("<form")]
    for other in ("when-year-1", "when-year-2-3"):
        stage = html[html.index(f'id="{other}"') :]
        assert MARKER not in stage[: stage.index("</li>")]


def test_conference_kinds_are_the_chapters_or_marked(client):
    html = page(client, "/conferences/")
    for conference in Conference.objects.all():
        card = html[html.index(f'id="{conference.slug}"') :]
        kind = card[card.index('class="card-kind"') :]
        kind = kind[: kind.index("</p>")]
        assert conference.get_kind_display() in kind
        assert (MARKER in kind) == (conference.kind_origin == Origin.EDITORIAL), conference
    assert "SIGIR (academic)" in read(page(client, "/tracks/retrieval/"))[0]


def test_audit_marks_our_step_questions_and_options(client):
    audit = start(client)
    context = page(client, step_url(audit, 0))
    note = context[context.index('id="step-ours"') :]
    assert MARKER in note[: note.index("</p>")]
    post_step(client, audit, 0, {"years": "2-3", "tried": []})
    problems = page(client, step_url(audit, 1))
    for option in Option.objects.filter(question__slug="lost-track-of-time"):
        label = problems[problems.index(option.label.replace("'", "&#x27;")) :]
        marked = MARKER in label[: label.index("</label>")]
        assert marked == (option.origin == Origin.EDITORIAL), option.label
    assert "marked “ours” are careerguide's additions" in problems
    # A marked option keeps its label as its name; the explanation is its description.
    described = re.search(r'<input [^>]*value="gpu-throughput"[^>]*>', problems).group(0)
    tip_id = re.search(r'aria-describedby="([^"]+)"', described).group(1)
    assert f'<span class="ours-tip visually-hidden" id="{tip_id}">Ours:' in problems


# --- Nothing of the chapter hidden or cut -----------------------------------------------------


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_no_qualifier_or_note_is_hidden_from_sighted_readers(client, url):
    visible, hidden, _ = read(page(client, url))
    words = {h.qualifier for h in CompanyTrack.objects.exclude(qualifier="")}
    words |= {c.note for c in Company.objects.exclude(note="")}
    words |= {c.note for c in Conference.objects.exclude(note="")}
    for word in words:
        assert word not in hidden or word in visible, f"{word!r} hidden on {url}"


def test_companies_page_shows_every_team_and_product(client):
    visible, _, _ = read(page(client, "/companies/"))
    for hiring in CompanyTrack.objects.exclude(qualifier=""):
        assert hiring.qualifier in visible, hiring


def test_tracks_page_says_how_many_skills_it_leaves_out_and_links_to_them(client):
    html = page(client, "/tracks/")
    for track in Track.objects.all():
        card = html[html.index(f'href="{track.get_absolute_url()}"') :]
        card = card[: card.index("</li>\n      <li") if "</li>\n      <li" in card else None]
        shown = card[: card.index("</ul>")].count('<li class="tag">')
        total = track.skills.count()
        if shown < total:
            assert f"+{total - shown} more" in card, track
            assert f'href="{track.get_absolute_url()}#skills-heading"' in card
        else:
            assert "more in “Deep in”" not in card[: card.index("</ul>") + 80]


def test_audit_lists_conferences_and_companies_with_the_chapters_notes(client):
    audit = start(client)
    post_step(client, audit, 0, {"years": "2-3", "tried": []})
    post_step(client, audit, 1, {"lost-track-of-time": []})
    post_step(client, audit, 2, {"free-time-reading": []})
    talks, _, _ = read(page(client, step_url(audit, 3)))
    for name in ("EvalsCon (new in 2025)", "GTC (NVIDIA)", "Voice & AI conference (London)"):
        assert name in talks
    post_step(client, audit, 3, {"talks": ["gtc:talk"]})
    companies, _, _ = read(page(client, step_url(audit, 4)))
    for name in ("Palantir (the original)", "Robust Intelligence (Cisco)"):
        assert name in companies
    post_step(client, audit, 4, {"companies": ["palantir", "robust-intelligence"]})
    response = post_step(
        client,
        audit,
        5,
        {
            "pay-main-draw": "no",
            "weekly-release-notes": "yes",
            "day-job-depth": "yes",
            "hot-this-quarter": "no",
        },
    )
    result, _, _ = read(page(client, response["Location"]))
    for name in ("GTC (NVIDIA)", "Palantir (the original)", "Robust Intelligence (Cisco)"):
        assert name in result


# --- The chapter's wording --------------------------------------------------------------------


def test_inspect_ai_is_named_as_the_chapter_names_it(client):
    for url in ("/tracks/evals/", "/companies/uk-aisi/"):
        visible, _, _ = read(page(client, url))
        assert "Inspect AI (UK AISI)" in visible and "UK AISI (Inspect AI)" not in visible
        assert "Product:" not in visible


@pytest.mark.parametrize("url", ["/", "/audits/new/", "/guide/"])
def test_the_time_promise_is_the_chapters(client, url):
    visible, _, _ = read(page(client, url))
    assert "Block 2 hours" in visible
    assert "two hours" not in visible.lower()


def test_guide_says_often_as_the_chapter_does(client):
    visible, _, _ = read(page(client, "/guide/"))
    assert "at year 6 often means" in visible
    assert "usually" not in visible
    assert "This is the point where most people choose a track" not in visible


def test_full_chapter_sentence_appears_only_with_its_links(client):
    assert "full chapter" not in read(page(client, "/guide/"))[0]
    Track.objects.filter(slug="evals").update(chapter_url="https://example.org/evals-chapter")
    from tracks.cache import renew_catalogue_version

    renew_catalogue_version()
    html = page(client, "/guide/")
    section = html[html.index('id="going-deeper"') :]
    section = section[: section.index("</section>")]
    assert "full chapter" in section
    assert '<a href="https://example.org/evals-chapter">Evals &amp; quality</a>' in section


def test_quick_check_gives_its_verdict_once(client):
    url = reverse("tracks:quick_check_answer", args=["fde-downgrade"])
    visible, _, _ = read(page(client, f"{url}?answer=a"))
    assert "Not quite." in visible
    assert "Not quite. No." not in visible


def test_one_spelling_of_resume_the_document():
    texts = " ".join(
        text for section in GuideSection.objects.all() for text in (section.title, section.body)
    )
    assert "résumé" in texts
    assert not re.search(r"\bresume\b", texts)


# --- How the recommendation works ------------------------------------------------------------


def test_how_it_works_states_the_rule_and_our_scoring_from_its_constants(client):
    visible, _, _ = read(page(client, "/audits/how-it-works/"))
    assert "The intersection of (3) and (4) is your specialization" in visible
    assert f"a talk you finished counts {scoring.TALK_POINTS} point" in visible
    assert f"a company {scoring.COMPANY_POINTS} point" in visible
    assert f"a problem or a read {scoring.CURIOSITY_POINTS} point" in visible
    assert f"scoring version {scoring.SCORING_VERSION}" in visible
    html = page(client, "/audits/how-it-works/")
    ours = html[html.index('id="scoring-ours"') :]
    assert MARKER in ours[: ours.index("</p>")]


def test_about_page_says_what_the_chapter_is_and_counts_what_we_add(client):
    visible, _, _ = read(page(client, "/about/"))
    assert "Specialization tracks" in visible
    assert f"{QuickCheckQuestion.objects.count()} quick-check questions" in visible
    assert "does not say which, so we link none" in visible


# --- Curators' admin --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changelist", "model"),
    [("admin:tracks_skill_changelist", Skill), ("admin:audits_option_changelist", Option)],
)
def test_admin_shows_and_filters_by_origin(client, curator, changelist, model):
    client.force_login(curator)
    html = page(client, reverse(changelist))
    assert "By origin" in html
    editorial = page(client, reverse(changelist) + "?origin__exact=editorial")
    count = model.objects.filter(origin=Origin.EDITORIAL).count()
    assert re.search(rf"\b{count} (skill|option)s?\b", editorial)


def test_admin_signs_an_editorial_addition_with_its_curator(client, curator):
    from admin_forms import change_form_data

    client.force_login(curator)
    skill = Skill.objects.get(name="reranking")
    url = reverse("admin:tracks_skill_change", args=[skill.pk])
    data = change_form_data(client.get(url), origin="editorial", added_by="", added_on="")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    skill.refresh_from_db()
    assert skill.added_by == curator.get_username()
    assert skill.added_on is not None


# --- Generated text reads as written by a person ----------------------------------------------


@pytest.mark.parametrize("stage", ["explore", "pivot", "deepen", "refusing"])
@pytest.mark.parametrize("slug", TRACK_SLUGS)
def test_each_tracks_plan_fits_the_track_at_every_stage(slug, stage):
    from audits import plans
    from audits.reports import plan_in_words

    track = Track.objects.get(slug=slug)
    (plan,) = map(
        plan_in_words, plans.next_steps({"recommended": [slug], "stage": {"code": stage}})
    )
    sentences = [
        item["text"] + " " + ", ".join(link["text"] for link in item["links"]) + item["after"]
        for stage_ in plan["stages"]
        for item in stage_["items"]
    ]
    text = " ".join(sentences)
    assert "evaluation suite" not in text, text
    assert track.owns.rstrip(". ") in text
    assert track.companies_title[1:] in text
    # Companies as the chapter lists them, notes and qualifiers in brackets.
    for hiring in track.hiring.all()[: plans.PLAN_COMPANIES]:
        brackets = f" ({hiring.brackets})" if hiring.brackets else ""
        assert f"{hiring.shown_name}{brackets}" in text


@pytest.mark.parametrize("slug", [*TRACK_SLUGS, None])
def test_under_one_year_the_plan_is_a_generalists(slug):
    from audits import plans
    from audits.reports import plan_in_words

    result = {
        "recommended": [slug] if slug else [],
        "runner_up": {"slug": "voice"} if slug else None,
        "stage": {"code": "too-early"},
    }
    (plan,) = map(plan_in_words, plans.next_steps(result))
    assert plan["title"] == "Your 90-day plan: stay a generalist"
    text = " ".join(item["text"] for stage in plan["stages"] for item in stage["items"])
    assert "prompting, retrieval, evals and observability" in text
    links = [link for stage in plan["stages"] for item in stage["items"] for link in item["links"]]
    assert all(link["url"].startswith("/") for link in links)
    if slug:
        assert Track.objects.get(slug=slug).name in [link["text"] for link in links]


def test_a_first_year_result_says_not_yet_and_gives_no_track_plan(client):
    audit = start(client)
    answers = {**RETRIEVAL_ANSWERS, 0: {"years": "under-1", "tried": []}}
    for step, data in answers.items():
        response = post_step(client, audit, step, data)
    visible, _, _ = read(page(client, response["Location"]))
    assert "Not yet: stay a generalist" in visible
    assert "Your 90-day plan: stay a generalist" in visible
    assert "Your 90-day plan for Retrieval" not in visible
    assert "the runner-up" not in visible


def test_a_track_page_says_what_the_chapter_does_not_give_it(client):
    fde, _, _ = read(page(client, "/tracks/forward-deployed/"))
    assert "The chapter names no conferences or open-source projects for this track." in fde
    assert "Conferences worth attending" not in fde
    evals, _, _ = read(page(client, "/tracks/evals/"))
    assert "The chapter names no" not in evals

"""The public catalogue: tracks, companies, conferences, projects and the guide."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from careerguide.pagecache import cached_page

from . import selectors
from .forms import TrackFilterForm
from .models import GuideSection, QuickCheckQuestion


@require_GET
@cached_page
def home(request):
    sections = selectors.guide_sections()
    return render(
        request,
        "tracks/home.html",
        {
            "tracks": selectors.published_tracks(),
            "summary": first(sections.get(GuideSection.Kind.SUMMARY)),
            "plain": first(sections.get(GuideSection.Kind.PLAIN)),
            "timeline": sections.get(GuideSection.Kind.TIMELINE, []),
            "highlight": first(sections.get(GuideSection.Kind.HIGHLIGHT)),
        },
    )


@require_GET
@cached_page(params={"q"})
def track_list(request):
    form = TrackFilterForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    tracks = list(selectors.tracks_for_cards(query))
    template = "tracks/track_list.html"
    if request.htmx and request.htmx.target == "track-results":
        template += "#results"
    context = {"tracks": tracks, "query": query, "form": form}
    return render(request, template, context, status=200 if form.is_valid() else 400)


@require_GET
@cached_page
def track_detail(request, slug):
    track = selectors.track_with_everything(slug)
    if track is None:
        raise Http404("No such track.")
    return render(
        request,
        "tracks/track_detail.html",
        {"track": track, "related": selectors.related_tracks(track)},
    )


@require_GET
@cached_page(params={"track"})
def company_list(request):
    tracks = list(selectors.published_tracks())
    companies = list(selectors.companies_with_tracks())
    selected = request.GET.get("track", "")
    if selected and selected not in {t.slug for t in tracks}:
        selected = ""
    rows = []
    for company in companies:
        teams = {hiring.track_id: hiring.team for hiring in company.hiring.all()}
        if selected and not any(t.slug == selected and t.id in teams for t in tracks):
            continue
        cells = [(track, track.id in teams, teams.get(track.id, "")) for track in tracks]
        rows.append((company, cells))
    template = "tracks/company_list.html"
    if request.htmx and request.htmx.target == "company-matrix":
        template += "#matrix"
    return render(
        request,
        template,
        {"tracks": tracks, "rows": rows, "selected": selected, "total": len(companies)},
    )


@require_GET
@cached_page
def company_detail(request, slug):
    company = selectors.company_with_tracks(slug)
    if company is None:
        raise Http404("No such company.")
    return render(request, "tracks/company_detail.html", {"company": company})


@require_GET
@cached_page
def conference_list(request):
    return render(
        request,
        "tracks/conference_list.html",
        {"conferences": selectors.conferences_with_sessions()},
    )


@require_GET
@cached_page
def project_list(request):
    return render(
        request, "tracks/project_list.html", {"projects": selectors.projects_with_tracks()}
    )


@require_GET
@cached_page
def guide(request):
    return render(request, "tracks/guide.html", guide_context())


@require_GET
@cached_page(params={"answer"})
def quick_check_answer(request, slug):
    """Answer one quick-check question: a fragment for htmx, the whole guide without JavaScript."""
    question = get_object_or_404(QuickCheckQuestion.objects.prefetch_related("options"), slug=slug)
    key = request.GET.get("answer", "")
    chosen = next((option for option in question.options.all() if option.key == key), None)
    status = 200 if chosen else 400
    answer = {"question": question, "chosen": chosen, "error": not chosen}
    if request.htmx:
        return render(
            request, "tracks/guide.html#check", {"q": question, "answer": answer}, status=status
        )
    return render(request, "tracks/guide.html", guide_context({slug: answer}), status=status)


def guide_context(answers=None):
    answers = answers or {}
    sections = selectors.guide_sections()
    return {
        "sections": sections,
        "timeline": sections.get(GuideSection.Kind.TIMELINE, []),
        "mistakes": sections.get(GuideSection.Kind.MISTAKE, []),
        "checks": [(q, answers.get(q.slug)) for q in selectors.quick_check_questions()],
    }


def first(items):
    return items[0] if items else None

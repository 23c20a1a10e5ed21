"""The public catalogue: tracks, companies, conferences, projects and the guide; visitors get
pages kept under the catalogue's version (tracks.cache)."""

from django.core.validators import slug_re
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from . import selectors
from .cache import visitor_page
from .forms import TrackFilterForm
from .models import Company, GuideSection, QuickCheckQuestion


@require_GET
@visitor_page
def home(request):
    sections = selectors.guide_sections()
    return render(
        request,
        "tracks/home.html",
        {
            "tracks": selectors.published_tracks(),
            "summary": first_of(sections, GuideSection.Kind.SUMMARY),
            "plain": first_of(sections, GuideSection.Kind.PLAIN),
            "timeline": kind_of(sections, GuideSection.Kind.TIMELINE),
            "highlight": first_of(sections, GuideSection.Kind.HIGHLIGHT),
        },
    )


@require_GET
@visitor_page
def track_list(request):
    form = TrackFilterForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    template = "tracks/track_list.html"
    if request.htmx and request.htmx.target == "track-results":
        template += "#results"
    context = {"tracks": selectors.tracks_for_cards(query), "query": query, "form": form}
    return render(request, template, context, status=200 if form.is_valid() else 400)


@require_GET
@visitor_page
def track_detail(request, slug):
    try:
        track = get_object_or_404(selectors.visible_tracks(request.user), slug=slug)
    except Http404:
        return renamed_track_or_404(slug, lambda renamed: renamed.get_absolute_url())
    return render(
        request,
        "tracks/track_detail.html",
        {
            "track": track,
            "details": selectors.with_everything(track),
            "related": selectors.related_tracks(track),
        },
    )


def renamed_track_or_404(slug, address):
    """A curator changed a track's slug: its old address keeps working, as a permanent redirect
    to `address(track)`. Any other slug is not found."""
    if slug_re.fullmatch(slug) and (renamed := selectors.renamed_track(slug)):
        return redirect(address(renamed), permanent=True)
    raise Http404("No such track.")


@require_GET
@visitor_page(params={"track"})
def company_list(request):
    selected = request.GET.get("track", "")
    # Not even a slug (a NUL byte, say): no query at all.
    if selected and not slug_re.fullmatch(selected):
        raise Http404("No such track.")
    tracks = list(selectors.published_tracks())  # the filter's, the matrix's and the key's
    if selected and selected not in {track.slug for track in tracks}:
        return renamed_track_or_404(
            selected, lambda renamed: f"{request.path}?track={renamed.slug}"
        )
    template = "tracks/company_list.html"
    if request.htmx and request.htmx.target == "company-matrix":
        template += "#matrix"
    return render(
        request,
        template,
        {
            "tracks": tracks,
            "matrix": selectors.company_matrix(tracks, selected),
            "selected": selected,
        },
    )


@require_GET
@visitor_page
def company_detail(request, slug):
    company = get_object_or_404(Company, slug=slug)
    return render(
        request,
        "tracks/company_detail.html",
        {"company": company, "hiring": selectors.hiring_tracks(company)},
    )


@require_GET
@visitor_page
def conference_list(request):
    return render(
        request,
        "tracks/conference_list.html",
        {"conferences": selectors.conferences_with_sessions()},
    )


@require_GET
@visitor_page
def project_list(request):
    return render(
        request,
        "tracks/project_list.html",
        {"projects": selectors.projects_with_tracks()},
    )


@require_GET
@visitor_page
def guide(request):
    return render(request, "tracks/guide.html", guide_context(request))


@require_GET
@visitor_page(params={"answer"})
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
    return render(
        request, "tracks/guide.html", guide_context(request, {slug: answer}), status=status
    )


@require_GET
@visitor_page
def about(request):
    """What the chapter is and what careerguide adds to it."""
    return render(
        request,
        "tracks/about.html",
        {"additions": selectors.editorial_additions()},
    )


def guide_context(request, answers=None):
    answers = answers or {}
    sections = selectors.guide_sections()
    return {
        "sections": sections,
        "timeline": kind_of(sections, GuideSection.Kind.TIMELINE),
        "mistakes": kind_of(sections, GuideSection.Kind.MISTAKE),
        "checks": [(q, answers.get(q.slug)) for q in selectors.quick_check_questions()],
        "full_chapters": selectors.tracks_with_full_chapters(),
    }


def kind_of(sections, kind):
    return sections.get(kind, [])


def first_of(sections, kind):
    items = sections.get(kind)
    return items[0] if items else None

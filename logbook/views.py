"""The member's log at /log/: add, list by month, filter, edit, delete, one-tap entries from
catalogue pages, and the CSV file out and in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tracks.models import Track

from . import entries, exports
from .forms import EntryForm, ImportForm
from .models import Entry

PAGE_SIZE = 50


def too_many(request, imported=False):
    limit = entries.DAILY_IMPORT_LIMIT if imported else entries.DAILY_LIMIT
    return render(
        request, "logbook/too_many.html", {"limit": limit, "imported": imported}, status=429
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def log(request):
    form = EntryForm(initial={"kind": request.GET.get("kind", "")})
    status = 200
    if request.method == "POST":
        if entries.over_daily_limit(request.user):
            return too_many(request)
        form = EntryForm(request.POST, instance=Entry(member=request.user))
        if form.is_valid():
            entry = form.save()
            messages.success(request, f"Logged “{entry.title}”.")
            return redirect("logbook:log")
        status = 400
    kinds = dict(Entry.Kind.choices)
    kind = request.GET.get("kind", "")
    kind = kind if kind in kinds else ""
    tracks = list(Track.objects.filter(published=True).only("slug", "name", "number"))
    track = next((t for t in tracks if t.slug == request.GET.get("track")), None)
    paginator = Paginator(entries.member_entries(request.user, kind, track), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "logbook/log.html",
        {
            "form": form,
            "page": page,
            "kinds": Entry.Kind.choices,
            "kind": kind,
            "tracks": tracks,
            "track": track,
            "import_form": ImportForm(),
        },
        status=status,
    )


def own_entry(request, entry_id):
    """The member's own entry; anyone else's is not found, like no entry at all."""
    return get_object_or_404(Entry, pk=entry_id, member=request.user)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def edit(request, entry_id):
    entry = own_entry(request, entry_id)
    form = EntryForm(instance=entry)
    status = 200
    if request.method == "POST":
        form = EntryForm(request.POST, instance=entry)
        if form.is_valid():
            form.save()
            messages.success(request, f"Saved “{entry.title}”.")
            return redirect("logbook:log")
        status = 400
    return render(request, "logbook/edit.html", {"form": form, "entry": entry}, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete(request, entry_id):
    entry = own_entry(request, entry_id)
    if request.method == "POST":
        entry.delete()
        messages.success(request, f"Deleted “{entry.title}” from your log.")
        return redirect("logbook:log")
    return render(request, "logbook/delete.html", {"entry": entry})


@never_cache
@require_POST
def quick_add(request):
    """One tap on a catalogue page: log the item today (or, with `undo`, take that entry back).
    htmx swaps the button for the confirmation; without JavaScript, back to the page."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={reverse('logbook:log')}")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse("logbook:log")
    if undo := request.POST.get("undo", ""):
        entry = get_object_or_404(Entry, pk=undo if undo.isdigit() else 0, member=request.user)
        reference = request.POST.get("item", "")
        entry.delete()
        if request.htmx:
            field, _, pk = reference.partition(":")
            context = {
                "field": field,
                "pk": pk,
                "label": request.POST.get("label", "")[:40],
                "what": request.POST.get("what", "")[:200],
            }
            context["announcement"] = f"Taken back: “{entry.title}” is no longer in your log."
            return render(request, "logbook/quick.html#button", context)
        messages.success(request, f"Taken back: “{entry.title}” is no longer in your log.")
        return redirect(back)
    if entries.over_daily_limit(request.user):
        return too_many(request)
    entry = entries.quick_add(request.user, request.POST.get("item", ""))
    if entry is None:
        return HttpResponse(
            "That item is no longer in the catalogue: nothing was logged.",
            status=404,
            content_type="text/plain; charset=utf-8",
        )
    if request.htmx:
        return render(
            request,
            "logbook/quick.html#logged",
            {
                "entry": entry,
                "field": request.POST["item"].partition(":")[0],
                "pk": request.POST["item"].partition(":")[2],
                "label": request.POST.get("label", "")[:40],
                "what": request.POST.get("what", "")[:200],
            },
        )
    messages.success(
        request, f"Logged “{entry.title}” for today. Your log has it to edit or delete."
    )
    return redirect(back)


@never_cache
@login_required
@require_GET
def export_csv(request):
    response = HttpResponse(exports.log_csv(request.user), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="careerguide-log.csv"'
    return response


@never_cache
@login_required
@require_POST
def import_csv(request):
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "logbook/import.html", {"import_form": form}, status=400)
    try:
        rows = exports.read_csv(form.cleaned_data["file"].read())
    except exports.UnreadableFile as error:
        form.add_error("file", str(error))
        return render(request, "logbook/import.html", {"import_form": form}, status=400)
    if entries.over_daily_limit(request.user, adding=len(rows), imported=True):
        return too_many(request, imported=True)
    report = exports.import_rows(request.user, rows)
    return render(request, "logbook/import.html", {"import_form": ImportForm(), "report": report})

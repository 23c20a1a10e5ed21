"""The audit as a member walks it: start, one step per screen, result, history, compare."""

import json
import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import InvalidPage, Paginator
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, push_url

from tracks.changes import track_changes_since

from . import charts, evidence, exports, flows, reports, shares, stored_pdfs
from .client_address import client_address
from .models import Audit
from .steps import (
    LAST_STEP,
    RETAKE_STEP,
    STEP_BY_KEY,
    STEPS,
    TOTAL_STEPS,
    audit_steps,
    position,
    step_form,
)

HISTORY_PAGE_SIZE = 20
# What My audits shows of each audit: the history query reads these fields alone.
HISTORY_FIELDS = (
    "id",
    "status",
    "created_at",
    "updated_at",
    "finished_at",
    "top_tracks",
    "years",
    "reached_step",
    "retake_after",
    "retake_names",
    "retake_action",
    "retake_pull",
)
# New audits a visitor's address may start in an hour; members have no such limit.
VISITOR_DRAFTS_PER_HOUR = 10
# Share links a member may create in an hour, across all their audits (revoked ones count).
SHARE_LINKS_PER_HOUR = 10
# What a step posted while logged out held, kept in the session until its owner logs in again.
UNSAVED_STEP_KEY = "audits:unsaved-step"
# Catalogue changes shown since an audit, newest first.
CHANGES_SHOWN = 20


def audit_owner(request):
    """Filters for the audits of whoever asks: a member's, or those of this visitor's browser."""
    if request.user.is_authenticated:
        return {"member": request.user}
    key = request.session.get(flows.VISITOR_KEY)
    return {"member": None, "visitor_key": key} if key else None


def owned_audit(request, audit_id, audits=Audit.objects, **filters):
    """The asker's own audit, or 404: anyone else's audit must look like no audit at all."""
    owner = audit_owner(request)
    if owner is None:
        raise Http404("No such audit.")
    return get_object_or_404(audits, pk=audit_id, **owner, **filters)


@never_cache
@require_http_methods(["GET", "POST"])
def new_audit(request):
    owner = audit_owner(request)
    drafts = Audit.objects.none()
    if owner is not None:
        drafts = Audit.objects.filter(**owner, status=Audit.Status.DRAFT).order_by("-updated_at")
    if request.method == "POST":
        if request.user.is_authenticated:
            audit = flows.start_audit(request.user)
        elif draft := drafts.first():
            # One live draft per visitor: the one they started is where they left it.
            messages.info(request, "You already have an audit in progress: here it is.")
            return redirect("audits:step", draft.id, draft.reached_step)
        else:
            address = flows.address_key(client_address(request))
            if flows.recent_visitor_drafts(address) >= VISITOR_DRAFTS_PER_HOUR:
                return render(request, "audits/too_many.html", status=429)
            audit = flows.start_visitor_audit(request.session, address)
        return redirect(audit.get_absolute_url())
    last = None
    if request.user.is_authenticated:
        last = request.user.audits.filter(status=Audit.Status.FINISHED).first()
    return render(
        request, "audits/new.html", {"drafts": drafts[:3], "last": last, "total": TOTAL_STEPS}
    )


@never_cache
@login_required
@require_POST
def retake(request, audit_id):
    source = owned_audit(request, audit_id)
    audit = flows.start_audit(request.user, copy_from=source)
    messages.success(request, "A new audit has started with your previous answers filled in.")
    return redirect(audit.get_absolute_url())


@never_cache
@require_GET
def audit_detail(request, audit_id):
    audit = owned_audit(request, audit_id)
    return redirect(audit.get_absolute_url())


@never_cache
@require_http_methods(["GET", "POST"])
def audit_step(request, audit_id, step):
    if step > LAST_STEP:
        raise Http404("No such step.")
    try:
        audit = owned_audit(request, audit_id)
    except Http404:
        if request.method == "POST" and not request.user.is_authenticated:
            return session_ended(request, audit_id, step)
        raise
    if audit.asks_retake and not audit.retake_answered and not audit.is_finished:
        # The retake step comes first: nothing else is asked or saved before it.
        messages.warning(request, "Please answer what happened since your last audit first.")
        if request.method == "GET":
            return redirect("audits:retake_step", audit.id)
        return render_step(request, audit, RETAKE_STEP, status=400)
    if request.method == "GET":
        return get_step(request, audit, step)
    form = step_form(step, data=request.POST)
    submitted = flows.submit_step(audit, step, form, request.POST.get("action", "continue"))
    return step_response(request, submitted, step, form)


@never_cache
@require_http_methods(["GET", "POST"])
def retake_step(request, audit_id):
    """The retake step: what the member did about their last recommendation, asked first."""
    audit = owned_audit(request, audit_id)
    if not audit.asks_retake:
        raise Http404("This audit does not ask that.")
    if audit.is_finished:
        note(request, "finished", audit)
        return redirect("audits:result", audit.id)
    if request.method == "GET":
        return render_step(request, audit, RETAKE_STEP)
    form = RETAKE_STEP.form(request.POST)
    if not form.is_valid():
        return render_step(request, audit, RETAKE_STEP, form=form, status=400)
    if not flows.save_retake(audit, form.cleaned_data):
        audit.refresh_from_db()
        note(request, "changed_elsewhere", audit)
        return redirect("audits:result", audit.id)
    return show_step(request, audit, 0, announcement="Your look back is saved.")


def get_step(request, audit, step):
    if audit.is_finished:
        note(request, "finished", audit)
        return redirect("audits:result", audit.id)
    if step > audit.reached_step:
        note(request, "in_order", audit)
        return redirect("audits:step", audit.id, audit.reached_step)
    if request.htmx.target == "company-choices":
        return render_company_choices(request, audit, step)
    kept_while_logged_out(request, audit, step)
    return render_step(request, audit, step)


def step_response(request, submitted, sent, form):
    """The answer to a POST of step `sent`, as flows.submit_step decided it."""
    audit, status = submitted.audit, submitted.status
    if submitted.note:
        note(request, submitted.note, audit)
    if submitted.step is None and status == 200:
        return finished_redirect(request, audit)
    if submitted.step is None:
        return render_result(request, audit, status=status)
    if status != 200:
        shown = form if submitted.keep_form else None
        return render_step(request, audit, submitted.step, form=shown, status=status)
    if submitted.step == sent:  # the companies filtered
        return render_step(request, audit, sent, query=request.POST.get("q", ""))
    saved = f"Step {position(audit, STEPS[sent])} saved."
    announcement = saved if submitted.step > sent else ""
    return show_step(request, audit, submitted.step, announcement=announcement)


def session_ended(request, audit_id, step):
    """A step posted without a log-in (the session ended, or the member logged out in another
    tab): what was on it is kept in this browser's session, and logging in again brings the
    member back to the step with it. Whether such an audit exists is not said: the page is the
    same for any address."""
    request.session[UNSAVED_STEP_KEY] = {
        "audit": str(audit_id),
        "step": step,
        "data": step_form(step, data=request.POST).draft_data(),
    }
    step_url = reverse("audits:step", args=[audit_id, step])
    login_url = f"{reverse('account_login')}?{urlencode({'next': step_url})}"
    return render(request, "audits/session_ended.html", {"login_url": login_url}, status=403)


def kept_while_logged_out(request, audit, step):
    """The answers posted to this step while logged out, saved as a draft of the step now that
    its owner is back (they then show on it as typed)."""
    kept = request.session.get(UNSAVED_STEP_KEY)
    if not kept or kept.get("audit") != str(audit.id) or kept.get("step") != step:
        return
    del request.session[UNSAVED_STEP_KEY]
    if flows.save_step(audit, step, kept["data"], advance=False) is not None:
        messages.info(
            request,
            "Here is what you entered before you were logged out. Check it, then save and "
            "continue.",
        )


NOTE_LEVELS = {
    "finished": messages.INFO,
    "finished_now": messages.SUCCESS,
    "in_order": messages.WARNING,
    "changed_elsewhere": messages.WARNING,
}


def note(request, name, audit):
    """One of the audit's notes (templates/audits/notes.html) as a message."""
    text = render_to_string(f"audits/notes.html#{name}", {"audit": audit}).strip()
    messages.add_message(request, NOTE_LEVELS[name], text)


def show_step(request, audit, number, announcement=""):
    """Step `number` after a save: swapped in for htmx (with its own address), else a redirect."""
    if request.htmx:
        total = len(audit_steps(audit))
        announcement = announcement or f"Step {position(audit, STEPS[number])} of {total}."
        response = render_step(request, audit, number, announcement=announcement)
        return push_url(response, reverse("audits:step", args=[audit.id, number]))
    return redirect("audits:step", audit.id, number)


def finished_redirect(request, audit):
    url = reverse("audits:result", args=[audit.id])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def step_context(request, audit, number, form=None, query=""):
    """What the step page shows; `number` is a step's number, or the retake step itself."""
    step = number if number is RETAKE_STEP else STEPS[number]
    steps = audit_steps(audit)
    if step is RETAKE_STEP:
        form = form or step.form(stored=step.form_class.stored(audit))
        logged = {}
    else:
        stored = audit.answers.filter(step=number).values_list("data", flat=True).first()
        options = {"query": query} if number == STEP_BY_KEY["companies"].number else {}
        logged = evidence.logged_on_step(audit.log_evidence, step.key)
        if form is None:
            form = step_form(number, stored=stored or {}, logged=logged, **options)
        else:
            form.logged = logged
    return {
        "audit": audit,
        "step": step,
        "position": steps.index(step) + 1,
        "total": len(steps),
        "nav": [
            {
                "position": index,
                "key": s.key,
                "current": s is step,
                "url": reverse("audits:retake_step", args=[audit.id])
                if s is RETAKE_STEP
                else reverse("audits:step", args=[audit.id, s.number]),
                "open": s is RETAKE_STEP
                or (s.number <= audit.reached_step and audit.retake_answered)
                or (s.number <= audit.reached_step and not audit.asks_retake),
            }
            for index, s in enumerate(steps, start=1)
        ],
        "post_url": reverse("audits:retake_step", args=[audit.id])
        if step is RETAKE_STEP
        else reverse("audits:step", args=[audit.id, step.number]),
        "form": form,
        "minutes_spent": audit.seconds_spent // 60,
        "logged": logged,
        "unmatched": []
        if step is RETAKE_STEP
        else evidence.unmatched_on_step(audit.log_evidence, step.key),
    }


def render_step(request, audit, number, form=None, status=200, announcement="", query=""):
    context = step_context(request, audit, number, form=form, query=query)
    step = context["step"]
    context["announcement"] = (
        announcement or f"Step {context['position']} of {context['total']}: {step.title}"
    )
    template = (
        "audits/step.html#step"
        if request.htmx and not request.htmx.history_restore_request
        else "audits/step.html"
    )
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def render_company_choices(request, audit, number):
    """The companies as a member filters them by typing: those ticked first, kept ticked."""
    if number != STEP_BY_KEY["companies"].number:
        raise Http404("No such list.")
    ticked = {"companies": request.GET.getlist("companies")}
    logged = evidence.logged_on_step(audit.log_evidence, "companies")
    form = step_form(number, stored=ticked, query=request.GET.get("q", ""), logged=logged)
    response = render(
        request, "audits/step.html#company-choices", {"form": form, "set": form.fieldsets()[0]}
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@never_cache
@require_GET
def result(request, audit_id):
    audit = owned_audit(request, audit_id)
    if not audit.is_finished:
        messages.info(request, "This audit is still a draft: here is where you stopped.")
        return redirect("audits:step", audit.id, audit.reached_step)
    return render_result(request, audit)


def render_result(request, audit, status=200, template="audits/result.html", **extra):
    context = reports.report_context(audit)
    if template == "audits/result.html":
        context["since"] = changes_since(audit.finished_at, audit.result or {})
    if request.user.is_authenticated and template == "audits/result.html":
        link = audit.share_links.filter(revoked_at=None).first()
        context["share_link"] = link
        context["share_url"] = request.build_absolute_uri(link.get_absolute_url()) if link else ""
    context.update(extra)
    return render(request, template, context, status=status)


def changes_since(finished_at, result):
    """What curators changed in an audit's recommended tracks since it was finished (at
    `finished_at`), newest first, with the tracks' names as its `result` gave them."""
    return {
        "finished_at": finished_at,
        "names": result.get("recommended_names") or [],
        "changes": track_changes_since(result.get("recommended") or [], finished_at, CHANGES_SHOWN),
    }


@never_cache
@require_GET
def result_print(request, audit_id):
    audit = owned_audit(request, audit_id, status=Audit.Status.FINISHED)
    return render_result(request, audit, template="audits/print.html")


@never_cache
@require_GET
def result_pdf(request, audit_id):
    """The audit's PDF as a file, once the task worker has made it; until then, the page that
    says it is being made. A request never renders a PDF."""
    audit = owned_audit(request, audit_id, status=Audit.Status.FINISHED)
    made = stored_pdfs.made_pdf(audit)
    if made is None:
        return redirect("audits:pdf", audit.id)
    return audit_download(made.body, "application/pdf", audit, audit.finished_at, "pdf")


@never_cache
@require_GET
def pdf_status(request, audit_id):
    """Whether the audit's PDF is ready: htmx asks again every two seconds until it is (the
    status partial), and without JavaScript the page offers a link to look again."""
    audit = owned_audit(request, audit_id, status=Audit.Status.FINISHED)
    ready = stored_pdfs.made_pdf(audit) is not None
    template = "audits/pdf.html#status" if request.htmx else "audits/pdf.html"
    response = render(request, template, {"audit": audit, "ready": ready})
    patch_vary_headers(response, ["HX-Request"])
    return response


def audit_download(body, content_type, audit, day, extension):
    """A file of one audit for the browser to save, named by `day` and the audit's id."""
    response = HttpResponse(body, content_type=content_type)
    filename = f"careerguide-audit-{day:%Y-%m-%d}-{str(audit.id)[:8]}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def share(request, audit_id):
    """Create a private link to a finished result (replacing the active one) or revoke it."""
    audit = owned_audit(request, audit_id, status=Audit.Status.FINISHED)
    if not request.user.is_authenticated:
        # A visitor's own result: share links are for members, and keeping it comes first.
        messages.info(request, "Sign up or log in to keep this result, then you can share it.")
        return redirect("audits:result", audit.id)
    back = f"{reverse('audits:result', args=[audit.id])}#share-h"
    if request.method == "GET":
        return redirect(back)
    if request.POST.get("action") == "revoke":
        if shares.revoke_share_links(audit):
            messages.success(request, "The link is revoked: whoever opens it now gets “not found”.")
        return redirect(back)
    if shares.recent_share_links(request.user) >= SHARE_LINKS_PER_HOUR:
        return render(request, "audits/too_many_links.html", status=429)
    shares.create_share_link(audit)
    messages.success(
        request, "Your private link is ready. Anyone with it sees this result, not your answers."
    )
    return redirect(back)


@require_GET
def shared_result(request, token):
    """A result as its member shared it: the recommendation, the explained scores and the plan,
    never who they are or what they answered. The token is looked up on every request, so a
    revoked link is a 404 at once; only the report itself is cached."""
    audit = shares.shared_audit(token)
    if audit is None:
        raise Http404("No such link.")
    response = render(
        request,
        "audits/shared.html",
        {
            "audit": audit,
            "picks": reports.picks(audit.result),
            "result": audit.result,
            "chart": charts.score_chart(audit.result),
            "share_url": request.build_absolute_uri(),
        },
    )
    response["X-Robots-Tag"] = "noindex"
    # Shared pages are never stored by a browser or a proxy, so a revoked link stops at once.
    add_never_cache_headers(response)
    return response


@never_cache
@require_GET
def export_json(request, audit_id):
    audit = owned_audit(request, audit_id)
    body = json.dumps(exports.audit_as_dict(audit), indent=2, ensure_ascii=False)
    return audit_download(body, "application/json", audit, audit.created_at, "json")


@never_cache
@require_http_methods(["GET", "POST"])
def delete_audit(request, audit_id):
    audit = owned_audit(request, audit_id)
    if request.method == "POST":
        audit.delete()
        messages.success(request, "The audit was deleted.")
        return redirect("audits:history" if request.user.is_authenticated else "audits:new")
    return render(request, "audits/delete.html", {"audit": audit})


@never_cache
@login_required
@require_GET
def history(request):
    audits = request.user.audits.only(*HISTORY_FIELDS)
    paginator = Paginator(audits, HISTORY_PAGE_SIZE)
    page_number = request.GET.get("page", "1")
    try:
        page = paginator.page(page_number)
    except InvalidPage:
        page = paginator.get_page(page_number)
    if page_number != str(page.number):
        # ?page=0, ?page=01, ?page=last, past the end: the page a person meant, at one address.
        return redirect(f"{reverse('audits:history')}?page={page.number}")
    # The newest finished audits, in one read: the trend, the retake and what changed since.
    # They are chosen in a subquery, so their results are read for those alone.
    newest = request.user.audits.filter(status=Audit.Status.FINISHED).order_by("-finished_at")
    trend = list(
        Audit.objects.filter(pk__in=newest.values("pk")[: charts.TREND_LIMIT])
        .order_by("-finished_at")
        .values(
            "id",
            "finished_at",
            scores=F("result__scores"),
            possible=F("result__possible"),
            recommended=F("result__recommended"),
            recommended_names=F("result__recommended_names"),
        )
    )
    # Compare sent the member back: the audits they ticked stay ticked.
    selected = set(request.GET.getlist("audit"))
    last = trend[0] if trend else None
    return render(
        request,
        "audits/history.html",
        {
            "page": page,
            "total": TOTAL_STEPS,
            "selected": selected,
            "can_compare": len(trend) >= 2,
            "trend": charts.trend_chart(trend),
            "last_finished": last and last["id"],
            "since": changes_since(last["finished_at"], last) if last else None,
        },
    )


def audit_ids(values, limit=HISTORY_PAGE_SIZE):
    """The values that are audit ids (UUIDs), as My audits writes them, at most `limit`."""
    found = []
    for value in values[:limit]:
        try:
            found.append(str(uuid.UUID(value)))
        except ValueError:
            continue
    return found


@never_cache
@login_required
@require_GET
def compare(request):
    ids = list(dict.fromkeys(request.GET.getlist("audit")))  # each audit once
    if len(ids) != 2:
        chosen = "none" if not ids else f"{len(ids)}" if len(ids) > 1 else "only one"
        messages.warning(request, f"Compare takes exactly two finished audits: you chose {chosen}.")
        # Only what can be a box on My audits goes back to be ticked again: audit ids.
        query = urlencode([("audit", audit_id) for audit_id in audit_ids(ids)])
        return redirect(f"{reverse('audits:history')}{'?' + query if query else ''}")
    try:
        found = list(
            request.user.audits.filter(pk__in=ids, status=Audit.Status.FINISHED).only(
                "id", "finished_at", "answers_snapshot", "result"
            )
        )
    except ValidationError as error:  # an id that is not a UUID
        raise Http404("No such audit.") from error
    if len(found) != 2:
        raise Http404("No such audit.")
    older, newer = sorted(found, key=lambda a: a.finished_at)
    return render(request, "audits/compare.html", charts.comparison(older, newer))

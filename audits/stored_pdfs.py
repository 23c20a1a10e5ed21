"""A finished audit's PDF: asked for by a request, made once by the task worker, kept in the
database and served from there. No request ever renders one, so any number of PDFs asked for
at once only queue for the worker while the site answers everyone else."""

from datetime import timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from . import reports, tasks
from .models import Audit, AuditPdf

# A PDF asked for this long ago and still not made (a worker stopped mid-way, say) is queued
# again by the next request for it.
ASK_AGAIN_AFTER = timedelta(minutes=5)


def made_for(audit):
    """What a PDF is made from besides the audit: its scoring and the release's templates."""
    return f"{audit.scoring_version}:{settings.RELEASE}"


def made_pdf(audit):
    """The audit's made PDF (its body loaded), or None once one is queued for the worker."""
    now = timezone.now()
    wanted = made_for(audit)
    pdf, created = AuditPdf.objects.defer("body").get_or_create(
        audit=audit, defaults={"made_for": wanted, "requested_at": now}
    )
    if not created:
        if pdf.made_for == wanted and pdf.made_at is not None:
            return AuditPdf.objects.get(pk=pdf.pk)
        if pdf.made_for == wanted and pdf.requested_at > now - ASK_AGAIN_AFTER:
            return None  # queued or being made
        # Made for another release or scoring, or asked for long ago: ask again, once.
        asked = AuditPdf.objects.filter(pk=pdf.pk, requested_at=pdf.requested_at).update(
            made_for=wanted, requested_at=now, made_at=None, body=None
        )
        if not asked:
            return None  # another request asked again just now
    tasks.make_audit_pdf.enqueue(str(audit.pk))
    return None


def make_pdf(audit_id):
    """Render and keep the PDF of a finished audit (the task worker calls this); how many
    bytes, or 0 when the audit is gone."""
    audit = Audit.objects.filter(pk=audit_id, status=Audit.Status.FINISHED).first()
    if audit is None:
        return 0
    # WeasyPrint takes over a second to import: only the worker pays it.
    from . import pdf

    html = render_to_string("audits/print.html", reports.report_context(audit))
    body = pdf.render_pdf(html, base_url=settings.SITE_URL + "/")
    AuditPdf.objects.filter(audit=audit).update(
        body=body, made_for=made_for(audit), made_at=timezone.now()
    )
    return len(body)

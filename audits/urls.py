from django.urls import path, register_converter
from django.views.generic import TemplateView

from . import scoring, views


class StepConverter:
    """A step number as written, without leading zeros: one address per step."""

    regex = "0|[1-9][0-9]*"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(StepConverter, "step")

app_name = "audits"
urlpatterns = [
    path("", views.history, name="history"),
    path("new/", views.new_audit, name="new"),
    path("compare/", views.compare, name="compare"),
    # What the chapter's rule is and what our scoring adds, its numbers read from the scoring.
    path(
        "how-it-works/",
        TemplateView.as_view(
            template_name="audits/how_it_works.html",
            extra_context={
                "talk_points": scoring.TALK_POINTS,
                "company_points": scoring.COMPANY_POINTS,
                "curiosity_points": scoring.CURIOSITY_POINTS,
                "version": scoring.SCORING_VERSION,
            },
        ),
        name="how",
    ),
    path("<uuid:audit_id>/", views.audit_detail, name="detail"),
    path("<uuid:audit_id>/step/<step:step>/", views.audit_step, name="step"),
    path("<uuid:audit_id>/result/", views.result, name="result"),
    path("<uuid:audit_id>/print/", views.result_print, name="print"),
    path("<uuid:audit_id>/export.json", views.export_json, name="export_json"),
    path("<uuid:audit_id>/export.pdf", views.result_pdf, name="export_pdf"),
    path("<uuid:audit_id>/pdf/", views.pdf_status, name="pdf"),
    path("<uuid:audit_id>/share/", views.share, name="share"),
    path("<uuid:audit_id>/retake/", views.retake, name="retake"),
    path("<uuid:audit_id>/delete/", views.delete_audit, name="delete"),
]

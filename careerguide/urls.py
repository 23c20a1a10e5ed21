"""The site's URLs: the catalogue at the root, accounts, the audit and its shared results, admin
and a health check."""

from django.contrib import admin
from django.urls import include, path

from audits import views as audit_views

from . import views

urlpatterns = [
    path("", include("tracks.urls")),
    path("accounts/", include("accounts.urls")),
    path("audits/", include("audits.urls")),
    path("reminders/", include("reminders.urls")),
    path("log/", include("logbook.urls")),
    # A member's result, shared by a private link they can revoke.
    path("r/<str:token>/", audit_views.shared_result, name="shared_result"),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
]

handler404 = "careerguide.views.page_not_found"
handler500 = "careerguide.views.server_error"

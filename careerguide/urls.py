"""The site's URLs: the catalogue at the root, accounts, the audit, admin and a health check."""

from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", include("tracks.urls")),
    path("accounts/", include("accounts.urls")),
    path("audits/", include("audits.urls")),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
]

handler404 = "careerguide.views.page_not_found"
handler500 = "careerguide.views.server_error"

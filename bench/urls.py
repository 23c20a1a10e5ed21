"""The site's URLs and the floor page: the base template with an empty content block, through
the whole middleware stack, the least any page of the site can cost (for a member or a
visitor)."""

from django.urls import path
from django.views.generic import TemplateView

from careerguide.urls import handler404, handler500  # noqa: F401
from careerguide.urls import urlpatterns as site

urlpatterns = [
    path("bench/floor/", TemplateView.as_view(template_name="bench/floor.html")),
    *site,
]

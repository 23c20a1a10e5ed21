from django.urls import path

from . import views

app_name = "tracks"
urlpatterns = [
    path("", views.home, name="home"),
    path("tracks/", views.track_list, name="track_list"),
    path("tracks/<slug:slug>/", views.track_detail, name="track_detail"),
    path("companies/", views.company_list, name="company_list"),
    path("companies/<slug:slug>/", views.company_detail, name="company_detail"),
    path("conferences/", views.conference_list, name="conference_list"),
    path("projects/", views.project_list, name="project_list"),
    path("guide/", views.guide, name="guide"),
    path("about/", views.about, name="about"),
    path("guide/check/<slug:slug>/", views.quick_check_answer, name="quick_check_answer"),
]

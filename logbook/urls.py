from django.urls import path

from . import views

app_name = "logbook"
urlpatterns = [
    path("", views.log, name="log"),
    path("quick/", views.quick_add, name="quick"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("import/", views.import_csv, name="import_csv"),
    path("<int:entry_id>/", views.edit, name="edit"),
    path("<int:entry_id>/delete/", views.delete, name="delete"),
]

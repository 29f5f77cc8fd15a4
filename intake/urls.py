"""Ways leads come in from outside: spreadsheet imports, website forms (public capture)."""

from django.urls import path

from intake import capture_views
from intake.imports import views as import_views

app_name = "intake"
urlpatterns = [
    path("imports/", import_views.import_list, name="imports"),
    path("imports/<int:pk>/", import_views.import_detail, name="import-detail"),
    path("imports/<int:pk>/map/", import_views.import_map, name="import-map"),
    path("imports/<int:pk>/start/", import_views.import_start, name="import-start"),
    path("imports/<int:pk>/progress/", import_views.import_progress, name="import-progress"),
    path(
        "imports/<int:pk>/rejected.csv",
        import_views.import_rejections,
        name="import-rejections",
    ),
    path("forms/", capture_views.form_keys, name="form-keys"),
    path("forms/<int:pk>/toggle/", capture_views.form_key_toggle, name="form-key-toggle"),
    path("forms/<int:pk>/rotate/", capture_views.form_key_rotate, name="form-key-rotate"),
    path("forms/<int:pk>/delete/", capture_views.form_key_delete, name="form-key-delete"),
    path("capture/<slug:key>/", capture_views.capture_form, name="capture"),
]

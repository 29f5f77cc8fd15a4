from django.urls import path

from scoring import editor_views, views

app_name = "scoring"
urlpatterns = [
    path("", views.current, name="current"),
    path("versions/", views.history, name="history"),
    path("versions/new/", views.create, name="create"),
    path("diff/", views.diff, name="diff"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/sign/", views.sign, name="sign"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/edit/", editor_views.edit, name="edit"),
    path("<int:pk>/edit/settings/", editor_views.edit_settings, name="edit-settings"),
    path("<int:pk>/edit/preview/", editor_views.preview, name="preview"),
    path("<int:pk>/edit/<str:kind>/", editor_views.section, name="section"),
    path("<int:pk>/edit/<str:kind>/add/", editor_views.add_rule, name="add-rule"),
    path("<int:pk>/edit/<str:kind>/<int:rule_id>/", editor_views.rule, name="rule"),
    path("<int:pk>/edit/<str:kind>/<int:rule_id>/move/", editor_views.move_rule, name="move-rule"),
    path(
        "<int:pk>/edit/<str:kind>/<int:rule_id>/remove/",
        editor_views.remove_rule,
        name="remove-rule",
    ),
]

from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/preferences/", views.preferences, name="preferences"),
    path("profile/tokens/", views.create_token, name="create-token"),
    path("profile/tokens/<int:pk>/revoke/", views.revoke_token, name="revoke-token"),
    path("views/", views.save_view, name="save-view"),
    path("views/<int:pk>/", views.open_view, name="open-view"),
    path("views/<int:pk>/delete/", views.delete_view, name="delete-view"),
    path("lockouts/", views.LockoutListView.as_view(), name="lockouts"),
    path("lockouts/unlock/", views.unlock, name="unlock"),
]

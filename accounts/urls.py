from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("profile/token/", views.issue_token, name="issue-token"),
    path("profile/token/revoke/", views.revoke_token, name="revoke-token"),
    path("lockouts/", views.LockoutListView.as_view(), name="lockouts"),
    path("lockouts/unlock/", views.unlock, name="unlock"),
]

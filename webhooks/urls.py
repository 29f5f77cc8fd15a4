from django.urls import path

from webhooks import views

app_name = "webhooks"
urlpatterns = [
    path("", views.subscription_list, name="list"),
    path("<int:pk>/", views.subscription_detail, name="detail"),
    path("<int:pk>/rotate-secret/", views.subscription_rotate_secret, name="rotate-secret"),
    path("deliveries/<int:pk>/replay/", views.delivery_replay, name="replay"),
]

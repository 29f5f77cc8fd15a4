from django.urls import path

from privacy import views

app_name = "privacy"
urlpatterns = [
    path("<int:pk>/erase/", views.erase, name="erase"),
    path("<int:pk>/personal-data.json", views.download, name="download"),
    path("<int:pk>/consent/", views.consent, name="consent"),
]

"""/api/v1/: each app adds its endpoints in its own api_urls module."""

urlpatterns = []

from rest_framework.test import APIClient


def api_status(key: str) -> int:
    """What the lead list answers a caller sending `key`: 200 while it works, 401 after."""
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api.get("/api/v1/leads/").status_code

"""The HTTP boundary: one POST, with a timeout, never following a redirect anywhere."""

import http.client
import urllib.error
import urllib.request
from dataclasses import dataclass

TIMEOUT = 10  # seconds
EXCERPT = 500  # characters of the response kept for the log


@dataclass(frozen=True)
class Response:
    status_code: int | None  # None: no HTTP answer (refused, timed out)
    excerpt: str

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is answered as the 3xx it is: a webhook body never goes to another host."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post(url: str, body: bytes, headers: dict[str, str]) -> Response:
    if not url.startswith(("http://", "https://")):
        return Response(None, "Only http and https URLs are allowed.")
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _opener.open(request, timeout=TIMEOUT) as answer:
            return Response(answer.status, _excerpt(answer))
    except urllib.error.HTTPError as answer:
        excerpt = _excerpt(answer)
        if 300 <= answer.code < 400:
            excerpt = f"Redirect to {answer.headers.get('Location', '?')} not followed. {excerpt}"
        return Response(answer.code, excerpt.strip())
    except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
        # Refused, timed out, a garbled answer, or a URL urllib cannot send to: all retried.
        return Response(None, str(getattr(error, "reason", error))[:EXCERPT])


def _excerpt(answer) -> str:
    try:
        return answer.read(EXCERPT * 4).decode("utf-8", errors="replace")[:EXCERPT]
    except (OSError, TimeoutError):
        return ""

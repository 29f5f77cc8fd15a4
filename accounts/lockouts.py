"""Login lockouts: what a locked-out person is told, the lockouts in force, and unlocking one.

django-axes does the counting (config/settings.py says how): every failed login adds to a row of
its AccessAttempt table, one per username, address and user agent, and a login is refused while
the failures of that username from that address within the cool-off reach AXES_FAILURE_LIMIT.
"""

import logging
import math
from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext

logger = logging.getLogger(__name__)


def lockout_message() -> str:
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    return ngettext(
        "Too many failed attempts; try again in %(minutes)d minute or ask an administrator.",
        "Too many failed attempts; try again in %(minutes)d minutes or ask an administrator.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """The login page again (429), saying why instead of "wrong password".

    Axes answers with this (AXES_LOCKOUT_CALLABLE) for the failure that reaches the limit and
    for every attempt while locked out; each of them starts the cool-off again, so the whole
    cool-off is the true wait. The form is not bound to the post: validating it would try the
    password once more."""
    form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
    context = {
        "form": form,
        "lockout_message": lockout_message(),
        "next": request.POST.get("next", request.GET.get("next", "")),
    }
    return render(request, "registration/login.html", context, status=429)


@dataclass(frozen=True)
class Lockout:
    username: str | None
    ip_address: str | None
    failures: int
    last_failure: datetime

    @property
    def ends_at(self) -> datetime:
        return self.last_failure + settings.AXES_COOLOFF_TIME


def current_lockouts(*, now: datetime | None = None) -> list[Lockout]:
    """The username and address pairs whose logins are refused now, latest failure first; one
    query, whatever the number of rows.

    Axes's own test (AxesDatabaseHandler.get_failures) sums the failures of the pair's rows
    that are within the cool-off; tests/accounts/test_lockouts.py checks the two agree."""
    now = now or timezone.now()
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=now - settings.AXES_COOLOFF_TIME)
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last_failure=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last_failure", "username", "ip_address")
    )
    return [Lockout(**row) for row in rows]


def lockout_release(*, username: str, ip_address: str | None, released_by) -> bool:
    """Forget the failures of `username` from `ip_address`, so their next login is tried at
    once; False when there were none (the cool-off ended, or someone unlocked it first)."""
    deleted, _ = AccessAttempt.objects.filter(username=username, ip_address=ip_address).delete()
    if deleted:
        logger.info("Login lockout of %s from %s released by %s", username, ip_address, released_by)
    return bool(deleted)

from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.capabilities import capability_required
from notifications.selectors import notifications_for, unread_count
from notifications.services import mark_read


@capability_required("notifications.view")
def notification_list(request):
    return render(
        request,
        "notifications/notification_list.html",
        {"notifications": notifications_for(user=request.user)},
    )


def unread_badge(request):
    """The header badge, polled by htmx so that every page shows the unread count.

    Open to anyone signed in (it shows only their own count), so that it never answers 403
    into the header of a user who holds no role yet."""
    return render(
        request, "notifications/partials/badge.html", {"unread": unread_count(user=request.user)}
    )


@require_POST
@capability_required("notifications.view")
def read(request):
    ids = request.POST.getlist("notification")
    mark_read(user=request.user, notification_ids=[int(i) for i in ids if i.isdigit()] or None)
    return redirect("notifications:list")

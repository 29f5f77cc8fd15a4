from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
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
    """Mark the ticked notifications read (scope=selected), or every unread one (scope=all).
    Without a scope, the ones named, or all when none is. Only the user's own unread ones
    change: one update."""
    named = request.POST.getlist("notification")
    skipped = 0
    if request.POST.get("scope") == "all" or (not named and "scope" not in request.POST):
        marked = mark_read(user=request.user)
    else:
        ids = {int(i) for i in named if i.isdigit()}
        if not ids:
            messages.warning(request, _("Tick the notifications to mark as read."))
            return redirect("notifications:list")
        marked = mark_read(user=request.user, notification_ids=list(ids))
        # Read already (in another tab), or not the user's: left as they were.
        skipped = len(ids) - marked
    text = ngettext(
        "%(count)d notification marked as read.", "%(count)d notifications marked as read.", marked
    ) % {"count": marked}
    if skipped:
        text += " " + ngettext(
            "%(count)d was already read.", "%(count)d were already read.", skipped
        ) % {"count": skipped}
    messages.success(request, text)
    return redirect("notifications:list")

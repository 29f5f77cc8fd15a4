"""The SDR queue: the page, its polled rows, and the work panel with the actions in place."""

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.capabilities import capability_required, may
from accounts.preferences import preferences_of
from accounts.saved_views import saved_views_context
from core.errors import ApplicationError
from core.forms import refusals_on
from handoff import services
from handoff.access import handoffs_visible_to, may_work
from handoff.filters import QUEUE_SORTING
from handoff.forms import (
    AcceptForm,
    BulkReassignForm,
    BulkReturnForm,
    DisqualifyForm,
    FirstTouchForm,
    ReassignForm,
    ReturnForm,
    StatusForm,
)
from handoff.models import Handoff
from handoff.selectors import (
    ALL,
    MINE,
    POOL,
    QUEUE_VIEWS,
    as_shown,
    first_touch_facts,
    queue_counts,
    queue_for_user,
    rep_summary,
)
from handoff.views.fragments import render_fragment

# How often an open queue page asks for fresh rows.
POLL_SECONDS = 10
# Rows per page: the most urgent first, as a rep works them; later pages on demand.
PAGE_SIZE = 50


def _page_number(value) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def _queue_context(request) -> dict:
    view = request.GET.get("view", MINE)
    if view not in QUEUE_VIEWS or (view == ALL and not may(request.user, "queue.work_any")):
        view = MINE
    filterset = queue_for_user(user=request.user, view=view, params=request.GET)
    handoffs, sort = QUEUE_SORTING.apply(filterset.qs, request.GET)
    page = _page_number(request.GET.get("page"))
    start = (page - 1) * PAGE_SIZE
    fetched = list(handoffs[start : start + PAGE_SIZE + 1])
    rows = as_shown(fetched[:PAGE_SIZE])
    query = request.GET.copy()
    query["view"] = view

    def page_query(number: int) -> str:
        query["page"] = str(number)
        return query.urlencode()

    return {
        "view": view,
        "filter": filterset,
        "sort": sort,
        # Ticking rows for a bulk action: managers, who reassign and return for others.
        "bulk": may(request.user, "queue.reassign"),
        "rows": rows,
        "counts": queue_counts(user=request.user),
        "query_string": page_query(page),
        "page": page,
        "previous_query": page_query(page - 1) if page > 1 else "",
        "next_query": page_query(page + 1) if len(fetched) > PAGE_SIZE else "",
        "poll_seconds": POLL_SECONDS,
        "views": {"mine": MINE, "pool": POOL, "all": ALL},
        # The rep's home: their next leads and their day, above the queue; the rows' poll
        # redraws it too, so the counts and next-due list never lag the rows below them.
        "summary": rep_summary(user=request.user) if may(request.user, "home.queue") else None,
    }


@capability_required("queue.work")
def queue(request):
    context = _queue_context(request)
    context["shortcuts"] = preferences_of(request.user).single_key_shortcuts
    context.update(saved_views_context(request, "queue"))
    if context["bulk"]:
        context["bulk_reassign_form"] = BulkReassignForm()
        context["bulk_return_form"] = BulkReturnForm()
    return render(request, "handoff/queue.html", context)


REASSIGN, RETURN = "reassign", "return"


def _reassigned(count: int) -> str:
    return ngettext("%(count)d reassigned", "%(count)d reassigned", count) % {"count": count}


def _returned(count: int) -> str:
    return ngettext("%(count)d returned to marketing", "%(count)d returned to marketing", count) % {
        "count": count
    }


def _back_to_queue(request):
    """The queue as the manager left it: its view, filters and sort (a query string only)."""
    query = QueryDict(request.POST.get("query", "")).urlencode()
    url = reverse("handoff:queue")
    return redirect(f"{url}?{query}" if query else url)


@require_POST
@capability_required("queue.reassign")
def bulk(request):
    """A manager reassigns or returns the ticked handoffs (handoff.services.bulk: each through
    the single-item service, each in its own transaction), then sees what became of each."""
    ids = [int(value) for value in request.POST.getlist("handoff") if value.isdigit()]
    action = request.POST.get("action")
    if action == REASSIGN:
        form = BulkReassignForm(request.POST)
    elif action == RETURN:
        form = BulkReturnForm(request.POST)
    else:
        raise ApplicationError(_("Choose to reassign or to return the ticked leads."))
    if not form.is_valid():
        raise ApplicationError(
            " ".join(
                f"{form[name].label}: {' '.join(errors)}" for name, errors in form.errors.items()
            )
        )
    if action == REASSIGN:
        outcome = services.bulk_reassign(
            handoff_ids=ids, to_user=form.cleaned_data["assignee"], user=request.user
        )
        done = _reassigned
    else:
        outcome = services.bulk_return(
            handoff_ids=ids,
            user=request.user,
            reason=form.cleaned_data["reason"].code,
            note=form.cleaned_data["note"],
        )
        done = _returned
    report = messages.warning if outcome.refused else messages.success
    report(request, outcome.summary(done))
    return _back_to_queue(request)


@capability_required("queue.work")
def queue_rows(request):
    """Polled by the open page: only the rows, the tab counts and the rep's day, never the work
    panel."""
    return render(request, "handoff/partials/queue_rows.html", _queue_context(request))


def _panel(request, handoff, *, status=200, message="", decided=False, **forms):
    """The work panel. A handoff just `decided` (handoff.services.outcomes) comes with its lead,
    team, rep and clocks as written, and is shown as it is; any other is read again."""
    if not decided:
        handoff = Handoff.objects.select_related("lead", "lead__channel", "assignee", "team").get(
            pk=handoff.pk
        )
    as_shown([handoff])
    context = {
        "handoff": handoff,
        "facts": first_touch_facts(handoff.lead),
        "message": message,
        "may_work": handoff.is_open and may_work(handoff, request.user),
        "first_touch_form": forms.get("first_touch_form") or FirstTouchForm(),
        "accept_form": forms.get("accept_form") or AcceptForm(),
        "return_form": forms.get("return_form") or ReturnForm(),
        "disqualify_form": forms.get("disqualify_form") or DisqualifyForm(),
        "status_form": forms.get("status_form")
        or StatusForm(initial={"status": handoff.lead.status}),
        "reassign_form": forms.get("reassign_form")
        or ReassignForm(initial={"assignee": handoff.assignee_id}),
    }
    response = render_fragment(
        request, "handoff/partials/work_panel.html", context, target="queue-action", status=status
    )
    if status == 200 and message:
        # The rows refresh at once, so a lead taken or closed here leaves the list.
        response["HX-Trigger"] = "queue-changed"
    return response


def _handoff(request, pk) -> Handoff:
    """The handoff, if the user may read it (handoff.access); 404 otherwise, as for no handoff."""
    return get_object_or_404(handoffs_visible_to(request.user), pk=pk)


def _done(request, handoff, message, decided=False):
    if not request.htmx:
        return redirect("handoff:queue")
    return _panel(request, handoff, message=message, decided=decided)


@capability_required("queue.work")
def work_panel(request, pk):
    return _panel(request, _handoff(request, pk))


@require_POST
@capability_required("queue.work")
def claim(request, pk):
    handoff = _handoff(request, pk)
    services.claim_handoff(handoff=handoff, user=request.user)
    return _done(request, handoff, _("It is yours. Log the first touch when you reach them."))


def _form_action(request, pk, form_class, form_key, act, message, decides=False):
    """Validate the form, run the action, and answer with the panel (input errors in place).
    An action that `decides` the handoff's outcome answers with the handoff it decided."""
    handoff = _handoff(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        with refusals_on(form):
            done = act(handoff, form.cleaned_data)
    if form.errors:
        return _panel(request, handoff, status=400, **{form_key: form})
    return _done(request, done if decides else handoff, message, decided=decides)


@require_POST
@capability_required("queue.work")
def first_touch(request, pk):
    return _form_action(
        request,
        pk,
        FirstTouchForm,
        "first_touch_form",
        lambda handoff, data: services.log_first_touch(
            handoff=handoff, user=request.user, channel=data["channel"], note=data["note"]
        ),
        _("First touch logged."),
    )


@require_POST
@capability_required("queue.work")
def accept(request, pk):
    return _form_action(
        request,
        pk,
        AcceptForm,
        "accept_form",
        lambda handoff, data: services.accept_handoff(
            handoff=handoff, user=request.user, checklist=data
        ),
        _("Accepted into SAL. Record what you learn in the qualification on the lead page."),
        decides=True,
    )


@require_POST
@capability_required("queue.work")
def return_to_marketing(request, pk):
    return _form_action(
        request,
        pk,
        ReturnForm,
        "return_form",
        lambda handoff, data: services.return_handoff(
            handoff=handoff, user=request.user, reason=data["reason"].code, note=data["note"]
        ),
        _("Returned to marketing."),
    )


@require_POST
@capability_required("leads.disqualify")
def disqualify(request, pk):
    return _form_action(
        request,
        pk,
        DisqualifyForm,
        "disqualify_form",
        lambda handoff, data: services.disqualify_handoff(
            handoff=handoff, user=request.user, reason=data["reason"].code, note=data["note"]
        ),
        _("Disqualified: it has left the queue. A manager can reinstate it from the lead page."),
    )


@require_POST
@capability_required("queue.work")
def set_status(request, pk):
    return _form_action(
        request,
        pk,
        StatusForm,
        "status_form",
        lambda handoff, data: services.set_lead_status(
            lead=handoff.lead, user=request.user, status=data["status"]
        ),
        _("Status saved."),
    )


@require_POST
@capability_required("queue.reassign")
def reassign(request, pk):
    return _form_action(
        request,
        pk,
        ReassignForm,
        "reassign_form",
        lambda handoff, data: services.reassign_handoff(
            handoff=handoff, to_user=data["assignee"], user=request.user
        ),
        _("Reassigned."),
    )

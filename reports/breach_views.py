"""Managers' SLA pages: today's landing page, the breach report with its charts, the drill-down
to the handoffs, and their CSV exports."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.capabilities import capability_required
from reports import breaches
from reports.csv import csv_response
from reports.forms import BreachReportForm
from reports.sla_overview import manager_overview
from sla.models import ClockState
from sla.selectors import attach_calendars

DRILLDOWN_PAGE_SIZE = 50


def filters_query(filters: breaches.BreachFilters, **extra) -> str:
    """The effective filters as a query string, so links keep the period even when defaulted."""
    query = {
        "start": filters.start.isoformat(),
        "end": filters.end.isoformat(),
        "team": filters.team_id or "",
        "step": filters.step or "",
        "group_by": filters.group_by,
        **extra,
    }
    return urlencode({name: value for name, value in query.items() if value})


@capability_required("reports.sla")
def dashboard(request):
    return render(request, "sla/dashboard.html", manager_overview(now=timezone.now()))


@capability_required("reports.sla")
def breach_report(request):
    form = BreachReportForm.from_query(request.GET)
    if not form.is_valid():
        return render(request, "sla/report.html", {"form": form}, status=400)
    filters = form.filters()
    if request.GET.get("format") == "csv":
        summary = breaches.breach_summary(filters)
        return csv_response(
            f"sla-breaches-{filters.start}-{filters.end}.csv",
            [
                breaches.GROUPINGS[filters.group_by],
                _("Step"),
                _("Met"),
                _("Breached"),
                _("Open"),
                _("Breach rate (%)"),
            ],
            (
                [
                    row["label"],
                    row["step_label"],
                    row["met"],
                    row["breached"],
                    row["open"],
                    row["breach_rate"],
                ]
                for row in summary
            ),
        )
    report = breaches.breach_report(filters)
    times, weekly = report["response_times"], report["weekly"]
    charts = {
        "buckets": breaches.bucket_labels(),
        "distribution": [
            {"label": times[step]["step_label"], "counts": times[step]["distribution"]}
            for step in breaches.TIMED_STEPS
        ],
        "weeks": [row["week"] for row in weekly],
        "met": [row["met"] for row in weekly],
        "breached": [row["breached"] for row in weekly],
        "labels": {"met": _("Met"), "breached": _("Breached"), "count": _("Handoffs")},
    }
    return render(
        request,
        "sla/report.html",
        {
            "form": form,
            "filters": filters,
            "grouping_label": breaches.GROUPINGS[filters.group_by],
            "summary": report["rows"],
            "totals": report["totals"],
            "times": times,
            "weekly": weekly,
            "charts": charts,
            "distribution_rows": list(
                zip(
                    charts["buckets"],
                    zip(*(row["counts"] for row in charts["distribution"]), strict=True),
                    strict=True,
                )
            ),
            "query_string": filters_query(filters),
        },
    )


@capability_required("reports.sla")
def breach_drilldown(request):
    form = BreachReportForm.from_query(request.GET)
    state = request.GET.get("state") or None
    if state not in (None, *ClockState.values):
        form.add_error(None, _("Unknown clock state."))
    if not form.is_valid():
        return render(request, "sla/drilldown.html", {"form": form}, status=400)
    filters = form.filters()
    group = request.GET.get("group") or None
    try:
        clocks = breaches.drilldown(filters, group=group, state=state)
    except ValueError:
        form.add_error(None, _("Unknown group."))
        return render(request, "sla/drilldown.html", {"form": form}, status=400)
    clocks, sort = breaches.DRILLDOWN_SORTING.apply(clocks, request.GET)
    query_string = filters_query(filters, group=group or "", state=state or "")
    if sort.requested:
        query_string += f"&sort={sort.requested}"
    if request.GET.get("format") == "csv":
        return csv_response(
            f"sla-handoffs-{filters.start}-{filters.end}.csv",
            [
                _("Lead"),
                _("Email"),
                _("Team"),
                _("Rep"),
                _("Channel"),
                _("Step"),
                _("Policy"),
                _("Started"),
                _("Due"),
                _("Stopped"),
                _("State"),
                _("Time taken (minutes)"),
            ],
            (
                [
                    str(clock.handoff.lead),
                    clock.handoff.lead.email,
                    clock.handoff.team or "",
                    clock.rep or clock.handoff.assignee or "",
                    clock.handoff.lead.channel or "",
                    clock.get_step_display(),
                    clock.policy.display_name,
                    clock.started_at.isoformat(),
                    clock.due_at.isoformat(),
                    clock.stopped_at.isoformat() if clock.stopped_at else "",
                    clock.get_state_display(),
                    clock.elapsed_minutes,
                ]
                for clock in clocks.iterator(chunk_size=500)
            ),
        )
    page = Paginator(clocks, DRILLDOWN_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "sla/drilldown.html",
        {
            "form": form,
            "filters": filters,
            "page_obj": page,
            "clocks": attach_calendars(page.object_list),
            "is_paginated": page.has_other_pages(),
            "paginator": page.paginator,
            "state": state,
            "group": group,
            "query_string": query_string,
            "sort": sort,
            "report_query": filters_query(filters),
        },
    )

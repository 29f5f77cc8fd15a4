"""Managers' SLA set-up pages: policies and team business hours."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.capabilities import capability_required
from core.forms import refusals_on
from sla import policies
from sla.calendars import (
    add_calendar_exception,
    country_days,
    exceptions_for,
    remove_calendar_exception,
    save_team_calendar,
    teams_with_hours,
)
from sla.forms import CalendarExceptionForm, SlaPolicyForm, TeamCalendarForm
from sla.models import CalendarException, SlaPolicy, TeamCalendar
from teams.models import Team


@capability_required("sla.manage")
def policy_list(request):
    rows = SlaPolicy.objects.select_related("channel", "team")
    return render(request, "sla/policy_list.html", {"policies": rows})


@capability_required("sla.manage")
def policy_edit(request, pk=None):
    policy = get_object_or_404(SlaPolicy, pk=pk) if pk else SlaPolicy()
    form = SlaPolicyForm(request.POST or None, instance=policy)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with refusals_on(form):
                policies.save_policy(policy=form.instance, actor=request.user)
            if not form.errors:
                messages.success(request, _("Policy saved; it applies to clocks started from now."))
                return redirect("sla:policies")
        status = 400
    return render(request, "sla/policy_form.html", {"form": form, "policy": policy}, status=status)


@capability_required("sla.manage")
@require_POST
def policy_deactivate(request, pk):
    policy = get_object_or_404(SlaPolicy, pk=pk)
    policies.deactivate_policy(policy=policy, actor=request.user)
    messages.success(request, _("Policy deactivated; running clocks keep it."))
    return redirect("sla:policies")


@capability_required("sla.manage")
def hours_list(request):
    return render(
        request,
        "sla/hours_list.html",
        {"rows": teams_with_hours(), "default_zone": settings.TIME_ZONE},
    )


@capability_required("sla.manage")
def hours_edit(request, team_pk):
    team = get_object_or_404(Team, pk=team_pk)
    calendar = TeamCalendar.objects.filter(team=team).first()
    initial = TeamCalendarForm.initial_for(calendar, settings.TIME_ZONE)
    form = TeamCalendarForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            with refusals_on(form):
                save_team_calendar(
                    team=team,
                    time_zone=data["time_zone"],
                    hours=data["hours"],
                    holiday_country=data["holiday_country"],
                    holiday_subdiv=data["holiday_subdiv"],
                    closed_dates=data["closed_dates"],
                    actor=request.user,
                )
            if not form.errors:
                messages.success(
                    request, _("Business hours of %(team)s saved.") % {"team": team.name}
                )
                return redirect("sla:hours")
        return _calendar_page(request, team, calendar, form=form, status=400)
    return _calendar_page(request, team, calendar, form=form)


@capability_required("sla.manage")
@require_POST
def exception_add(request, team_pk):
    team = get_object_or_404(Team, pk=team_pk)
    calendar = get_object_or_404(TeamCalendar, team=team)
    form = CalendarExceptionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        with refusals_on(form):
            add_calendar_exception(
                calendar=calendar,
                kind=data["kind"],
                first_day=data["first_day"],
                last_day=data["last_day"],
                spans=data["hours"],
                note=data["note"],
                actor=request.user,
            )
        if not form.errors:
            messages.success(request, _("Exception added; new clocks count it from now."))
            return redirect(reverse("sla:hours_edit", args=[team.pk]) + "#exceptions")
    return _calendar_page(request, team, calendar, exception_form=form, status=400)


@capability_required("sla.manage")
@require_POST
def exception_remove(request, team_pk, pk):
    exception = get_object_or_404(CalendarException, pk=pk, calendar__team_id=team_pk)
    remove_calendar_exception(exception=exception, actor=request.user)
    messages.success(request, _("Exception removed."))
    return redirect(reverse("sla:hours_edit", args=[team_pk]) + "#exceptions")


def _calendar_page(request, team, calendar, *, form=None, exception_form=None, status=200):
    if form is None:
        form = TeamCalendarForm(initial=TeamCalendarForm.initial_for(calendar, settings.TIME_ZONE))
    context = {"form": form, "team": team, "has_calendar": calendar is not None}
    if calendar is not None:
        year = _year_asked(request, calendar)
        context.update(
            exceptions=exceptions_for(calendar),
            exception_form=exception_form or CalendarExceptionForm(),
            year=year,
            previous_year=year - 1,
            next_year=year + 1,
            country_days=country_days(
                calendar.holiday_country, calendar.holiday_subdiv, year, get_language()
            ),
        )
    return render(request, "sla/hours_form.html", context, status=status)


def _year_asked(request, calendar) -> int:
    """?year= when it is a plausible year, else the current year on the team's wall clock."""
    asked = request.GET.get("year", "")
    if asked.isdigit() and 1950 <= int(asked) <= 2100:
        return int(asked)
    return timezone.now().astimezone(ZoneInfo(calendar.time_zone)).year

"""Managers' SLA set-up pages: policies and team business hours."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.capabilities import capability_required
from core.forms import refusals_on
from sla import policies
from sla.calendars import save_team_calendar, teams_with_hours
from sla.forms import SlaPolicyForm, TeamCalendarForm
from sla.models import SlaPolicy, TeamCalendar
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
                policies.save_policy(policy=form.instance)
            if not form.errors:
                messages.success(request, _("Policy saved; it applies to clocks started from now."))
                return redirect("sla:policies")
        status = 400
    return render(request, "sla/policy_form.html", {"form": form, "policy": policy}, status=status)


@capability_required("sla.manage")
@require_POST
def policy_deactivate(request, pk):
    policy = get_object_or_404(SlaPolicy, pk=pk)
    policies.deactivate_policy(policy=policy)
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
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            save_team_calendar(
                team=team,
                time_zone=data["time_zone"],
                hours=data["hours"],
                holiday_country=data["holiday_country"],
                holiday_subdiv=data["holiday_subdiv"],
                closed_dates=data["closed_dates"],
            )
            messages.success(request, _("Business hours of %(team)s saved.") % {"team": team.name})
            return redirect("sla:hours")
        status = 400
    return render(
        request,
        "sla/hours_form.html",
        {"form": form, "team": team, "has_calendar": calendar is not None},
        status=status,
    )

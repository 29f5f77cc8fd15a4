"""Managers' pages: teams and their members, return reasons, the SQL criteria."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.capabilities import capability_required
from core.forms import refusals_on
from handoff.filters import TEAM_SORTING
from handoff.forms import (
    AddMemberForm,
    MemberForm,
    ModeForm,
    RequiredCriteriaForm,
    ReturnReasonForm,
    TeamForm,
)
from handoff.models import QualificationPolicy, ReturnReason
from handoff.selectors import team_overview
from handoff.services import set_required_criteria
from handoff.services import teams as team_services
from teams.models import Team, TeamMember

manager_only = capability_required("teams.manage")


@manager_only
def team_list(request):
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        team = form.save(commit=False)
        with refusals_on(form):
            team_services.save_team(
                team=team, user=request.user, channels=form.cleaned_data["channels"]
            )
        if not form.errors:
            messages.success(request, _("Team created."))
            return redirect("handoff:team", team.pk)
    teams, sort = TEAM_SORTING.apply(
        Team.objects.select_related("manager").prefetch_related("memberships__user"), request.GET
    )
    status = 400 if form.errors else 200
    context = {"teams": teams, "sort": sort, "form": form}
    return render(request, "handoff/team_list.html", context, status=status)


def _team_page(request, team, *, status=200, **forms):
    members, sort = team_overview(team, request.GET)
    context = {
        "team": team,
        "members": members,
        "sort": sort,
        "team_form": forms.get("team_form") or TeamForm(instance=team, prefix="team"),
        "mode_form": ModeForm(initial={"mode": team.mode}),
        "add_form": forms.get("add_form") or AddMemberForm(prefix="add"),
        "member_error": forms.get("member_error"),
    }
    return render(request, "handoff/team_detail.html", context, status=status)


@manager_only
def team_detail(request, pk):
    team = get_object_or_404(Team, pk=pk)
    if request.method == "POST":
        form = TeamForm(request.POST, instance=team, prefix="team")
        if form.is_valid():
            with refusals_on(form):
                team_services.save_team(
                    team=form.save(commit=False),
                    user=request.user,
                    channels=form.cleaned_data["channels"],
                )
            if not form.errors:
                messages.success(request, _("Team saved."))
                return redirect("handoff:team", team.pk)
        return _team_page(request, team, status=400, team_form=form)
    return _team_page(request, team)


@require_POST
@manager_only
def team_mode(request, pk):
    team = get_object_or_404(Team, pk=pk)
    form = ModeForm(request.POST)
    if form.is_valid():
        team_services.set_team_mode(team=team, user=request.user, mode=form.cleaned_data["mode"])
        messages.success(
            request, _("Assignment changed to %(mode)s.") % {"mode": team.get_mode_display()}
        )
    return redirect("handoff:team", team.pk)


@require_POST
@manager_only
def add_member(request, pk):
    team = get_object_or_404(Team, pk=pk)
    form = AddMemberForm(request.POST, prefix="add")
    if form.is_valid():
        with refusals_on(form):
            team_services.add_member(
                team=team,
                user=request.user,
                member_user=form.cleaned_data["user"],
                weight=form.cleaned_data["weight"],
                cap=form.cleaned_data["cap"],
            )
        if not form.errors:
            messages.success(request, _("Rep added."))
            return redirect("handoff:team", team.pk)
    return _team_page(request, team, status=400, add_form=form)


@require_POST
@manager_only
def member(request, pk):
    """Weight and cap, away and back, or removal of one member."""
    membership = get_object_or_404(TeamMember.objects.select_related("team"), pk=pk)
    action = request.POST.get("action")
    if action == "away":
        team_services.set_member_away(member=membership, user=request.user, away=True)
    elif action == "back":
        team_services.set_member_away(member=membership, user=request.user, away=False)
    elif action == "remove":
        team_services.remove_member(member=membership, user=request.user)
    else:
        form = MemberForm(request.POST, instance=membership)
        if not form.is_valid():
            error = " ".join(message for errors in form.errors.values() for message in errors)
            membership.refresh_from_db()
            return _team_page(request, membership.team, status=400, member_error=error)
        team_services.update_member(
            member=membership,
            user=request.user,
            weight=form.cleaned_data["weight"],
            cap=form.cleaned_data["cap"],
        )
    return redirect("handoff:team", membership.team_id)


@manager_only
def return_reasons(request):
    form = ReturnReasonForm(request.POST or None, prefix="new")
    if request.method == "POST" and form.is_valid():
        team_services.save_return_reason(reason=form.save(commit=False), user=request.user)
        messages.success(request, _("Return reason added."))
        return redirect("handoff:return_reasons")
    context = {
        "reasons": [
            (reason, ReturnReasonForm(instance=reason, prefix=f"r{reason.pk}"))
            for reason in ReturnReason.objects.all()
        ],
        "form": form,
    }
    return render(
        request, "handoff/return_reasons.html", context, status=400 if form.errors else 200
    )


@require_POST
@manager_only
def return_reason(request, pk):
    reason = get_object_or_404(ReturnReason, pk=pk)
    form = ReturnReasonForm(request.POST, instance=reason, prefix=f"r{reason.pk}")
    if form.is_valid():
        team_services.save_return_reason(reason=form.save(commit=False), user=request.user)
        messages.success(request, _("Return reason saved."))
    else:
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect("handoff:return_reasons")


@manager_only
def criteria(request):
    policy = QualificationPolicy.current()
    form = RequiredCriteriaForm(request.POST or None, initial={"required": policy.required})
    if request.method == "POST" and form.is_valid():
        set_required_criteria(user=request.user, required=form.cleaned_data["required"])
        messages.success(request, _("SQL criteria saved."))
        return redirect("handoff:criteria")
    return render(request, "handoff/criteria.html", {"form": form, "policy": policy})

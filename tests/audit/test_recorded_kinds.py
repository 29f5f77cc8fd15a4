"""Each kind of set-up change the issue names leaves its rows: who, what, before and after."""

import datetime as dt

import pytest

from audit.models import Action, AuditEntry
from handoff.models import ReasonKind, ReturnReason
from handoff.services.qualification import set_required_criteria
from handoff.services.teams import add_member, remove_member, save_return_reason, save_team
from scoring.versions import edit_draft, publish
from sla.calendars import add_calendar_exception, save_team_calendar
from sla.models import SlaPolicy, Step
from sla.policies import save_policy
from teams.models import Team
from tests.scoring.factories import signed_draft

pytestmark = pytest.mark.django_db

NINE_TO_FIVE = {day: [(dt.time(9), dt.time(17))] for day in range(5)}


def rows(object_type):
    return AuditEntry.objects.filter(object_type=object_type).order_by("id")


def test_an_sla_policy_edit(manager):
    policy = SlaPolicy.objects.filter(step=Step.FIRST_TOUCH).first()
    before = policy.target_minutes
    policy.target_minutes = before + 30
    save_policy(policy=policy, actor=manager)
    row = rows("sla.slapolicy").get()
    assert (row.field, row.before, row.after, row.actor) == (
        "target_minutes",
        before,
        before + 30,
        manager,
    )


def test_business_hours_and_their_exceptions(manager):
    team = Team.objects.create(name="EMEA")
    calendar = save_team_calendar(
        team=team, time_zone="Europe/Berlin", hours=NINE_TO_FIVE, actor=manager
    )
    save_team_calendar(
        team=team,
        time_zone="Europe/Berlin",
        hours={**NINE_TO_FIVE, 4: [(dt.time(9), dt.time(13))]},
        actor=manager,
    )
    add_calendar_exception(
        calendar=calendar, kind="working", first_day=dt.date(2026, 5, 2), actor=manager
    )
    changed = rows("sla.teamcalendar").filter(action=Action.CHANGED)
    assert next((r.field, r.before, r.after) for r in changed) == (
        "hours_fri",
        "09:00-17:00",
        "09:00-13:00",
    )
    assert changed.last().field == "exception"
    assert rows("sla.teamcalendar").filter(action=Action.CREATED, field="time_zone").exists()


def test_teams_and_members(manager, sdr):
    team = save_team(team=Team(name="EMEA"), user=manager)
    team.name = "EMEA North"
    save_team(team=team, user=manager)
    member = add_member(team=team, user=manager, member_user=sdr)
    remove_member(member=member, user=manager)
    actions = [(r.action, r.field) for r in rows("teams.team")]
    assert ("changed", "name") in actions
    assert [a for a in actions if a[0].startswith("member")] == [
        ("member_added", ""),
        ("member_removed", ""),
    ]


def test_return_reasons(manager):
    reason = save_return_reason(
        reason=ReturnReason(kind=ReasonKind.RETURN, code="no-budget", label="No budget"),
        user=manager,
    )
    reason.label = "No budget this year"
    save_return_reason(reason=reason, user=manager)
    last = rows("handoff.returnreason").last()
    assert (last.field, last.before, last.after) == ("label", "No budget", "No budget this year")


def test_sql_criteria(manager):
    set_required_criteria(user=manager, required=["budget"])
    row = rows("handoff.qualificationpolicy").last()
    assert (row.field, row.after) == ("required", ["budget"])


def test_agreement_edits_sign_offs_and_publishing(make_user, monkeypatch):
    from accounts.roles import Role

    monkeypatch.setattr("core.jobs.async_task", lambda *args: None)
    author, rep = make_user(Role.MARKETER), make_user(Role.SDR)
    draft = signed_draft(author, author, rep)

    def raise_threshold(locked):
        locked.threshold += 5

    draft, _ = edit_draft(agreement=draft, user=author, revision=draft.revision,
                          change=raise_threshold)  # fmt: skip
    actions = [(r.action, r.field, r.actor) for r in rows("scoring.agreement")]
    assert ("signed", "", rep) in actions and ("submitted", "", author) in actions
    assert ("changed", "threshold", author) in actions
    signed = signed_draft(author, author, rep)
    publish(agreement=signed, user=author)
    assert rows("scoring.agreement").filter(action=Action.PUBLISHED, object_id=signed.pk).exists()

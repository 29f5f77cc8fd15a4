"""A hand-computed October for the reports: 10 leads whose every stage move is known.

The expected figures in the tests are worked out by hand from the table below (times UTC).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import time_machine
from django.utils import timezone

from handoff.models import Handoff, Opportunity, Outcome, ReasonKind, ReturnReason
from leads.lifecycle import move_stage
from leads.models import Stage
from teams.models import Team
from tests.factories import ChannelFactory, LeadFactory

H = timedelta(hours=1)
D = timedelta(days=1)


def at(month, day, hour=9):
    return datetime(2026, month, day, hour, tzinfo=UTC)


def make_lead(*, created, channel, campaign=None, email):
    with time_machine.travel(created, tick=False):
        return LeadFactory(
            email=email, channel=channel, attributes={"campaign": campaign} if campaign else {}
        )


def walk(lead, start, *steps, version=None, reason=None):
    """Move `lead` to MQL at `start`, then through `steps` of (stage, time since the last move).

    A move to recycled with a `reason` is a return from the queue, as handoff.services writes
    it; without one it is a lost opportunity.
    """
    moment = start
    with time_machine.travel(moment, tick=False):
        move_stage(lead.pk, Stage.MQL, context={"agreement_version": version})
    for stage, after in steps:
        moment += after
        returned = stage == Stage.RECYCLED and reason
        with time_machine.travel(moment, tick=False):
            move_stage(lead.pk, stage, context={"return_reason": reason} if returned else None)
    return moment


def return_reason(code, kind=ReasonKind.RETURN):
    """The reason a data migration seeds; recreated when a transactional test flushed it."""
    reason, _ = ReturnReason.objects.get_or_create(
        kind=kind, code=code, defaults={"label": code.replace("_", " ").capitalize()}
    )
    return reason


def handoff(lead, created, *, team=None, returned=None, reason=None, assignee=None):
    outcome = Outcome.OPEN
    if returned:
        outcome = Outcome.RETURNED
    elif assignee:
        outcome = Outcome.ACCEPTED
    return Handoff.objects.create(
        lead=lead,
        score=60,
        created_at=created,
        sla_due_at=created + D,
        team=team,
        assignee=assignee,
        outcome=outcome,
        accepted_at=created + H if outcome == Outcome.ACCEPTED else None,
        returned_at=returned,
        return_reason=return_reason(reason) if reason else None,
    )


@dataclass
class October:
    webinars: object
    paid: object
    team: object
    leads: dict


def build_october(rep, tag: str = "") -> October:
    """Webinars: L1-L4 (+ L10 never MQL), worked by one team; paid search: L5-L8; L9 is September's.

    Another `tag` adds ten more such leads (and a team) to the same two channels.

    | lead | channel, campaign, version | moves after MQL (time in the stage before)       |
    | L1   | W spring v1  Oct 5  | SAL 4h, SQL 2d, opportunity 1d, won 10d                 |
    | L2   | W spring v1  Oct 6  | SAL 2h, SQL 4d, opportunity 2d, won 22d (in November)   |
    | L3   | W autumn v2  Oct 7  | SAL 6h, SQL 2d (still in SQL)                            |
    | L4   | W autumn v2  Oct 8  | returned after 1d: no fit                                |
    | L5   | P spring v1  Oct 9  | SAL 8h, SQL 6d, opportunity 3d, lost 16d (not a return)  |
    | L6   | P spring v1  Oct 10 | returned after 3h: not reachable; MQL again Oct 20 (v2), |
    |      |                     | SAL 1d                                                   |
    | L7   | P autumn v2  Oct 11 | returned after 1d: no fit                                |
    | L8   | P (none)  v2 Oct 12 | SAL 10h                                                  |
    | L9   | P spring v1  Sep 28 | returned after 1d: duplicate (outside the range)         |
    | L10  | W spring     -      | created Oct 3, never an MQL                              |
    """
    webinars = ChannelFactory(name="Webinars", slug="webinars")
    paid = ChannelFactory(name="Paid search", slug="paid-search")
    team = Team.objects.create(name=f"EMEA{tag}")
    S = Stage
    plan = {
        "L1": (webinars, "spring", 1, at(10, 5), [(S.SAL, 4 * H), (S.SQL, 2 * D),
                                                   (S.OPPORTUNITY, D), (S.CUSTOMER, 10 * D)]),
        "L2": (webinars, "spring", 1, at(10, 6), [(S.SAL, 2 * H), (S.SQL, 4 * D),
                                                   (S.OPPORTUNITY, 2 * D), (S.CUSTOMER, 22 * D)]),
        "L3": (webinars, "autumn", 2, at(10, 7), [(S.SAL, 6 * H), (S.SQL, 2 * D)]),
        "L4": (webinars, "autumn", 2, at(10, 8), [(S.RECYCLED, D)]),
        "L5": (paid, "spring", 1, at(10, 9), [(S.SAL, 8 * H), (S.SQL, 6 * D),
                                             (S.OPPORTUNITY, 3 * D), (S.RECYCLED, 16 * D)]),
        "L6": (paid, "spring", 1, at(10, 10), [(S.RECYCLED, 3 * H)]),
        "L7": (paid, "autumn", 2, at(10, 11), [(S.RECYCLED, D)]),
        "L8": (paid, None, 2, at(10, 12), [(S.SAL, 10 * H)]),
        "L9": (paid, "spring", 1, at(9, 28), [(S.RECYCLED, D)]),
    }  # fmt: skip
    reasons = {"L4": "no_fit", "L6": "not_reachable", "L7": "no_fit", "L9": "duplicate"}
    leads = {}
    for name, (channel, campaign, version, mql_at, steps) in plan.items():
        lead = make_lead(
            created=mql_at - 2 * D, channel=channel, campaign=campaign, email=f"{name}{tag}@x.io"
        )
        last = walk(lead, mql_at, *steps, version=version, reason=reasons.get(name))
        team_of = team if channel == webinars else None
        if name in reasons:
            handoff(lead, mql_at, team=team_of, returned=last, reason=reasons[name])
        else:
            handoff(lead, mql_at, team=team_of, assignee=rep)
        leads[name] = lead
    # L6 qualifies again on October 20 and is accepted a day later.
    walk(leads["L6"], at(10, 20), (S.SAL, D), version=2)
    leads["L10"] = make_lead(
        created=at(10, 3), channel=webinars, campaign="spring", email=f"L10{tag}@x.io"
    )
    return October(webinars=webinars, paid=paid, team=team, leads=leads)


def disqualified_lead(channel, mql_at, *, email, reason="junk"):
    """An MQL of agreement v2 that sales ruled out a day later, as handoff.services writes it."""
    lead = make_lead(created=mql_at - 2 * D, channel=channel, email=email)
    walk(lead, mql_at, version=2)
    with time_machine.travel(mql_at + D, tick=False):
        move_stage(lead.pk, Stage.DISQUALIFIED, context={"disqualify_reason": reason})
    return Handoff.objects.create(
        lead=lead,
        score=60,
        created_at=mql_at,
        sla_due_at=mql_at + D,
        outcome=Outcome.DISQUALIFIED,
        disqualified_at=mql_at + D,
        return_reason=return_reason(reason, ReasonKind.DISQUALIFY),
    )


def opportunity(amount, currency, stage="discovery", *, owner, lead=None):
    """An opportunity opened now on a fresh lead (or `lead`), in `stage`, as the services leave
    it: a closed one has its closing time, a lost one its reason."""
    closed = stage in ("won", "lost")
    return Opportunity.objects.create(
        lead=lead or LeadFactory(),
        name=f"{amount} {currency}",
        amount=Decimal(amount),
        currency=currency,
        stage=stage,
        expected_close_date=date(2026, 12, 31),
        owner=owner,
        closed_at=timezone.now() if closed else None,
        lost_reason="Budget" if stage == "lost" else "",
    )

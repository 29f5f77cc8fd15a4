"""What each role's part of the home page shows, read through the selectors of the apps that own
the figures: the marketer's MQLs, returns and drafts (reports, scoring), the account executive's
SQLs and pipeline (handoff), the rep's next leads and day (handoff), the manager's SLA today
(reports). Each part runs a fixed number of queries, whatever the rows."""

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.capabilities import may
from handoff.selectors import pipeline_for, queue_counts, rep_summary
from reports.charts import chart
from reports.filters import ReportFilterForm
from reports.selectors import mql_weeks, returns_report
from reports.sla_overview import sla_today
from scoring.selectors import drafts_awaiting_signature

# The parts in the order the page shows them; a person sees those their roles hold.
PARTS = ("sla", "queue", "pipeline", "marketing")
# Rows per list on the home page; each list links to the page that holds all of them.
HOME_ROWS = 5


def parts_for(user) -> list[str]:
    return [part for part in PARTS if may(user, f"home.{part}")]


def marketing_part(*, now: datetime) -> dict:
    """MQLs per week for eight weeks (one query), returns by reason over the reports' default
    period (one), the drafts awaiting signature (two)."""
    today = timezone.localdate(now)
    weeks = mql_weeks(today=today)
    period = ReportFilterForm.default_filters(today=today)
    return {
        "weeks": weeks,
        "this_week": weeks[-1],
        "last_week": weeks[-2],
        "mql_chart": chart(
            "mql-weeks",
            ngettext(
                "MQLs per week, last %(weeks)d week",
                "MQLs per week, last %(weeks)d weeks",
                len(weeks),
            )
            % {"weeks": len(weeks)},
            [date_format(week.monday, "MONTH_DAY_FORMAT") for week in weeks],
            [(_("MQLs"), [week.count for week in weeks])],
        ),
        "returns": returns_report(filters=period),
        "drafts": drafts_awaiting_signature(),
    }


def home_context(*, user, now: datetime) -> dict:
    parts = parts_for(user)
    context: dict = {"parts": parts, "now": now}
    if "sla" in parts:
        context["sla"] = sla_today(now=now, limit=HOME_ROWS)
    if "queue" in parts:
        context["queue"] = {**rep_summary(user=user, now=now), "counts": queue_counts(user=user)}
    if "pipeline" in parts:
        context["pipeline"] = pipeline_for(user=user, now=now)
    if "marketing" in parts:
        context["marketing"] = marketing_part(now=now)
    return context

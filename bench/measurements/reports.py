"""The funnel, returns and SLA breach reports over the data set's 12 months (1M leads: about
200,000 MQL entries and 500,000 clocks), timed as their pages and API compute them.

Each run calls the selector the page and the API call, with everything they show: the funnel's
total and its breakdowns by channel, campaign and agreement version with median stays; the
returns report's reasons and its matrices by channel and agreement version; the breach report's
summary by rep (the page's default), by team and by channel, with totals, response-time medians,
90th percentiles and histograms, and the weekly trend.
"""

from django.utils import timezone

from bench.base import Bench, Result, median, repeat, timed
from leads.models import FunnelPass
from leads.passes import rebuild_passes
from reports.breaches import BreachFilters, breach_report
from reports.filters import ReportFilters
from reports.selectors import funnel_report, returns_report

TARGET_MS = 500


def _days(bench: Bench):
    """The first and last day of the data set's year, in the server's time zone."""
    return timezone.localdate(bench.data.start), timezone.localdate(bench.data.end)


def _result(name: str, seconds: list[float], notes: str, **extra) -> Result:
    return Result(
        name,
        median(seconds) * 1000,
        "ms",
        target=TARGET_MS,
        better="lower",
        notes=notes,
        extra=extra,
    )


def _passes(bench: Bench) -> None:
    if not FunnelPass.objects.exists():
        # Each move writes its lead's passes; a data set loaded in bulk derives them once.
        bench.log(f"derived {rebuild_passes():,} funnel passes from the stage history")


def funnel_report_12_months(bench: Bench) -> Result:
    _passes(bench)
    first, last = _days(bench)
    filters = ReportFilters(date_from=first, date_to=last)
    _warm, report = timed(lambda: funnel_report(filters=filters))
    cohort = report.total.counts["mql"]
    return _result(
        "funnel_report_12_months",
        repeat(lambda: funnel_report(filters=filters), bench.runs),
        f"{cohort:,} leads entered MQL in the year; total and {len(report.by_channel)} "
        f"channels, {len(report.by_campaign)} campaigns, {len(report.by_agreement_version)} "
        "agreement versions, with median stays",
        cohort=cohort,
    )


def _breach_report(bench: Bench, name: str, group_by: str) -> Result:
    first, last = _days(bench)
    filters = BreachFilters(start=first, end=last, group_by=group_by)
    _warm, report = timed(lambda: breach_report(filters))
    clocks = sum(report["totals"][name] for name in ("met", "breached", "open"))
    groups = len({row["group"] for row in report["rows"]})
    return _result(
        name,
        repeat(lambda: breach_report(filters), bench.runs),
        f"{clocks:,} clocks by {group_by} ({groups:,}) and step, totals, response times and "
        f"{len(report['weekly'])} weeks",
        clocks=clocks,
    )


def breach_report_12_months(bench: Bench) -> Result:
    return _breach_report(bench, "breach_report_12_months", "rep")


def breach_report_by_team(bench: Bench) -> Result:
    return _breach_report(bench, "breach_report_by_team", "team")


def breach_report_by_channel(bench: Bench) -> Result:
    return _breach_report(bench, "breach_report_by_channel", "channel")


def returns_report_12_months(bench: Bench) -> Result:
    _passes(bench)
    first, last = _days(bench)
    filters = ReportFilters(date_from=first, date_to=last)
    _warm, report = timed(lambda: returns_report(filters=filters))
    return _result(
        "returns_report_12_months",
        repeat(lambda: returns_report(filters=filters), bench.runs),
        f"{report.total:,} returns and {report.disqualified:,} disqualifications of the year's "
        f"MQLs; {len(report.reasons)} reasons by {len(report.by_channel)} channels and "
        f"{len(report.by_agreement_version)} agreement versions",
        returns=report.total,
        disqualified=report.disqualified,
    )


MEASUREMENTS = [
    funnel_report_12_months,
    returns_report_12_months,
    breach_report_12_months,
    breach_report_by_team,
    breach_report_by_channel,
]

"""Each report as one flat table, for the CSV downloads (the same figures as the page)."""

from itertools import pairwise

from django.utils.translation import gettext as _

from handoff.models import ReasonKind
from reports.economics import METRIC_LABELS, METRICS, EconomicsReport
from reports.funnel import STEP_LABELS, STEPS, TIMED_STAGES
from reports.pipeline import PipelineReport
from reports.selectors import FunnelReport, ReturnsReport


def _share(value: float | None):
    return "" if value is None else round(value, 4)


def _hours(duration):
    return "" if duration is None else round(duration.total_seconds() / 3600, 2)


def funnel_table(report: FunnelReport):
    header = [
        _("Breakdown"),
        _("Group"),
        *(STEP_LABELS[step] for step in STEPS),
        *(
            _("%(from)s to %(to)s rate") % {"from": STEP_LABELS[a], "to": STEP_LABELS[b]}
            for a, b in pairwise(STEPS)
        ),
        _("Returned"),
        _("Disqualified"),
        *(_("Median hours in %(stage)s") % {"stage": STEP_LABELS[stage]} for stage in TIMED_STAGES),
    ]

    def line(breakdown, row):
        steps = row.steps
        return [
            breakdown,
            row.label,
            *(count for _step, count, _rate in steps),
            *(_share(rate) for _step, _count, rate in steps[1:]),
            row.returned,
            row.disqualified,
            *(_hours(duration) for _stage, duration in row.stays),
        ]

    rows = [line(_("Total"), report.total)]
    for _key, heading, _column, group_rows in report.breakdowns():
        rows.extend(line(heading, row) for row in group_rows)
    return header, rows


def returns_table(report: ReturnsReport):
    header = [_("Breakdown"), _("Group"), _("Reason"), _("Count"), _("Share")]
    everything = {ReasonKind.RETURN: _("All returns"), ReasonKind.DISQUALIFY: _("All disqualified")}
    rows = [
        [everything[reason.kind], "", reason.label, reason.count, _share(reason.share)]
        for reason in report.reasons
    ]
    labels = {reason.reason_id: reason.heading for reason in report.reasons}
    for heading, groups in (
        (_("By channel"), report.by_channel),
        (_("By agreement version"), report.by_agreement_version),
    ):
        for group in groups:
            rows.extend(
                [heading, group.label, labels[reason_id], count, _share(group.share_of(reason_id))]
                for reason_id, count in sorted(group.by_reason.items(), key=lambda item: -item[1])
            )
    return header, rows


def economics_table(report: EconomicsReport):
    header = [
        _("Channel"),
        (_("Spend (%(currency)s, converted)") if report.converted else _("Spend (%(currency)s)"))
        % {"currency": report.currency or "—"},
        *(METRIC_LABELS[metric][0] for metric in METRICS),
        *(METRIC_LABELS[metric][1] for metric in METRICS),
    ]
    rows = [
        [
            row.label,
            "" if row.spend is None else row.spend,
            *row.count_cells,
            *("" if cost is None else cost for cost in row.cost_cells),
        ]
        for row in [*report.rows, report.total]
    ]
    return header, rows


def pipeline_table(report: PipelineReport):
    """Per stage, a line per currency, then the stage's total converted into the reporting
    currency with the currencies it leaves out for want of a rate."""
    header = [_("Stage"), _("Currency"), _("Opportunities"), _("Amount"), _("Left out (no rate)")]
    converted = _("Total in %(currency)s (converted)") % {"currency": report.currency}
    rows = []
    for stage in report.rows:
        rows.extend(
            [stage.label, total.currency, total.count, total.amount, ""] for total in stage.totals
        )
        rows.append(
            [
                stage.label,
                converted,
                stage.count,
                "" if stage.converted is None else stage.converted,
                " ".join(stage.left_out),
            ]
        )
    return header, rows
